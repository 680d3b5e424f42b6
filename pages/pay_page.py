"""Pay: the gap, equal work, equal value, quartiles, the EU directive's figures, the adjusted gap."""

import streamlit as st

from indicators import charts
from indicators.i18n import t
from pages import _ui as ui

v = ui.view()
ui.page_header("page_pay", v)
if not ui.empty_state(v):
    st.caption(t("pay_intro", v.lang))
    k = ui.k_of("pay_gap")
    ui.section("pay_gap", v)
    ui.section("pay_gap_trend", v, lambda df: charts.line_over_years(
        df, v.lang, t("trend", v.lang) + f" – {v.unit_label}",
        next((c for c in ("median_gap_pct", "mean_gap_pct", "gap_pct", "median_gap", "mean_gap") if c in df), "gap_pct")))
    ui.section("equal_work", v)
    ui.section("equal_value", v)
    ui.section("equal_value_pairs", v)
    ui.section("pay_quartiles", v, lambda df: charts.quartiles(df, v.lang, v.unit_label, v.year, k))
    ui.section("pay_transparency", v)
    ui.pay_transparency_download(v)
    ui.section("adjusted_gap", v)
    ui.section("salary_distribution", v)
