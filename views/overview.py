"""Overview: the six sub-goals for the chosen unit and year (each row opens its page), then the same
for each sub-unit."""

import streamlit as st

from indicators import charts
from indicators.i18n import t
from views import _ui as ui

v = ui.view()
ui.page_header("page_overview", v)
if not ui.empty_state(v):
    st.subheader(t("scorecard", v.lang))
    st.caption(t("scorecard_intro", v.lang, unit=v.unit_label, year=v.year))
    card = ui.scorecard("scorecard", v.filters)
    if card is not None:
        ui.scorecard_rows(card, "scorecard", v)
    ui.section("representation", v, lambda df: charts.representation(df, v.lang, v.unit_label, v.year, ui.k_of("representation")),
               heading=t("headline", v.lang, unit=v.unit_label, year=v.year))
    st.subheader(t("scorecard_units", v.lang))
    units = ui.scorecard("scorecard_units", v.filters)
    if units is not None:
        ui.scorecard_table(units, "scorecard_units", v)
