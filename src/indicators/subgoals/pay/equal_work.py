"""Equal work (Diskrimineringslagen ch. 3 § 10, 'lika arbete'): pay by gender per unit x position."""

from __future__ import annotations

import pandas as pd

from ... import settings
from ...protect import arrays
from ...protect.registry import Filters, register
from ...store import sql
from .scope import GENDER_PAY, PAY_FIGURES, gap_table, in_order, measured, pay_protection, pay_scope


def _equal_work_flag(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """derive for equal_work: the gaps, and the flag median_women < tolerance x median_men."""
    cols = gap_table(df)
    tolerance = float(settings.goals()["pay"]["equal_work_tolerance"])
    cols["flag"] = arrays.flags(arrays.values(cols, "median_women") < tolerance * arrays.values(cols, "median_men"))
    return arrays.frame(cols, df.index)


EQUAL_WORK_PROTECTION = pay_protection(_equal_work_flag, PAY_FIGURES + ("flag",))


@register(id="equal_work", protection=EQUAL_WORK_PROTECTION)
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
