"""Committees: every body of the unit with its balance and chair, and the trend by body type."""

import streamlit as st

from indicators import charts
from indicators.i18n import t
from views import _ui as ui

v = ui.view()
ui.page_header("page_committees", v)
if not ui.empty_state(v):
    ui.prefetch(v, "committee_bodies", "committee_summary")
    st.caption(t("committees_intro", v.lang))
    ui.section("committee_bodies", v, lambda df: charts.bodies(df, v.lang, v.unit_label, v.year_label, 0))
    ui.section("committee_summary", v, lambda df: charts.committee_trend(df, v.lang, v.unit_label))
