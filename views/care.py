"""Unpaid care work (sub-goal 4): parental leave and care of a sick child, by gender, against staff."""

import streamlit as st

from indicators import charts
from indicators.i18n import t
from views import _ui as ui

v = ui.view()
ui.page_header("page_care", v)
if not ui.empty_state(v):
    st.caption(t("care_intro", v.lang))
    k = ui.k_of("care_leave")
    ui.section("care_leave", v, lambda df: charts.care_shares(df, v.lang, v.unit_label, k),
               after_chart=lambda df: ui.chart(charts.care_days(df, v.lang, v.unit_label, k), "care_leave_days"))
