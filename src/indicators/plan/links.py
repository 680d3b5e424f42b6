"""The indicators a measure of the plan may work towards, and whether a target on one is a share.

A measure links to one of them by key ("share_women:professor": women's share among professors);
columns.toml's [link.plan] says which registry table, column and row each key reads, and
catalogue/plan.toml's [vocab.indicator] names it. The scorecard (goals.py) judges a unit against its
own target through the same keys, read from the declarations itself: goals imports nothing of the
plan, whose follow-up draws on the charts, which draw on the scorecard.
"""

from __future__ import annotations

from ..catalogue.declarations import declared, links

# key -> (registry table, column, row as column -> value): "35 % women among professors by 2027" is
# share_women:professor, 35, 2027.
PLAN_INDICATORS: dict[str, tuple[str, str, dict]] = links("plan")


def share_like(indicator) -> bool:
    """Whether a target on `indicator` is a share (its column is declared a share in columns.toml):
    typed as 35 or 35 %, it is stored as 0.35, as the indicator counts; written back as 35."""
    if not isinstance(indicator, str) or indicator not in PLAN_INDICATORS:
        return False
    table, column, _ = PLAN_INDICATORS[indicator]
    return declared(table, column).kind == "share"
