"""Representation (sub-goal 1, power and influence; careers): who holds which positions.

Shares are women / (women + men): people recorded with another or unknown gender are counted and
shown, but outside the two-gender share (She Figures' convention).
"""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from . import settings
from .privacy import Suppression
from .registry import Filters, register
from .schema import POSITION_CATEGORIES

ALL_POSITIONS = "all"


def latest_year(cur, table: str = "staff") -> int | None:
    return cur.execute(f"SELECT max(year) FROM {table}").fetchone()[0]


def scope_params(cur, f: Filters) -> dict:
    """Named parameters shared by the staff queries: unit (with sub-units), year, positions, type."""
    return {"unit": f.unit, "year": f.year if f.year is not None else latest_year(cur),
            "positions": list(f.positions) or None, "etype": f.employment_type}


# Staff rows in scope: the unit and all below it (through unit_tree), the year, the chosen positions.
STAFF_SCOPE = """
    SELECT s.* FROM staff s
    JOIN unit_tree t ON t.descendant = s.unit AND t.ancestor = $unit
    WHERE s.year = $year
      AND ($positions IS NULL OR list_contains($positions, s.position_category))
      AND ($etype IS NULL OR s.employment_type = $etype)
"""


def wilson(successes: pd.Series, n: pd.Series) -> tuple[pd.Series, pd.Series]:
    """95 % Wilson score interval (statsmodels), NaN where n is 0.

    Wilson (1927); recommended over the normal approximation for small groups (Brown, Cai and
    DasGupta 2001). Checks from DESIGN.md: 3/10 -> [0.1078, 0.6032]; 2/5 -> [0.1176, 0.7693].
    """
    ok = n > 0
    low = pd.Series(float("nan"), index=n.index)
    high = pd.Series(float("nan"), index=n.index)
    if ok.any():
        lo, hi = proportion_confint(successes[ok].astype(float), n[ok].astype(float), alpha=0.05, method="wilson")
        low[ok], high[ok] = lo, hi
    return low, high


def add_share_columns(df: pd.DataFrame, measure: str = "headcount") -> pd.DataFrame:
    """share_women, its Wilson interval and the balanced flag, from women/men (or fte_ columns)."""
    w, m = (df["fte_women"], df["fte_men"]) if measure == "fte" else (df["women"], df["men"])
    two = w + m
    df["share_women"] = (w / two).where(two > 0)
    df["ci_low"], df["ci_high"] = wilson(df["women"], df["women"] + df["men"])
    df["balanced"] = df["share_women"].map(settings.is_balanced).astype("boolean")
    return df


COUNT_COLUMNS = ("women", "men", "other", "total")
SHARE_COLUMNS = ("share_women", "ci_low", "ci_high", "balanced")
FTE_COLUMNS = ("fte_women", "fte_men", "fte_other", "fte_total")


@register(
    id="representation",
    subgoal=1,
    title_sv="Könsfördelning per befattning",
    title_en="Gender balance by position",
    description_sv=(
        "Antal och årsarbetskrafter (FTE) per kön och befattningskategori för enheten med underenheter, "
        "andelen kvinnor = kvinnor / (kvinnor + män) med 95 % Wilsonintervall, och om fördelningen är jämn "
        "(40–60 %). Personer med annat eller okänt kön räknas men ingår inte i andelen."),
    description_en=(
        "Headcount and full-time equivalents (FTE) by gender and position category for the unit with its "
        "sub-units; share of women = women / (women + men) with its 95 % Wilson interval, and whether it is "
        "balanced (40–60 %). People of another or unknown gender are counted but outside the share."),
    unit_of_measure="share",
    gep_area="careers",
    target="balance",
    source="She Figures 2021 handbook (headcount); UKÄ (FTE); the 40/60 convention for 'jämn könsfördelning'",
    suppression=Suppression(hide=SHARE_COLUMNS + FTE_COLUMNS, partition=("year",)),
    columns={"year": "year of the snapshot", "position": "position category ('all' = every position)",
             "women": "headcount", "men": "headcount", "other": "headcount, other or unknown gender",
             "total": "headcount", "fte_women": "FTE", "fte_men": "FTE", "fte_other": "FTE", "fte_total": "FTE",
             "share_women": "women / (women + men), by headcount or FTE as chosen",
             "ci_low": "95 % Wilson interval, lower bound (headcount)", "ci_high": "upper bound",
             "balanced": "40 % <= share <= 60 %"},
)
def representation(cur, f: Filters) -> pd.DataFrame:
    """Headcount and FTE by gender per position category, plus an 'all' row, for one unit and year.

    share_women = W / (W + M) (She Figures); by FTE when f.measure == 'fte' (UKÄ's convention).
    Balanced when 40 % <= share <= 60 % (goals.toml). Wilson 95 % interval on the headcounts.
    """
    df = cur.execute(f"""
        WITH scope AS ({STAFF_SCOPE})
        SELECT year,
               coalesce(position_category, '{ALL_POSITIONS}') AS position,
               count(*) FILTER (WHERE gender = 'woman') AS women,
               count(*) FILTER (WHERE gender = 'man')   AS men,
               count(*) FILTER (WHERE gender = 'other') AS other,
               count(*)                                  AS total,
               coalesce(sum(coalesce(fte, 1)) FILTER (WHERE gender = 'woman'), 0) AS fte_women,
               coalesce(sum(coalesce(fte, 1)) FILTER (WHERE gender = 'man'), 0)   AS fte_men,
               coalesce(sum(coalesce(fte, 1)) FILTER (WHERE gender = 'other'), 0) AS fte_other,
               sum(coalesce(fte, 1))                      AS fte_total
        FROM scope
        GROUP BY GROUPING SETS ((year, position_category), (year))
    """, scope_params(cur, f)).df()
    order = {p: i for i, p in enumerate((*POSITION_CATEGORIES, ALL_POSITIONS))}
    df = df.sort_values(["year", "position"], key=lambda s: s.map(order) if s.name == "position" else s)
    return add_share_columns(df.reset_index(drop=True), f.measure)
