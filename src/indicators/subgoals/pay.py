"""Pay (sub-goal 2, economic equality): what the yearly pay survey ("lönekartläggning") must examine.

Diskrimineringslagen (2008:567) ch. 3 §§ 8-10 asks every employer, each year, to survey pay for
equal work and for work of equal value; the EU Pay Transparency Directive (2023/970) adds a report
of the gap by category of worker. Indicators here:

* `pay_gap`, `pay_gap_trend`: the unadjusted gap, mean and median, for a unit and year (or years);
* `equal_work`: the same figures per unit x position and per position across the chosen unit;
* `equal_value`, `equal_value_pairs`: groups by position and job_level, and each women-dominated
  group paid less than a group that is not women-dominated with an equal or lower job_level;
* `pay_quartiles`: the share of women in each pay quartile (UK SI 2017/172 reg. 13);
* `pay_transparency`: the directive's art. 9 set (present/art9.py writes it as the report's workbook);
* `adjusted_gap`: an OLS of log salary on gender and covariates (statsmodels);
* `salary_distribution`: percentiles by gender per position, for a box plot.

Salary: `monthly_salary` is the full-time monthly salary in SEK (docs/data-formats.md, "Data formats", the
staff sheet). Balans assumes it is already full-time: it is never divided by FTE and nothing is weighted by FTE. A file
that gives actual (part-time) pay must be converted before import.

Two genders: pay figures compare women and men; people recorded with another or unknown gender, and
people without a salary, are outside every pay table (a group of one or two would expose them).

Privacy (privacy.py, the cell-key method): every table here is a *base* table that
`registry.compute` publishes. Counts of women and men with a salary carry the sums of their record
keys (`women__ck`) and magnitude keys (`women__mk`), and are perturbed by the p-table (at most ±2, the
measure "people", so the same women get the same published count on every page); each group's salary
sum is a magnitude perturbed by the ABS's top-contributor noise m·(u1·x1 + u2·x2/2) of its two largest
salaries (`__max`, `__max2`; m = magnitude_noise, 0.5 in goals.toml: a quarter to three quarters of
the top salary), u1 and u2 from the group's magnitude key. Its mean is S'/n; its median and the other
location statistics (percentiles, the geometric means behind the adjusted gap) each move by a noise of
their own of that size over n (`SALARY_STATISTICS`), so no ratio of two of them is exact. Every salary
figure is then published in whole hundreds of kronor and every gap to 0.1 percentage point (the
columns' declared precision). Gaps, women's pay as a percentage of men's and the flags are computed
afterwards from the published, rounded means and medians (`derive`), so they agree with the figures
beside them. A pay figure is shown only where at least k women and k men have a salary
(`every_gender`, on the true and on the published counts); groups counted by head (equal_value, the
quartile bands) follow the head-count rule. No table shows a minimum, maximum or quartile boundary,
and percentiles never touch the lowest or highest salary of a group (see `salary_distribution`).
Every table here is for one position or for all (`pay_scope`, privacy.one_position_or_all): several
chosen positions give all.

What now holds: a hidden group's figures cannot be worked out exactly by differencing, neither
within a table nor between queries (a sub-unit against its parent, all positions against one,
pay_transparency against equal_value): two overlapping groups carry a different noise each, from
magnitude keys that the count noise does not reveal, so the difference of two published sums is the
hidden salaries plus the difference of two noises of a quarter to three quarters of a top salary;
the rounding leaves no digit of a true count. Complementary suppression (hiding further groups so
that hidden ones cannot be solved for) is therefore gone: it protected one table's margins, and the
free filters make margins no single table knows of. What holds only in part: one difference can land
near the truth by chance (the two noises about equal), and the few differences that remain (one per
unit, employment type and year) can be averaged; the noise is bounded, not a guarantee. Those allowed
exact figures (`Filters.exact`, HR's pay survey and the art. 9 report) get the true figures with
nothing hidden.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from .. import settings
from ..protect import arrays, privacy
from ..store import cells, sql
from ..protect.privacy import CellRule, Protection, Suppression
from ..protect.registry import REGISTRY, Filters, register, scopes, unscoped
from .representation import ALL_POSITIONS, cell_scope, staff_scope
from ..store.schema import POSITION_CATEGORIES


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


def _snapshot(cur, f: Filters) -> Filters:
    """The filters with the snapshot's year filled in (the chosen one, else the latest with data)."""
    return f.with_(year=sql.year_or_latest(cur, f.year))


def add_gaps(df: pd.DataFrame) -> pd.DataFrame:
    """Gap = (men - women) / men x 100 (UK SI 2017/172 reg. 8-9, Eurostat's unadjusted GPG), mean and
    median; women's pay as a percentage of men's (Medlingsinstitutet). NaN where men's figure is missing."""
    return arrays.frame(gap_columns(arrays.columns_of(df)), df.index)


def gap_columns(cols: arrays.Columns) -> arrays.Columns:
    """`add_gaps` on columns."""
    for stat in ("mean", "median"):
        w, m = arrays.values(cols, f"{stat}_women"), arrays.values(cols, f"{stat}_men")
        m = np.where(m > 0, m, np.nan)
        cols[f"{stat}_gap_pct"] = (m - w) / m * 100
        cols[f"women_pct_of_men_{stat}"] = w / m * 100
    return cols


def _gap_table(df: pd.DataFrame) -> arrays.Columns:
    """The columns without the salary sums, with the gaps."""
    return gap_columns({name: a for name, a in arrays.columns_of(df).items() if name not in SUMS})


def _gaps(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """derive for the pay tables: the gaps from the published (or exact) means and medians."""
    return arrays.frame(_gap_table(df), df.index)


# Each gender's salary sum sums the salaries of the people its count counts; the mean moves with the
# sum (mean' = S'/n), the median by a noise of its own (privacy.perturb_statistic).
SALARY_SUMS = {"salary_women": "women", "salary_men": "men"}
SALARY_STATISTICS = {"mean_women": ("salary_women", privacy.SUM), "median_women": ("salary_women", "median"),
                     "mean_men": ("salary_men", privacy.SUM), "median_men": ("salary_men", "median")}


def _pay_protection(derive=_gaps, hide: tuple[str, ...] = PAY_FIGURES) -> Protection:
    """Counts of women and men (the measure "people"), their salary sums (magnitudes), the means moved
    with the sums (mean' = S'/n) and the medians by a noise of their own, figures from `derive`; a row
    needs k women and k men (zero is as small as one: no comparison, and one gender's pay alone)."""
    return Protection(
        counts={"women": "people", "men": "people"},
        magnitudes=SALARY_SUMS,
        statistics=SALARY_STATISTICS,
        derive=derive, one_position_or_all=True,
        rows=Suppression(counts=("women", "men"), total=None, hide=hide, every_gender=True))


PAY_PROTECTION = _pay_protection()


def _order(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    rank = {p: i for i, p in enumerate((*POSITION_CATEGORIES, ALL_POSITIONS))}
    return df.sort_values(by, key=lambda s: s.map(rank) if s.name == "position" else s).reset_index(drop=True)


# --- the unadjusted gap ------------------------------------------------------------------------------

@register(id="pay_gap", protection=PAY_PROTECTION, scoped=True)
def pay_gap(cur, f: Filters) -> pd.DataFrame:
    """One row: the unadjusted gap for the unit and year.

    gap = (M - W) / M x 100 on the means and on the medians; W / M x 100 the Swedish form.
    Check (docs/design.md, "Pay gap"): men 11, 20, 30, 39; women 10, 12, 21, 29 -> mean gap 28.0 %, median 34.0 %
    (exact figures; published ones move with the perturbed salary sums, module docstring).
    """
    # pay_gap_trend's query over the one year: the same figures, written once.
    year = sql.year_or_latest(cur, f.year)
    return pay_gap_trend(cur, f.with_(year_from=year, year_to=year))


@register(id="pay_gap_trend", protection=PAY_PROTECTION, scoped=True)
def pay_gap_trend(cur, f: Filters) -> pd.DataFrame:
    """`pay_gap` for each year from f.year_from to f.year_to (every year with data when unset)."""
    scope = pay_scope(cur, f, trend=True)
    df = sql.execute(cur, f"""
        WITH scope AS ({scope})
        SELECT scope, year::INTEGER AS year, scope AS unit, {GENDER_PAY}
        FROM scope
        GROUP BY scope, year
        ORDER BY scope, year
    """, scope, GENDER_PAY).df()
    return unscoped(df, f)


# --- equal work --------------------------------------------------------------------------------------

def _equal_work_flag(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """derive for equal_work: the gaps, and the flag median_women < tolerance x median_men."""
    cols = _gap_table(df)
    tolerance = float(settings.goals()["pay"]["equal_work_tolerance"])
    cols["flag"] = arrays.flags(arrays.values(cols, "median_women") < tolerance * arrays.values(cols, "median_men"))
    return arrays.frame(cols, df.index)


EQUAL_WORK_PROTECTION = _pay_protection(_equal_work_flag, PAY_FIGURES + ("flag",))


@register(id="equal_work", protection=EQUAL_WORK_PROTECTION)
def equal_work(cur, f: Filters) -> pd.DataFrame:
    """Pay by gender per (unit, position) where staff sit, and per position across the chosen unit.

    flag = median_women < equal_work_tolerance x median_men (goals.toml, default 0.95), from the
    published medians (`_equal_work_flag`).
    """
    scope = pay_scope(cur, f)
    df = sql.execute(cur, f"""
        WITH scope AS ({scope})
        SELECT year::INTEGER AS year,
               CASE WHEN grouping(unit) = 1 THEN 'all' ELSE 'unit' END AS level,
               coalesce(unit, $unit) AS unit,
               position_category AS position,
               {GENDER_PAY}
        FROM scope
        GROUP BY GROUPING SETS ((year, unit, position_category), (year, position_category))
    """, scope, GENDER_PAY, unit=f.unit).df()
    return _order(df, ["level", "position", "unit"])


# --- work of equal value ------------------------------------------------------------------------------

def _equal_value_shares(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """derive for equal_value: share_women = W / (W + M) from the published counts, and
    women_dominated = share_women >= [pay] women_dominated (goals.toml)."""
    cols = arrays.columns_of(df)
    del cols["salary_total"]
    women = arrays.values(cols, "women")
    cols["share_women"] = share = arrays.ratio(women, women + arrays.values(cols, "men"))
    cols["women_dominated"] = arrays.flags(share >= float(settings.goals()["pay"]["women_dominated"]))
    return arrays.frame(cols, df.index)


# The head-count rule (the group's mean is over women and men together, see equal_value): hidden with
# 1 to k-1 of a gender or in all. `total` is one of the counts rather than the rule's total, since it
# is perturbed on its own: total' - women' - men' can be 1 or 2 without anyone outside the two.
EQUAL_VALUE_PROTECTION = Protection(
    counts={"women": "people", "men": "people", "total": "people"},
    magnitudes={"salary_total": "total"},
    statistics={"mean_salary": ("salary_total", privacy.SUM)},
    derive=_equal_value_shares, one_position_or_all=True,
    rows=Suppression(counts=("women", "men", "total"), total=None,
                     hide=("share_women", "mean_salary", "women_dominated")))


# equal_value's sums over pay_cells (store/cells.py): the same names and types as its query's.
VALUE_SUMS = (cells.Sum("people", key="rkey_sum", mkey="mkey_sum", whole=True, genders=TWO),
              cells.Sum("salary_sum", names="salary_total", largest="salary_max", second="salary_max2",
                        genders=(), total="all"))


def _equal_value_cells(held: cells.Cells, f: Filters) -> pd.DataFrame:
    """`equal_value` from the pay cells in memory (people with a salary, women and men)."""
    f = f.with_(positions=privacy.one_position_or_all(f.positions, f.exact))
    scope = cell_scope(held, f)
    pay = held.pay
    picked = cells.rows(pay, held.pay_below, scope, f.unit)
    picked = picked[pay.columns["job_level"][picked] >= 0]  # WHERE job_level IS NOT NULL
    sums = cells.grouped(pay, picked, ["year", "position_category", "job_level"], VALUE_SUMS)
    cols = {"year": sums["year"].astype(np.int32),
            "position": cells.text(cells.labels(pay, "position_category", sums["position_category"])),
            "job_level": cells.labels(pay, "job_level", sums["job_level"]).astype(float)}
    cols.update((name, a) for name, a in sums.items() if name not in ("year", "position_category", "job_level"))
    with np.errstate(divide="ignore", invalid="ignore"):
        cols["mean_salary"] = cols["salary_total"] / cols["total"]
    return _order(arrays.frame(cols), ["job_level", "position"])


@register(id="equal_value", protection=EQUAL_VALUE_PROTECTION, cells=_equal_value_cells)
def equal_value(cur, f: Filters) -> pd.DataFrame:
    """Groups = position category x job_level.

    Why not job_level alone (the first design's wording; docs/design.md, "Work of equal value"):
    Diskrimineringslagen ch. 3 § 10 compares a
    women-dominated *group of equal work* with groups whose work is of equal value (the same
    job_level) or of lower value but better paid. A group of work is a kind of job (the position
    category); its value is its job level. A job_level alone would mix, say, administrators and
    lecturers at one level into a single group, and a women-dominated kind of work inside it would
    disappear in the average. So a group is one position at one level, and the pairs compare groups
    across positions and levels.

    The group's mean is over women and men together, not by gender, so a group of only women (the
    typical women-dominated group) is shown: here the head-count rule applies (hidden with 1 to
    k-1 of a gender, or fewer than k in all). The mean is the group's salary sum, perturbed, over its
    true size (EQUAL_VALUE_PROTECTION); shares and the flag come from the published counts.
    """
    scope = pay_scope(cur, f)
    counts = sql.gender_sums("count(*)", key="sum(rkey)", mkey="sum(mkey)", genders=TWO, zero=False)
    df = sql.execute(cur, f"""
        WITH scope AS ({scope})
        SELECT year::INTEGER AS year, position_category AS position, job_level,
               {counts},
               sum(monthly_salary)                                            AS salary_total,
               max(monthly_salary)                                            AS salary_total__max,
               max(monthly_salary, 2)[2]                                      AS salary_total__max2,
               avg(monthly_salary)                                            AS mean_salary
        FROM scope
        WHERE job_level IS NOT NULL
        GROUP BY year, position_category, job_level
    """, scope, counts).df()
    return _order(df, ["job_level", "position"])


@register(id="equal_value_pairs", protection=Protection(inherited=True, rows=None, one_position_or_all=True))
def equal_value_pairs(cur, f: Filters) -> pd.DataFrame:
    """Pairs (a, b): a women-dominated, b not, job_level_b <= job_level_a, mean_b > mean_a.

    Built from the `equal_value` groups as they are published (privacy.publish: perturbed and
    suppressed, or exact for those allowed it), so no pair rests on a hidden group and every figure
    of a pair is the figure its group shows in equal_value.
    """
    groups = privacy.publish(equal_value(cur, f), REGISTRY["equal_value"].protection, f, f.exact)
    shown = groups[~groups["suppressed"]].drop(columns=["suppressed", "total"])
    keep = ["year", "position", "job_level", "women", "men", "share_women", "mean_salary"]
    a = shown[shown["women_dominated"].astype(bool)][keep]
    b = shown[~shown["women_dominated"].astype(bool)][keep]
    pairs = a.merge(b, on="year", suffixes=("_a", "_b"))
    pairs = pairs[(pairs["job_level_b"] <= pairs["job_level_a"]) & (pairs["mean_salary_b"] > pairs["mean_salary_a"])]
    pairs = pairs.assign(difference=pairs["mean_salary_b"] - pairs["mean_salary_a"])
    pairs["difference_pct"] = pairs["difference"] / pairs["mean_salary_b"] * 100
    columns = ["year"] + [f"{c}_{s}" for s in "ab" for c in keep[1:]] + ["difference", "difference_pct"]
    return pairs[columns].sort_values(["difference"], ascending=False).reset_index(drop=True)


# --- pay quartiles --------------------------------------------------------------------------------------

# Everyone in scope ranked by salary and cut into four bands of whole persons (ntile: sizes differ by
# at least one, the lower bands taking the extra persons), with the scope's women and men beside each
# band for the unit-wide rule. Ties: within one salary the i-th of its w women is placed at
# (i - 1/2) / w and the j-th of its m men at (j - 1/2) / m, so that any run of them, and so any
# band boundary cutting through them, holds women and men in their proportion w : m as nearly as
# whole persons allow (reg. 13(2)); the pseudonym then orders persons deterministically.
# `{scope}` is pay_scope's relation (`_quartiles` fills it in and passes its parameters).
QUARTILE_BANDS = """
    WITH scope AS ({scope}),
    placed AS (
        SELECT gender, rkey, monthly_salary, person_key,
               (row_number() OVER (PARTITION BY monthly_salary, gender ORDER BY person_key) - 0.5)
                   / count(*) OVER (PARTITION BY monthly_salary, gender) AS place
        FROM scope
    ),
    ranked AS (
        SELECT gender, rkey, ntile(4) OVER (ORDER BY monthly_salary, place, person_key, gender) AS quartile
        FROM placed
    ),
    everyone AS (
        SELECT count(*) FILTER (WHERE gender = 'woman') AS scope_women,
               count(*) FILTER (WHERE gender = 'man')   AS scope_men
        FROM scope
    )
    SELECT q.quartile::INTEGER AS quartile,
           count(r.rkey) FILTER (WHERE r.gender = 'woman')                       AS women,
           coalesce(sum(r.rkey) FILTER (WHERE r.gender = 'woman'), 0)::BIGINT     AS women__ck,
           count(r.rkey) FILTER (WHERE r.gender = 'man')                         AS men,
           coalesce(sum(r.rkey) FILTER (WHERE r.gender = 'man'), 0)::BIGINT       AS men__ck,
           count(r.rkey)                                                          AS total,
           coalesce(sum(r.rkey), 0)::BIGINT                                       AS total__ck,
           any_value(e.scope_women) AS scope_women, any_value(e.scope_men) AS scope_men
    FROM range(1, 5) q(quartile) CROSS JOIN everyone e
    LEFT JOIN ranked r ON r.quartile = q.quartile
    WHERE e.scope_women + e.scope_men > 0
    GROUP BY q.quartile
    ORDER BY q.quartile
"""
# The counts the bands' rule looks at. A band is hidden with 1 to k-1 women or men in it (numerators
# count too: "2 of the best-paid quarter are women" rests on 2 persons) or fewer than k persons, and
# every band is hidden where the unit has 1 to k-1 women or men (else the bands shown around the
# hidden ones would place those few). No women at all is the finding, not a disclosure: shown.
# scope_women / scope_men are not shown (pay_gap shows those counts).
BAND_COUNTS = ("women", "men", "total", "scope_women", "scope_men")
BAND_COUNT_MEASURES = {"women": "people", "men": "people", "total": "people"}


def _band_shares(df: pd.DataFrame) -> pd.DataFrame:
    """share_women = W / (W + M) of a band, from the published (or exact) counts."""
    cols = {name: a for name, a in arrays.columns_of(df).items() if name not in ("scope_women", "scope_men")}
    women = arrays.values(cols, "women")
    cols["share_women"] = arrays.ratio(women, women + arrays.values(cols, "men"))
    return arrays.frame(cols, df.index)


def _quartiles(cur, f: Filters) -> pd.DataFrame:
    """The four bands (base table: counts with their key sums), none where no one has a salary."""
    scope = pay_scope(cur, f)
    return sql.execute(cur, QUARTILE_BANDS.format(scope=scope), scope).df()


@register(id="pay_quartiles", protection=Protection(
        counts=BAND_COUNT_MEASURES, derive=lambda df, f: _band_shares(df), one_position_or_all=True,
        rows=Suppression(counts=BAND_COUNTS, total=None, hide=("share_women",))))
def pay_quartiles(cur, f: Filters) -> pd.DataFrame:
    """Share of women per quartile band, UK SI 2017/172 reg. 13: rank, cut into four bands of whole
    persons ("so far as possible" equal: ntile), ties at a boundary shared as reg. 13(2) asks
    (QUARTILE_BANDS).

    Check (docs/design.md, "Pay quartiles"): men 11, 20, 30, 39; women 10, 12, 21, 29 rank 10 W, 11 M | 12 W, 20 M |
    21 W, 29 W | 30 M, 39 M: two whole persons per band -> 50, 50, 100, 0 % (no tie, n = 8: the
    whole-person bands are the same as the fractional ones were).
    """
    f = _snapshot(cur, f)
    bands = _quartiles(cur, f)
    bands.insert(0, "year", f.year)
    return bands


# --- EU Pay Transparency Directive, art. 9 ---------------------------------------------------------------

VARIABLE_PAY_NOTE = "not given: the staff sheet has no variable-pay column"
PARTS = ("overall", "variable_pay", "quartile", "position", "job_level")


def _level_label(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "not given"
    return str(int(v)) if float(v).is_integer() else str(v)


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
    cols = _gap_table(df)
    threshold = float(settings.goals()["pay"]["pay_transparency_threshold"]) * 100
    part = np.asarray(cols["part"], dtype=object)
    categories = (part == "position") | (part == "job_level")
    cols["flag"] = arrays.flags(np.abs(arrays.values(cols, "mean_gap_pct")) >= threshold, ~categories)
    women = arrays.values(cols, "women")
    two = women + arrays.values(cols, "men")
    cols["share_women"] = np.where(part == "quartile", arrays.ratio(women, two), np.nan)
    return arrays.frame({name: cols[name] for name in TRANSPARENCY_COLUMNS}, df.index)


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
    f = _snapshot(cur, f)
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
    gaps["category"] = [p if part == "position" else _level_label(lv) if part == "job_level" else "all"
                        for part, p, lv in zip(gaps["part"], gaps["position_category"], gaps["job_level"])]
    gaps = gaps.drop(columns=["position_category", "job_level"])
    bands = _quartiles(cur, f)
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


# --- the adjusted gap ------------------------------------------------------------------------------------

AGE_BANDS = ([-np.inf, 30, 40, 50, 60, np.inf], ["<30", "30-39", "40-49", "50-59", "60+"])


# Rank deficiency is expected in the adjusted gap's design (see _ols_woman) and checked for `woman`
# itself: not worth a warning. A filter for that one message rather than catch_warnings() around the
# fit, which changes the process's filters and is not safe while other pages compute in threads.
warnings.filterwarnings("ignore", message="The design matrix is rank-deficient")  # statsmodels


def _ols_woman(people: pd.DataFrame, covariates: list[str]) -> tuple[float, float, float] | None:
    """The `woman` coefficient of log_salary ~ woman + C(covariate)... and its 95 % interval, or None
    when it is not identified or no degree of freedom is left.

    Classical OLS with fixed effects (treatment coding) for each covariate. Every regressor is a
    category, so people with the same woman × covariates are one cell with one row of the design
    matrix, and the least-squares fit is statsmodels' WLS on the cell means weighted by the cells'
    sizes: the same coefficients, since X'X = Σ n_c x_c x_c' and X'y = Σ n_c x_c ȳ_c are the same
    sums either way. The residual sum of squares adds back what the means leave out,
    the spread within each cell, so sigma^2 = (within + weighted between) / (n - rank X), and the
    interval is b ± t(0.975, n - rank X) · sqrt(sigma^2 · (X'X)^+[woman]), the classical OLS one.
    At a whole university this is a few thousand cells instead of a 100 000-row matrix (50 MB,
    copied three times by the fit). Units and positions can be collinear (an office holds only
    non-academic staff); the pseudo-inverse copes, and `woman` is reported only when identified.
    """
    # here, not at the top: SciPy and statsmodels take over two seconds to import, for this one indicator
    from scipy.stats import t as student_t
    from statsmodels.regression.linear_model import WLS  # (the same)

    codes = [pd.factorize(people[c].astype(str), sort=True) for c in covariates]
    key = people["woman"].to_numpy(dtype=np.int64)
    for code, levels in codes:
        key = key * len(levels) + code
    _, first, inverse, size = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
    y = people["log_salary"].to_numpy(dtype=float)
    mean = np.bincount(inverse, weights=y) / size
    within = float(((y - mean[inverse]) ** 2).sum())
    x = np.zeros((len(first), 2 + sum(len(levels) - 1 for _, levels in codes)))
    x[:, 0] = 1.0
    x[:, 1] = people["woman"].to_numpy(dtype=float)[first]
    start, rows = 2, np.arange(len(first))
    for code, levels in codes:  # treatment coding: the first level (in sorted order) is the reference
        cell_code = code[first]
        hit = cell_code > 0
        x[rows[hit], start + cell_code[hit] - 1] = 1.0
        start += len(levels) - 1
    gram = x.T @ (x * size[:, None])  # X'X of the person-level design
    df_resid = len(y) - np.linalg.matrix_rank(gram)
    if df_resid <= 0 or not _identified(gram, 1):
        return None
    fit = WLS(mean, x, weights=size).fit()
    sigma2 = (within + fit.ssr) / df_resid
    b = float(fit.params[1])
    half = student_t.ppf(0.975, df_resid) * math.sqrt(sigma2 * fit.normalized_cov_params[1, 1])
    return b, float(b - half), float(b + half)


def _identified(gram: np.ndarray, column: int) -> bool:
    """True when the column is not a combination of the others (else its coefficient means nothing).

    From the Gram matrix X'X: the others' X'X is it without that row and column, and rank(X'X) = rank(X).
    """
    others = np.delete(np.delete(gram, column, axis=0), column, axis=1)
    return np.linalg.matrix_rank(gram) > np.linalg.matrix_rank(others)


ADJUSTED_COLUMNS = ["year", "unit", "women", "men", "n", "unadjusted_gap_pct", "adjusted_gap_pct",
                    "adjusted_gap_low_pct", "adjusted_gap_high_pct", "share_explained", "covariates"]


def log_gap_pct(b):
    """A woman coefficient b (log points: ln women's pay - ln men's) as a pay gap in percent of men's
    pay, positive when women are paid less: (1 - e^b) x 100.

    Halvorsen and Palmquist (1980), 'The Interpretation of Dummy Variables in Semilogarithmic
    Equations', Am. Econ. Rev. 70(3): a dummy's coefficient b moves pay by (e^b - 1) x 100 %, so
    women's pay is e^b x men's and the gap, written as every other gap of Balans ((men - women) / men),
    is 1 - e^b; written with men's advantage beta = -b it is 100 (1 - e^(-beta)). With no covariates
    it is (G_M - G_W) / G_M x 100 on the geometric means G. b = -0.0969 log points
    -> (1 - e^-0.0969) x 100 = 9.24 %, not 9.69: log points are not percent. Kennedy's (1981)
    small-sample correction (b - var(b)/2) is not applied: it moves the figure by half a squared
    standard error, far inside the interval."""
    return -np.expm1(b) * 100


# The geometric means behind the model's published figures, each a statistic with a noise of its own
# (privacy.perturb_statistic): `geo_<g>` moves b0 (the unadjusted gap: a table of two means),
# `geo_<g>_model` moves b and its interval. `spread_<g>` is a zero moved like a third such statistic:
# what it becomes is that noise itself, whose size widens the interval. So b - b0 and the interval's
# width carry noise too, and are not the model's exact figures.
GEO_FIGURES = {"": "geomean", "_model": "geomean_model"}
SPREAD = "geomean_interval"


def _log_shift(df: pd.DataFrame, part: str) -> pd.Series:
    """ln(G_W' / G_M') - b0: the noise in log points that the published geometric means of `part` carry."""
    return np.log(df[f"geo_women{part}"].astype(float) / df[f"geo_men{part}"].astype(float)) - df["b0"]


def _adjusted_figures(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """derive for adjusted_gap: three shifts in log points (0 for exact figures), d0 and d from the
    geometric means' independent noises (`GEO_FIGURES`) and w = (|spread_W| / G_W' + |spread_M| / G_M') / 2,
    the mean relative size of a third pair (`SPREAD`; each at least m · x1 / 2n, so w is about the size
    of one gap's noise): b0' = b0 + d0, b' = b + d,
    the interval [b_low + d - w, b_high + d + w] (never narrower than the model's, by more than the
    rounding of its bounds can take back). Then
    every gap as `log_gap_pct` (percent of men's pay, positive: women are paid less):
    unadjusted_gap_pct from b0', adjusted_gap_pct from b' and its interval from the interval's bounds
    (the upper bound of b gives the lower bound of the gap), share_explained = 1 - b' / b0',
    n = women + men."""
    d0, d, w = (0.0, 0.0, 0.0) if f.exact else (
        _log_shift(df, ""), _log_shift(df, "_model"),
        sum(df[f"spread_{g}"].abs() / df[f"geo_{g}"].astype(float) for g in TWO) / 2)
    b0, b = df["b0"] + d0, df["b"] + d
    df["n"] = df["women"] + df["men"]
    df["unadjusted_gap_pct"] = log_gap_pct(b0)
    df["adjusted_gap_pct"] = log_gap_pct(b)
    df["adjusted_gap_low_pct"] = log_gap_pct(df["b_high"] + d + w)
    df["adjusted_gap_high_pct"] = log_gap_pct(df["b_low"] + d - w)
    df["share_explained"] = (1 - b / b0).where(b0 != 0)
    return df[ADJUSTED_COLUMNS]


ADJUSTED_PROTECTION = Protection(
    counts={"women": "people", "men": "people"},
    magnitudes=SALARY_SUMS,
    # The geometric mean exp(mean log salary) is a location statistic like the median.
    statistics={**{f"geo_{g}{part}": (f"salary_{g}", statistic) for part, statistic in GEO_FIGURES.items() for g in TWO},
                **{f"spread_{g}": (f"salary_{g}", SPREAD) for g in TWO}},
    derive=_adjusted_figures, one_position_or_all=True,
    rows=Suppression(counts=("women", "men"), total=None, every_gender=True,
                     hide=("n", "unadjusted_gap_pct", "adjusted_gap_pct", "adjusted_gap_low_pct",
                           "adjusted_gap_high_pct", "share_explained")))


@register(id="adjusted_gap", protection=ADJUSTED_PROTECTION)
def adjusted_gap(cur, f: Filters) -> pd.DataFrame:
    """log(salary) = a + b·woman + position + unit + age band + job_level (+ error), OLS.

    Each covariate enters as categories (fixed effects) and only when it takes two or more values in
    scope; job_level where any is given (missing: its own category), age band from birth_year
    (<30, 30-39, 40-49, 50-59, 60+ at the snapshot; missing: 'unknown'). adjusted_gap_pct =
    (1 - e^b) x 100 (`log_gap_pct`: percent of men's pay, positive when women are paid less, as every
    gap of Balans) with the interval ((1 - e^hi), (1 - e^lo)) x 100 from the classical OLS standard
    error; unadjusted_gap_pct the same from b0 (the difference in mean log salary, i.e. the model with
    the woman dummy alone: the gap of the geometric means). share_explained = 1 - b / b0. Person rows leave DuckDB only for the fit: the query
    asks for the six columns the model needs, and no row leaves this function.

    Protection (ADJUSTED_PROTECTION). A coefficient is not a cell, but the unadjusted b0 is one: the
    model with the woman dummy alone is saturated, a table of two means (of log salary), and output
    checking treats such a model as the table it is (ESSnet, 'Guidelines for the checking of output
    based on microdata research', 2010). So b0 is published as the difference of the two genders'
    geometric means, each moved like a location statistic by a noise of its own (privacy.py), and b
    by the shift of another, independent pair of the same size, its interval widened by the size of
    a third (`_adjusted_figures`): the model's gender estimates carry noise of the people they rest
    on, the same people get the same figures on every page, two overlapping models differ by noise
    rather than by a person, and neither b - b0 nor the interval's width is the model's exact figure.
    Every figure is then rounded to 0.1 percentage point. women, men and n are published counts
    (n = women + men as published).
    """
    f = _snapshot(cur, f)
    scope = pay_scope(cur, f)
    counts = sql.execute(cur, f"""
        WITH scope AS ({scope})
        SELECT {GENDER_PAY},
               exp(avg(ln(monthly_salary)) FILTER (WHERE gender = 'woman')) AS geo_women,
               exp(avg(ln(monthly_salary)) FILTER (WHERE gender = 'man'))   AS geo_men
        FROM scope
    """, scope, GENDER_PAY).df().iloc[0]
    for part in GEO_FIGURES:
        counts[f"geo_women{part}"], counts[f"geo_men{part}"] = counts["geo_women"], counts["geo_men"]
    counts["spread_women"] = counts["spread_men"] = 0.0
    people = sql.execute(cur, f"""
        WITH scope AS ({scope})
        SELECT (gender = 'woman')::INTEGER AS woman, ln(monthly_salary) AS log_salary,
               position_category AS position, unit, year - birth_year AS age, job_level
        FROM scope
    """, scope).df()
    women, men = int(counts["women"]), int(counts["men"])
    row = {"year": f.year, "unit": f.unit,
           **{c: counts[c] for c in ("women", "women__ck", "women__mk", "men", "men__ck", "men__mk", "salary_women",
                                     "salary_women__max", "salary_women__max2", "salary_men", "salary_men__max",
                                     "salary_men__max2", *(f"geo_{g}{part}" for part in GEO_FIGURES for g in TWO),
                                     "spread_women", "spread_men")},
           "b0": np.nan, "b": np.nan, "b_low": np.nan, "b_high": np.nan, "covariates": ""}
    if women and men:
        people["age_band"] = pd.cut(people["age"], AGE_BANDS[0], labels=AGE_BANDS[1], right=False)
        people["age_band"] = people["age_band"].astype(object).where(people["age_band"].notna(), "unknown")
        levels = people["job_level"]
        if levels.notna().any():  # label each distinct level once, not each of 100 000 people
            labels = {v: _level_label(v) for v in levels.dropna().unique()}
            people["job_level"] = levels.map(labels).fillna(_level_label(None))
        else:
            people["job_level"] = None
        covariates = [c for c in ("position", "unit", "age_band", "job_level")
                      if people[c].notna().any() and people[c].nunique() > 1]
        b0 = people.loc[people["woman"] == 1, "log_salary"].mean() - people.loc[people["woman"] == 0, "log_salary"].mean()
        row["b0"] = b0
        row["covariates"] = ", ".join(covariates)
        fit = _ols_woman(people, covariates)
        if fit is not None:
            row["b"], row["b_low"], row["b_high"] = fit
    return pd.DataFrame([row])


# --- salary distribution ---------------------------------------------------------------------------------

PERCENTILES = (("p10", 0.10), ("p25", 0.25), ("median", 0.50), ("p75", 0.75), ("p90", 0.90))


def _percentile_sql(name: str, q: float) -> str:
    # Interpolated percentile at rank (n-1)q (quantile_cont, R's type 7). Shown only when that rank
    # is at least 1 from either end: otherwise it is a mix of the lowest (or highest) salary and its
    # neighbour, and with the next percentile (often an exact order statistic) the lowest salary
    # could be solved for. So p25/p75 need n >= 5, p10/p90 n >= 11.
    return (f"CASE WHEN (count(*) - 1) * {round(min(q, 1 - q), 6)} >= 1 "
            f"THEN quantile_cont(monthly_salary, {q}) END AS {name}")


PERCENTILE_NAMES = tuple(name for name, _ in PERCENTILES)


def _box(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """derive for salary_distribution: each percentile has a noise of its own, so in a small group two
    neighbours can cross; a box then keeps its median (the median pay_gap shows for the same people)
    and takes each percentile below it at most, each above at least, its inner neighbour (p25 <= median
    <= p75, p10 <= p25, p75 <= p90): a box plot that reads, and no figure it did not publish."""
    df = df.drop(columns="salary")
    if f.exact:
        return df
    for outer, inner in (("p25", "median"), ("p10", "p25"), ("p75", "median"), ("p90", "p75")):
        crossed = (df[outer] > df[inner]) if outer in ("p25", "p10") else (df[outer] < df[inner])
        df[outer] = df[outer].where(~crossed, df[inner])
    return df


DISTRIBUTION_PROTECTION = Protection(
    counts={"n": "people", "women": "people", "men": "people"},
    magnitudes={"salary": "n"},
    # Each percentile a noise of its own; the median's is pay_gap's median's (the same statistic of the
    # same people).
    statistics={name: ("salary", name) for name in PERCENTILE_NAMES},
    derive=_box, one_position_or_all=True,
    rows=Suppression(counts=("women", "men"), total=None, every_gender=True, hide=("n",) + PERCENTILE_NAMES))


@register(id="salary_distribution", protection=DISTRIBUTION_PROTECTION)
def salary_distribution(cur, f: Filters) -> pd.DataFrame:
    """Long form, a row per position and gender; both genders' counts on each row for suppression.

    Protection (DISTRIBUTION_PROTECTION): a percentile is an order statistic of the group (or a mix
    of two neighbouring ones), so it can be one person's salary. Each is moved by a noise of its own
    (privacy.perturb_statistic, the size of the group's mean's) and published in whole hundreds: no
    percentile is any salary exactly, no two of them differ exactly by what the salaries do, and the
    same group shows the same figures everywhere (its median is pay_gap's median for the same people). On top, as before: a position is shown only with k women and k men, and a
    percentile only where its rank is at least 1 from either end (never the lowest or highest salary).
    """
    f = _snapshot(cur, f)
    scope = pay_scope(cur, f)
    df = sql.execute(cur, f"""
        WITH scope AS ({scope}),
        by_gender AS (
            SELECT coalesce(position_category, '{ALL_POSITIONS}') AS position, gender,
                   count(*) AS n, sum(rkey)::BIGINT AS n__ck, sum(mkey)::BIGINT AS n__mk,
                   sum(monthly_salary) AS salary, max(monthly_salary) AS salary__max,
                   max(monthly_salary, 2)[2] AS salary__max2,
                   {", ".join(_percentile_sql(name, q) for name, q in PERCENTILES)}
            FROM scope
            GROUP BY GROUPING SETS ((position_category, gender), (gender))
        )
        SELECT $year::INTEGER AS year, position, gender, n, n__ck, n__mk,
               sum(CASE WHEN gender = 'woman' THEN n ELSE 0 END) OVER (PARTITION BY position)::INTEGER     AS women,
               sum(CASE WHEN gender = 'woman' THEN n__ck ELSE 0 END) OVER (PARTITION BY position)::BIGINT AS women__ck,
               sum(CASE WHEN gender = 'man' THEN n ELSE 0 END) OVER (PARTITION BY position)::INTEGER       AS men,
               sum(CASE WHEN gender = 'man' THEN n__ck ELSE 0 END) OVER (PARTITION BY position)::BIGINT   AS men__ck,
               salary, salary__max, salary__max2,
               {", ".join(name for name, _ in PERCENTILES)}
        FROM by_gender
    """, scope, year=f.year).df()
    return _order(df, ["position", "gender"])
