"""Plan and follow-up: the unit's measures by sub-goal (status, deadline, the linked indicator against its
target), edited by administrators and the unit's own editors; the pay survey's record for administrators.

Who may change what is decided by indicators.access (docs/plan.md, "The plan and the pay survey's record");
every change goes through indicators.plan.records, one transaction each, with who and when kept. Every
word is in catalogue/plan.toml, every column's label in columns.toml: tables go through columns.shown,
the editors take the same labels and show codes in words."""

import datetime as dt
import tempfile
import uuid
from pathlib import Path

import streamlit as st

from indicators.catalogue import text, vocabulary, word
from indicators.plan.editor import EDITOR_COLUMNS, editor_changes, evaluation_changes, finding_changes
from indicators.plan.followup import audit_table, page_table, plan_view, progress, progress_figure
from indicators.plan.importer import import_plan_files
from indicators.plan.links import PLAN_INDICATORS
from indicators.plan.records import (
    Changes,
    apply_changes,
    audit,
    carry_over_findings,
    carry_over_measures,
    measures,
    save_measure,
)
from indicators.plan.rules import PlanRefused
from indicators.plan.survey import pay_survey, readable
from indicators.plan.workbook import pay_survey_html, pay_survey_xlsx, plan_xlsx, template_bytes
from indicators.present import columns
from indicators.store import database, importer
from views import _access
from views import _data as data
from views import _draw as draw
from views._filters import view

v = view()
lang = v.lang
T = lambda key, **kw: text("plan", key, lang, **kw)  # noqa: E731
L = lambda name, table="plan": columns.label(table, name, lang)  # noqa: E731  a column's heading (columns.toml)
draw.page_header("page_plan", v)
for message in st.session_state.pop("_plan_flash", []):
    st.success(message)

con = data.connection()
year = v.year or dt.date.today().year
unit = v.filters.unit
today = dt.date.today()
cfg = st.column_config
SUBGOALS = [1, 2, 3, 4, 5, 6]


def words(vocab: str):
    """A format_func showing a code of catalogue/plan.toml's vocabulary in words."""
    return lambda code: word("plan", vocab, code, lang)


def subgoal_words(n) -> str:
    return columns.word(columns.declared("plan", "subgoal"), n, lang)


def refused(e: PlanRefused) -> None:
    st.error(T("refused") + "\n\n" + "\n".join(f"- {line}" for line in e.lines(lang)))


# --- who may change what ------------------------------------------------------------------------------
policy = st.session_state.get("_policy")
email = getattr(st.user, "email", None) if policy is not None and policy.mode == "sign_in" else None
admin = policy is not None and policy.mode == "sign_in" and policy.may_change(email=email)
admin = admin or bool(st.session_state.get("_admin"))  # the passphrase, given on this page or on Import
editor_units = policy.plan_units(email=email) if policy is not None else set()
who = email or ("administrator (passphrase)" if admin else None)


def may_edit_unit(u: str) -> bool:
    return admin or u in editor_units


# --- the measures, by sub-goal ------------------------------------------------------------------------
measures_in_view = plan_view(con.cursor(), unit, year, sub_units=True, today=today)
table = page_table(measures_in_view, lang)
done = int((table["status"] == "done").sum())
if v.present:
    # draw.chart: presentation mode's type and the legend placed clear of the axis, as every chart
    draw.chart(
        progress_figure(
            progress(con.cursor(), unit, year),
            lang,
            T("slide_title", unit=v.unit_label, year=year, done=done, n=len(table)),
        ),
        "plan_progress",
    )
    st.stop()

st.caption(T("plan_intro", unit=v.unit_label, year=year))
if table.empty:
    st.info(T("no_measures", unit=v.unit_label, year=year))
else:
    st.write(
        T(
            "progress",
            n=len(table),
            done=done,
            in_progress=int((table["status"] == "in_progress").sum()),
            planned=int((table["status"] == "planned").sum()),
            overdue=int(table["overdue"].sum()),
        )
    )
    # One table, shown a sub-goal at a time under its heading; the downloads are that table whole.
    shown = columns.shown(table, "plan", lang, names=data.unit_names(lang), page=True)
    for subgoal in sorted(set(table["subgoal"])):
        st.subheader(subgoal_words(subgoal))
        draw.grid(shown[table["subgoal"] == subgoal].drop(columns=[L("subgoal")]), "plan", lang)
    draw.downloads(table, draw.file_name("plan", v), "plan", lang, title=text("app", "page_plan", lang))

# --- editing ------------------------------------------------------------------------------------------
st.header(T("edit"))
if policy is not None and policy.mode == "passphrase" and not admin:
    admin = _access.may_change(lang)
    who = "administrator (passphrase)" if admin else None
if not admin and not editor_units:
    st.info(T("view_only"))
elif unit == database.ALL_UNITS and not admin:
    st.info(T("choose_unit"))
else:
    own = (
        measures_in_view[measures_in_view["unit"].map(may_edit_unit)]
        if not measures_in_view.empty
        else measures_in_view
    )
    if not admin:
        st.caption(T("edit_units", units=", ".join(data.unit_name(u, lang) for u in sorted(editor_units))))
    st.caption(T("edit_hint"))
    original = own.reindex(columns=list(EDITOR_COLUMNS)).reset_index(drop=True)
    units_offered = sorted(u for u, _ in data.unit_tree() if may_edit_unit(u))
    unit_words = lambda u: data.unit_name(u, lang)  # noqa: E731
    labels = {c: L(c) for c in EDITOR_COLUMNS}
    edited = st.data_editor(
        original,
        key=f"plan_editor_{unit}_{year}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        disabled=["measure_id"],
        column_config={
            **labels,
            "measure_id": cfg.NumberColumn(labels["measure_id"]),
            "unit": cfg.SelectboxColumn(
                labels["unit"],
                options=units_offered,
                required=True,
                format_func=unit_words,
                default=unit if unit in units_offered else None,
            ),
            "title_sv": cfg.TextColumn(labels["title_sv"], required=True),
            "title_en": cfg.TextColumn(labels["title_en"]),
            "subgoal": cfg.SelectboxColumn(
                labels["subgoal"], options=SUBGOALS, required=True, format_func=subgoal_words
            ),
            "status": cfg.SelectboxColumn(
                labels["status"],
                options=list(vocabulary("plan", "status")),
                default="planned",
                format_func=words("status"),
            ),
            "indicator": cfg.SelectboxColumn(
                labels["indicator"], options=list(PLAN_INDICATORS), format_func=words("indicator")
            ),
            "start_date": cfg.DateColumn(labels["start_date"], format="YYYY-MM-DD"),
            "deadline": cfg.DateColumn(labels["deadline"], format="YYYY-MM-DD"),
            "goal_area": cfg.TextColumn(labels["goal_area"]),
            "cost_sek": cfg.NumberColumn(labels["cost_sek"], min_value=0),
            "participants_women": cfg.NumberColumn(labels["participants_women"], min_value=0, step=1),
            "participants_men": cfg.NumberColumn(labels["participants_men"], min_value=0, step=1),
            "participants_other": cfg.NumberColumn(labels["participants_other"], min_value=0, step=1),
        },
    )
    if st.button(T("save"), key="plan_save", type="primary", icon=":material/save:"):
        changes = editor_changes(original, edited, year)
        if not len(changes):
            st.info(T("nothing_changed"))
        else:
            try:
                saved = data.write(
                    "plan: save measures",
                    lambda w: (
                        apply_changes(
                            w, changes, who=who, via="app", may_edit_unit=may_edit_unit, may_edit_survey=admin
                        )
                        or True
                    ),
                )
                if saved:
                    st.session_state["_plan_flash"] = [T("saved", n=len(changes))]
                    st.rerun()
            except PlanRefused as e:
                refused(e)

    with st.form("plan_add", clear_on_submit=True):
        st.subheader(T("add"))
        c1, c2, c3 = st.columns([3, 1, 1])
        new_title = c1.text_input(labels["title_sv"], key="add_title")
        new_unit = c2.selectbox(
            labels["unit"],
            units_offered,
            key="add_unit",
            format_func=unit_words,
            index=units_offered.index(unit) if unit in units_offered else 0,
        )
        new_subgoal = c3.selectbox(labels["subgoal"], SUBGOALS, key="add_subgoal", format_func=subgoal_words)
        c4, c5, c6 = st.columns(3)
        new_responsible = c4.text_input(labels["responsible"], key="add_responsible")
        new_deadline = c5.date_input(labels["deadline"], value=None, key="add_deadline")
        new_status = c6.selectbox(
            labels["status"], list(vocabulary("plan", "status")), format_func=words("status"), key="add_status"
        )
        if st.form_submit_button(T("add_button"), icon=":material/add:"):
            try:
                measure = {
                    "unit": new_unit,
                    "year": year,
                    "title_sv": new_title.strip() or None,
                    "subgoal": new_subgoal,
                    "responsible": new_responsible.strip() or None,
                    "deadline": new_deadline,
                    "status": new_status,
                }
                saved = data.write(
                    "plan: add a measure",
                    lambda w: save_measure(w, measure, who=who, via="app", may_edit_unit=may_edit_unit) or True,
                )
                if saved:
                    st.session_state["_plan_flash"] = [T("saved", n=1)]
                    st.rerun()
            except PlanRefused as e:
                refused(e)

    if (
        unit != database.ALL_UNITS
        and may_edit_unit(unit)
        and st.button(T("carry", next=year + 1), key="plan_carry", icon=":material/redo:")
    ):
        ids = data.write(
            "plan: carry measures over",
            lambda w: carry_over_measures(w, unit, year, who=who, via="app", may_edit_unit=may_edit_unit),
        )
        if ids is not None:
            st.session_state["_plan_flash"] = [T("carried", n=len(ids), next=year + 1)]
            st.rerun()

    gen = st.session_state.setdefault("_plan_upload_gen", 0)
    up = st.file_uploader(T("upload"), type=["xlsx"], key=f"plan_upload_{gen}")
    if up is not None and st.button(T("import_button"), key="plan_import", icon=":material/upload:"):
        with tempfile.TemporaryDirectory(prefix="balans-plan-") as tmp:
            path = Path(tmp) / f"{uuid.uuid4().hex}.xlsx"  # the uploaded name is only a label
            path.write_bytes(up.getvalue())
            result = data.write(
                "plan: import a filled template",
                lambda w: import_plan_files(
                    w, [path], who=who, names=[up.name], may_edit_unit=may_edit_unit, may_edit_survey=admin
                ),
            )
        if result is not None and result.ok:
            w = result.written
            st.session_state["_plan_flash"] = [
                T("imported", m=len(w["measures"]), f=len(w["findings"]), c=len(w["consultations"]))
            ]
            st.session_state["_plan_upload_gen"] = gen + 1
            st.rerun()
        elif result is not None:
            # every problem where the file has it, in the page's language (the Import page's table)
            st.error(result.refusal(lang))
            problems = importer.problem_table(result.checked, lang)
            if not problems.empty:
                draw.table(problems, "plan_problems", "problems", lng=lang)

c1, c2 = st.columns(2)
c1.download_button(
    T("template"),
    template_bytes,
    "balans_plan_template.xlsx",
    key="plan_template",
    on_click="ignore",
    icon=":material/download:",
)
# The plan in the template's form and the change log hold the participants' counts unprotected and who
# changed what: for those who edit the plan, not for every viewer.
if unit != database.ALL_UNITS and may_edit_unit(unit):
    c2.download_button(
        T("plan_xlsx"),
        lambda: plan_xlsx(con.cursor(), unit, year),
        draw.file_name("plan", v) + ".xlsx",
        key="plan_xlsx",
        on_click="ignore",
        icon=":material/table_view:",
    )
if admin or editor_units:
    with st.expander(T("log")):
        ids = [int(i) for i in table["measure_id"]] if not table.empty else []
        log = audit(con.cursor(), "plan_measures")
        # This view's measures, and those deleted since (whose rows are gone but whose trail is not).
        log = log[log["row_id"].isin(ids) | ~log["row_id"].isin(measures(con.cursor())["measure_id"])]
        st.dataframe(
            columns.shown(audit_table(log, lang, data.unit_names(lang)), "plan_audit", lang),
            hide_index=True,
            width="stretch",
        )

# --- the pay survey's record (administrators) ----------------------------------------------------------
st.header(T("record_title", year=year))
if not admin:
    st.info(T("survey_admin"))
else:
    record = pay_survey(con.cursor(), year, today=today)
    d = record.differences
    st.write(
        T(
            "survey_counts",
            n=int(d["in_data"].fillna(False).astype(bool).sum()),
            missing=int((d["status"] == "analysis_missing").sum()),
            action=int((d["status"] == "action_missing").sum()),
            art10=len(record.art10),
        )
    )

    def save(changes):
        if not len(changes):
            st.info(T("nothing_changed"))
            return
        try:
            saved = data.write(
                "plan: the pay survey",
                lambda w: apply_changes(w, changes, who=who, via="app", may_edit_survey=admin) or True,
            )
            if saved:
                st.session_state["_plan_flash"] = [T("saved", n=len(changes))]
                st.rerun()
        except PlanRefused as e:
            refused(e)

    def dates(part: str, *dated: str) -> dict:
        return {n: cfg.DateColumn(L(n, part), format="YYYY-MM-DD") for n in dated}

    def numbers(part: str, df) -> dict:
        """The editor's numbers rounded as the tables show them (columns.toml's decimals)."""
        out = {}
        for n in df.columns:
            c = columns.declared(part, n)
            if c.kind in ("percent", "sek", "count"):
                out[n] = cfg.NumberColumn(c.label(lang), format=f"%.{c.decimals}f")
        return out

    names = data.unit_names(lang)

    st.subheader(T("part_last_year"))
    if record.last_year.empty:
        st.caption(T("none"))
    else:
        part = "pay_survey.last_year"
        last = record.last_year.reset_index(drop=True)
        edited_last = st.data_editor(  # groups in words; what changed is read against `last`, keys and all
            readable(last, lang, names),
            key=f"survey_last_{year}",
            hide_index=True,
            width="stretch",
            disabled=[c for c in last.columns if c not in ("carried_out", "evaluation")],
            column_config={
                **{c: L(c, part) for c in last.columns},
                **dates(part, "action_deadline"),
                **numbers(part, last),
                "source": cfg.SelectboxColumn(
                    L("source", part), options=list(vocabulary("plan", "source")), format_func=words("source")
                ),
                "carried_out": cfg.SelectboxColumn(
                    L("carried_out", part),
                    options=list(vocabulary("plan", "carried_out")),
                    format_func=words("carried_out"),
                ),
            },
        )
        if st.button(T("save"), key="survey_last_save", icon=":material/save:"):
            save(evaluation_changes(last, edited_last))

    st.subheader(T("part_differences"))
    rows = record.rows.reset_index(drop=True)
    if rows.empty:
        st.caption(T("none"))
    else:
        part = "pay_survey.differences"
        edited_rows = st.data_editor(
            readable(rows, lang, names),
            key=f"survey_rows_{year}",
            hide_index=True,
            width="stretch",
            disabled=["finding_id", "source", "group_key", "gap_pct", "status"],
            column_config={
                **{c: L(c, part) for c in rows.columns},
                **dates(part, "action_deadline", "art10_date", "remeasured_on"),
                **numbers(part, rows),
                "source": cfg.SelectboxColumn(
                    L("source", part), options=list(vocabulary("plan", "source")), format_func=words("source")
                ),
                "status": cfg.SelectboxColumn(
                    L("status", part),
                    options=list(vocabulary("plan", "finding_status")),
                    format_func=words("finding_status"),
                ),
                "explained": cfg.CheckboxColumn(L("explained", part)),
                "art10_path": cfg.SelectboxColumn(
                    L("art10_path", part),
                    options=list(vocabulary("plan", "art10_path")),
                    format_func=words("art10_path"),
                ),
            },
        )
        if st.button(T("save"), key="survey_rows_save", icon=":material/save:"):
            save(finding_changes(rows, edited_rows, year))

    st.subheader(T("part_art10"))
    if record.art10.empty:
        st.caption(T("none"))
    else:
        st.dataframe(
            columns.shown(readable(record.art10, lang, names), "pay_survey.art10", lang),
            hide_index=True,
            width="stretch",
        )

    st.subheader(T("part_consultations"))
    if not record.consultations.empty:
        st.dataframe(
            columns.shown(record.consultations, "pay_survey.consultations", lang), hide_index=True, width="stretch"
        )
    with st.form("survey_consultation", clear_on_submit=True):
        c1, c2 = st.columns([1, 3])
        held_on = c1.date_input(L("held_on", "pay_survey.consultations"), value=None, key="consult_date")
        participants = c2.text_input(L("participants", "pay_survey.consultations"), key="consult_who")
        notes = st.text_input(L("notes", "pay_survey.consultations"), key="consult_notes")
        if st.form_submit_button(T("add_consultation"), icon=":material/add:"):
            save(
                Changes(
                    consultations=[
                        {
                            "year": year,
                            "held_on": held_on,
                            "participants": participants.strip() or None,
                            "notes": notes.strip() or None,
                        }
                    ]
                )
            )
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        T("survey_xlsx"),
        lambda: pay_survey_xlsx(con.cursor(), year, lang),
        f"lonekartlaggning_{year}.xlsx",
        key="survey_xlsx",
        on_click="ignore",
        icon=":material/table_view:",
    )
    note = text("app", "demo_banner", lang) if database.has_synthetic(con.cursor()) else None
    c2.download_button(
        T("survey_html"),
        lambda: pay_survey_html(con.cursor(), year, lang, synthetic_note=note),
        f"lonekartlaggning_{year}.html",
        "text/html",
        key="survey_html",
        on_click="ignore",
        icon=":material/description:",
    )
    if c3.button(T("carry_findings", next=year + 1), key="survey_carry", icon=":material/redo:"):
        n = data.write("plan: carry findings over", lambda w: carry_over_findings(w, year, who=who, via="app"))
        if n is not None:
            st.session_state["_plan_flash"] = [T("carried", n=len(n), next=year + 1)]
            st.rerun()
