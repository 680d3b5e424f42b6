"""Representation (sub-goal 1, power and influence; careers): who holds which positions.

Shares are women / (women + men): people recorded with another or unknown gender are counted and
shown, but outside the two-gender share (She Figures' convention).

Protection (privacy.py, the cell-key method): every function here returns its base table, each
headcount `c` with `c__ck`, the sum of the record keys of exactly the people counted. The registry
perturbs them (`Protection`), then `derive` computes FTE, shares, intervals and indices from the
published counts, so a share always agrees with the counts beside it and the difference of two views
(all positions against all but one, a unit against its other sub-units, a total against women and
men) is noise, not a person. All staff headcounts count the measure "people": the same people get
the same number on every page.

FTE is not perturbed as a magnitude here. A magnitude's noise is a fraction of its largest
contributions, and the largest contribution to an FTE sum is one full-time person: FTE ± a fraction
of one of mostly full-time staff is their headcount in disguise (the FTE of all positions minus that of all but one, rounded,
would give the hidden row's headcount back). Nor may the published FTE carry the exact mean FTE per
person: FTE / headcount = S / n is a fraction whose denominator gives n away (28.5 FTE of 31 people
is 57/62; of the five headcounts the p-table allows beside a published 29, only 31 makes 0.919354…
a multiple of 0.5 or 0.01). So the base table carries FTE per person counted (`fte_<g>_per_person`,
dropped by derive) and the published FTE is that times the published headcount, in whole FTE
(`fte_columns`): FTE' = round(S · n'/n). It moves with its count (a difference of two FTE is
noise, as the counts' is), and the rounding leaves every headcount the p-table allows consistent
with it (per candidate n the FTE it allows spans about one whole FTE, more than any FTE's step).
Full-time staff show an FTE equal to their headcount. Exact figures are S itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..protect import arrays
from ..protect.privacy import CellRule, Protection, Suppression
from ..protect.registry import Filters, register
from ..store import cells, sql
from ..store.schema import POSITION_CATEGORIES, SHE_FIGURES_GRADE
from .education import student_stage_counts, student_stage_counts_cells
from .shares import SHARE_COLUMNS, add_share_columns, share_columns, wilson  # noqa: F401 (wilson, add_share_columns: read from here by tests and modules)

ALL_POSITIONS = "all"


def staff_scope(
    cur,
    f: Filters,
    table: str = "staff_cells",
    *,
    trend: bool = False,
    by_position: bool = True,
    units: list[str] | None = None,
) -> sql.Fragment:
    """The staff rows in scope (the unit with its sub-units, the chosen positions and employment type)
    as a relation: of the snapshot's year (f.year, else the latest with data) or, for a trend, of
    f.year_from..f.year_to (a missing end open).

    Over staff_cells (store.STAFF_CELLS: people counted per year, unit, position, employment type,
    manager and gender at import), so these pages never scan person rows; pay, which needs each
    salary, reads `staff`. by_position False: every position (the glass ceiling, the pipeline).
    `units`: several units side by side (the `scope` column says which), instead of f.unit."""
    rows = sql.in_units(table, units or [f.unit])
    years = (
        sql.year_range("s.year", f.year_from, f.year_to)
        if trend
        else sql.in_year("s.year", sql.year_or_latest(cur, f.year))
    )
    where = years & sql.staff_filters(f, "s", by_position=by_position)
    return sql.statement(f"SELECT s.* FROM {rows} s WHERE {where}", rows, where)


# Headcount and FTE by gender over the cells of a group; a missing FTE counted as full time (in the cells).
# Beside each headcount its cell key's input (`__ck`: the sum of the counted people's record keys, with
# the same FILTER as the count) and beside each FTE sum its largest single contribution (`__max`), as
# privacy.Protection reads them; publish drops both before a table leaves the package. (This module
# itself moves FTE with its headcount, `fte_per_person`; the __max columns are for other readers.)
GENDER_COUNTS = sql.select_list(
    sql.gender_sums("sum(people)", key="sum(rkey_sum)", cast="BIGINT"),
    sql.gender_sums("sum(fte)", largest="max(fte_max)", names="fte_{}"),
)


COUNT_COLUMNS = ("women", "men", "other", "total")
FTE_COLUMNS = ("fte_women", "fte_men", "fte_other", "fte_total")

# What the registry perturbs in a table of GENDER_COUNTS: every headcount counts the measure "people"
# (the same people get the same noise on every page: the women of a unit are one cell whether the
# page shows them in `representation` or as a row of its parent's `representation_units`).
PEOPLE = {"women": "people", "men": "people", "other": "people", "total": "people"}
# Each FTE column and the headcount of the same people.
FTE_OF = {"fte_women": "women", "fte_men": "men", "fte_other": "other", "fte_total": "total"}
PER_PERSON = "_per_person"

# GENDER_COUNTS over the snapshot's cells in memory (store/cells.py): the same sums, names and types.
CELL_COUNTS = (cells.Sum("people", key="rkey_sum", whole=True), cells.Sum("fte", names="fte_{}", largest="fte_max"))


def cell_scope(
    held: cells.Cells,
    f: Filters,
    *,
    trend: bool = False,
    by_position: bool = True,
    units: list[str] | None = None,
    managers: bool = False,
) -> cells.Scope:
    """`staff_scope` over cells in memory: the same units, years, positions and employment type."""
    if trend:
        first, last = f.year_from, f.year_to
    else:
        first = last = f.year if f.year is not None else held.latest_year()
        if first is None:  # no data, no year: no rows (in SQL, year = NULL)
            first, last = 1, 0
    return cells.Scope(
        tuple(units or [f.unit]), first, last, tuple(f.positions) if by_position else (), f.employment_type, managers
    )


def cell_table(held: cells.Cells, scope: cells.Scope, keys: list[str], *, all_positions: str | None = None) -> dict:
    """GROUP BY keys over the staff cells of the scope's unit, CELL_COUNTS beside them; with
    `all_positions`, also GROUP BY the keys without position_category, named so (GROUPING SETS)."""
    staff = held.staff
    picked = cells.rows(staff, held.below, scope, scope.units[0])
    parts = [cells.grouped(staff, picked, keys, CELL_COUNTS)]
    if all_positions is not None:
        parts.append(cells.grouped(staff, picked, [k for k in keys if k != "position_category"], CELL_COUNTS))
    out = {}
    if "year" in keys:
        out["year"] = np.concatenate([p["year"] for p in parts]).astype(np.int16)  # SMALLINT
    if "position_category" in keys:
        named = [cells.labels(staff, "position_category", parts[0]["position_category"])]
        if all_positions is not None:
            named.append(np.array([all_positions] * len(parts[1]["year"]), dtype=object))
        out["position_category"] = np.concatenate(named)
    for name in parts[0]:
        if name not in keys:
            out[name] = np.concatenate([p[name] for p in parts])
    return out


def fte_per_person(df: pd.DataFrame, pairs: dict[str, str] = FTE_OF) -> pd.DataFrame:
    """Base-table step: each FTE sum (and its __max) becomes FTE per person counted, in its place,
    named `<fte>_per_person` (NaN where nobody is counted). See the module docstring for why."""
    cols = arrays.columns_of(df)
    for fte, count in pairs.items():
        cols[fte] = arrays.ratio(arrays.values(cols, fte), arrays.values(cols, count))
    for fte in pairs:
        cols.pop(fte + "__max", None)
    return arrays.frame(arrays.renamed(cols, {fte: fte + PER_PERSON for fte in pairs}), df.index)


def fte_columns(cols: arrays.Columns, f: Filters, pairs: dict[str, str] = FTE_OF) -> arrays.Columns:
    """Derive step: FTE = FTE per person × headcount; zero people, zero FTE. Published: with the
    published headcount, rounded half up to whole FTE (the module docstring says why). Exact: with
    the exact headcount, rounded to 1e-9 only, so that the figures come back as they were summed."""
    for fte, count in pairs.items():
        per, n = arrays.values(cols, fte + PER_PERSON), arrays.values(cols, count)
        # rounded to 1e-9 first: S / n × n is S only to the float's last digit, and a half (103.5 FTE)
        # must round the same whichever query summed it
        value = np.round(per * n, 9) if f.exact else np.floor(np.round(per * n, 9) + 0.5)
        cols[fte + PER_PERSON] = np.where(n == 0, 0.0, value)
    return arrays.renamed(cols, {fte + PER_PERSON: fte for fte in pairs})


def share_table(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """`shares` on columns."""
    return share_columns(fte_columns(cols, f), f.measure)


def shares(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """Protection.derive of the gender tables: FTE from the counts, then share, Wilson interval and
    balanced flag (add_share_columns), on the published counts, or on the exact ones."""
    return share_table(cols, f)


def gender_protection(hide: tuple[str, ...] = SHARE_COLUMNS + FTE_COLUMNS, derive=shares, after=None) -> Protection:
    """A table of GENDER_COUNTS: headcounts and FTE published, shares derived from them, and the
    primary rule: a row is hidden when women or men are 1..k-1 or all its people fewer than k; a small
    other/unknown count hides itself, its FTE and the total; the total stays beside a hidden row
    when it rests on k people, and goes when it is under k. No complementary suppression: a hidden
    row's figures cannot be worked out from the others, which are noisy too.

    The total is a cell rule rather than Suppression.total: Suppression also hides a row whose total
    minus its counts (a group the table leaves out) is 1..k-1, and here nothing is left out, so on
    the published figures that difference is only the noise of four cells and would hide rows at
    random."""
    return Protection(
        counts=PEOPLE,
        derive=derive,
        after=after,
        rows=Suppression(counts=("women", "men", "other"), total=None, hide=hide),
        cells=(CellRule(("total",), ("total",)), CellRule(("other",), ("total",))),
    )


def _order_positions(df: pd.DataFrame) -> pd.DataFrame:
    order = {p: i for i, p in enumerate((*POSITION_CATEGORIES, ALL_POSITIONS))}
    df = df.sort_values(["year", "position"], key=lambda s: s.map(order) if s.name == "position" else s)
    return df.reset_index(drop=True)


def _representation_cells(held: cells.Cells, f: Filters, trend: bool = False) -> pd.DataFrame:
    """`representation` (or, trend, `representation_trend`) from the cells in memory."""
    cols = cell_table(
        held, cell_scope(held, f, trend=trend), ["year", "position_category"], all_positions=ALL_POSITIONS
    )
    # _order_positions on the arrays: by year, then position in POSITION_CATEGORIES' order, 'all' last
    # (no two rows share both), any other position after them in the order found (pandas' NaN last)
    rank = {p: i for i, p in enumerate((*POSITION_CATEGORIES, ALL_POSITIONS))}
    position = cols.pop("position_category")
    order = np.lexsort((np.array([rank.get(p, len(rank)) for p in position], dtype=np.int64), cols["year"]))
    cols = {"year": cols["year"], "position": position, **cols}
    cols = {name: a[order] for name, a in cols.items()}
    cols["position"] = cells.text(cols["position"])
    return fte_per_person(arrays.frame(cols))


@register(id="representation", protection=gender_protection(), cells=_representation_cells)
def representation(cur, f: Filters) -> pd.DataFrame:
    """Headcount and FTE by gender per position category, plus an 'all' row, for one unit and year.

    share_women = W / (W + M) (She Figures); by FTE when f.measure == 'fte' (UKÄ's convention).
    Balanced when 40 % <= share <= 60 % (goals.toml). Wilson 95 % interval on the headcounts.
    The 'all' row is a cell of its own (its people's keys), not the sum of the published rows above it.
    """
    scope = staff_scope(cur, f)
    df = sql.execute(
        cur,
        f"""
        WITH scope AS ({scope})
        SELECT year,
               coalesce(position_category, '{ALL_POSITIONS}') AS position,
               {GENDER_COUNTS}
        FROM scope
        GROUP BY GROUPING SETS ((year, position_category), (year))
    """,
        scope,
        GENDER_COUNTS,
    ).df()
    return fte_per_person(_order_positions(df))


# --- helpers for the indicators below ------------------------------------------------------------


def unit_and_children(cur, unit: str) -> list[str]:
    """The chosen unit (the total) and its direct sub-units; with '*', the top-level units."""
    children = sql.sub_units(unit)
    return [unit, *(r[0] for r in sql.execute(cur, f"{children} ORDER BY unit", children).fetchall())]


# The whole organisation has no row in `units`; these are its names.
ORGANISATION_NAMES = ("Hela organisationen", "Whole organisation")

# She Figures grade of each position category, as SQL (the mapping is the code's constant in
# schema.SHE_FIGURES_GRADE, never user input). Lecturers and non-academic staff have no grade.
GRADE_SQL = (
    "CASE position_category " + " ".join(f"WHEN '{p}' THEN '{g}'" for p, g in SHE_FIGURES_GRADE.items()) + " END"
)

# Pipeline stages in career order. Students and graduates come first once the education data exist.
PIPELINE_STAGES = {"D": "phd_student", "C": "C", "B": "B", "A": "A"}


def previous_columns(
    cols: arrays.Columns, keys: list[str], value: str, lags: dict[str, int], scale: float = 100.0
) -> arrays.Columns:
    """Add, for each name -> lag, the change of `value` since `lag` years before (× scale: pp for shares),
    each row's value then looked up by (keys, year). The year must be exactly `lag` years earlier; a
    missing or hidden earlier value gives NaN."""
    now = arrays.values(cols, value)
    rows = list(zip(*(np.asarray(cols[k], dtype=object) for k in keys), np.asarray(cols["year"]).tolist()))
    at = {row: i for i, row in enumerate(rows)}
    for name, lag in lags.items():
        earlier = np.array([at.get((*row[:-1], row[-1] - lag), -1) for row in rows], dtype=np.int64)
        before = np.where(earlier >= 0, now[np.maximum(earlier, 0)], np.nan) if len(rows) else now
        cols[name] = (now - before) * scale
    return cols


def _names(df: pd.DataFrame) -> pd.DataFrame:
    total = df["unit"] == sql.ALL_UNITS
    df.loc[total, "name_sv"], df.loc[total, "name_en"] = ORGANISATION_NAMES
    return df


# --- drill-down ---------------------------------------------------------------------------------


def _units_cells(held: cells.Cells, f: Filters) -> pd.DataFrame:
    """`representation_units` from the cells in memory."""
    units = [f.unit, *held.sub_units(f.unit)]
    rows, groups, unit, year = _unit_years(held, cell_scope(held, f, units=units), units)
    sums = cells.gender_sums(held.staff, rows, groups, len(year), CELL_COUNTS)
    return fte_per_person(_per_unit(held, f, np.array(units, dtype=object)[unit], year, sums))


def _unit_years(
    held: cells.Cells, scope: cells.Scope, units: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The staff cells in scope of each of `units` (each with its sub-units, so a row may be there for
    several), stacked: their rows, each row's group (one per unit and year with rows, by unit, then
    year), and each group's unit (its place in `units`) and year. One grouping for every unit: numpy's
    cost per call, not the rows, is what a table of a few units pays."""
    staff = held.staff
    picked = [cells.rows(staff, held.below, scope, u) for u in units]
    rows = np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)
    which = np.repeat(np.arange(len(units), dtype=np.int64), [len(p) for p in picked])
    span = 1 << 16  # above every year
    unique, groups = np.unique(which * span + staff.columns["year"][rows], return_inverse=True)
    return rows, groups.ravel(), unique // span, unique % span


def _per_unit(held: cells.Cells, f: Filters, unit: np.ndarray, years: np.ndarray, sums: dict) -> pd.DataFrame:
    """The sums per unit (the chosen one or a sub-unit) and year as the queries of representation_units
    and glass_ceiling give them: year, unit, names, is_total, the sums, ordered by year, the chosen unit
    first, then by unit; the organisation named (`_names`)."""
    # ORDER BY year, scope = $unit DESC, scope
    order = sorted(range(len(years)), key=lambda i: (years[i], unit[i] != f.unit, unit[i]))
    unit = unit[order]
    names = [ORGANISATION_NAMES if u == sql.ALL_UNITS else held.names.get(u, (None, None)) for u in unit]
    cols = {
        "year": years[order].astype(np.int16),  # SMALLINT
        "unit": cells.text(unit),
        "name_sv": cells.text([n[0] for n in names]),
        "name_en": cells.text([n[1] for n in names]),
        "is_total": unit == f.unit,
    }
    cols.update({name: a[order] for name, a in sums.items()})
    return arrays.frame(cols)


@register(id="representation_units", protection=gender_protection(), cells=_units_cells)
def representation_units(cur, f: Filters) -> pd.DataFrame:
    """The chosen unit (first row, is_total) and each direct sub-unit with staff that year.

    Each sub-unit includes its own sub-units (unit_tree). share_women = W / (W + M) (She Figures);
    by FTE when f.measure == 'fte' (UKÄ). Balanced when 40 % <= share <= 60 % (goals.toml).
    Staff placed directly in the chosen unit count in its total but in no sub-unit's row. Each row is
    the unit's own cell: the same numbers as the 'all' row of `representation` for that unit.
    """
    scope = staff_scope(cur, f, units=unit_and_children(cur, f.unit))
    df = sql.execute(
        cur,
        f"""
        WITH scope AS ({scope})
        SELECT s.year, s.scope AS unit, any_value(n.name_sv) AS name_sv, any_value(n.name_en) AS name_en,
               s.scope = $unit AS is_total,
               {GENDER_COUNTS}
        FROM scope s
        LEFT JOIN units n ON n.unit = s.scope
        GROUP BY s.year, s.scope
        ORDER BY s.year, s.scope = $unit DESC, s.scope
    """,
        scope,
        GENDER_COUNTS,
        unit=f.unit,
    ).df()
    return fte_per_person(_names(df))


# --- trend --------------------------------------------------------------------------------------

CHANGES = {"change_1y_pp": 1, "change_5y_pp": 5}


def changes(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """Protection.after of the trend: change_1y_pp and change_5y_pp from the published shares once the
    hidden rows are blank, so that no change beside a shown share can give a hidden one back."""
    cols = previous_columns(cols, ["position"], "share_women", CHANGES)
    cols["suppressed"] = cols.pop("suppressed")  # last, as in every table
    return cols


@register(
    id="representation_trend",
    protection=gender_protection(after=changes),
    cells=lambda held, f: _representation_cells(held, f, trend=True),
)
def representation_trend(cur, f: Filters) -> pd.DataFrame:
    """Per year (f.year_from..f.year_to, default every year) and position, plus 'all'.

    share_women = W / (W + M); change_1y_pp = 100 × (share_y − share_{y−1}), change_5y_pp likewise
    against y−5 (`changes`, after suppression); NaN where that year is outside the range, has no data,
    or is hidden. A year's row is the same cell as that year's row of `representation`.
    """
    scope = staff_scope(cur, f, trend=True)
    df = sql.execute(
        cur,
        f"""
        WITH scope AS ({scope})
        SELECT year, coalesce(position_category, '{ALL_POSITIONS}') AS position,
               {GENDER_COUNTS}
        FROM scope
        GROUP BY GROUPING SETS ((year, position_category), (year))
    """,
        scope,
        GENDER_COUNTS,
    ).df()
    return fte_per_person(_order_positions(df))


# --- career pipeline ----------------------------------------------------------------------------

STUDENT_STAGES = {"registered": "students", "degrees": "graduates"}


def _pipeline_shares(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """Protection.derive of the pipeline: FTE and shares as everywhere (`shares`), and
    share_men = 1 − share_women."""
    cols = share_table(cols, f)
    cols["share_men"] = 1 - cols["share_women"]
    return cols


def _pipeline_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """`pipeline` from the cells in memory, the student stages from the students sheet held beside them
    (None once the snapshot is no longer held: the registry then runs `pipeline`'s queries)."""
    return _pipeline(None, f, held)


@register(
    id="pipeline",
    protection=gender_protection(hide=SHARE_COLUMNS + FTE_COLUMNS + ("share_men",), derive=_pipeline_shares),
    cells=_pipeline_cells,
)
def pipeline(cur, f: Filters) -> pd.DataFrame:
    """Scissors diagram: share of women (and of men) per grade, for f.year and a comparison year.

    Stages (She Figures): students and graduates (first and second cycle, from the students sheet
    when imported), then grades D doctoral students; C assistant professor, postdoc, researcher;
    B associate professor; A professor. share_women = W / (W + M), share_men = 1 − share_women (by FTE
    when f.measure == 'fte'). The comparison year is f.year_from when given and different from the
    year, else year − 5. The position filter is ignored: the pipeline is across positions by design.
    Grade A is the professors' cell of `representation` (the same people, the same published counts).
    """
    # The stages from the snapshot's cells in memory where this runs on a cursor that reaches them
    # (cells.cursor), else from its queries: the same table (tests/test_representation.py, test_cells.py).
    return _pipeline(cur, f, cells.of(cur))


def _pipeline(cur, f: Filters, held: cells.Cells | None) -> pd.DataFrame | None:
    """`pipeline` from `held` cells when given, else from its queries on `cur`; None when only the
    cells were given (no `cur`) and their snapshot's students sheet is no longer held."""
    year = sql.year_or_latest(cur, f.year) if held is None else f.year if f.year is not None else held.latest_year()
    compare = f.year_from if f.year_from is not None and f.year_from != year else (year - 5 if year else None)
    years = [y for y in (compare, year) if y is not None]
    df = _staff_stages(cur, f, years) if held is None else _staff_stages_cells(held, f, years)
    df.insert(1, "stage", df["grade"].map(PIPELINE_STAGES))
    students = _student_stages(cur, f.unit, years, held)
    if students is None:
        return None
    df = pd.concat([students, fte_per_person(df)], ignore_index=True)
    # by year, then stage in career order (no two rows share both): np.lexsort, not sort_values with a
    # key, whose two Series.map cost more than the rest of the sort on a table of a dozen rows
    rank = {stage: i for i, stage in enumerate(("students", "graduates", *PIPELINE_STAGES.values()))}
    stage = np.array([rank.get(s, len(rank)) for s in df["stage"]], dtype=np.int64)
    return df.take(np.lexsort((stage, df["year"].to_numpy()))).reset_index(drop=True)


def _staff_stages(cur, f: Filters, years: list[int]) -> pd.DataFrame:
    """The pipeline's grades D to A in `years`: year, grade, GENDER_COUNTS (every position, whatever was chosen)."""
    scope = staff_scope(
        cur,
        f.with_(year_from=min(years, default=None), year_to=max(years, default=None)),
        trend=True,
        by_position=False,
    )
    return sql.execute(
        cur,
        f"""
        WITH scope AS ({scope})
        SELECT year, {GRADE_SQL} AS grade, {GENDER_COUNTS}
        FROM scope
        WHERE list_contains($years, year) AND {GRADE_SQL} IS NOT NULL
        GROUP BY year, grade
    """,
        scope,
        GENDER_COUNTS,
        years=years,
    ).df()


def _staff_stages_cells(held: cells.Cells, f: Filters, years: list[int]) -> pd.DataFrame:
    """`_staff_stages` from the cells in memory: the same columns and types (rows in another order,
    which `pipeline` sorts)."""
    staff = held.staff
    scope = cells.Scope((f.unit,), min(years, default=None), max(years, default=None), (), f.employment_type)
    picked = cells.rows(staff, held.below, scope, f.unit)
    picked = picked[np.isin(staff.columns["year"][picked], years)]
    # each position's grade (None: none; the last entry, for a missing position's code -1)
    grades = np.array([SHE_FIGURES_GRADE.get(p) for p in staff.labels["position_category"]] + [None], dtype=object)
    grade = grades[staff.columns["position_category"][picked]]
    graded = np.array([g is not None for g in grade], dtype=bool)
    picked, grade = picked[graded], grade[graded]
    names = sorted(set(SHE_FIGURES_GRADE.values()))
    keys = np.column_stack(
        [staff.columns["year"][picked].astype(np.int64), np.array([names.index(g) for g in grade], dtype=np.int64)]
    )
    if len(picked):
        unique, groups = np.unique(keys, axis=0, return_inverse=True)
    else:
        unique, groups = np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64)
    out = {
        "year": unique[:, 0].astype(np.int16),  # SMALLINT
        "grade": cells.text([names[i] for i in unique[:, 1]]),
    }
    out.update(cells.gender_sums(staff, picked, groups.ravel(), len(unique), CELL_COUNTS))
    return arrays.frame(out)


def _student_stages(cur, unit: str, years: list[int], held: cells.Cells | None) -> pd.DataFrame | None:
    """The pipeline's first stages from the students sheet (empty when it has not been imported):
    students = first- and second-cycle registered, graduates = their degrees, by headcount whatever the
    measure (students have no FTE: one per person, so their published FTE is their published headcount).

    The counts are education's (`student_stage_counts`): each students-sheet row is one record
    (privacy.py), and a cell counts the measure "registered" or "degrees"; this table declares its
    counts as "people", so their keys carry the difference of the two shifts. With the snapshot's
    `held` cells, summed from the students' stage cells held beside them (the same table); once that
    snapshot is no longer held, from the query on `cur`, or None without one."""
    df = None if held is None else student_stage_counts_cells(held, unit, years, declared="people")
    if df is None:
        if cur is None:
            return None
        df = student_stage_counts(cur, [unit], years, declared="people")
    if df.empty:
        return pd.DataFrame()
    for gender in ("women", "men", "other", "total"):
        df[f"fte_{gender}{PER_PERSON}"] = 1.0
    return df


# --- glass ceiling ------------------------------------------------------------------------------

GCI_UNDEFINED = "undefined: no women in grade A"


def _gci(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """Protection.derive of the glass ceiling: the shares and the index from the published counts."""
    women_a = arrays.values(cols, "women_a")
    cols["share_women_a"] = share_a = arrays.ratio(women_a, arrays.values(cols, "total_a"))
    cols["share_women_abc"] = share_abc = arrays.ratio(
        arrays.values(cols, "women_abc"), arrays.values(cols, "total_abc")
    )
    defined = women_a > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        cols["gci"] = np.where(defined, share_abc / share_a, np.nan)
    cols["note"] = np.array([None if d else GCI_UNDEFINED for d in defined], dtype=object)
    return cols


GCI_COUNTS = ("women_a", "men_a", "total_a", "women_abc", "men_abc", "total_abc")


def _gci_cells(held: cells.Cells, f: Filters) -> pd.DataFrame:
    """`glass_ceiling` from the cells in memory: per unit and year, the grade A and grade A-C sums."""
    units = [f.unit, *held.sub_units(f.unit)]
    staff = held.staff
    rows, groups, unit, year = _unit_years(held, cell_scope(held, f, by_position=False, units=units), units)
    grades = np.array([SHE_FIGURES_GRADE.get(p) for p in staff.labels["position_category"]] + [None], dtype=object)
    grade = grades[staff.columns["position_category"][rows]]
    sums = {}
    for within, names in ((("A",), "{}_a"), (("A", "B", "C"), "{}_abc")):
        hit = np.isin(grade, within)
        counted = cells.Sum("people", names=names, key="rkey_sum", whole=True, genders=("women", "men"), total="two")
        sums.update(cells.gender_sums(staff, rows[hit], groups[hit], len(year), (counted,)))
    return _per_unit(held, f, np.array(units, dtype=object)[unit], year, sums)


@register(
    id="glass_ceiling",
    cells=_gci_cells,
    protection=Protection(
        counts={c: "people" for c in GCI_COUNTS},
        derive=_gci,
        rows=Suppression(
            counts=("women_a", "men_a", "women_abc", "men_abc"),
            total=None,
            hide=("share_women_a", "share_women_abc", "gci"),
        ),
        # The totals stay beside a hidden row when they rest on k people; below k they go. (Cell rules,
        # not Suppression.total: see gender_protection.)
        cells=(CellRule(("total_a",), ("total_a",)), CellRule(("total_abc",), ("total_abc",))),
    ),
)
def glass_ceiling(cur, f: Filters) -> pd.DataFrame:
    """She Figures GCI = [(W_A + W_B + W_C) / (T_A + T_B + T_C)] / [W_A / T_A], grade D excluded.

    T = women + men (She Figures counts the two sexes). 1 is parity; above 1 women are
    under-represented in grade A. Undefined (NaN, with a note, never infinity) when W_A = 0.
    Check (docs/design.md, "Glass Ceiling Index"): A 20W/80M, B 60W/90M, C 120W/130M -> (200/500) / (20/100) = 2.0.
    By headcount, as She Figures defines it; the position filter is ignored. Each count is a cell
    of its own (total_a its women's and men's keys), published like every headcount; the shares and
    the index come from the published counts (`_gci`).
    """
    scope = staff_scope(cur, f, by_position=False, units=unit_and_children(cur, f.unit))
    counts = sql.select_list(
        *(
            sql.gender_sums(
                "sum(people)",
                key="sum(rkey_sum)",
                within=within,
                names=names,
                genders=("women", "men"),
                total="two",
                cast="BIGINT",
            )
            for within, names in (("grade = 'A'", "{}_a"), ("grade IN ('A', 'B', 'C')", "{}_abc"))
        )
    )
    df = sql.execute(
        cur,
        f"""
        WITH scope AS (SELECT *, {GRADE_SQL} AS grade FROM ({scope}))
        SELECT s.year, s.scope AS unit, any_value(n.name_sv) AS name_sv, any_value(n.name_en) AS name_en,
               s.scope = $unit AS is_total,
               {counts}
        FROM scope s
        LEFT JOIN units n ON n.unit = s.scope
        GROUP BY s.year, s.scope
        ORDER BY s.year, s.scope = $unit DESC, s.scope
    """,
        scope,
        counts,
        unit=f.unit,
    ).df()
    return _names(df)


# --- segregation --------------------------------------------------------------------------------


def _by_category(gender: str, category: str) -> str:
    return f"{gender}_in_{category}"


# Duncan's index is computed from the published count (or FTE) of each position category and
# gender, the cells `representation` shows, so the index agrees with that table; those columns are
# in the base table only (the registry perturbs them, `_duncan` reads them, then drops them).
SEGREGATION_COUNTS = {
    "women": "people",
    "men": "people",
    **{_by_category(g, c): "people" for c in POSITION_CATEGORIES for g in ("women", "men")},
}
SEGREGATION_FTE = {
    _by_category(f"fte_{g}", c): _by_category(g, c)  # FTE per person, as fte_per_person makes it
    for c in POSITION_CATEGORIES
    for g in ("women", "men")
}


def _duncan(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """Protection.derive of segregation: D = ½ Σ_i |w_i / W − m_i / M| with w_i, m_i the published
    counts (or FTE, from them: fte_columns) of category i and W, M their sums, so D stays within
    0..1. The per-category columns go once D is made."""
    prefix = ("women", "men")
    if f.measure == "fte":
        cols, prefix = fte_columns(cols, f, SEGREGATION_FTE), ("fte_women", "fte_men")
    w, m = (
        np.column_stack([arrays.values(cols, _by_category(p, c), 0.0) for c in POSITION_CATEGORIES]) for p in prefix
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        big_w, big_m = w.sum(axis=1, keepdims=True), m.sum(axis=1, keepdims=True)
        d = 0.5 * np.abs(w / big_w - m / big_m).sum(axis=1)
    d[(big_w[:, 0] == 0) | (big_m[:, 0] == 0)] = np.nan
    per_category = {c for c in SEGREGATION_COUNTS if c not in ("women", "men")}
    per_category |= {c + suffix for c in SEGREGATION_FTE for suffix in ("", PER_PERSON)}
    cols = {name: a for name, a in cols.items() if name not in per_category}
    return arrays.inserted(cols, 1, "duncan", d)


# The sums of segregation's base table over cells: headcounts of women and men with their keys, and FTE.
SEGREGATION_SUMS = (
    cells.Sum("people", key="rkey_sum", whole=True, genders=("women", "men"), total=None),
    cells.Sum("fte", names="fte_{}", genders=("women", "men"), total=None),
)


def _segregation_cells(held: cells.Cells, f: Filters) -> pd.DataFrame:
    """`segregation` from the cells in memory, as `_segregation_table` makes it from the query's sums,
    on arrays: one group per year and position category of POSITION_CATEGORIES (a grid, empty cells
    nobody), one per year (the same columns and types: tests/test_cells.py)."""
    staff = held.staff
    picked = cells.rows(staff, held.below, cell_scope(held, f, trend=True), f.unit)
    years, by_year = np.unique(staff.columns["year"][picked], return_inverse=True)
    by_year = by_year.ravel()
    position = staff.columns["position_category"][picked].astype(np.int64)
    # categories: the positions present in each year, listed or not (the query's groups per year)
    present = np.unique(by_year * (len(staff.labels["position_category"]) + 1) + position + 1)
    n_categories = np.bincount(present // (len(staff.labels["position_category"]) + 1), minlength=len(years))
    # each position code's place in POSITION_CATEGORIES (-1: not one of them; the last entry, a missing code)
    place = np.array(
        [POSITION_CATEGORIES.index(p) if p in POSITION_CATEGORIES else -1 for p in staff.labels["position_category"]]
        + [-1],
        dtype=np.int64,
    )[position]
    listed = place >= 0
    shape = (len(years), len(POSITION_CATEGORIES))
    grid = cells.gender_sums(
        staff, picked[listed], (by_year * shape[1] + place)[listed], shape[0] * shape[1], SEGREGATION_SUMS
    )
    cols = {"year": years.astype(np.int16), "categories": n_categories.astype(np.int64)}  # SMALLINT, BIGINT
    cols.update(cells.gender_sums(staff, picked, by_year, len(years), SEGREGATION_SUMS[:1]))
    for g in ("women", "men"):
        n = grid[g].reshape(shape)
        ck = grid[g + "__ck"].reshape(shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            per = np.where(n > 0, grid[f"fte_{g}"].reshape(shape) / n, np.nan)
        for i, category in enumerate(POSITION_CATEGORIES):
            cols[_by_category(g, category)] = n[:, i]
            cols[_by_category(g, category) + "__ck"] = ck[:, i]
            cols[_by_category(f"fte_{g}", category) + PER_PERSON] = per[:, i]
    return arrays.frame(cols)


@register(
    id="segregation",
    protection=Protection(
        counts=SEGREGATION_COUNTS,
        derive=_duncan,
        rows=Suppression(counts=("women", "men"), total=None, hide=("duncan",)),
    ),
    cells=_segregation_cells,
)
def segregation(cur, f: Filters) -> pd.DataFrame:
    """D = ½ Σ_i |w_i / W − m_i / M| over position categories i, per year (f.year_from..f.year_to).

    Duncan and Duncan (1955). By FTE when f.measure == 'fte'. Undefined (NaN) in a year without
    women or without men. Check (docs/design.md, "Segregation"): X 30W/10M, Y 20W/40M -> ½ (|0.6 − 0.2| + |0.4 − 0.8|) = 0.40.
    The base table has a headcount per category and gender (`SEGREGATION_COUNTS`) and its FTE per
    person; `_duncan` turns the published ones into D. women and men are the year's cells (those of `representation`'s 'all' row).
    """
    # Per year and category, and per year (position_category NULL: it is never NULL in the data).
    scope = staff_scope(cur, f, trend=True)
    both = sql.execute(
        cur,
        f"""
        WITH scope AS ({scope})
        SELECT year, position_category, {GENDER_COUNTS}
        FROM scope
        GROUP BY GROUPING SETS ((year, position_category), (year))
        ORDER BY year
    """,
        scope,
        GENDER_COUNTS,
    ).df()
    return _segregation_table(both)


def _segregation_table(both: pd.DataFrame) -> pd.DataFrame:
    """The base table from the sums per year and category, and per year (position_category missing)."""
    years = both[both["position_category"].isna()].reset_index(drop=True)
    by_category = both[both["position_category"].notna()]
    years.insert(1, "categories", years["year"].map(by_category.groupby("year").size()).astype("int64"))
    # One row per year and category, in a known order (missing cells: nobody), then one column each.
    grid = pd.MultiIndex.from_product([years["year"], POSITION_CATEGORIES], names=["year", "position_category"])
    by_category = by_category.set_index(["year", "position_category"]).reindex(grid)
    shape = (len(years), len(POSITION_CATEGORIES))
    columns = {}
    for g in ("women", "men"):
        n = by_category[g].fillna(0).to_numpy(dtype=np.int64).reshape(shape)
        ck = by_category[f"{g}__ck"].fillna(0).to_numpy(dtype=np.int64).reshape(shape)
        fte = by_category[f"fte_{g}"].to_numpy(dtype=float, na_value=np.nan).reshape(shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            per = np.where(n > 0, fte / n, np.nan)
        for i, category in enumerate(POSITION_CATEGORIES):
            columns[_by_category(g, category)] = n[:, i]
            columns[_by_category(g, category) + "__ck"] = ck[:, i]
            columns[_by_category(f"fte_{g}", category) + PER_PERSON] = per[:, i]
    head = years[["year", "categories", "women", "women__ck", "men", "men__ck"]].reset_index(drop=True)
    return pd.concat([head, pd.DataFrame(columns)], axis=1)


# --- managers -----------------------------------------------------------------------------------


def _managers_cells(held: cells.Cells, f: Filters) -> pd.DataFrame:
    """`managers` from the cells in memory."""
    return fte_per_person(arrays.frame(cell_table(held, cell_scope(held, f, trend=True, managers=True), ["year"])))


@register(id="managers", protection=gender_protection(), cells=_managers_cells)
def managers(cur, f: Filters) -> pd.DataFrame:
    """Managers per year (f.year_from..f.year_to): share_women = W / (W + M), by FTE on request."""
    scope = staff_scope(cur, f, trend=True)
    return fte_per_person(
        sql.execute(
            cur,
            f"""
        WITH scope AS ({scope})
        SELECT year, {GENDER_COUNTS}
        FROM scope WHERE manager
        GROUP BY year ORDER BY year
    """,
            scope,
            GENDER_COUNTS,
        ).df()
    )
