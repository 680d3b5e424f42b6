"""Harassment and victimisation (sub-goal 6): reported cases per 100 women and men; small counts hidden."""

import streamlit as st

from indicators import charts
from indicators.i18n import t
from views import _ui as ui

v = ui.view()
ui.page_header("page_safety", v)
if not ui.empty_state(v):
    st.caption(t("safety_intro", v.lang))
    ui.section("incidents", v, lambda df: charts.incidents(df, v.lang, v.unit_label, ui.k_of("incidents")))
