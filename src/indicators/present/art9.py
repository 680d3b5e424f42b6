"""The EU pay-transparency directive's art. 9 report (Directive (EU) 2023/970) as one workbook, in
the page's language: the Pay page's extra download beside the pay_transparency table.

Written by export.workbook from columns.toml like every other download, so its headings are the
columns' labels in the language (not their codes), its numbers real numbers with the precision the
page shows, and its hidden rows say why. No Streamlit here.
"""

from __future__ import annotations

import pandas as pd

from .. import settings
from ..catalogue import texts, word
from ..catalogue.numbers import percent
from ..protect import registry
from ..store import database
from ..subgoals.pay import PAY_FIGURES
from . import export

t = texts("app")


# The figures each part's sheet holds (pay_transparency's columns), a sheet a part in this order.
FIGURES = {
    "overall": ["women", "men", *PAY_FIGURES],
    "variable_pay": ["note"],
    "quartile": ["women", "men", "total", "share_women"],
    "position": ["women", "men", *PAY_FIGURES, "flag"],
    "job_level": ["women", "men", *PAY_FIGURES, "flag"],
}


def workbook(con, filters: registry.Filters, lang: str) -> bytes:
    """The art. 9 report (Directive (EU) 2023/970) as one workbook in the page's language: a sheet
    saying what the report is, then a sheet per part (overall, variable pay, quartiles, position, job
    level when the staff data give one), each written by export.workbook from columns.toml like every
    other download (labels in the language, real numbers with their number formats, hidden rows saying
    why). The table is pay_transparency as registry.compute publishes it: protected, or exact when
    `filters.exact` (HR's report to the authority), and the first sheet says which."""
    df = registry.compute(con, "pay_transparency", filters)
    k = settings.k_anonymity(registry.REGISTRY["pay_transparency"].k_setting)
    names = database.unit_names(con, lang)
    year = df["year"].iloc[0] if not df.empty else filters.year
    threshold = percent(settings.goals()["pay"]["pay_transparency_threshold"], lang)
    about = [("art9_report", t("art9_report_what", lang)),
             ("unit", t("whole_org", lang) if filters.unit == database.ALL_UNITS else names.get(filters.unit, filters.unit)),
             ("year", "" if year is None else str(int(year))),
             ("art9_figures", t("exact_mark", lang) if filters.exact else t("protected_note", lang)),
             ("art9_pay", t("art9_pay_what", lang)),
             ("art9_gap", t("art9_gap_what", lang)),
             ("art9_flag", t("art9_flag_what", lang, threshold=threshold)),
             ("art9_hidden", t("art9_hidden_exact", lang) if filters.exact else t("art9_hidden_what", lang, k=k))]
    sheets = [(t("art9_about", lang), pd.DataFrame({t("art9_item", lang): [t(key, lang) for key, _ in about],
                                                    t("art9_value", lang): [value for _, value in about]}), None)]
    for part, figures in FIGURES.items():
        rows = df[df["part"] == part]
        if part == "job_level" and rows.empty:
            continue
        sheets.append((word("vocabularies", "part", part, lang), rows[["category", "year", *figures, "suppressed"]],
                       "pay_transparency"))
    return export.workbook(sheets, lang, k, names)
