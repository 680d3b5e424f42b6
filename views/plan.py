"""Plan and follow-up: the unit's measures by sub-goal (status, deadline, the linked indicator against its
target), edited by administrators and the unit's own editors; the pay survey's record for administrators.

Who may change what is decided by indicators.access (README, "The plan and the pay survey's record");
every change goes through indicators.plan, one transaction each, with who and when kept."""

import datetime as dt
import tempfile
import uuid
from pathlib import Path

import pandas as pd
import streamlit as st

from indicators import plan
from indicators.catalogue import text
from indicators.protect import registry
from indicators.store import database
from views import _access, _data as data, _draw as draw
from views._filters import view

v = view()
lang = v.lang
T = lambda key, **kw: plan.t(key, lang, **kw)  # noqa: E731
draw.page_header("page_plan", v)
for message in st.session_state.pop("_plan_flash", []):
    st.success(message)

con = data.connection()
year = v.year or dt.date.today().year
unit = v.filters.unit
today = dt.date.today()

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
table = plan.plan_view(con.cursor(), unit, year, sub_units=True, today=today)
done = int((table["status"] == "done").sum())
if v.present:
    st.plotly_chart(plan.progress_figure(plan.progress(con.cursor(), unit, year), lang,
                                         T("slide_title", unit=v.unit_label, year=year, done=done, n=len(table))),
                    width="stretch", config={"displaylogo": False})
    st.stop()

st.caption(T("plan_intro", unit=v.unit_label, year=year))
if table.empty:
    st.info(T("no_measures", unit=v.unit_label, year=year))
else:
    st.write(T("progress", n=len(table), done=done, in_progress=int((table["status"] == "in_progress").sum()),
               planned=int((table["status"] == "planned").sum()), overdue=int(table["overdue"].sum())))
    for subgoal, (title_sv, title_en) in registry.SUBGOALS.items():
        rows = table[table["subgoal"] == subgoal]
        if rows.empty:
            continue
        st.subheader(f"{subgoal}. {title_sv if lang == 'sv' else title_en}")
        shown = pd.DataFrame({
            plan.column_label("title", lang): [
                (te if lang == "en" and isinstance(te, str) and te else ts) for ts, te in zip(rows["title_sv"], rows["title_en"])],
            plan.column_label("unit", lang): rows["unit"].map(lambda u: data.unit_name(u, lang)),
            plan.column_label("responsible", lang): rows["responsible"].fillna("–"),
            plan.column_label("deadline", lang): [
                ("–" if pd.isna(d) else f"{pd.Timestamp(d):%Y-%m-%d}") + (f" {T('overdue_mark')}" if o else "")
                for d, o in zip(rows["deadline"], rows["overdue"])],
            plan.column_label("status", lang): rows["status"].map(lambda s: T(f"status_{s}")),
            plan.column_label("indicator", lang): rows["indicator"].fillna("–"),
            plan.column_label("value_now", lang): [plan.format_target(i, x, lang) for i, x in zip(rows["indicator"], rows["value_now"])],
            plan.column_label("value_last_year", lang): [plan.format_target(i, x, lang) for i, x in zip(rows["indicator"], rows["value_last_year"])],
            plan.column_label("target_value", lang): [
                plan.format_target(i, x, lang) + ("" if pd.isna(y) else f" ({int(y)})")
                for i, x, y in zip(rows["indicator"], rows["target_value"], rows["target_year"])],
        })
        st.dataframe(shown, hide_index=True, width="stretch")
    # Who changed a measure is in the change log, for those who edit: not in every viewer's download.
    draw.downloads(table.drop(columns=["updated_at", "updated_by"]), draw.file_name("plan", v), "plan", lang,
                   title=text("app", "page_plan", lang))

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
    own = table[table["unit"].map(may_edit_unit)] if not table.empty else table
    if not admin:
        st.caption(T("edit_units", units=", ".join(data.unit_name(u, lang) for u in sorted(editor_units))))
    st.caption(T("edit_hint"))
    original = own.reindex(columns=list(plan.EDITOR_COLUMNS)).reset_index(drop=True)
    units_offered = sorted(u for u, _ in data.unit_tree() if may_edit_unit(u))
    cfg = st.column_config
    edited = st.data_editor(
        original, key=f"plan_editor_{unit}_{year}", num_rows="dynamic", hide_index=True, width="stretch",
        disabled=["measure_id"],
        column_config={
            "measure_id": cfg.NumberColumn("id"),
            "unit": cfg.SelectboxColumn(plan.column_label("unit", lang), options=units_offered, required=True,
                                        default=unit if unit in units_offered else None),
            "title_sv": cfg.TextColumn("titel (svenska)" if lang == "sv" else "title (Swedish)", required=True),
            "title_en": cfg.TextColumn("titel (engelska)" if lang == "sv" else "title (English)"),
            "subgoal": cfg.SelectboxColumn(plan.column_label("subgoal", lang), options=[1, 2, 3, 4, 5, 6], required=True),
            "status": cfg.SelectboxColumn("status", options=list(plan.STATUS), default="planned",
                                          format_func=lambda s: T(f"status_{s}")),
            "indicator": cfg.SelectboxColumn(plan.column_label("indicator", lang), options=list(plan.PLAN_INDICATORS)),
            "start_date": cfg.DateColumn(plan.column_label("start_date", lang), format="YYYY-MM-DD"),
            "deadline": cfg.DateColumn(plan.column_label("deadline", lang), format="YYYY-MM-DD"),
            "goal_area": cfg.TextColumn(plan.column_label("goal_area", lang)),
            "cost_sek": cfg.NumberColumn(plan.column_label("cost_sek", lang), min_value=0),
            "participants_women": cfg.NumberColumn(plan.column_label("participants_women", lang), min_value=0, step=1),
            "participants_men": cfg.NumberColumn(plan.column_label("participants_men", lang), min_value=0, step=1),
            "participants_other": cfg.NumberColumn(plan.column_label("participants_other", lang), min_value=0, step=1),
        })
    if st.button(T("save"), key="plan_save", type="primary", icon=":material/save:"):
        changes = plan.editor_changes(original, edited, year)
        if not len(changes):
            st.info(T("nothing_changed"))
        else:
            try:
                done = data.write("plan: save measures", lambda w: plan.apply_changes(
                    w, changes, who=who, via="app", may_edit_unit=may_edit_unit, may_edit_survey=admin) or True)
                if done:
                    st.session_state["_plan_flash"] = [T("saved", n=len(changes))]
                    st.rerun()
            except plan.PlanRefused as e:
                st.error(T("refused") + "\n\n" + "\n".join(f"- {plan.where(r, c)}{m}" for r, c, m in e.problems))

    with st.form("plan_add", clear_on_submit=True):
        st.subheader(T("add"))
        c1, c2, c3 = st.columns([3, 1, 1])
        new_title = c1.text_input("titel (svenska)" if lang == "sv" else "title (Swedish)", key="add_title")
        new_unit = c2.selectbox(plan.column_label("unit", lang), units_offered, key="add_unit",
                                index=units_offered.index(unit) if unit in units_offered else 0)
        new_subgoal = c3.selectbox(plan.column_label("subgoal", lang), [1, 2, 3, 4, 5, 6], key="add_subgoal")
        c4, c5, c6 = st.columns(3)
        new_responsible = c4.text_input(plan.column_label("responsible", lang), key="add_responsible")
        new_deadline = c5.date_input(plan.column_label("deadline", lang), value=None, key="add_deadline")
        new_status = c6.selectbox("status", list(plan.STATUS), format_func=lambda s: T(f"status_{s}"), key="add_status")
        if st.form_submit_button(T("add_button"), icon=":material/add:"):
            try:
                measure = {"unit": new_unit, "year": year, "title_sv": new_title.strip() or None,
                           "subgoal": new_subgoal, "responsible": new_responsible.strip() or None,
                           "deadline": new_deadline, "status": new_status}
                done = data.write("plan: add a measure", lambda w: plan.save_measure(
                    w, measure, who=who, via="app", may_edit_unit=may_edit_unit) or True)
                if done:
                    st.session_state["_plan_flash"] = [T("saved", n=1)]
                    st.rerun()
            except plan.PlanRefused as e:
                st.error(T("refused") + "\n\n" + "\n".join(f"- {plan.where(None, c)}{m}" for _, c, m in e.problems))

    if unit != database.ALL_UNITS and may_edit_unit(unit) and st.button(
            T("carry", next=year + 1), key="plan_carry", icon=":material/redo:"):
        ids = data.write("plan: carry measures over", lambda w: plan.carry_over_measures(
            w, unit, year, who=who, via="app", may_edit_unit=may_edit_unit))
        if ids is not None:
            st.session_state["_plan_flash"] = [T("carried", n=len(ids), next=year + 1)]
            st.rerun()

    gen = st.session_state.setdefault("_plan_upload_gen", 0)
    up = st.file_uploader(T("upload"), type=["xlsx"], key=f"plan_upload_{gen}")
    if up is not None and st.button(T("import_button"), key="plan_import", icon=":material/upload:"):
        with tempfile.TemporaryDirectory(prefix="balans-plan-") as tmp:
            path = Path(tmp) / f"{uuid.uuid4().hex}.xlsx"  # the uploaded name is only a label
            path.write_bytes(up.getvalue())
            result = data.write("plan: import a filled template", lambda w: plan.import_plan_files(
                w, [path], who=who, names=[up.name], may_edit_unit=may_edit_unit, may_edit_survey=admin))
        if result is not None and result.ok:
            w = result.written
            st.session_state["_plan_flash"] = [T("imported", m=len(w["measures"]), f=len(w["findings"]),
                                                 c=len(w["consultations"]))]
            st.session_state["_plan_upload_gen"] = gen + 1
            st.rerun()
        st.error("\n".join([result.refused or ""] + [f"- {p}" for p in result.problems]))

c1, c2 = st.columns(2)
c1.download_button(T("template"), plan.template_bytes, "balans_plan_template.xlsx", key="plan_template",
                   on_click="ignore", icon=":material/download:")
# The plan in the template's form and the change log hold the participants' counts unprotected and who
# changed what: for those who edit the plan, not for every viewer.
if unit != database.ALL_UNITS and may_edit_unit(unit):
    c2.download_button(T("plan_xlsx"), lambda: plan.plan_xlsx(con.cursor(), unit, year), draw.file_name("plan", v) + ".xlsx",
                       key="plan_xlsx", on_click="ignore", icon=":material/table_view:")
if admin or editor_units:
    with st.expander(T("log")):
        ids = [int(i) for i in table["measure_id"]] if not table.empty else []
        log = plan.audit(con.cursor(), "plan_measures")
        # This view's measures, and those deleted since (whose rows are gone but whose trail is not).
        log = log[log["row_id"].isin(ids) | ~log["row_id"].isin(plan.measures(con.cursor())["measure_id"])]
        st.dataframe(log, hide_index=True, width="stretch")

# --- the pay survey's record (administrators) ----------------------------------------------------------
st.header(T("survey", year=year))
if not admin:
    st.info(T("survey_admin"))
else:
    record = plan.pay_survey(con.cursor(), year, today=today)
    d = record.differences
    st.write(T("survey_counts", n=int(d["in_data"].fillna(False).astype(bool).sum()),
               missing=int((d["status"] == "analysis_missing").sum()),
               action=int((d["status"] == "action_missing").sum()), art10=len(record.art10)))
    cfg = st.column_config

    def save(changes):
        if not len(changes):
            st.info(T("nothing_changed"))
            return
        try:
            done = data.write("plan: the pay survey", lambda w: plan.apply_changes(
                w, changes, who=who, via="app", may_edit_survey=admin) or True)
            if done:
                st.session_state["_plan_flash"] = [T("saved", n=len(changes))]
                st.rerun()
        except plan.PlanRefused as e:
            st.error(T("refused") + "\n\n" + "\n".join(f"- {plan.where(r, c)}{m}" for r, c, m in e.problems))

    st.subheader(T("part_last_year"))
    if record.last_year.empty:
        st.caption(T("none"))
    else:
        last = record.last_year.reset_index(drop=True)
        edited_last = st.data_editor(
            last, key=f"survey_last_{year}", hide_index=True, width="stretch",
            disabled=[c for c in last.columns if c not in ("carried_out", "evaluation")],
            column_config={"carried_out": cfg.SelectboxColumn(plan.column_label("carried_out", lang),
                                                              options=list(plan.CARRIED_OUT),
                                                              format_func=lambda c: T(f"co_{c}"))})
        if st.button(T("save"), key="survey_last_save", icon=":material/save:"):
            save(plan.evaluation_changes(last, edited_last))

    st.subheader(T("part_differences"))
    rows = record.rows.reset_index(drop=True)
    if rows.empty:
        st.caption(T("none"))
    else:
        edited_rows = st.data_editor(
            rows, key=f"survey_rows_{year}", hide_index=True, width="stretch",
            disabled=["finding_id", "source", "group_key", "gap_pct", "status"],
            column_config={
                "source": cfg.TextColumn(plan.column_label("source", lang)),
                "status": cfg.SelectboxColumn(plan.column_label("status", lang), options=sorted(set(rows["status"])),
                                              format_func=lambda c: T(f"fs_{c}")),
                "explained": cfg.CheckboxColumn(plan.column_label("explained", lang)),
                "art10_path": cfg.SelectboxColumn(plan.column_label("art10_path", lang), options=list(plan.ART10_PATHS),
                                                  format_func=lambda c: plan.ART10_PATHS[c][0 if lang == "sv" else 1]),
                "action_deadline": cfg.DateColumn(plan.column_label("action_deadline", lang), format="YYYY-MM-DD"),
                "art10_date": cfg.DateColumn(plan.column_label("art10_date", lang), format="YYYY-MM-DD"),
                "remeasured_on": cfg.DateColumn(plan.column_label("remeasured_on", lang), format="YYYY-MM-DD"),
            })
        if st.button(T("save"), key="survey_rows_save", icon=":material/save:"):
            save(plan.finding_changes(rows, edited_rows, year))

    st.subheader(T("part_art10"))
    if record.art10.empty:
        st.caption(T("none"))
    else:
        st.dataframe(plan.display(record.art10, lang), hide_index=True, width="stretch")

    st.subheader(T("part_consultations"))
    if not record.consultations.empty:
        st.dataframe(plan.display(record.consultations, lang), hide_index=True, width="stretch")
    with st.form("survey_consultation", clear_on_submit=True):
        c1, c2 = st.columns([1, 3])
        held_on = c1.date_input(plan.column_label("held_on", lang), value=None, key="consult_date")
        participants = c2.text_input(plan.column_label("participants", lang), key="consult_who")
        notes = st.text_input(plan.column_label("notes", lang), key="consult_notes")
        if st.form_submit_button(T("add_consultation"), icon=":material/add:"):
            save(plan.Changes(consultations=[{"year": year, "held_on": held_on,
                                              "participants": participants.strip() or None,
                                              "notes": notes.strip() or None}]))
    c1, c2, c3 = st.columns(3)
    c1.download_button(T("survey_xlsx"), lambda: plan.pay_survey_xlsx(con.cursor(), year, lang),
                       f"lonekartlaggning_{year}.xlsx", key="survey_xlsx", on_click="ignore", icon=":material/table_view:")
    note = text("app", "demo_banner", lang) if database.has_synthetic(con.cursor()) else None
    c2.download_button(T("survey_html"), lambda: plan.pay_survey_html(con.cursor(), year, lang, synthetic_note=note),
                       f"lonekartlaggning_{year}.html", "text/html", key="survey_html", on_click="ignore",
                       icon=":material/description:")
    if c3.button(T("carry_findings", next=year + 1), key="survey_carry", icon=":material/redo:"):
        n = data.write("plan: carry findings over", lambda w: plan.carry_over_findings(w, year, who=who, via="app"))
        if n is not None:
            st.session_state["_plan_flash"] = [T("carried", n=len(n), next=year + 1)]
            st.rerun()
