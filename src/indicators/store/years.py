"""Which years the data hold, which of them are partial, and the year a visitor sees first.

A year is *partial* for a unit when some of the units below it (itself included) had staff in the
previous year that has data but have no staff in this one: the year has been imported for part of
the organisation only (one school's file of 2026 while the others are still to come), so every
figure of that year for the unit rests on some of its units, not all. The rule compares staff only:
staff rows are what the pages count people and pay from, and a unit that stops having staff (it was
closed or merged) is then named in the message, so a reader can tell a reorganisation from a missing
file. The first year has nothing to compare with and is complete.

The default year is the latest year that is not partial for the unit, so that a fresh visitor never
lands on a year resting on part of the organisation without being told; a partial year can still be
chosen, and is marked wherever it is shown.

Years are those with staff or committee rows (the year selector's list, as before). Counted from
staff_cells (staff per year and unit, kept with every import, removal and undo), not the person rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import sql
from .sql import ALL_UNITS  # not from store, which this module must not depend on


@dataclass(frozen=True)
class YearCoverage:
    """One year for one unit: the year before it that has data, and the units missing this year."""

    year: int
    previous: int | None
    missing: tuple[str, ...] = ()  # units (below the unit asked about) with staff in previous, none in year

    @property
    def partial(self) -> bool:
        return bool(self.missing)


def available(con) -> list[int]:
    """Every year with staff or committee rows, in order."""
    rows = con.execute("""SELECT DISTINCT year FROM (SELECT year FROM staff_cells UNION ALL SELECT year FROM committees)
                          ORDER BY year""").fetchall()
    return [int(r[0]) for r in rows]


def coverage(con, unit: str = ALL_UNITS) -> dict[int, YearCoverage]:
    """Per year (every year of `available`): its previous year and the units below `unit` that had
    staff in the previous year and none in this one. unit '*' is the whole organisation."""
    years, tree = available(con), sql.below([unit])
    missing = sql.execute(
        con,
        f"""
        WITH y AS (
            SELECT year, lag(year) OVER (ORDER BY year) AS previous
            FROM (SELECT DISTINCT year FROM (SELECT year FROM staff_cells UNION ALL SELECT year FROM committees))
        ),
        present AS (SELECT DISTINCT year, unit FROM staff_cells),
        below AS (SELECT descendant AS unit FROM ({tree}))
        SELECT y.year, p.unit
        FROM y
        JOIN present p ON p.year = y.previous
        WHERE p.unit IN (SELECT unit FROM below)
          AND NOT EXISTS (SELECT 1 FROM present c WHERE c.year = y.year AND c.unit = p.unit)
        ORDER BY y.year, p.unit""",
        tree,
    ).fetchall()
    gone: dict[int, list[str]] = {}
    for year, u in missing:
        gone.setdefault(int(year), []).append(u)
    return {
        year: YearCoverage(year, years[i - 1] if i else None, tuple(gone.get(year, ()))) for i, year in enumerate(years)
    }


def default_year(cov: dict[int, YearCoverage]) -> int | None:
    """The latest complete year (None when there are no years). The first year is always complete."""
    complete = [y for y, c in cov.items() if not c.partial]
    return max(complete) if complete else (max(cov) if cov else None)
