"""The people a pay table counts and what every pay table shares: the scope (staff with a salary,
women and men), the sums by gender with what the cell-key method needs beside them, the gaps, and the
protection of a table of women's and men's pay (package docstring: the privacy of pay figures)."""

from __future__ import annotations

import math

import pandas as pd

from ...protect import privacy
from ...store import sql
from ...protect.privacy import Protection, Suppression
from ...protect.registry import Filters, scopes
from ..representation import ALL_POSITIONS, staff_scope
from ...store.schema import POSITION_CATEGORIES

def pay_scope(cur, f: Filters, *, trend: bool = False) -> sql.Fragment:
    """Staff in scope with a salary, women and men only (see the module docstring): of the snapshot's
    year, or for a trend of f.year_from..f.year_to (a missing end open), for each unit of
    registry.scopes(f) (the `scope` column); of one position or all (privacy.one_position_or_all:
    several chosen positions give all, unless the figures are exact)."""
    f = f.with_(positions=privacy.one_position_or_all(f.positions, f.exact))
    rows = staff_scope(cur, f, "staff", trend=trend, units=scopes(f))
    return sql.statement(f"SELECT * FROM ({rows}) WHERE monthly_salary > 0 AND gender IN ('woman', 'man')", rows)


# Counts, salary sums, means and medians per gender; median() is the interpolated median
# (quantile_cont 0.5). Each count has the sum of its people's record keys (`__ck`) and each salary sum
# its largest salary (`__max`): what the cell-key method needs (privacy.py). The sums are not shown;
# they carry the noise that moves the means and medians (PAY_PROTECTION).
TWO = ("women", "men")
GENDER_PAY = sql.select_list(
    sql.gender_sums("count(*)", key="sum(rkey)", mkey="sum(mkey)", genders=TWO, total=None, zero=False),
    sql.gender_sums("sum(monthly_salary)", largest="max(monthly_salary)",
                    second=sql.second_largest("monthly_salary"), names="salary_{}", genders=TWO,
                    total=None, zero=False),
    sql.gender_sums("avg(monthly_salary)", names="mean_{}", genders=TWO, total=None, zero=False),
    sql.gender_sums("median(monthly_salary)", names="median_{}", genders=TWO, total=None, zero=False))
# The salary sums (magnitudes): perturbed, then dropped by `derive` (a sum beside its mean would give
# back the true count n = S' / mean').
SUMS = ("salary_women", "salary_men")

SALARY_COLUMNS = ("mean_women", "mean_men", "median_women", "median_men")
GAP_COLUMNS = ("mean_gap_pct", "median_gap_pct", "women_pct_of_men_mean", "women_pct_of_men_median")
PAY_FIGURES = SALARY_COLUMNS + GAP_COLUMNS


def snapshot(cur, f: Filters) -> Filters:
    """The filters with the snapshot's year filled in (the chosen one, else the latest with data)."""
    return f.with_(year=sql.year_or_latest(cur, f.year))


def add_gaps(df: pd.DataFrame) -> pd.DataFrame:
    """Gap = (men - women) / men x 100 (UK SI 2017/172 reg. 8-9, Eurostat's unadjusted GPG), mean and
    median; women's pay as a percentage of men's (Medlingsinstitutet). NaN where men's figure is missing."""
    for stat in ("mean", "median"):
        w, m = df[f"{stat}_women"].astype(float), df[f"{stat}_men"].astype(float)
        m = m.where(m > 0)
        df[f"{stat}_gap_pct"] = (m - w) / m * 100
        df[f"women_pct_of_men_{stat}"] = w / m * 100
    return df


def gaps_derive(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """derive for the pay tables: the gaps from the published (or exact) means and medians."""
    return add_gaps(df.drop(columns=[c for c in SUMS if c in df]))


# Each gender's salary sum sums the salaries of the people its count counts; the mean moves with the
# sum (mean' = S'/n), the median by a noise of its own (privacy.perturb_statistic).
SALARY_SUMS = {"salary_women": "women", "salary_men": "men"}
SALARY_STATISTICS = {"mean_women": ("salary_women", privacy.SUM), "median_women": ("salary_women", "median"),
                     "mean_men": ("salary_men", privacy.SUM), "median_men": ("salary_men", "median")}


def pay_protection(derive=gaps_derive, hide: tuple[str, ...] = PAY_FIGURES) -> Protection:
    """Counts of women and men (the measure "people"), their salary sums (magnitudes), the means moved
    with the sums (mean' = S'/n) and the medians by a noise of their own, figures from `derive`; a row
    needs k women and k men (zero is as small as one: no comparison, and one gender's pay alone)."""
    return Protection(
        counts={"women": "people", "men": "people"},
        magnitudes=SALARY_SUMS,
        statistics=SALARY_STATISTICS,
        derive=derive, one_position_or_all=True,
        rows=Suppression(counts=("women", "men"), total=None, hide=hide, every_gender=True))


PAY_PROTECTION = pay_protection()


def in_order(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    rank = {p: i for i, p in enumerate((*POSITION_CATEGORIES, ALL_POSITIONS))}
    return df.sort_values(by, key=lambda s: s.map(rank) if s.name == "position" else s).reset_index(drop=True)


def level_label(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "not given"
    return str(int(v)) if float(v).is_integer() else str(v)
