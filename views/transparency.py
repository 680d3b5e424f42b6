"""Pay transparency (Directive 2023/970): HR's documents, for administrators with exact figures on.

The official art. 9 report (its data-quality flags, then the public (a)-(f) and internal (g) files in
every form), the joint pay assessment of a flagged category (art. 10), the worker's answer and the log
of requests (art. 7), and the factor plan's weights. Everything here is exact and confidential
(docs/privacy.md, "Who sees what"); the figures come from indicators.present.art9 and indicators.directive.
In presentation mode the page says that its documents are not for a shared screen, and shows nothing else
(docs/decisions.md)."""

import datetime as dt
import json

import pandas as pd
import streamlit as st

from indicators import catalogue
from indicators.catalogue import numbers
from indicators.directive import art7, art10, factors
from indicators.present import art9, columns
from indicators.protect import privacy
from indicators.subgoals.pay import evaluation, worker
from views import _access
from views import _data as data
from views import _draw as draw
from views._filters import view

v = view()
lang = v.lang
T = lambda key, **kw: catalogue.text("pay", key, lang, **kw)  # noqa: E731
draw.page_header("pay:page_transparency", v)
if v.present:  # a shared screen: exact, confidential figures and a worker's answer are not for it
    st.info(T("tr_not_presented"), icon=":material/lock:")
    st.stop()
st.caption(T("tr_intro"))
if not _access.is_admin():
    st.info(T("tr_admin_only"))
    st.stop()
if not v.filters.exact:
    st.info(T("tr_exact_only"), icon=":material/lock:")
    st.stop()
if v.year is None:
    st.stop()
con = data.connection()
year = v.year
who = getattr(st.user, "email", None) or "administrator (passphrase)"
employer = v.unit_label

# --- art. 9: the official report -------------------------------------------------------------------
st.header(T("tr_art9_head", year=year))
report = art9.official(con, year, v.filters.unit, employer)
confidence = "–" if report.confidence is None else numbers.percent(report.confidence, lang, 1)
st.metric(T("art9_confidence"), confidence)
st.caption(T("art9_quality_text", confidence=confidence))
flags = report.quality[report.quality["people"] > 0]
if not flags.empty:
    st.dataframe(
        pd.DataFrame(
            {
                T("art9_flag_col"): [catalogue.word("pay", "quality", f, lang) for f in flags["flag"]],
                T("art9_people_col"): flags["people"].astype(int),
            }
        ),
        hide_index=True,
    )
for file in art9.FILES:
    st.subheader(T(f"art9_file_{file}"))
    cols = st.columns(4)
    makers = {
        "xlsx": lambda f=file: art9.to_xlsx(report, f, lang),
        "html": lambda f=file: art9.to_html(report, f, lang).encode("utf-8"),
        "json": lambda f=file: json.dumps(art9.to_json(report, f), ensure_ascii=False, indent=2).encode("utf-8"),
        "csv": lambda f=file: art9.to_csv(report, f),
    }
    for col, (suffix, make) in zip(cols, makers.items()):
        col.download_button(
            suffix.upper(),
            make,
            f"art9_{file}_{year}.{suffix}",
            key=f"art9_{file}_{suffix}",
            on_click="ignore",
            icon=":material/download:",
        )

# --- art. 10: the joint pay assessment ---------------------------------------------------------------
st.header(T("tr_art10_head"))
flagged = art10.flagged(con, year)
if flagged.empty:
    st.info(T("tr_none_flagged"))
else:
    keys = list(dict.fromkeys(zip(flagged["part"], flagged["category"])))
    chosen = st.selectbox(
        T("tr_category"), keys, format_func=lambda k: art10.title(k[0], k[1], year, lang), key="art10_pick"
    )
    # under the art. 9 table's headings, categories and measures in words (columns.toml)
    shown = columns.shown(flagged.rename(columns={"measure": "pay_measure"}), "pay_transparency", lang)
    st.dataframe(shown, hide_index=True)
    c1, c2 = st.columns(2)
    c1.download_button(
        T("tr_art10_xlsx"),
        lambda: art10.assessment_xlsx(con, year, chosen[0], chosen[1], lang, employer),
        f"art10_{chosen[0]}_{chosen[1]}_{year}.xlsx",
        key="art10_xlsx",
        on_click="ignore",
        icon=":material/table_view:",
    )
    c2.download_button(
        T("tr_art10_html"),
        lambda: art10.assessment_html(con, year, chosen[0], chosen[1], lang, employer).encode("utf-8"),
        f"art10_{chosen[0]}_{chosen[1]}_{year}.html",
        "text/html",
        key="art10_html",
        on_click="ignore",
        icon=":material/description:",
    )

# --- art. 7: the worker's answer and the log -----------------------------------------------------------
st.header(T("tr_art7_head"))
st.caption(T("tr_art7_intro"))
person = st.text_input(T("tr_person"), key="art7_person")
received = st.date_input(T("tr_received"), value=dt.date.today(), key="art7_received")
if person.strip():
    key = worker.person_key(person, year, privacy.load_key(data.db_path(), data_exist=True))
    answer = worker.answer(con, key, year)
    if not answer.found:
        st.warning(T("art7_not_found", year=year))
    else:
        if answer.withheld:
            st.warning(T("tr_withheld"))
        c1, c2, c3 = st.columns(3)
        for col, letter_lang in ((c1, "sv"), (c2, "en")):
            col.download_button(
                T(f"tr_letter_{letter_lang}"),
                lambda ll=letter_lang: art7.letter_html(answer, ll, employer).encode("utf-8"),
                f"art7_{year}_{letter_lang}.html",
                "text/html",
                key=f"art7_letter_{letter_lang}",
                on_click="ignore",
                icon=":material/mail:",
            )
        if c3.button(T("tr_log_request"), key="art7_log", icon=":material/add:"):
            rid = data.write("art. 7: a request received", lambda w: art7.receive(w, key, year, received, who=who))
            if rid is not None:
                st.success(T("tr_logged", id=rid, deadline=art7.status(received, None, received)[1]))
log = art7.requests(data.newest())  # the newest snapshot: a request logged in this run shows at once
if not log.empty:
    late = log[log["status"].isin(["overdue", "due_soon"])]
    for _, r in late.iterrows():
        st.warning(T(f"tr_{r['status']}", id=int(r["request_id"]), deadline=r["deadline"]))
    st.dataframe(columns.shown(log, "pay_requests", lang), hide_index=True)
    open_ids = [int(i) for i in log.loc[log["status"] != "answered", "request_id"]]
    if open_ids:
        c1, c2, c3 = st.columns([1, 1, 1])
        rid = c1.selectbox(T("tr_request"), open_ids, key="art7_answer_pick")
        on = c2.date_input(T("tr_answered_on"), value=dt.date.today(), key="art7_answer_on")
        if c3.button(T("tr_mark_answered"), key="art7_answer", icon=":material/done:"):
            if data.write("art. 7: a request answered", lambda w: art7.answered(w, rid, on, who=who) or True):
                st.rerun()

# --- the factor plan -----------------------------------------------------------------------------------
st.header(T("tr_factors_head", year=year))
plan_rows = evaluation.factor_plan(con.cursor(), year)
if plan_rows.empty:
    st.info(T("tr_no_factors"))
else:
    edited = st.data_editor(
        plan_rows,
        key=f"factors_{year}",
        hide_index=True,
        width="stretch",
        disabled=["year", "criterion", "subfactor"],
        column_config={
            **{c: columns.label("factor_plan", c, lang) for c in plan_rows.columns},
            "criterion": st.column_config.SelectboxColumn(
                columns.label("factor_plan", "criterion", lang),
                options=list(catalogue.vocabulary("pay", "criterion")),
                format_func=lambda c: catalogue.word("pay", "criterion", c, lang),
            ),
        },
    )
    if st.button(T("tr_save_factors"), key="factors_save", icon=":material/save:"):
        try:
            n = data.write("the factor plan", lambda w: factors.save(w, year, edited, who=who, lang=lang))
            if n is not None:
                st.success(T("tr_factors_saved", n=n))
        except factors.FactorsRefused as e:
            st.error("\n".join(f"- {p}" for p in e.problems))
