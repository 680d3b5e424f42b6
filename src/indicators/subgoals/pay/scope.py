"""The people a pay table counts and what every pay table shares: the scope (staff with a salary,
women and men), the sums by gender with what the cell-key method needs beside them, the gaps, and the
protection of a table of women's and men's pay (package docstring: the privacy of pay figures)."""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd

from ... import settings
from ...protect import arrays, privacy
from ...protect.privacy import Protection, Suppression
from ...protect.registry import Filters, scopes
from ...store import sql
from ...store.schema import POSITION_CATEGORIES, WEEKS_PER_YEAR
from ..representation import ALL_POSITIONS, staff_scope

# The measures of pay a table can show (Filters.pay; docs/pay-transparency.md, "Measures of pay"):
# * monthly: the full-time monthly salary of the staff sheet (the Swedish pay survey's usual measure);
# * annual: gross annual pay, every component paid in the year summed (Directive 2023/970 art. 3(1)(a)
#   and (e): basic pay and every complementary or variable component, in cash or in kind), as paid:
#   part-time staff are paid part of a full year's pay;
# * hourly: gross annual pay over the year's hours (`HOURS`), the measure that working time does not move.
MEASURES = ("monthly", "annual", "hourly")
DEFAULT_MEASURE = "monthly"


def full_time_hours() -> float:
    """Contracted hours a week of full time ([pay] full_time_hours_week, 40 in the state sector)."""
    return float(settings.goals()["pay"].get("full_time_hours_week", 40))


# A person's hours in the year: the staff sheet's annual hours, else the contracted hours a week times
# 52 weeks, else, for full-time staff (FTE 1 or none, as everywhere in Balans), full time's hours a week
# times 52. A part-time person without working time has no hourly pay (and is flagged before the
# report is signed: quality.py), never a guessed one.
HOURS = (
    f"coalesce(s.annual_hours, s.weekly_hours * {WEEKS_PER_YEAR}, "
    f"CASE WHEN coalesce(s.fte, 1) >= 1 THEN $full_time_hours * {WEEKS_PER_YEAR} END)"
)

# Each person's pay in each measure: `pay` (the table's measure), `basic_pay` and `complementary_pay`
# (basic pay, and every component but basic, in the same measure: art. 9(1)(g) shows them apart).
# The monthly salary has no components: its basic pay is itself and its complementary pay none.
MEASURE_SQL = {
    "monthly": ("s.monthly_salary", "s.monthly_salary", "NULL::DOUBLE"),
    "annual": ("c.gross", "coalesce(c.basic, 0)", "coalesce(c.complementary, 0)"),
    "hourly": (f"c.gross / {HOURS}", f"coalesce(c.basic, 0) / {HOURS}", f"coalesce(c.complementary, 0) / {HOURS}"),
}

# A person's components in a year, summed (store table pay_components, one row per component).
PERSON_COMPONENTS = """
    SELECT year, person_key, sum(amount) AS gross,
           sum(amount) FILTER (WHERE component = 'basic') AS basic,
           sum(amount) FILTER (WHERE component <> 'basic') AS complementary
    FROM pay_components
    GROUP BY year, person_key"""


def measure_key_offset(measure: str) -> int:
    """What a measure adds to a group's magnitude key (0 for the monthly salary, as before issue 21):
    the same people's annual and hourly pay are other magnitudes than their monthly salary, and get
    multipliers of their own (privacy.magnitude_multipliers), so that no two measures move together."""
    if measure == DEFAULT_MEASURE:
        return 0
    return int.from_bytes(hashlib.sha256(f"balans-pay-measure|{measure}".encode()).digest()[:4], "big")


def pay_scope(cur, f: Filters, *, trend: bool = False) -> sql.Fragment:
    """Staff in scope with pay in the filters' measure (f.pay, `MEASURES`), women and men only (see the
    package docstring): of the snapshot's year, or for a trend of f.year_from..f.year_to (a missing end
    open), for each unit of registry.scopes(f) (the `scope` column); of one position or all
    (privacy.one_position_or_all: several chosen positions give all, unless the figures are exact).

    Beside every staff column: `pay`, `basic_pay` and `complementary_pay` in the measure, `hours` (the
    year's hours, `HOURS`), and `mkey` moved by the measure's offset (`measure_key_offset`). The monthly
    salary reads the staff rows alone; the other measures join each person's components of the year."""
    measure = f.pay if f.pay in MEASURES else DEFAULT_MEASURE
    f = f.with_(positions=privacy.one_position_or_all(f.positions, f.exact))
    rows = staff_scope(cur, f, "staff", trend=trend, units=scopes(f))
    pay, basic, complementary = MEASURE_SQL[measure]
    joined = "" if measure == DEFAULT_MEASURE else f"LEFT JOIN ({PERSON_COMPONENTS}) c USING (year, person_key)"
    return sql.statement(
        f"""
        SELECT * FROM (
            SELECT s.* REPLACE (s.mkey + {measure_key_offset(measure)} AS mkey),
                   {pay} AS pay, {basic} AS basic_pay, {complementary} AS complementary_pay, {HOURS} AS hours
            FROM ({rows}) s {joined})
        WHERE pay > 0 AND gender IN ('woman', 'man')""",
        rows,
        full_time_hours=full_time_hours(),
    )


def measured(df: pd.DataFrame, f: Filters, after: str = "year") -> pd.DataFrame:
    """The table with the measure it shows as a column `pay_measure` (after `after`): every pay table says
    which measure of pay its figures are in."""
    measure = f.pay if f.pay in MEASURES else DEFAULT_MEASURE
    df = df.drop(columns="pay_measure", errors="ignore")
    df.insert(df.columns.get_loc(after) + 1 if after in df else 0, "pay_measure", measure)
    return df


# Counts, salary sums, means and medians per gender; median() is the interpolated median
# (quantile_cont 0.5). Each count has the sum of its people's record keys (`__ck`) and each salary sum
# its largest salary (`__max`): what the cell-key method needs (privacy.py). The sums are not shown;
# they carry the noise that moves the means and medians (PAY_PROTECTION).
TWO = ("women", "men")
GENDER_PAY = sql.select_list(
    sql.gender_sums("count(*)", key="sum(rkey)", mkey="sum(mkey)", genders=TWO, total=None, zero=False),
    sql.gender_sums(
        "sum(pay)",
        largest="max(pay)",
        second=sql.second_largest("pay"),
        names="salary_{}",
        genders=TWO,
        total=None,
        zero=False,
    ),
    sql.gender_sums("avg(pay)", names="mean_{}", genders=TWO, total=None, zero=False),
    sql.gender_sums("median(pay)", names="median_{}", genders=TWO, total=None, zero=False),
)
# The salary sums (magnitudes): perturbed, then dropped by `derive` (a sum beside its mean would give
# back the true count n = S' / mean').
SUMS = ("salary_women", "salary_men")

SALARY_COLUMNS = ("mean_women", "mean_men", "median_women", "median_men")
GAP_COLUMNS = ("mean_gap_pct", "median_gap_pct", "women_pct_of_men_mean", "women_pct_of_men_median")
PAY_FIGURES = SALARY_COLUMNS + GAP_COLUMNS


def snapshot(cur, f: Filters) -> Filters:
    """The filters with the snapshot's year filled in (the chosen one, else the latest with data)."""
    return f.with_(year=sql.year_or_latest(cur, f.year))


def gap_columns(cols: arrays.Columns) -> arrays.Columns:
    """Gap = (men - women) / men x 100 (UK SI 2017/172 reg. 8-9, Eurostat's unadjusted GPG), mean and
    median; women's pay as a percentage of men's (Medlingsinstitutet), added to the columns. NaN where
    men's figure is missing."""
    for stat in ("mean", "median"):
        w, m = arrays.values(cols, f"{stat}_women"), arrays.values(cols, f"{stat}_men")
        m = np.where(m > 0, m, np.nan)
        cols[f"{stat}_gap_pct"] = (m - w) / m * 100
        cols[f"women_pct_of_men_{stat}"] = w / m * 100
    return cols


def gap_table(cols: arrays.Columns, drop: tuple[str, ...] = SUMS) -> arrays.Columns:
    """The columns without the salary sums (and any other of `drop`), with the gaps."""
    return gap_columns({name: a for name, a in cols.items() if name not in drop})


def gaps_derive(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """derive for the pay tables: the gaps from the published (or exact) means and medians."""
    return gap_table(cols)


# Each gender's salary sum sums the salaries of the people its count counts; the mean moves with the
# sum (mean' = S'/n), the median by a noise of its own (privacy.perturb_statistic).
SALARY_SUMS = {"salary_women": "women", "salary_men": "men"}
SALARY_STATISTICS = {
    "mean_women": ("salary_women", privacy.SUM),
    "median_women": ("salary_women", "median"),
    "mean_men": ("salary_men", privacy.SUM),
    "median_men": ("salary_men", "median"),
}


def pay_protection(
    derive=gaps_derive, hide: tuple[str, ...] = PAY_FIGURES, group: privacy.Group | None = None
) -> Protection:
    """Counts of women and men (the measure "people"), their salary sums (magnitudes), the means moved
    with the sums (mean' = S'/n) and the medians by a noise of their own, figures from `derive`; a row
    needs k women and k men (zero is as small as one: no comparison, and one gender's pay alone).
    `group`: what narrows a row besides the unit and the filters (privacy.Group)."""
    return Protection(
        counts={"women": "people", "men": "people"},
        magnitudes=SALARY_SUMS,
        statistics=SALARY_STATISTICS,
        derive=derive,
        rows=Suppression(counts=("women", "men"), total=None, hide=hide, every_gender=True),
        group=group or privacy.Group(),
    )


PAY_PROTECTION = pay_protection()


def in_order(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    rank = {p: i for i, p in enumerate((*POSITION_CATEGORIES, ALL_POSITIONS))}
    return df.sort_values(by, key=lambda s: s.map(rank) if s.name == "position" else s).reset_index(drop=True)


def level_label(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "not given"
    return str(int(v)) if float(v).is_integer() else str(v)


def measured_columns(cols: arrays.Columns, f: Filters, after: str = "year") -> arrays.Columns:
    """`measured` on column arrays (arrays.py): a pandas insert costs 1-3 ms on a table of a few rows."""
    measure = f.pay if f.pay in MEASURES else DEFAULT_MEASURE
    cols = {name: a for name, a in cols.items() if name != "pay_measure"}
    at = list(cols).index(after) + 1 if after in cols else 0
    named = pd.array(np.array([measure] * arrays.length(cols), dtype=object), dtype="str")
    return arrays.inserted(cols, at, "pay_measure", named)


def order_of(cols: arrays.Columns, by: list[str]) -> np.ndarray:
    """`in_order`'s row order on column arrays: by each column of `by` in turn, positions in the order
    of POSITION_CATEGORIES (any other last), stable as pandas' sort on several columns."""
    rank = {p: i for i, p in enumerate((*POSITION_CATEGORIES, ALL_POSITIONS))}
    keys = [
        np.array([rank.get(p, len(rank)) for p in cols[name]]) if name == "position" else arrays.values(cols, name)
        for name in by
    ]
    return np.lexsort(keys[::-1])
