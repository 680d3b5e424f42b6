"""The SQL that every indicator shares, written once: which rows are in scope, and the sums by gender.

Each indicator module used to write these itself, and the copies had drifted into several forms that
meant the same thing (a unit with its sub-units in three, a year range in three, the sums by gender in
as many forms as modules). Here each is one function that returns a `Fragment`: its SQL text and its
parameters together, DuckDB named parameters (`$units`), never a value formatted into the text. A
query is built with an f-string from fragments and run with `execute`, which passes exactly the
parameters of the fragments it names: a fragment used without its parameters, or parameters without
their fragment, is an error from DuckDB, never a silently different query.

What lives here (and what each one means):

* `in_units`: the rows of a table that belong to one or more units, each *with its sub-units* (the
  registry's Filters.unit; Filters.units for the scoped indicators), through unit_tree;
* `below`: the (unit, unit below it) pairs behind `in_units`, for a query that needs the units only;
* `sub_units`: a unit's direct sub-units (the whole organisation's: the top-level units);
* `year_range`, `in_year`: the years of a trend (Filters.year_from..year_to, a missing end open) and
  the year of a snapshot (Filters.year);
* `positions`, `employment_type`: the position categories and the employment type chosen;
* `gender_sums`: a sum per gender (women, men, other or unknown) and in all, with what the cell-key
  method needs beside it (privacy.py: each count's key sums `__ck` and `__mk`, each magnitude's largest
  and second largest single contributions `__max`, `__max2`; `second_largest` and
  `second_largest_of_cells` write the last);
* `latest_year`: the year a snapshot shows when none is chosen;
* `staff_else_leave`: a measure that staff rows give per person and the leave sheet per unit (parental
  leave, care of a sick child, sick leave), from staff rows where a unit's year has them, else from the
  leave sheet, never both;
* `job_key`, `job_titles`, `job_points` (`JOB_POINTS`: of every year): a job's title folded for
  matching (once a title, not once a row), and each evaluated job's points of the job evaluation
  (subgoals/pay/evaluation.py; the pay cells carry them, store/cells.py).

The measure (headcount or FTE, Filters.measure) is no fragment: the queries sum both, and the share
is taken on the one chosen (representation.add_share_columns), so a page's counts never depend on it.
The names of tables, columns and aliases passed in are the code's own (trusted), never user input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

ALL_UNITS = "*"  # the unit that means the whole organisation (unit_tree holds it above every unit)

# The column name of each gender in the tables, and the value of `gender` it sums.
GENDERS = {"women": "woman", "men": "man", "other": "other"}


@dataclass(frozen=True)
class Fragment:
    """A piece of SQL and the named parameters it uses; `a & b` is both conditions (AND).

    In an f-string a fragment gives its SQL text (`f"WHERE {cond}"`); its parameters travel with it
    into `statement`/`execute`."""

    sql: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __and__(self, other: "Fragment") -> "Fragment":
        return Fragment(f"({self.sql}) AND ({other.sql})", merge(self, other))

    def __format__(self, spec: str) -> str:
        return self.sql

    def __str__(self) -> str:
        return self.sql


def merge(*parts: Fragment | Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of every part in one dict; a name given two different values is an error (two
    fragments that mean different units under one name would otherwise silently pick one)."""
    out: dict[str, Any] = {}
    for part in parts:
        for name, value in (part.params if isinstance(part, Fragment) else part).items():
            if name in out and out[name] != value:
                raise ValueError(f"SQL parameter ${name} given two values: {out[name]!r} and {value!r}")
            out[name] = value
    return out


def both(*conditions: Fragment) -> Fragment:
    """Every condition (AND); no condition: true."""
    if not conditions:
        return Fragment("true")
    out = conditions[0]
    for c in conditions[1:]:
        out = out & c
    return out


def select_list(*parts: Fragment) -> Fragment:
    """Select lists one after another (a comma between them)."""
    return Fragment(",\n    ".join(p.sql for p in parts), merge(*parts))


def statement(sql: str, *parts: Fragment, **params: Any) -> Fragment:
    """A whole query: its text (an f-string that used `parts`), with the parts' parameters and `params`."""
    return Fragment(sql, merge(*parts, params))


def execute(cur, sql: str, *parts: Fragment, **params: Any):
    """Run a query built from `parts` with their parameters and `params` (DuckDB's result, .df() etc.)."""
    q = statement(sql, *parts, **params)
    return cur.execute(q.sql, dict(q.params))


# --- which units -----------------------------------------------------------------------------------


def in_units(table: str, units: Sequence[str], *, unplaced: bool = False) -> Fragment:
    """The rows of `table` that belong to any unit of `units` or below it, as a relation with a leading
    `scope` column (the unit of `units` the row is counted for) and every column of the table.

    unit_tree holds every (ancestor, descendant) pair, a unit with itself included and '*' above every
    unit, so "a unit with its sub-units" is one join; a row under two of the units (a school and one
    of its departments, side by side on the scorecard) appears once for each. DISTINCT: a row is never
    counted twice for one unit, whatever the tree holds. `unplaced`: rows without a unit (committees
    of the whole university) belong to the whole organisation ('*') only.
    """
    tree = below(units)
    sql = f"""(SELECT t.ancestor AS scope, r.* FROM {table} r
      JOIN ({tree}) t ON t.descendant = r.unit"""
    if unplaced:
        sql += f"""
      UNION ALL
      SELECT '{ALL_UNITS}' AS scope, r.* FROM {table} r WHERE r.unit IS NULL AND list_contains($units, '{ALL_UNITS}')"""
    return Fragment(sql + ")", tree.params)


def below(units: Sequence[str]) -> Fragment:
    """Each unit of `units` (ancestor) with every unit below it, itself included (descendant), once."""
    return Fragment(
        "SELECT DISTINCT ancestor, descendant FROM unit_tree WHERE list_contains($units, ancestor)",
        {"units": list(units)},
    )


def sub_units(unit: str) -> Fragment:
    """The direct sub-units of `unit` (one column, unit); of the whole organisation ('*'), the units
    without a parent, so that the university's top is shown as the organisation's sub-unit."""
    return Fragment(
        f"SELECT unit FROM units WHERE parent_unit = $unit OR ($unit = '{ALL_UNITS}' AND parent_unit IS NULL)",
        {"unit": unit},
    )


# --- which years -----------------------------------------------------------------------------------


def year_range(column: str, first: int | None, last: int | None) -> Fragment:
    """`column` in first..last, both included; a missing end is open (from the first year with data,
    to the last): a trend without a range shows every year."""
    return Fragment(
        f"($year_from IS NULL OR {column} >= $year_from) AND ($year_to IS NULL OR {column} <= $year_to)",
        {"year_from": first, "year_to": last},
    )


def in_year(column: str, year: int | None) -> Fragment:
    """`column` is the snapshot's year (None: no year, so no rows: a table without data has no year)."""
    return Fragment(f"{column} = $year", {"year": year})


def latest_year(cur, table: str = "staff_cells") -> int | None:
    """The last year with rows in `table` (a snapshot's year when none is chosen); None when empty."""
    return cur.execute(f"SELECT max(year) FROM {table}").fetchone()[0]


def year_or_latest(cur, year: int | None, table: str = "staff_cells") -> int | None:
    """The chosen year, else the latest in `table`."""
    return year if year is not None else latest_year(cur, table)


# --- staff rows, else the leave sheet -------------------------------------------------------------


def staff_else_leave(
    units: Sequence[str],
    first: int | None,
    last: int | None,
    *,
    cells: str,
    given: str,
    staff_sums: str,
    leave_sums: str,
    leave_given: str,
) -> Fragment:
    """The CTEs of a measure that staff rows give per person and the leave sheet per unit and gender
    (parental leave, care of a sick child, sick leave): `by_gender`, one row per scope, year, gender
    and source, the sums `staff_sums` over staff_cells for every unit and year in which some staff
    row gives the measure, and `leave_sums` over the leave sheet's rows for every other unit and year,
    so that no unit and year is counted twice; `source` ('staff' or 'leave') is its last column.
    (Give a unit's leave at one level of the tree only: a leave row for a school beside staff rows
    for its departments would count the departments twice.)

    units, first, last: the scopes (`in_units`) and the years (`year_range`, a missing end open).
    cells: the staff_cells columns (alias s) that `staff_sums` reads, beside scope, year, unit, gender.
    given: how many of a cell's staff rows give the measure (its with_* counts, alias s).
    staff_sums, leave_sums: the two select lists, column for column alike (the leave sheet's alias is l).
    leave_given: when a leave row counts (its measure is given).
    """
    staff, leave = in_units("staff_cells", units), in_units("leave", units)
    staff_years, leave_years = year_range("s.year", first, last), year_range("l.year", first, last)
    return statement(
        f"""
    WITH staff_rows AS (
        SELECT s.scope, s.year, s.unit, s.gender, {cells}, {given} AS given
        FROM {staff} s
        WHERE {staff_years}
    ),
    from_staff AS (
        SELECT DISTINCT year, unit FROM staff_rows WHERE given > 0
    ),
    by_gender AS (
        SELECT scope, year, gender, {staff_sums}, 'staff' AS source
        FROM staff_rows SEMI JOIN from_staff USING (year, unit)
        GROUP BY scope, year, gender
        UNION ALL
        SELECT l.scope, l.year, l.gender, {leave_sums}, 'leave'
        FROM {leave} l
        ANTI JOIN from_staff fs ON fs.year = l.year AND fs.unit = l.unit
        WHERE {leave_years}
          AND ({leave_given})
        GROUP BY l.scope, l.year, l.gender
    )
""",
        staff,
        leave,
        staff_years,
        leave_years,
    )


# --- which people ----------------------------------------------------------------------------------


def positions(column: str, chosen: Iterable[str] | None) -> Fragment:
    """`column` (a position category) is one of those chosen; none chosen: every position."""
    return Fragment(
        f"($positions IS NULL OR list_contains($positions, {column}))", {"positions": list(chosen or ()) or None}
    )


def employment_type(column: str, etype: str | None) -> Fragment:
    """`column` is the chosen employment type; none chosen: every type."""
    return Fragment(f"($etype IS NULL OR {column} = $etype)", {"etype": etype})


def staff_filters(f, alias: str = "s", *, by_position: bool = True) -> Fragment:
    """The position and employment-type filters of a staff query (`f`: registry.Filters). by_position
    False: every position whatever was chosen (the glass ceiling and the pipeline span positions by
    design), the parameter kept so that the query's text is the same."""
    return positions(f"{alias}.position_category", f.positions if by_position else None) & employment_type(
        f"{alias}.employment_type", f.employment_type
    )


# --- sums by gender --------------------------------------------------------------------------------


def second_largest(column: str) -> str:
    """The second largest value of `column` over person rows (the largest again where two share it;
    NULL with one row): a `gender_sums` second= template."""
    return f"(max({column}, 2){{filter}})[2]"


def second_largest_of_cells(largest: str, second: str) -> str:
    """The same over cells that each carry their largest and second largest (staff_cells): the larger
    of the cells' second largest and the second of their largest. Aggregable, as the cell-key method
    needs every input to be."""
    return f"greatest(max({second}){{filter}}, (max({largest}, 2){{filter}})[2])"


def gender_sums(
    aggregate: str,
    *,
    key: str | None = None,
    key_plus: str | None = None,
    mkey: str | None = None,
    largest: str | None = None,
    second: str | None = None,
    within: str | None = None,
    names: str = "{}",
    genders: Sequence[str] = tuple(GENDERS),
    total: str | None = "all",
    zero: bool = True,
    cast: str | None = None,
) -> Fragment:
    """A select list: `aggregate` (e.g. "sum(people)", "count(*)") for each gender, and in all.

    One column per gender, named `names.format(gender)` (women, men, other: who is recorded as woman,
    man, or another or unknown gender), then the total, named `names.format("total")`: over every gender
    (total="all"), over women and men only (total="two", as She Figures' T = W + M), or none. `within`
    narrows every column (e.g. "grade = 'A'"). Beside each column:

    * `key`: its cell key's input, `<name>__ck` = the same sum of the rows' record keys (privacy.py:
      the key sum of exactly the records counted), 0 where there are none, plus `key_plus` (an SQL
      expression moving the key to the row's measure: privacy.measure_offset);
    * `mkey`: `<name>__mk`, the sum of the same rows' magnitude keys (for a magnitude over these records);
    * `largest`: `<name>__max`, the largest single contribution of a magnitude (its noise's scale);
    * `second`: `<name>__max2`, its second largest, a template whose `{filter}` takes the FILTER
      clause (`second_largest`, `second_largest_of_cells`).

    `zero`: a gender without rows gives 0 (else NULL); `cast` the type of each sum (e.g. "BIGINT").
    """
    columns = []
    wanted = [(names.format(g), f"gender = '{GENDERS[g]}'") for g in genders]
    if total == "all":
        wanted.append((names.format("total"), None))
    elif total == "two":
        wanted.append((names.format("total"), "gender IN ('woman', 'man')"))
    for name, gender in wanted:
        cond = " AND ".join(c for c in (within, gender) if c)
        flt = f" FILTER (WHERE {cond})" if cond else ""
        value = f"{aggregate}{flt}"
        if zero:
            value = f"coalesce({value}, 0)"
        if cast:
            value = f"{value}::{cast}"
        columns.append(f"{value} AS {name}")
        if key:
            plus = f" + {key_plus}" if key_plus else ""
            columns.append(f"coalesce({key}{flt}, 0)::BIGINT{plus} AS {name}__ck")
        if mkey:
            columns.append(f"coalesce({mkey}{flt}, 0)::BIGINT AS {name}__mk")
        if largest:
            columns.append(f"{largest}{flt} AS {name}__max")
        if second:
            columns.append(f"{second.format(filter=flt)} AS {name}__max2")
    return Fragment(",\n    ".join(columns))


# --- the job evaluation (issue 21) ---------------------------------------------------------------------


def job_key(expr: str) -> str:
    """A job's title or code folded as headers are folded (schema.norm_header): case, spaces, '_', '-',
    '.' and '/' do not matter, so 'Lab. engineer' in the staff sheet is 'lab engineer' in the scores."""
    return f"lower(trim(regexp_replace({expr}, '[\\s_\\-./]+', ' ', 'g')))"


def job_titles(relation: str, column: str = "position") -> str:
    """The distinct job titles of `relation` (its `column`) beside their `job_key`, as (title, job): a
    person row joins its title here, and the folded title joins the job evaluation, so that the regular
    expression runs once a title rather than once a row (job_value's query at scale 1, a department's
    10 000 rows: 94 -> 57 ms at load 9.5)."""
    return f"SELECT title, {job_key('title')} AS job FROM (SELECT DISTINCT {column} AS title FROM {relation})"


def job_points(year: str | None = None) -> str:
    """Each evaluated job of each year and its points, P = Σ w × l / L over the year's factor plan
    (subgoals/pay/evaluation.py): only jobs scored on every sub-factor of the year's plan. `year`: of
    that year only (an SQL expression, e.g. "$year"), read before grouping and in the plan's count,
    so that DuckDB neither groups every year's scores nor joins the plans' sizes back per year (the
    question "has this year an evaluation" took half the time at scale 1)."""
    one = f"\n    WHERE s.year = {year}" if year else ""
    plan_year = year or "s.year"
    return f"""
    SELECT s.year, {job_key("s.job")} AS job, sum(f.weight * s.level / f.levels) AS points
    FROM job_scores s
    JOIN job_factors f ON f.year = s.year AND lower(trim(f.subfactor)) = lower(trim(s.subfactor)){one}
    GROUP BY s.year, {job_key("s.job")}
    HAVING count(*) = (SELECT count(*) FROM job_factors p WHERE p.year = {plan_year})"""


# job_points of every year.
JOB_POINTS = job_points()
