"""The EU Pay Transparency Directive's art. 9 set for a unit and year (Directive (EU) 2023/970), whole:
(a)-(g) in the chosen measure of pay (gross annual and hourly pay are the directive's; the full-time
monthly salary the Swedish survey's), as `pay_transparency`, one long table with a `part` column."""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd

from ... import settings
from ...protect import arrays, privacy
from ...protect.privacy import CellRule, Protection, Suppression
from ...protect.registry import Filters, register
from ...store import cells, sql
from ...store.schema import POSITION_CATEGORIES
from . import in_memory
from .evaluation import evaluated, job_values, value_group_width
from .quartiles import BAND_COUNT_MEASURES, BAND_COUNTS, quartile_bands
from .scope import (
    DEFAULT_MEASURE,
    GENDER_PAY,
    PAY_FIGURES,
    SALARY_COLUMNS,
    SALARY_STATISTICS,
    SALARY_SUMS,
    SUMS,
    TWO,
    gap_table,
    level_label,
    measured,
    pay_scope,
    snapshot,
)

# Why a part has no figures, as a code (columns.toml [vocab.note] says it in words).
NO_COMPONENTS = "no_components"  # (b), (d), (e): no pay components imported for the year
MONTHLY_HAS_NONE = "monthly_has_no_components"  # the full-time monthly salary holds no components
PARTS = ("overall", "variable_pay", "quartile", "position", "value_group", "job_level")
CATEGORY_PARTS = ("position", "value_group", "job_level")
PAY_PARTS = ("overall", *CATEGORY_PARTS)

# (g), basic pay and complementary components apart: the means per gender over everyone of the
# category (a worker without complementary components counts with 0), each moved by a noise of its own.
APART = ("basic", "complementary")
APART_FIGURES = tuple(f"{a}_{c}" for a in APART for c in ("mean_women", "mean_men", "gap_pct"))
# (b), (d), (e): complementary or variable components among those who receive them (UK SI 2017/172
# reg. 10-12: the bonus gaps are over the employees paid bonus pay), and the share receiving them.
VARIABLE_FIGURES = (
    "variable_mean_women",
    "variable_mean_men",
    "variable_median_women",
    "variable_median_men",
    "variable_mean_gap_pct",
    "variable_median_gap_pct",
)
RECEIVING = ("receivers_women", "receivers_men", "share_receiving_women", "share_receiving_men")

TRANSPARENCY_COLUMNS = [
    "part",
    "category",
    "year",
    "pay_measure",
    "women",
    "men",
    "total",
    *PAY_FIGURES,
    *APART_FIGURES,
    *RECEIVING,
    *VARIABLE_FIGURES,
    "share_women",
    "flag",
    "note",
]

# The magnitudes: each gender's pay, basic pay and complementary pay over its people (`women`, `men`),
# and its complementary pay over those receiving it (`receivers_*`, a count of its own).
MAGNITUDES = {
    **SALARY_SUMS,
    **{f"{a}_{g}": g for a in APART for g in TWO},
    **{f"variable_{g}": f"receivers_{g}" for g in TWO},
}
STATISTICS = {
    **SALARY_STATISTICS,
    **{f"{a}_mean_{g}": (f"{a}_{g}", f"{a}_mean") for a in APART for g in TWO},
    **{f"variable_mean_{g}": (f"variable_{g}", privacy.SUM) for g in TWO},
    **{f"variable_median_{g}": (f"variable_{g}", "median") for g in TWO},
}
# A receiver is counted as a measure of its own ("receivers"), so the count of a department's women with
# complementary pay and the count of its women get noises of their own even when they are the same women.
RECEIVER_MEASURE = "receivers"
# Those of a gender receiving complementary pay on each pay row (overall and every category), for the
# rule on (g)'s complementary mean only, never published: the same measure and records as the
# complementary row's `receivers_*` on the overall row, so the same noise.
PAID_COMPLEMENTARY = tuple(f"paid_complementary_{g}" for g in TWO)
# Those of a gender with pay and without complementary pay, a measure of its own too: only for the rule
# (a share receiving is shown with k receiving and k not), never published.
NON_RECEIVER_MEASURE = "non_receivers"
RECEIVES = "complementary_pay > 0"

TRANSPARENCY_BASE = [
    "part",
    "category",
    "year",
    "women",
    "women__ck",
    "women__mk",
    "men",
    "men__ck",
    "men__mk",
    "total",
    "total__ck",
    *(f"{m}{s}" for m in MAGNITUDES for s in ("", "__max", "__max2")),
    *(f"receivers_{g}{s}" for g in TWO for s in ("", "__ck", "__mk")),
    *(f"non_receivers_{g}{s}" for g in TWO for s in ("", "__ck")),
    *(f"{c}{s}" for c in PAID_COMPLEMENTARY for s in ("", "__ck")),
    *SALARY_COLUMNS,
    *(s for s in STATISTICS if s not in SALARY_COLUMNS),
    "scope_women",
    "scope_men",
    "note",
]


def _gap(cols: arrays.Columns, women: str, men: str) -> np.ndarray:
    """(men - women) / men x 100 of two columns, NaN where men's figure is missing."""
    m = arrays.values(cols, men)
    return arrays.ratio(m - arrays.values(cols, women), m, 100)


def _transparency_figures(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """derive for pay_transparency, from the published (or exact) counts, means and medians: the gaps,
    (men - women) / men x 100, of pay, of basic pay and of complementary pay, and of complementary pay
    among receivers; the share of each gender receiving complementary pay (receivers / all of that
    gender); the quartile bands' share of women; the art. 10 flag on the category rows,
    |mean gap| >= [pay] pay_transparency_threshold (5 %)."""
    cols = gap_table(cols, (*SUMS, *MAGNITUDES))
    for a in APART:
        cols[f"{a}_gap_pct"] = _gap(cols, f"{a}_mean_women", f"{a}_mean_men")
    cols["variable_mean_gap_pct"] = _gap(cols, "variable_mean_women", "variable_mean_men")
    cols["variable_median_gap_pct"] = _gap(cols, "variable_median_women", "variable_median_men")
    for g in TWO:
        cols[f"share_receiving_{g}"] = arrays.ratio(arrays.values(cols, f"receivers_{g}"), arrays.values(cols, g))
    threshold = float(settings.goals()["pay"]["pay_transparency_threshold"]) * 100
    part = np.asarray(cols["part"], dtype=object)
    categories = np.isin(part, CATEGORY_PARTS)
    cols["flag"] = arrays.flags(np.abs(arrays.values(cols, "mean_gap_pct")) >= threshold, ~categories)
    women = arrays.values(cols, "women")
    cols["share_women"] = np.where(part == "quartile", arrays.ratio(women, women + arrays.values(cols, "men")), np.nan)
    return {name: cols[name] for name in TRANSPARENCY_COLUMNS if name in cols}


MEAN_COLUMNS = ("mean_women", "mean_men", "variable_mean_women", "variable_mean_men")


def _pay_rows_hidden(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """after for pay_transparency: a pay row whose figures are hidden (fewer than k women or k men,
    CellRule below) is marked suppressed, as pay_gap marks it, and so is the complementary row whose
    figures are (fewer than k receivers of a gender); their counts stay (the head-count rule allows a
    count of 0 women, or 12 men). Exact figures hide nothing."""
    # on the column arrays (arrays.py): the same steps on Series cost 1-2 ms a table
    if not f.exact and arrays.length(cols):
        part = np.asarray(cols["part"], dtype=object)
        gone = {name: np.isnan(arrays.values(cols, name)) for name in MEAN_COLUMNS}
        pay_gone = np.isin(part, list(PAY_PARTS)) & (gone["mean_women"] | gone["mean_men"])
        variable_gone = (
            (part == "variable_pay")
            & pd.isna(np.asarray(cols["note"], dtype=object))
            & (gone["variable_mean_women"] | gone["variable_mean_men"])
        )
        cols["suppressed"] = np.asarray(cols["suppressed"], dtype=bool) | pay_gone | variable_gone
    dropped = {*(f"non_receivers_{g}" for g in TWO), *PAID_COMPLEMENTARY}
    return {name: a for name, a in cols.items() if name not in dropped}


# One table, several rules: every row (pay rows and quartile bands) by head count, as equal_value and
# pay_quartiles; the pay figures on top need k women and k men (every: zero is as small as one); the
# complementary figures among receivers need k receiving women and k receiving men; the receivers of a
# gender and their share are shown only with k receiving and k not (zero included): receiving or not is
# each person's own fact, and a share of 0 % or 100 % told it of everyone in the group (an outside
# attack read 156 shown 0 % shares of a demo, all true), as raise_after_leave's rule. (g)'s complementary
# mean of a gender over everyone (zeros included) needs k of them receiving (zero included): a mean of
# exactly 0 told that none of them receives, the count the complementary row hides (an outside attack
# read 240 such zeros of the demo, all true), and a mean over one or two receivers times the head count
# is their pay within the noise.
TRANSPARENCY_PROTECTION = Protection(
    counts={
        **BAND_COUNT_MEASURES,
        **{f"receivers_{g}": RECEIVER_MEASURE for g in TWO},
        **{f"non_receivers_{g}": NON_RECEIVER_MEASURE for g in TWO},
        **dict.fromkeys(PAID_COMPLEMENTARY, RECEIVER_MEASURE),
    },
    magnitudes=MAGNITUDES,
    statistics=STATISTICS,
    derive=_transparency_figures,
    rows=Suppression(
        counts=BAND_COUNTS,
        total=None,
        hide=(*PAY_FIGURES, *APART_FIGURES, *RECEIVING, *VARIABLE_FIGURES, "share_women", "flag"),
    ),
    cells=(
        CellRule(("women", "men"), (*PAY_FIGURES, *APART_FIGURES, "flag"), every=True),
        CellRule(("receivers_women", "receivers_men"), VARIABLE_FIGURES, every=True),
        *(
            CellRule((f"paid_complementary_{g}",), (f"complementary_mean_{g}", "complementary_gap_pct"), every=True)
            for g in TWO
        ),
        *(
            CellRule((f"receivers_{g}", f"non_receivers_{g}"), (f"receivers_{g}", f"share_receiving_{g}"), every=True)
            for g in TWO
        ),
    ),
    after=_pay_rows_hidden,
    # a category row narrows by the dimension its part names (position, value_group, job_level)
    group=privacy.Group(named_by={"category": "part"}),
)


def _sums(column: str, names: str, within: str | None = None) -> sql.Fragment:
    """Per gender: the sum of `column` with its two largest contributions, and its mean (`names` is the
    magnitude's name pattern, e.g. "basic_{}"), over the rows `within` narrows to."""
    return sql.select_list(
        sql.gender_sums(
            f"sum({column})",
            largest=f"max({column})",
            second=sql.second_largest(column),
            names=names,
            genders=TWO,
            total=None,
            zero=False,
            within=within,
        )
    )


def _apart(measure: str) -> sql.Fragment:
    """(g)'s basic and complementary sums and means per gender (NULL for the monthly salary, which has
    no components: its basic pay is the salary itself, shown as the pay)."""
    if measure == DEFAULT_MEASURE:
        names = [f"{a}_{g}{s}" for a in APART for g in TWO for s in ("", "__max", "__max2")]
        names += [f"{a}_mean_{g}" for a in APART for g in TWO]
        return sql.Fragment(", ".join(f"NULL::DOUBLE AS {n}" for n in names))
    parts = []
    for a in APART:
        parts += [
            _sums(f"{a}_pay", a + "_{}"),
            sql.gender_sums(f"avg({a}_pay)", names=a + "_mean_{}", genders=TWO, total=None, zero=False),
        ]
    return sql.select_list(*parts, _receiving("paid_complementary_{}"))


def _receiving(names: str, mkey: str | None = None) -> sql.Fragment:
    """Per gender, how many receive complementary pay (`names`, e.g. "receivers_{}"), with its key sum
    moved to the measure "receivers" (privacy.measure_offset): the complementary row's receivers and a
    pay row's over the same people draw the same noise."""
    return sql.gender_sums(
        "count(*)",
        key="sum(rkey)",
        key_plus=str(privacy.measure_offset(RECEIVER_MEASURE, "people")),
        mkey=mkey,
        names=names,
        genders=TWO,
        total=None,
        zero=True,
        within=RECEIVES,
    )


def _receivers(scope: sql.Fragment) -> sql.Fragment:
    """(b), (d), (e): one row, over the scope's women and men (their counts, the shares' denominators)
    and those of them with complementary pay (`receivers_*`, with their own key sums: privacy.
    measure_offset moves the count key to the measure "receivers"; the magnitude key by a fixed offset,
    so that the receivers' sums draw multipliers of their own)."""
    non_offset = privacy.measure_offset(NON_RECEIVER_MEASURE, "people")
    mk = int.from_bytes(hashlib.sha256(b"balans-receivers").digest()[:4], "big")
    return sql.statement(
        f"""
        WITH scope AS ({scope})
        SELECT 'variable_pay' AS part, 'all' AS category,
               {sql.gender_sums("count(*)", key="sum(rkey)", mkey="sum(mkey)", genders=TWO, total=None, zero=False)},
               {_receiving("receivers_{}", mkey=f"sum(mkey + {mk})")},
               {
            sql.gender_sums(
                "count(*)",
                key="sum(rkey)",
                key_plus=str(non_offset),
                names="non_receivers_{}",
                genders=TWO,
                total=None,
                zero=True,
                within=f"NOT ({RECEIVES})",
            )
        },
               {_sums("complementary_pay", "variable_{}", RECEIVES)},
               {
            sql.gender_sums(
                "avg(complementary_pay)", names="variable_mean_{}", genders=TWO, total=None, zero=False, within=RECEIVES
            )
        },
               {
            sql.gender_sums(
                "median(complementary_pay)",
                names="variable_median_{}",
                genders=TWO,
                total=None,
                zero=False,
                within=RECEIVES,
            )
        }
        FROM scope""",
        scope,
    )


def components_imported(cur, year: int | None) -> bool:
    """Whether pay components are imported for the year."""
    return year is not None and bool(
        cur.execute("SELECT EXISTS (SELECT 1 FROM pay_components WHERE year = ?)", [year]).fetchone()[0]
    )


def _transparency_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """`pay_transparency` in the monthly salary from the year's salaries in memory: GENDER_PAY over all,
    per position and per value group of the job evaluation (the salaries carry each job's points, as
    JOB_VALUES groups them) or job level (in_memory.gender_pay), and the quartile bands
    (in_memory.quartile_bands). None for another measure of pay (components: the query then)."""
    p = in_memory.picked(held, f)
    if p is None:
        return None
    f = f.with_(year=p.year)
    by_value = p.year in held.evaluated
    level = "value_group" if by_value else "job_level"
    if by_value:
        width = value_group_width()
        levels = np.minimum(np.floor(p.column("points") / width) + 1, np.ceil(100 / width))
    else:
        levels = p.column("job_level")
    positions, by_position = in_memory.codes(p.column("position_category"))
    level_values, by_level = in_memory.codes(levels)
    rows = len(p.rows)
    n_pos, n_lv = len(positions), len(level_values)
    # GROUPING SETS ((), (position_category), (level)): the whole, then positions, then levels
    groups = np.concatenate([np.zeros(rows, dtype=np.int64), 1 + by_position, 1 + n_pos + by_level])
    everyone = in_memory.Picked(p.year, p.salaries, np.concatenate([p.rows] * 3))
    n = 1 + n_pos + n_lv
    sums = in_memory.gender_pay(everyone, groups, n)
    names = p.salaries.labels["position_category"]
    gaps = {
        "part": np.array(["overall"] + ["position"] * n_pos + [level] * n_lv, dtype=object),
        "position_category": np.array([None, *names[positions], *[None] * n_lv], dtype=object),
        "level": np.concatenate([[np.nan] * (1 + n_pos), level_values]).astype(float),
        **sums,
        "total": sums["women"] + sums["men"],
        "total__ck": sums["women__ck"] + sums["men__ck"],
    }
    bands = in_memory.quartile_bands(p, f)
    if not rows:
        # nobody: sum(rkey) over nobody is NULL, which DuckDB hands to pandas as a nullable Int64 (the
        # query's types, through the query's assembly)
        gaps["total__ck"] = pd.array([None], dtype="Int64")
        return _assembled(arrays.frame(gaps), bands, _no_variable(DEFAULT_MEASURE), f, level)
    return _assembled_in_memory(gaps, arrays.columns_of(bands), f, level)


def _assembled_in_memory(gaps: dict, bands: dict, f: Filters, level: str) -> pd.DataFrame:
    """`_assembled` on arrays for the monthly salary (its complementary row a note): the same rows,
    order, columns and types, without pandas' concat and sort (38 of `_transparency_cells`' 45 ms)."""
    part, level_of = gaps["part"], gaps["level"]
    keep = np.ones(len(part), dtype=bool)
    if np.isnan(level_of).all():
        keep = part != level  # no job evaluation or job level given: no such category
    elif level == "value_group":
        keep = (part != level) | ~np.isnan(level_of)  # jobs not evaluated: the quality flags count them
    category = [
        p if pt == "position" else level_label(lv) if pt == level else "all"
        for pt, p, lv in zip(part[keep], gaps["position_category"][keep], level_of[keep])
    ]
    n_gaps, n_bands = int(keep.sum()), len(bands["quartile"])
    parts = np.concatenate([part[keep], ["variable_pay"], np.full(n_bands, "quartile", dtype=object)])
    categories = np.array([*category, "all", *(str(q) for q in bands["quartile"])], dtype=object)
    # rows in _assembled's order: by part, then positions in career order, levels by number
    rank = {p: i for i, p in enumerate(POSITION_CATEGORIES)}
    within = [
        rank.get(c, 0) if pt == "position" else _level_order(c) if pt == level else 0
        for pt, c in zip(parts, categories)
    ]
    order = np.lexsort((np.array(within, dtype=float), np.array([PARTS.index(pt) for pt in parts])))
    n = len(parts)
    cols: dict = {
        "part": parts[order],
        "category": categories[order],
        "year": np.full(n, f.year, dtype=np.int64),
        "pay_measure": np.full(n, DEFAULT_MEASURE, dtype=object),
    }
    # The number columns as the rows of one 2-D array (every gap row, the variable-pay row, the bands),
    # kept and ordered once: a concatenate, a full and a take per column cost about 2 ms a call
    # for the table's fifty-odd columns.
    names = TRANSPARENCY_BASE[3:-1]
    n_all = len(part)
    block = np.full((len(names), n_all + 1 + n_bands), np.nan)
    keyed = []
    for i, name in enumerate(names):
        if name in gaps:
            block[i, :n_all] = np.asarray(gaps[name], dtype=float)
        if name in bands:
            block[i, n_all + 1 :] = np.asarray(bands[name], dtype=float)
        if name.endswith((privacy.KEY, privacy.MKEY)) and (name in gaps or name in bands):  # as _assembled
            keyed.append(i)
    block[keyed] = np.nan_to_num(block[keyed], nan=0.0)
    block = block[:, np.concatenate([np.flatnonzero(keep), np.arange(n_all, n_all + 1 + n_bands)])[order]]
    cols.update(zip(names, block))
    cols["note"] = np.array([None] * n_gaps + [MONTHLY_HAS_NONE] + [None] * n_bands, dtype=object)[order]
    return arrays.frame({name: cells.text(a) if a.dtype == object else a for name, a in cols.items()})


@register(id="pay_transparency", protection=TRANSPARENCY_PROTECTION, cells=_transparency_cells)
def pay_transparency(cur, f: Filters) -> pd.DataFrame:
    """Art. 9(1)(a)-(g) for one unit and year in the chosen measure of pay, long form with a `part` column.

    * overall, (a) and (c): gap = (M - W) / M x 100 on the means and on the medians (art. 3(1)(c));
    * variable_pay, (b), (d) and (e): the same gaps of complementary or variable pay (every component but
      basic pay: fixed supplements, overtime, on-call, unsocial hours, one-off payments and bonuses,
      benefits in kind) among those who receive it, and the share of women and of men who receive it
      (receivers / all of that gender with pay), as UK SI 2017/172 reg. 10-12 define the bonus gaps and
      proportions; empty with its reason (`note`) when no components are imported for the year, or
      for the full-time monthly salary, which holds none;
    * quartile, (f): the quartile bands of whole persons (pay_quartiles), in the measure;
    * position and value_group (the job evaluation's, where the year has one) or job_level, (g): the gap
      by category of workers (art. 3(1)(f), art. 4: equal work or work of equal value by gender-neutral
      criteria), with basic pay and complementary pay apart: their means per gender over everyone of
      the category (0 where none is received) and their gaps.

    Flag: |mean gap| >= threshold on a category row (art. 10(1)(a): 'a difference in average pay level
    ... of at least 5 % in any category of workers'; in either direction, as the article does not say
    which).

    Protection (TRANSPARENCY_PROTECTION): every row, pay rows and quartile bands alike, by the
    head-count rule; the pay figures of a row need k women and k men; the figures among receivers need
    k receiving women and k receiving men, and a count of receivers is shown with its share only with k
    receiving and k not; a gender's complementary mean on a pay row (zeros included) only with k of
    them receiving (zero included), and the complementary gap only with both.
    Each statistic (the mean and median of pay, the basic and complementary means, the receivers' mean
    and median) moves by a noise of its own, from the group's magnitude key (privacy.perturb_statistic).
    """
    f = snapshot(cur, f)
    measure = f.pay if f.pay in (DEFAULT_MEASURE, "annual", "hourly") else DEFAULT_MEASURE
    scope = pay_scope(cur, f)
    by_value = evaluated(cur, f.year)
    values = job_values()
    level = "value_group" if by_value else "job_level"
    apart = _apart(measure)
    gaps = sql.execute(
        cur,
        f"""
        WITH people AS ({scope}),
        scope AS (
            SELECT s.*, v.value_group FROM people s
            LEFT JOIN ({sql.job_titles("people")}) t ON t.title = s.position
            LEFT JOIN ({values}) v ON v.year = s.year AND v.job = t.job)
        SELECT CASE WHEN grouping(position_category) = 0 THEN 'position'
                    WHEN grouping({level}) = 0 THEN '{level}' ELSE 'overall' END AS part,
               position_category, {level} AS level,
               {GENDER_PAY},
               {apart},
               count(*) AS total, sum(rkey)::BIGINT AS total__ck
        FROM scope
        GROUP BY GROUPING SETS ((), (position_category), ({level}))
    """,
        scope,
        values,
        GENDER_PAY,
        apart,
    ).df()
    if gaps.empty:
        return pd.DataFrame(columns=TRANSPARENCY_BASE).assign(pay_measure=pd.Series(dtype=object))
    if measure == DEFAULT_MEASURE or not components_imported(cur, f.year):
        variable = _no_variable(measure)
    else:
        variable = sql.execute(cur, _receivers(scope).sql, _receivers(scope)).df()
    return _assembled(gaps, quartile_bands(cur, f), variable, f, level)


def _no_variable(measure: str) -> pd.DataFrame:
    """The complementary pay row without figures, with its reason (`note`)."""
    return pd.DataFrame(
        {
            "part": ["variable_pay"],
            "category": ["all"],
            "note": [MONTHLY_HAS_NONE if measure == DEFAULT_MEASURE else NO_COMPONENTS],
        }
    )


def _assembled(gaps: pd.DataFrame, bands: pd.DataFrame, variable: pd.DataFrame, f: Filters, level: str) -> pd.DataFrame:
    """The base table from its parts: the pay rows (GROUPING SETS over all, positions and `level`, with
    `part`, `position_category` and `level`), the complementary row and the quartile bands; the query
    and the salaries in memory (`_transparency_cells`) both end here."""
    by_value = level == "value_group"
    if not gaps["level"].notna().any():
        gaps = gaps[gaps["part"] != level]  # no job evaluation or job level given: no such category
    elif by_value:
        gaps = gaps[(gaps["part"] != level) | gaps["level"].notna()]  # jobs not evaluated: the quality flags count them
    gaps["category"] = [
        p if part == "position" else level_label(lv) if part == level else "all"
        for part, p, lv in zip(gaps["part"], gaps["position_category"], gaps["level"])
    ]
    gaps = gaps.drop(columns=["position_category", "level"])
    bands = bands.assign(part="quartile", category=bands["quartile"].astype(str)).drop(columns="quartile")
    df = pd.concat([gaps, variable, bands], ignore_index=True)
    keys = [c for c in df if c.endswith((privacy.KEY, privacy.MKEY))]
    df[keys] = df[keys].fillna(0)
    df["year"] = f.year
    df["part"] = pd.Categorical(df["part"], PARTS, ordered=True)
    # Rows in a fixed order (positions in career order, levels by number, "not given" last): the
    # grouping sets come back from DuckDB in any order, and the same table must read the same each time.
    rank = {p: i for i, p in enumerate(POSITION_CATEGORIES)}
    df["_order"] = [
        rank.get(c, 0) if part == "position" else _level_order(c) if part == level else 0
        for part, c in zip(df["part"], df["category"])
    ]
    df = df.sort_values(["part", "_order"], kind="stable").drop(columns="_order")
    df["part"] = df["part"].astype(str)
    return measured(df.reindex(columns=TRANSPARENCY_BASE).reset_index(drop=True), f)


def _level_order(label: str) -> float:
    try:
        return float(label)
    except (TypeError, ValueError):
        return math.inf
