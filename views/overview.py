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
    st.caption(t("scorecard_intro", v.lang, unit=v.unit_label, year=v.year_label))
    # Both scorecards in one computation: the unit's own rows, then its sub-units'.
    both = ui.scorecard("scorecard_overview", v.filters)
    if both is not None:
        own = both["unit"] == v.filters.unit
        ui.scorecard_rows(both[own].drop(columns="unit").reset_index(drop=True), "scorecard", v)
    ui.section("representation", v, lambda df: charts.representation(df, v.lang, v.unit_label, v.year_label, ui.k_of("representation")),
               heading=t("headline", v.lang, unit=v.unit_label, year=v.year_label))
    st.subheader(t("scorecard_units", v.lang))
    if both is not None:
        ui.scorecard_table(both[~own].reset_index(drop=True), "scorecard_units", v)
