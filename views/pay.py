"""Pay: the gap, equal work, equal value, quartiles, the EU directive's figures, the adjusted gap."""

import streamlit as st

from indicators import charts
from indicators.i18n import t
from views import _ui as ui

v = ui.view()
ui.page_header("page_pay", v)
if not ui.empty_state(v):
    ui.prefetch(v, "pay_gap", "pay_gap_trend", "equal_work", "equal_value",
                "equal_value_pairs", "pay_quartiles", "salary_distribution", "pay_transparency", "adjusted_gap")
    st.caption(t("pay_intro", v.lang))
    k = ui.k_of("pay_gap")
    ui.section("pay_gap", v, lambda df: charts.pay_gap(df, v.lang, v.unit_label, v.year_label, k))
    ui.section("pay_gap_trend", v, lambda df: charts.pay_trend(df, v.lang, v.unit_label, k))
    ui.section("equal_work", v)
    ui.section("equal_value", v)
    ui.section("equal_value_pairs", v)
    ui.section("pay_quartiles", v, lambda df: charts.quartiles(df, v.lang, v.unit_label, v.year_label, ui.k_of("pay_quartiles")))
    ui.section("salary_distribution", v, lambda df: charts.salary_distribution(
        df, v.lang, v.unit_label, v.year_label, ui.k_of("salary_distribution")))
    ui.section("pay_transparency", v)
    ui.pay_transparency_download(v)
    ui.section("adjusted_gap", v)
