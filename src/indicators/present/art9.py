"""The art. 9 report of Directive (EU) 2023/970 as one workbook, as the Pay page's download makes it."""

from __future__ import annotations

import pandas as pd

from .. import settings
from . import export
from ..protect.registry import Filters, compute
from ..subgoals.pay.scope import PAY_FIGURES


def pay_transparency_xlsx(con, filters: Filters) -> bytes:
    """The art. 9 report as one workbook: a sheet per part, as registry.compute publishes it: protected,
    or exact when `filters.exact` (HR's report to the authority; the about sheet then says so)."""
    df = compute(con, "pay_transparency", filters)
    year = df["year"].iloc[0] if not df.empty else filters.year
    figures_note = ("exact figures - confidential" if filters.exact else
                    "figures adjusted slightly to protect individuals (the cell-key method, as Statistics "
                    "Sweden does); parts may not add up to totals")
    about = pd.DataFrame({
        "item": ["report", "unit", "year", "figures", "pay", "gap", "flag", "hidden"],
        "value": [
            "Directive (EU) 2023/970 art. 9 (Balans)", filters.unit, year, figures_note,
            "full-time monthly salary (SEK); variable pay not given",
            "(men - women) / men x 100, mean and median, unadjusted; positive: women are paid less",
            f"category with |mean gap| >= {settings.goals()['pay']['pay_transparency_threshold']:.0%}: "
            "to be justified by objective, gender-neutral criteria or assessed jointly (art. 10)",
            "nothing hidden (exact figures)" if filters.exact else
            f"figures resting on fewer than {settings.k_anonymity()} women or men are left empty"]})
    figures = {
        "overall": ["women", "men", *PAY_FIGURES],
        "variable_pay": ["note"],
        "quartile": ["women", "men", "total", "share_women"],
        "position": ["women", "men", *PAY_FIGURES, "flag"],
        "job_level": ["women", "men", *PAY_FIGURES, "flag"],
    }
    sheets = {"about": about}
    for part, cols in figures.items():
        rows = df[df["part"] == part]
        if part == "job_level" and rows.empty:
            continue
        sheets[part] = rows[["category", "year", *cols, "suppressed"]]
    return export.to_xlsx(sheets)

