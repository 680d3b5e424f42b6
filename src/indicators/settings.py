"""Targets and thresholds from data/goals.toml: never hard-coded in an indicator."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

import numpy as np

# The data folder beside the package: goals.toml, positions.csv, the templates, the database by default.
DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# The default files' places as text, made once: `goals()` is called a dozen times for every published
# table, and joining the path each time cost more than the lookup (35 of its 40 microseconds).
GOALS_FILE, CAREERS_FILE = str(DATA_DIR / "goals.toml"), str(DATA_DIR / "careers.toml")


@cache
def _load(path: str) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def goals(path: str | Path | None = None) -> dict:
    """The parsed goals.toml (BALANS_GOALS overrides its place, for tests and other universities)."""
    return _load(str(path or os.environ.get("BALANS_GOALS") or GOALS_FILE))


def k_anonymity(setting: str = "k") -> int:
    privacy = goals()["privacy"]
    return int(privacy.get(setting, privacy["k"]))


def is_balanced(share: float | None) -> bool | None:
    """The 40/60 convention ("jämn könsfördelning"): each gender at least 40 %; edges from goals.toml."""
    if share is None or share != share:
        return None
    b = goals()["balance"]
    above = share >= b["lower"] if b.get("lower_inclusive", True) else share > b["lower"]
    below = share <= b["upper"] if b.get("upper_inclusive", True) else share < b["upper"]
    return above and below


def balanced(shares):
    """is_balanced over an array of shares (numpy): True, False, or NaN where the share is missing
    (a float array, as `is_balanced` gives None; the caller makes it a nullable flag)."""
    share = np.asarray(shares, dtype=float)
    b = goals()["balance"]
    above = share >= b["lower"] if b.get("lower_inclusive", True) else share > b["lower"]
    below = share <= b["upper"] if b.get("upper_inclusive", True) else share < b["upper"]
    return np.where(np.isnan(share), np.nan, (above & below).astype(float))


def balance_sql(share_expr: str) -> str:
    """The same test as is_balanced, as a SQL expression (bounds inlined from goals.toml, numbers only)."""
    b = goals()["balance"]
    lo = ">=" if b.get("lower_inclusive", True) else ">"
    hi = "<=" if b.get("upper_inclusive", True) else "<"
    return f"({share_expr} {lo} {float(b['lower'])!r} AND {share_expr} {hi} {float(b['upper'])!r})"


def careers(path: str | Path | None = None) -> dict:
    """The parsed data/careers.toml: the position ladder and who counts as a newly recruited professor
    (BALANS_CAREERS overrides its place, as BALANS_GOALS does goals.toml's)."""
    return _load(str(path or os.environ.get("BALANS_CAREERS") or CAREERS_FILE))
