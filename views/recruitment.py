"""Recruitment and promotion: the funnel per sub-unit beside its roll-up (Simpson's paradox), promotions."""

import streamlit as st

from indicators import charts
from indicators.i18n import t
from views import _ui as ui


def simpson(df) -> None:
    # Said every time, beside the chart: the roll-up alone can reverse what each sub-unit shows.
    if charts.simpson(df):
        st.warning(t("simpson_found", v.lang), icon=":material/swap_vert:")
    st.caption(t("simpson_note", v.lang))


v = ui.view()
ui.page_header("page_recruitment", v)
if not ui.empty_state(v):
    ui.prefetch(v, "recruitment_funnel", "promotions")
    st.caption(t("recruitment_intro", v.lang))
    names = ui.unit_names(v.lang)
    ui.section("recruitment_funnel", v, lambda df: charts.funnel(df, v.lang, v.unit_label, v.year_label, names,
                                                                 ui.k_of("recruitment_funnel")), after_chart=simpson)
    ui.section("promotions", v, lambda df: charts.promotions(df, v.lang, v.unit_label, v.year_label, ui.k_of("promotions")))
