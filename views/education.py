"""Education (sub-goal 3): women and men per programme and level, the trend, and completion."""

import streamlit as st

from indicators import charts
from indicators.i18n import t
from views import _ui as ui

v = ui.view()
ui.page_header("page_education", v)
if not ui.empty_state(v):
    ui.prefetch(v, "students", "students_trend", "completion")
    st.caption(t("education_intro", v.lang))
    ui.section("students", v, lambda df: charts.students(df, v.lang, v.unit_label, v.year_label, ui.k_of("students")))
    ui.section("students_trend", v, lambda df: charts.students_trend(df, v.lang, v.unit_label))
    ui.section("completion", v, lambda df: charts.completion(df, v.lang, v.unit_label, ui.k_of("completion")))
