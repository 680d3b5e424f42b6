"""Not a word table: plan.py's function-level `from .catalogue import i18n` reaches the number
formatters under this name until the plan branch (i23plan) replaces plan.py, whose words are then
catalogue/plan.toml's. Delete this file with plan.py; everything else imports numbers.py."""

from .numbers import number, pct_points, percent  # noqa: F401
