"""Recruitment and promotion (sub-goal 2, careers; the KTH plan's activity 3.2.3): funnels by gender.

Reads the aggregated `recruitment` sheet: per year, unit, position and gender, how many applied,
were shortlisted (interviewed), offered and appointed, and how many applied for and were granted
promotion. Athena Swan's funnel analysis: conversion from each stage to the next by gender, with a
Wilson interval because the groups are small. The funnel is shown per direct sub-unit and rolled up
to the chosen unit, both always: rolled-up rates can reverse every sub-unit's picture when women
apply more to the units that appoint fewer (Simpson's paradox; Bickel, Hammel and O'Connell 1975).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..protect import arrays
from ..protect.privacy import KEY, CellRule, Protection, Suppression, measure_offset_sql
from ..protect.registry import Filters, register
from ..store import sql
from .shares import share_columns, wilson_interval

STAGES = ("applicants", "shortlisted", "offered", "appointed")
ROLLUP, PER_UNIT = "rollup", "unit"
ALL = "all"


def recruitment_scope(cur, f: Filters) -> sql.Fragment:
    """Recruitment rows of the unit and below, for one year (f.year, else the latest) and the chosen
    position categories, each labelled with the direct sub-unit of the unit it falls under
    (`sub_unit`; the unit itself for rows booked on it). Under '*' (everything) the direct sub-units
    are the top of the tree."""
    rows, children = sql.in_units("recruitment", [f.unit]), sql.sub_units(f.unit)
    where = sql.in_year("r.year", sql.year_or_latest(cur, f.year, "recruitment")) & sql.positions(
        "r.position_category", f.positions
    )
    return sql.statement(
        f"""
    SELECT r.*, coalesce(c.ancestor, r.unit) AS sub_unit
    FROM {rows} r
    LEFT JOIN (SELECT ancestor, descendant FROM unit_tree
               WHERE ancestor IN ({children}) AND ancestor <> $unit) c
           ON c.descendant = r.unit
    WHERE {where}""",
        rows,
        children,
        where,
    )


FUNNEL_HIDE = (
    "share_women",
    "ci_low",
    "ci_high",
    "balanced",
    "conversion_women",
    "conversion_women_low",
    "conversion_women_high",
    "conversion_men",
    "conversion_men_low",
    "conversion_men_high",
    "conversion_ratio",
)


CONVERSIONS = (
    "conversion_women",
    "conversion_women_low",
    "conversion_women_high",
    "conversion_men",
    "conversion_men_low",
    "conversion_men_high",
    "conversion_ratio",
)


def _rate(cols: arrays.Columns, success: str, base: str, name: str) -> None:
    """name = success / base with its Wilson interval, added to the columns; hidden where the base is 0
    or the counts are inconsistent (success > base: in the sheet, or, on published counts, by the noise
    of two counts close together). A base of 1..k-1 is hidden by the protection's row or cell rule.
    On arrays (protect/arrays.py): the same numbers as the pandas `(s / b).where(ok)` and
    `wilson(s.where(ok, 0), ...)` it replaces, at a fraction of their cost
    (docs/performance.md, "The recruitment page's rates on arrays")."""
    s, b = arrays.values(cols, success), arrays.values(cols, base)
    ok = (b > 0) & (s <= b)
    cols[name] = np.where(ok, arrays.ratio(s, b), np.nan)
    cols[f"{name}_low"], cols[f"{name}_high"] = wilson_interval(np.where(ok, s, 0.0), np.where(ok, b, 0.0))


def _funnel_rates(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """share_women = W / (W + M) with its Wilson interval; conversion_g = count_g / prev_g; ratio =
    conversion_W / conversion_M. On the published (or the exact) counts: prev_g is published with
    the previous stage's records and measure, so it is the number shown on the row above."""
    cols = share_columns(cols)
    for g in ("women", "men"):
        cols[f"prev_{g}"] = arrays.values(cols, f"prev_{g}")
        _rate(cols, g, f"prev_{g}", f"conversion_{g}")
    cols["conversion_ratio"] = arrays.ratio(cols["conversion_women"], cols["conversion_men"])
    return cols


def _without_previous(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    del cols["prev_women"], cols["prev_men"]
    return cols


# Each stage's counts are counts of their own measure (the applicants, the shortlisted, ...): the SQL
# moves each row's keys to its stage (privacy.measure_offset). The total is women + men + other,
# nothing left out (total=None, see education.STUDENT_PROTECTION).
FUNNEL_PROTECTION = Protection(
    counts={c: "applicants" for c in ("women", "men", "other", "total", "prev_women", "prev_men")},
    derive=_funnel_rates,
    rows=Suppression(total=None, hide=("total", *FUNNEL_HIDE)),
    # A conversion next to a hidden row must not give its count back: every conversion of a row goes
    # where the previous stage's women or men are 1..k-1 (that row is hidden), as it goes with the
    # row's own small counts (the row rule).
    cells=(CellRule(("prev_women", "prev_men"), CONVERSIONS),),
    after=_without_previous,
)


@register(id="recruitment_funnel", protection=FUNNEL_PROTECTION)
def recruitment_funnel(cur, f: Filters) -> pd.DataFrame:
    """Counts per stage and gender, per direct sub-unit and rolled up, for one year.

    conversion_g(stage) = count_g(stage) / count_g(previous stage given), with its 95 % Wilson
    interval; conversion_ratio = conversion_W / conversion_M (the four-fifths rule flags < 0.8,
    [recruitment] min_success_ratio). share_women = W / (W + M). A stage left empty on every row is
    skipped, so conversion runs from the last stage given; a stage given for some rows and not
    others sums what is given. Conversion is hidden where the previous stage's count of women or men
    is 1..k-1 (that row is hidden, and the rate would give its count back), or smaller than this
    stage's (inconsistent data, or on published counts two counts close together).

    Protection (FUNNEL_PROTECTION): each count is perturbed by the cell-key method from the record
    keys of the recruitment rows it sums, with its stage's noise; the roll-up is a cell of its own,
    so the roll-up minus the other sub-units gives a hidden sub-unit's count only up to the noise of
    every cell involved. Shares and conversions come from the published counts.
    """
    scope = recruitment_scope(cur, f)
    counts = sql.gender_sums("sum(n)", key="sum(rkey)", key_plus=measure_offset_sql("stage", STAGES, "applicants"))
    df = sql.execute(
        cur,
        f"""
        WITH scope AS ({scope}),
        long AS (UNPIVOT (SELECT year, sub_unit, gender, rkey, {", ".join(STAGES)} FROM scope)
                 ON {", ".join(STAGES)} INTO NAME stage VALUE n),
        counts AS (
            SELECT year, CASE WHEN grouping(sub_unit) = 1 THEN '{ROLLUP}' ELSE '{PER_UNIT}' END AS level,
                   coalesce(sub_unit, $unit) AS unit, stage,
                   {counts},
                   list_position({list(STAGES)}, stage) AS step
            FROM long
            GROUP BY GROUPING SETS ((year, sub_unit, stage), (year, stage))
        )
        SELECT year, level, unit, stage, women, women__ck, men, men__ck, other, other__ck, total, total__ck,
               lag(women) OVER w AS prev_women, lag(women__ck) OVER w AS prev_women__ck,
               lag(men) OVER w AS prev_men, lag(men__ck) OVER w AS prev_men__ck
        FROM counts
        WINDOW w AS (PARTITION BY level, unit ORDER BY step)
        ORDER BY level = '{PER_UNIT}', unit, step
    """,
        scope,
        counts,
    ).df()
    for c in ("women", "men", "other", "total"):
        df[c] = df[c].fillna(0).astype("int64")
    for c in ("prev_women", "prev_men"):
        df[c] = df[c].astype("Int64")
    return df


PROMOTION_COUNTS = ("applied_women", "applied_men", "applied_other", "granted_women", "granted_men", "granted_other")


def _success(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """success_g = granted_g / applied_g with its Wilson interval (hidden where granted > applied);
    success_ratio = success_W / success_M; women's shares of applications and of promotions. On the
    published (or the exact) counts shown beside them."""
    for g in ("women", "men"):
        _rate(cols, f"granted_{g}", f"applied_{g}", f"success_{g}")
    cols["success_ratio"] = arrays.ratio(cols["success_women"], cols["success_men"])
    for what in ("applied", "granted"):
        women = arrays.values(cols, f"{what}_women")
        cols[f"share_women_{what}"] = arrays.ratio(women, women + arrays.values(cols, f"{what}_men"))
    return cols


# Applications and promotions granted are counts of their own measures; a count of 1..k-1 of any
# gender hides the row, numerators (granted) as much as denominators.
PROMOTION_PROTECTION = Protection(
    counts={c: "promotion_applied" if c.startswith("applied") else "promotion_granted" for c in PROMOTION_COUNTS},
    derive=_success,
    rows=Suppression(
        counts=PROMOTION_COUNTS,
        total=None,
        hide=(
            "success_women",
            "success_women_low",
            "success_women_high",
            "success_men",
            "success_men_low",
            "success_men_high",
            "success_ratio",
            "share_women_applied",
            "share_women_granted",
        ),
    ),
)


@register(id="promotions", protection=PROMOTION_PROTECTION)
def promotions(cur, f: Filters) -> pd.DataFrame:
    """Promotions applied for and granted by gender, per position category and in all, one year.

    success_g = granted_g / applied_g with its 95 % Wilson interval; success_ratio = success_W /
    success_M (flagged below [recruitment] min_success_ratio, the four-fifths rule), from the
    published counts (PROMOTION_PROTECTION: each count perturbed from the record keys of the rows it sums).
    """
    scope = recruitment_scope(cur, f)
    counts = sql.select_list(
        sql.gender_sums("sum(promotion_applied)", key="sum(rkey)", names="applied_{}", total=None, zero=False),
        sql.gender_sums(
            "sum(promotion_granted)",
            key="sum(rkey)",
            within="promotion_granted IS NOT NULL",
            names="granted_{}",
            total=None,
            zero=False,
        ),
    )
    df = sql.execute(
        cur,
        f"""
        WITH scope AS ({scope})
        SELECT year, coalesce(position_category, '{ALL}') AS position,
               {counts}
        FROM scope
        WHERE promotion_applied IS NOT NULL
        GROUP BY GROUPING SETS ((year, position_category), (year))
        ORDER BY position_category IS NULL, position_category
    """,
        scope,
        counts,
    ).df()
    for c in PROMOTION_COUNTS:
        df[c] = df[c].fillna(0).astype("int64")
        df[c + KEY] = df[c + KEY].fillna(0).astype("int64")
    return df
