"""The checks of pay transparency's sheets that need the database (issue 21), run by import_sheets inside
its transaction after the rows are written, so that a sheet imported together with the one it rests
on (the staff sheet, the factor plan) is found, and a refusal leaves nothing behind:

* a pay component belongs to a person of the staff sheet in the same year (by pseudonym: the raw id
  is hashed inside the query, as the import itself does, and never stored);
* a factor plan's weights add up to 100 for each year;
* a job score names a sub-factor of that year's factor plan, at a level the sub-factor has.

Each problem names file, sheet, row and column, as the checker names what it refuses.
"""

from __future__ import annotations

from . import keys
from .check import Problem, Sheet


def refused(con, sheets: list[Sheet], key: bytes | None) -> list[Problem]:
    """Every problem of the sheets just written (empty: the import may be committed)."""
    problems: list[Problem] = []
    for sheet in sheets:
        if sheet.kind.name == "components" and len(sheet.frame):
            problems += _components_without_staff(con, sheet, key)
        elif sheet.kind.name == "factor_plan" and len(sheet.frame):
            problems += _weights(con, sheet)
        elif sheet.kind.name == "job_scores" and len(sheet.frame):
            problems += _scores(con, sheet)
    return problems


def _problem(sheet: Sheet, row, column: str, code: str, **params) -> Problem:
    return Problem.of(sheet.file, sheet.name, int(row), column, code, header=sheet.headers.get(column), **params)


def _with_frame(con, sheet: Sheet, columns: list[str], query: str, params: list) -> list[tuple]:
    """`query` over the sheet's rows as the relation `incoming_check` (with their source_row), passed as
    parameters: lists unnested side by side (registering a frame is refused while the transaction has a
    result open)."""
    names = ["source_row", *columns]
    rows = "SELECT " + ", ".join(f"unnest(?) AS {n}" for n in names)
    values = [
        [None if v is None or v != v else (v.item() if hasattr(v, "item") else v) for v in sheet.frame[n]]
        for n in names
    ]
    return con.execute(f"WITH incoming_check AS ({rows}) {query}", [*values, *params]).fetchall()


def _components_without_staff(con, sheet: Sheet, key: bytes) -> list[Problem]:
    pseudonym, params = keys.pseudonymise_sql("person_id", key)
    rows = _with_frame(
        con,
        sheet,
        ["year", "person_id"],
        f"""
        SELECT i.source_row, i.year FROM (SELECT source_row, year, {pseudonym} AS person_key FROM incoming_check) i
        ANTI JOIN staff s ON s.year = i.year AND s.person_key = i.person_key
        ORDER BY i.source_row""",
        params,
    )
    return [_problem(sheet, r, "person_id", "component_no_person", year=int(y)) for r, y in rows]


def _weights(con, sheet: Sheet) -> list[Problem]:
    out = []
    for year in sheet.years:
        total = con.execute("SELECT sum(weight) FROM job_factors WHERE year = ?", [year]).fetchone()[0] or 0
        if abs(total - 100) > 1e-6:
            last = int(sheet.frame.loc[sheet.frame["year"] == year, "source_row"].max())
            out.append(_problem(sheet, last, "weight", "weights_not_100", year=year, total=f"{total:g}"))
    return out


def _scores(con, sheet: Sheet) -> list[Problem]:
    rows = _with_frame(
        con,
        sheet,
        ["year", "subfactor", "level"],
        """
        SELECT i.source_row, i.year, i.subfactor, i.level, f.levels FROM incoming_check i
        LEFT JOIN job_factors f ON f.year = i.year AND lower(trim(f.subfactor)) = lower(trim(i.subfactor))
        WHERE f.levels IS NULL OR i.level > f.levels
        ORDER BY i.source_row""",
        [],
    )
    return [
        _problem(sheet, r, "subfactor", "unknown_subfactor", found=s, year=int(y))
        if levels is None
        else _problem(sheet, r, "level", "level_above", found=int(level), levels=int(levels))
        for r, y, s, level, levels in rows
    ]
