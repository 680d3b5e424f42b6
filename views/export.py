"""Export: one xlsx workbook of every indicator for the unit and year, and an offline HTML report."""

import datetime as dt

import streamlit as st

from indicators.catalogue import texts
from views import _draw as draw
from views._filters import view

t = texts("app")

v = view()
draw.page_header("page_export", v)
if not draw.empty_state(v):
    st.write(t("export_intro", v.lang, unit=v.unit_label, year=v.year_label))
    name = draw.file_name("balans", v)
    # built when clicked, from this session's cached tables: on a thread with the session's context
    st.download_button(
        t("export_workbook", v.lang),
        draw.in_session(lambda: draw.workbook(v)),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dl_workbook",
        on_click="ignore",
        icon=":material/table_view:",
        type="primary",
    )
    st.download_button(
        t("export_html", v.lang),
        draw.in_session(lambda: draw.html_report(v, dt.datetime.now())),
        f"{name}.html",
        "text/html",
        key="dl_report",
        on_click="ignore",
        icon=":material/description:",
    )
