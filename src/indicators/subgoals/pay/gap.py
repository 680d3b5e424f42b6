"""The unadjusted pay gap, mean and median, for a unit and year, and year by year."""

from __future__ import annotations

import pandas as pd

from ...protect.registry import REGISTRY, Filters, base_table, register, unscoped
from ...store import cells, sql
from .scope import GENDER_PAY, PAY_PROTECTION, measured, pay_scope


def _pay_gap_held(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """`pay_gap` of a chosen year as the function gives it, from the snapshot's connection: the year
    needs no query, and pay_gap_trend's table comes from its table of every unit (or its query where
    that is not ready). Read so, the table is computed on the calling thread with the pay page's other
    tables from memory (registry.in_memory; docs/performance.md, "The pay page on one thread"). None
    once the snapshot is no longer held (the function answers then)."""
    con = cells.connection_of(held)
    if con is None:
        return None
    if f.year is None:  # the latest year: a query, as the function's (no page asks so)
        with cells.cursor(con) as cur:
            return pay_gap(cur, f)
    return base_table(con, REGISTRY["pay_gap_trend"], f.with_(year_from=f.year, year_to=f.year))


@register(id="pay_gap", protection=PAY_PROTECTION, scoped=True, cells=_pay_gap_held)
def pay_gap(cur, f: Filters) -> pd.DataFrame:
    """One row: the unadjusted gap for the unit and year.

    gap = (M - W) / M x 100 on the means and on the medians; W / M x 100 the Swedish form.
    Check (docs/design.md, "Pay gap"): men 11, 20, 30, 39; women 10, 12, 21, 29 -> mean gap 28.0 %, median 34.0 %
    (exact figures; published ones move with the perturbed salary sums, module docstring).
    """
    # pay_gap_trend's table over the one year: the same figures, written once (from its table of every
    # unit where the snapshot has one: registry.of_every_unit).
    year = sql.year_or_latest(cur, f.year)
    return base_table(cur, REGISTRY["pay_gap_trend"], f.with_(year_from=year, year_to=year))


@register(id="pay_gap_trend", protection=PAY_PROTECTION, scoped=True, every_unit=True)
def pay_gap_trend(cur, f: Filters) -> pd.DataFrame:
    """`pay_gap` for each year from f.year_from to f.year_to (every year with data when unset)."""
    scope = pay_scope(cur, f, trend=True)
    df = sql.execute(
        cur,
        f"""
        WITH scope AS ({scope})
        SELECT scope, year::INTEGER AS year, scope AS unit, {GENDER_PAY}
        FROM scope
        GROUP BY scope, year
        ORDER BY scope, year
    """,
        scope,
        GENDER_PAY,
    ).df()
    return measured(unscoped(df, f), f)
