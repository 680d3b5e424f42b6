"""Equal work (Diskrimineringslagen ch. 3 § 10, 'lika arbete'): pay by gender per unit x position."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import settings
from ...protect import arrays, privacy
from ...protect.registry import Filters, register
from ...store import cells, sql
from . import in_memory
from .scope import GENDER_PAY, PAY_FIGURES, gap_table, in_order, measured, pay_protection, pay_scope


def _equal_work_flag(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """derive for equal_work: the gaps, and the flag median_women < tolerance x median_men."""
    cols = gap_table(cols)
    tolerance = float(settings.goals()["pay"]["equal_work_tolerance"])
    cols["flag"] = arrays.flags(arrays.values(cols, "median_women") < tolerance * arrays.values(cols, "median_men"))
    return cols


# A row of a unit holds the people of that unit alone (level "unit"), a row of the chosen unit those of
# it and its sub-units (level "all"): two definitions, two draws, unless the unit has no sub-units
# (privacy.Group, OWN_UNIT).
EQUAL_WORK_PROTECTION = pay_protection(
    _equal_work_flag,
    PAY_FIGURES + ("flag",),
    privacy.Group(by={"position": "position", "level": privacy.OWN_UNIT}, unit="unit"),
)


def _equal_work_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """`equal_work` from the year's salaries in memory: GENDER_PAY per (unit, position) where staff sit
    and per position across the chosen unit (in_memory.gender_pay). None for another measure of pay."""
    p = in_memory.picked(held, f)
    if p is None:
        return None
    labels = p.salaries.labels
    positions, by_position = in_memory.codes(p.column("position_category"))
    units, unit_positions, by_pair = in_memory.pairs(p.column("unit"), p.column("position_category"))
    n_all, n_unit = len(positions), len(units)
    # GROUPING SETS ((year, unit, position), (year, position)): the positions first, then the pairs
    sums = in_memory.gender_pay(
        in_memory.Picked(p.year, p.salaries, np.concatenate([p.rows, p.rows])),
        np.concatenate([by_position, n_all + by_pair]),
        n_all + n_unit,
    )
    cols = {
        "year": np.full(n_all + n_unit, p.year, dtype=np.int32),
        "level": np.array(["all"] * n_all + ["unit"] * n_unit, dtype=object),
        "unit": np.concatenate([np.full(n_all, f.unit, dtype=object), labels["unit"][units]]),
        "position": np.concatenate(
            [labels["position_category"][positions], labels["position_category"][unit_positions]]
        ).astype(object),
        **sums,
    }
    return in_memory.frame(in_memory.ordered(cols, ["level", "position", "unit"]), f)


@register(id="equal_work", protection=EQUAL_WORK_PROTECTION, cells=_equal_work_cells)
def equal_work(cur, f: Filters) -> pd.DataFrame:
    """Pay by gender per (unit, position) where staff sit, and per position across the chosen unit.

    flag = median_women < equal_work_tolerance x median_men (goals.toml, default 0.95), from the
    published medians (`_equal_work_flag`).
    """
    scope = pay_scope(cur, f)
    df = sql.execute(
        cur,
        f"""
        WITH scope AS ({scope})
        SELECT year::INTEGER AS year,
               CASE WHEN grouping(unit) = 1 THEN 'all' ELSE 'unit' END AS level,
               coalesce(unit, $unit) AS unit,
               position_category AS position,
               {GENDER_PAY}
        FROM scope
        GROUP BY GROUPING SETS ((year, unit, position_category), (year, position_category))
    """,
        scope,
        GENDER_PAY,
        unit=f.unit,
    ).df()
    return measured(in_order(df, ["level", "position", "unit"]), f)
