"""The EU Pay Transparency Directive's art. 9 set for a unit and year (Directive (EU) 2023/970)."""

from __future__ import annotations

import math

import pandas as pd

from ... import settings
from ...protect import privacy
from ...store import sql
from ...protect.privacy import CellRule, Protection, Suppression
from ...protect.registry import Filters, register
from ...store.schema import POSITION_CATEGORIES
from .quartiles import BAND_COUNT_MEASURES, BAND_COUNTS, quartile_bands
from .scope import GENDER_PAY, PAY_FIGURES, SALARY_COLUMNS, SALARY_STATISTICS, SALARY_SUMS, SUMS, add_gaps, level_label, pay_scope, snapshot

VARIABLE_PAY_NOTE = "not given: the staff sheet has no variable-pay column"
PARTS = ("overall", "variable_pay", "quartile", "position", "job_level")


TRANSPARENCY_COLUMNS = ["part", "category", "year", "women", "men", "total", *PAY_FIGURES, "share_women",
                        "flag", "note"]
# The base table: the columns shown, the salary sums, the scope's counts (quartile rows) and the keys.
TRANSPARENCY_BASE = ["part", "category", "year", "women", "women__ck", "women__mk", "men", "men__ck", "men__mk",
                     "total", "total__ck", "salary_women", "salary_women__max", "salary_women__max2", "salary_men",
                     "salary_men__max", "salary_men__max2", *SALARY_COLUMNS, "scope_women", "scope_men", "note"]
PAY_PARTS = ("overall", "position", "job_level")


def _transparency_figures(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """derive for pay_transparency: gaps on the pay rows (from the published means and medians), the
    art. 10 flag on the category rows, the quartile rows' share of women."""
    df = add_gaps(df.drop(columns=list(SUMS)))
    threshold = float(settings.goals()["pay"]["pay_transparency_threshold"]) * 100
    flag = (df["mean_gap_pct"].abs() >= threshold).astype("boolean")
    df["flag"] = flag.where(df["part"].isin(("position", "job_level")), pd.NA)
    bands = df["part"] == "quartile"
    two = (df["women"] + df["men"]).astype(float)
    df["share_women"] = (df["women"] / two).where(bands & (two > 0)).astype(float)
    return df[TRANSPARENCY_COLUMNS]


def _pay_rows_hidden(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """after for pay_transparency: a pay row whose figures are hidden (fewer than k women or k men,
    CellRule below) is marked suppressed, as pay_gap marks it; its counts stay (the head-count rule
    allows a count of 0 women, or 12 men). Exact figures hide nothing."""
    if not f.exact and len(df):
        figures_gone = df["mean_women"].isna() | df["mean_men"].isna()
        df["suppressed"] = df["suppressed"].astype(bool) | (df["part"].isin(PAY_PARTS) & figures_gone).to_numpy()
    return df


# One table, two rules: every row (pay rows and quartile bands) by head count, as equal_value and
# pay_quartiles; the pay figures on top need k women and k men (every: zero is as small as one).
TRANSPARENCY_PROTECTION = Protection(
    counts=BAND_COUNT_MEASURES,
    magnitudes=SALARY_SUMS,
    statistics=SALARY_STATISTICS,
    derive=_transparency_figures, one_position_or_all=True,
    rows=Suppression(counts=BAND_COUNTS, total=None, hide=(*PAY_FIGURES, "share_women", "flag")),
    cells=(CellRule(("women", "men"), (*PAY_FIGURES, "flag"), every=True),),
    after=_pay_rows_hidden,
)


@register(id="pay_transparency", protection=TRANSPARENCY_PROTECTION)
def pay_transparency(cur, f: Filters) -> pd.DataFrame:
    """Art. 9(1)(a)-(g) for one unit and year, long form with a `part` column.

    Gap = (M - W) / M x 100 on means and medians (art. 3(1)(c)); quartile bands as pay_quartiles;
    categories of worker: position category and job_level (art. 3(1)(f): workers performing the same
    work or work of equal value, grouped by the employer's gender-neutral criteria - the job level).
    Flag: |mean gap| >= threshold (art. 10(1)(a): 'a difference in average pay level ... of at least
    5 % in any category of workers'; in either direction, as the article does not say which).

    Protection (TRANSPARENCY_PROTECTION): every row, pay rows and quartile bands alike, by the
    head-count rule (1 to k-1 women or men, or in all, hides the row; the bands also by their unit's
    women and men, as pay_quartiles); the pay figures of a row on top need k women and k men, so a
    position of 0 women and 12 men shows its head count but no pay, and is marked suppressed. The
    pay rows' `total` is a count of its own (women and men together), perturbed on its own.
    """
    f = snapshot(cur, f)
    scope = pay_scope(cur, f)
    gaps = sql.execute(cur, f"""
        WITH scope AS ({scope})
        SELECT CASE WHEN grouping(position_category) = 0 THEN 'position'
                    WHEN grouping(job_level) = 0 THEN 'job_level' ELSE 'overall' END AS part,
               position_category, job_level,
               {GENDER_PAY},
               count(*) AS total, sum(rkey)::BIGINT AS total__ck
        FROM scope
        GROUP BY GROUPING SETS ((), (position_category), (job_level))
    """, scope, GENDER_PAY).df()
    if gaps.empty:
        return pd.DataFrame(columns=TRANSPARENCY_BASE)
    if not gaps["job_level"].notna().any():
        gaps = gaps[gaps["part"] != "job_level"]  # no job evaluation given: no such category
    gaps["category"] = [p if part == "position" else level_label(lv) if part == "job_level" else "all"
                        for part, p, lv in zip(gaps["part"], gaps["position_category"], gaps["job_level"])]
    gaps = gaps.drop(columns=["position_category", "job_level"])
    bands = quartile_bands(cur, f)
    bands = bands.assign(part="quartile", category=bands["quartile"].astype(str)).drop(columns="quartile")
    variable = pd.DataFrame({"part": ["variable_pay"], "category": ["all"], "note": [VARIABLE_PAY_NOTE]})
    df = pd.concat([gaps, variable, bands], ignore_index=True)
    keys = [c for c in df if c.endswith((privacy.KEY, privacy.MKEY))]
    df[keys] = df[keys].fillna(0)
    df["year"] = f.year
    df["part"] = pd.Categorical(df["part"], PARTS, ordered=True)
    # Rows in a fixed order (positions in career order, job levels by number, "not given" last): the
    # grouping sets come back from DuckDB in any order, and the same table must read the same each time.
    rank = {p: i for i, p in enumerate(POSITION_CATEGORIES)}
    df["_order"] = [rank.get(c, 0) if part == "position" else _level_order(c) if part == "job_level" else 0
                    for part, c in zip(df["part"], df["category"])]
    df = df.sort_values(["part", "_order"], kind="stable").drop(columns="_order")
    df["part"] = df["part"].astype(str)
    return df.reindex(columns=TRANSPARENCY_BASE).reset_index(drop=True)


def _level_order(label: str) -> float:
    try:
        return float(label)
    except (TypeError, ValueError):
        return math.inf
