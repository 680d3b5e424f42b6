"""Pay quartiles: the share of women in each quarter of the staff ranked by pay (UK SI 2017/172 reg. 13)."""

from __future__ import annotations

import pandas as pd

from ...protect import arrays
from ...protect.privacy import Protection, Suppression
from ...protect.registry import Filters, register
from ...store import cells, sql
from . import in_memory
from .scope import measured, pay_scope, snapshot

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
        SELECT gender, rkey, pay, person_key,
               (row_number() OVER (PARTITION BY pay, gender ORDER BY person_key) - 0.5)
                   / count(*) OVER (PARTITION BY pay, gender) AS place
        FROM scope
    ),
    ranked AS (
        SELECT gender, rkey, ntile(4) OVER (ORDER BY pay, place, person_key, gender) AS quartile
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


def _band_shares(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """share_women = W / (W + M) of a band, from the published (or exact) counts."""
    cols = {name: a for name, a in cols.items() if name not in ("scope_women", "scope_men")}
    women = arrays.values(cols, "women")
    cols["share_women"] = arrays.ratio(women, women + arrays.values(cols, "men"))
    return cols


def quartile_bands(cur, f: Filters) -> pd.DataFrame:
    """The four bands (base table: counts with their key sums), none where no one has a salary."""
    scope = pay_scope(cur, f)
    return sql.execute(cur, QUARTILE_BANDS.format(scope=scope), scope).df()


def _quartiles_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """`pay_quartiles` from the year's salaries in memory (in_memory.quartile_bands); None for another
    measure of pay than the monthly salary (the query then)."""
    p = in_memory.picked(held, f)
    if p is None:
        return None
    bands = in_memory.quartile_bands(p, f)
    bands.insert(0, "year", p.year)
    return measured(bands, f)


@register(
    id="pay_quartiles",
    cells=_quartiles_cells,
    protection=Protection(
        counts=BAND_COUNT_MEASURES,
        derive=_band_shares,
        rows=Suppression(counts=BAND_COUNTS, total=None, hide=("share_women",)),
    ),
)
def pay_quartiles(cur, f: Filters) -> pd.DataFrame:
    """Share of women per quartile band, UK SI 2017/172 reg. 13: rank, cut into four bands of whole
    persons ("so far as possible" equal: ntile), ties at a boundary shared as reg. 13(2) asks
    (QUARTILE_BANDS).

    Check (docs/design.md, "Pay quartiles"): men 11, 20, 30, 39; women 10, 12, 21, 29 rank 10 W, 11 M | 12 W, 20 M |
    21 W, 29 W | 30 M, 39 M: two whole persons per band -> 50, 50, 100, 0 % (no tie, n = 8: the
    whole-person bands are the same as the fractional ones were).
    """
    f = snapshot(cur, f)
    bands = quartile_bands(cur, f)
    bands.insert(0, "year", f.year)
    return measured(bands, f)
