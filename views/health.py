"""Health (sub-goal 5): the sick-leave rate of women and of men over the years."""

import streamlit as st

from indicators import charts
from indicators.i18n import t
from views import _ui as ui

v = ui.view()
ui.page_header("page_health", v)
if not ui.empty_state(v):
    st.caption(t("health_intro", v.lang))
    ui.section("sick_leave", v, lambda df: charts.sick_leave(df, v.lang, v.unit_label, ui.k_of("sick_leave")))
