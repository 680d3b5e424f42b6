"""Education (sub-goal 3, "jämställd utbildning"): students, new entrants and degrees by gender.

Everything here reads the aggregated `students` sheet (counts per year, unit, programme, level and
gender, as a student register such as Ladok exports them). A unit includes its sub-units through
unit_tree. Shares are women / (women + men), as elsewhere in Balans; students recorded with another
or unknown gender are counted and shown but outside the share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import settings
from ..protect import arrays, privacy
from ..protect.privacy import Protection, Suppression, measure_offset_sql
from ..protect.registry import Filters, register, scopes, unscoped
from ..store import cells, sql
from .shares import SHARE_COLUMNS, share_columns

ALL = "all"
MEASURES = ("registered", "new_entrants", "degrees")
LEVEL_ORDER = {"first": 0, "second": 1, "third": 2, ALL: 3}


def students_long(units) -> sql.Fragment:
    """Students of each unit in `units` and below (`scope`: which of them), one row per (year, unit,
    programme, level, gender, measure) that gives the measure (UNPIVOT drops an empty cell), with the
    students row's record key (privacy.py: an aggregated row is one record)."""
    rows = sql.in_units("students", units)
    return sql.statement(
        f"""
    SELECT * FROM (
        UNPIVOT (SELECT s.scope, s.year, s.programme, s.level, s.gender, s.registered,
                        s.new_entrants, s.degrees, s.rkey
                 FROM {rows} s)
        ON registered, new_entrants, degrees INTO NAME measure VALUE n)""",
        rows,
    )


# Each count with its cell key (privacy.py): the sum of the record keys of the rows it sums, under the
# same FILTER, moved to the row's measure (all are declared as "registered").
STUDENT_KEY = measure_offset_sql("measure", MEASURES, "registered")
GENDER_COUNTS = sql.gender_sums("sum(n)", key="sum(rkey)", key_plus=STUDENT_KEY, zero=False)
COUNTS = ("women", "men", "other", "total")
KEYS = tuple(c + privacy.KEY for c in COUNTS)


def _counts_as_int(df: pd.DataFrame, columns) -> pd.DataFrame:
    for c in columns:
        df[c] = df[c].fillna(0).astype("int64")
    return df


def _shares(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """share_women = W / (W + M) with its Wilson interval and the balanced flag, on the published (or
    the exact) counts, so that they agree with the counts shown beside them."""
    return share_columns(cols)


# Registered students, new entrants and degrees: counts of people (k), each with its measure's noise.
# The total is women + men + other, nothing left out, so the row rule does not compare it with them
# (total=None: on published counts total' - women' - men' - other' is noise, and would hide rows at
# random); it is hidden with a hidden row, or with a small other count.
STUDENT_PROTECTION = Protection(
    counts={c: "registered" for c in COUNTS},
    derive=_shares,
    rows=Suppression(total=None, hide=("total", *SHARE_COLUMNS)),
)


def _order(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    def key(s):
        if s.name == "level":
            return s.map(LEVEL_ORDER)
        if s.name == "measure":
            return s.map({m: i for i, m in enumerate(MEASURES)})
        if s.name == "programme":
            return s.map(lambda p: (p == ALL, p))
        return s

    return df.sort_values(by, key=key).reset_index(drop=True)


@register(id="students", protection=STUDENT_PROTECTION)
def students(cur, f: Filters) -> pd.DataFrame:
    """Counts by gender per programme, level and measure, for one unit and year.

    share_women = W / (W + M) (She Figures); balanced when 40 % <= share <= 60 % ([balance] in
    goals.toml); 95 % Wilson interval (Wilson 1927); all three from the published counts (`_shares`).
    One row per measure so that each count is suppressed on its own: a programme with three women
    graduates hides its degrees row, not its registered students. Each count is perturbed by the
    cell-key method from the record keys of the students rows it sums (STUDENT_PROTECTION), with the
    noise of its measure: the 'all' row is a cell of its own, so it minus the other programmes gives
    a hidden programme's count only up to the noise of every cell involved.
    """
    rows, year = students_long(scopes(f)), sql.in_year("year", sql.year_or_latest(cur, f.year, "students"))
    df = sql.execute(
        cur,
        f"""
        SELECT year, level, coalesce(programme, '{ALL}') AS programme, measure, {GENDER_COUNTS}
        FROM ({rows})
        WHERE {year}
        GROUP BY GROUPING SETS ((year, level, programme, measure), (year, level, measure))
    """,
        rows,
        year,
        GENDER_COUNTS,
    ).df()
    df = _counts_as_int(df, COUNTS + KEYS)
    return _order(df, ["year", "level", "programme", "measure"])


@register(id="students_trend", protection=STUDENT_PROTECTION, scoped=True, every_unit=True)
def students_trend(cur, f: Filters) -> pd.DataFrame:
    """Counts by gender per year, level and measure over f.year_from..f.year_to (all years if unset).

    share_women = W / (W + M); Wilson 95 % interval; balanced per [balance] in goals.toml; from the
    published counts. A level's row and the students table's 'all' row for that level and year count
    the same records, so they show the same published numbers.
    """
    rows, years = students_long(scopes(f)), sql.year_range("year", f.year_from, f.year_to)
    df = sql.execute(
        cur,
        f"""
        SELECT scope, year, coalesce(level, '{ALL}') AS level, measure, {GENDER_COUNTS}
        FROM ({rows})
        WHERE {years}
        GROUP BY GROUPING SETS ((scope, year, level, measure), (scope, year, measure))
    """,
        rows,
        years,
        GENDER_COUNTS,
    ).df()
    df = _counts_as_int(df, COUNTS + KEYS)
    return unscoped(_order(df, ["scope", "year", "level", "measure"]), f)


COMPLETION_COUNTS = ("new_women", "new_men", "degrees_women", "degrees_men")
COMPLETION_RATES = ("completion_women", "completion_men", "ratio_women_men")


def _completion_rates(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """completion_g = degrees_g / new_g; ratio = completion_W / completion_M; on the published (or the
    exact) counts shown beside them."""
    cols["completion_women"] = arrays.quotient(cols, "degrees_women", "new_women")
    cols["completion_men"] = arrays.quotient(cols, "degrees_men", "new_men")
    cols["ratio_women_men"] = arrays.quotient(cols, "completion_women", "completion_men")
    return cols


@register(
    id="completion",
    protection=Protection(
        counts={
            "new_women": "new_entrants",
            "new_men": "new_entrants",
            "degrees_women": "degrees",
            "degrees_men": "degrees",
        },
        derive=_completion_rates,
        rows=Suppression(counts=COMPLETION_COUNTS, total=None, hide=COMPLETION_RATES),
    ),
)
def completion(cur, f: Filters) -> pd.DataFrame:
    """Degrees per new entrant by gender, per level and programme, over f.year_from..f.year_to.

    completion_g = Σ degrees_g / Σ new_entrants_g over the years; ratio = completion_W / completion_M,
    both from the published counts (`_completion_rates`). In a steady state (intake and completion
    constant over the window) degrees per entrant equals
    the share of a cohort that graduates; growth, shrinking intake, lags longer than the window and
    transfers all bias it, so it is a proxy for UKÄ's cohort throughput, not the rate itself. Use a
    window at least as long as the programme (5 years for a civilingenjör). The counts carry the
    record keys of the students rows they sum, so a one-year window shows the same new entrants and
    degrees as the students table that year.
    """
    rows, years = students_long(scopes(f)), sql.year_range("year", f.year_from, f.year_to)
    counts = sql.select_list(
        *(
            sql.gender_sums(
                "sum(n)",
                key="sum(rkey)",
                within=f"measure = '{measure}'",
                names=names,
                genders=("women", "men"),
                total=None,
                zero=False,
            )
            for measure, names in (("new_entrants", "new_{}"), ("degrees", "degrees_{}"))
        )
    )
    df = sql.execute(
        cur,
        f"""
        SELECT min(year) AS first_year, max(year) AS last_year, level,
               coalesce(programme, '{ALL}') AS programme,
               {counts}
        FROM ({rows})
        WHERE measure <> 'registered' AND {years}
        GROUP BY GROUPING SETS ((level, programme), (level))
    """,
        rows,
        years,
        counts,
    ).df()
    df = _counts_as_int(df, COMPLETION_COUNTS + tuple(c + privacy.KEY for c in COMPLETION_COUNTS))
    return _order(df, ["level", "programme"])


def completion_alike(ratio: float | None) -> bool | None:
    """Women and men complete alike when the ratio lies within [education] completion_ratio_* bounds."""
    if ratio is None or ratio != ratio:
        return None
    e = settings.goals()["education"]
    return e["completion_ratio_min"] <= ratio <= e["completion_ratio_max"]


def student_stage_counts(cur, units, years: list[int], declared: str = "registered") -> pd.DataFrame:
    """The She Figures pipeline's student stages (the "scissors diagram") for `units` and `years`:
    students = first- and second-cycle registered students; graduates = first- and second-cycle
    degrees, per year, by gender, each count with its cell key moved from `declared` (the measure the
    table that shows it declares: "people" in representation's pipeline) to its own measure.

    Third-cycle students are not here: the pipeline's phd_student stage comes from the staff table
    (doctoral students are employed in Sweden). Columns: year, stage, women, men, other, total and
    each count's cell key (`women__ck`, ...: the sum of the students rows' record keys plus
    `measure_offset(measure, declared)`). Empty when the students sheet has no such rows."""
    rows = students_long(units)
    counts = sql.gender_sums(
        "sum(n)", key="sum(rkey)", key_plus=measure_offset_sql("measure", MEASURES, declared), cast="BIGINT"
    )
    df = sql.execute(
        cur,
        f"""
        SELECT year, CASE measure WHEN 'registered' THEN 'students' ELSE 'graduates' END AS stage,
               {counts}
        FROM ({rows})
        WHERE list_contains($years, year) AND level IN ('first', 'second') AND measure IN ('registered', 'degrees')
        GROUP BY year, measure
        ORDER BY year, stage DESC
    """,
        rows,
        counts,
        years=[int(y) for y in years],
    ).df()
    return _counts_as_int(df, COUNTS + KEYS)


def pipeline_student_stages(cur, f: Filters) -> pd.DataFrame:
    """`student_stage_counts` for one unit and year (f.year, else the latest in the students sheet),
    with share_women and share_men (shares of women + men). Exact figures: the pipeline indicator that
    calls this protects the whole table."""
    year = sql.year_or_latest(cur, f.year, "students")
    df = student_stage_counts(cur, scopes(f), [] if year is None else [year])
    two = df["women"] + df["men"]
    df["share_women"] = (df["women"] / two).where(two > 0)
    df["share_men"] = (df["men"] / two).where(two > 0)
    return df


# The students sheet's first- and second-cycle registered students (stage 0) and degrees (stage 1) per
# year, unit and gender, with the sum of the rows' record keys: what `student_stage_counts` sums,
# read once per snapshot (cells.held_query). UNPIVOT drops an empty cell, and its row's key with it.
STUDENT_STAGE_CELLS = """
    SELECT year, unit, gender, (measure = 'degrees')::INTEGER AS stage, sum(n)::BIGINT AS n,
           sum(rkey)::BIGINT AS rkey
    FROM (UNPIVOT (SELECT year, unit, level, gender, registered, degrees, rkey FROM students)
          ON registered, degrees INTO NAME measure VALUE n)
    WHERE level IN ('first', 'second')
    GROUP BY ALL
"""
STAGES = (("students", "registered"), ("graduates", "degrees"))


def student_stage_counts_cells(
    held: cells.Cells, unit: str, years: list[int], declared: str = "registered"
) -> pd.DataFrame | None:
    """`student_stage_counts` for one unit, summed from the students' stage cells held with the snapshot's
    cells (STUDENT_STAGE_CELLS) instead of queried: the same columns, types and rows
    (tests/test_cells.py). Each key is the sum of the rows' record keys plus its stage's
    measure_offset, as the query adds it once per (year, measure) group. None once the snapshot is no
    longer held (older than the KEEP newest: its connection is closed or about to be): the caller then
    asks the query."""
    made = cells.held_query(held, "student_stages", STUDENT_STAGE_CELLS)
    if made is None:
        return None
    table, below = made
    scope = cells.Scope((unit,), min(years, default=None), max(years, default=None))
    picked = cells.rows(table, below, scope, unit)
    picked = picked[np.isin(table.columns["year"][picked], years)]
    both = table.columns["year"][picked] * 2 + table.columns["stage"][picked].astype(np.int64)
    unique, groups = np.unique(both, return_inverse=True)
    stage = unique % 2
    out = {"year": (unique // 2).astype(np.int16), "stage": cells.text([STAGES[s][0] for s in stage])}
    sums = cells.gender_sums(table, picked, groups.ravel(), len(unique), (cells.Sum("n", key="rkey", whole=True),))
    offsets = np.array([privacy.measure_offset(m, declared) for _, m in STAGES], dtype=np.int64)[stage]
    out.update({name: a + offsets if name.endswith(privacy.KEY) else a for name, a in sums.items()})
    return arrays.frame(out)
