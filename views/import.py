"""Import: check uploads (kind per sheet, preview, every problem) before anything is written; confirm
to import; the history of batches with removal and undo; templates; the demo data."""

import tempfile
import uuid
from pathlib import Path

import pandas as pd
import streamlit as st

from indicators import demo, importer, ingest, plan, store
from indicators.i18n import t
from indicators.templates import TEMPLATE_DIR
from views import _ui as ui

v = ui.view()
lang = v.lang
st.title(t("page_import", lang))
for message in st.session_state.pop("_flash", []):
    st.success(message)

allowed = ui.may_change(lang)

# --- upload, check, confirm ---------------------------------------------------------------------------
if allowed:
    gen = st.session_state.setdefault("_upload_gen", 0)
    uploads = st.file_uploader(t("upload", lang), accept_multiple_files=True, key=f"uploads_{gen}",
                               type=sorted(s.lstrip(".") for s in ingest.SPREADSHEET_SUFFIXES))
    if uploads:
        with tempfile.TemporaryDirectory(prefix="balans-upload-") as tmp:
            paths, names = [], []
            for up in uploads:
                # A generated name: the uploaded name is only ever a label, never part of a path.
                suffix = Path(up.name).suffix.lower()
                path = Path(tmp) / (uuid.uuid4().hex + (suffix if suffix in ingest.SPREADSHEET_SUFFIXES else ""))
                path.write_bytes(up.getvalue())
                paths.append(path)
                names.append(up.name)
            # The plan's template has an import of its own, where the editors' rights are checked.
            if any(plan.is_plan_file(p) for p in paths):
                st.info(plan.t("plan_file_here", lang))
                st.page_link("views/plan.py", label=t("page_plan", lang), icon=":material/checklist:")
                st.stop()
            checked = [ingest.check_file(p, display_name=n) for p, n in zip(paths, names)]
            for c in checked:
                st.subheader(t("check_result", lang, file=c.file))
                for sheet in c.sheets:
                    st.write(t("sheet_kind", lang, sheet=sheet.name, kind=sheet.kind.name, rows=len(sheet.frame),
                               years=", ".join(map(str, sheet.years)) or "–"))
                    # the raw id stays out of the preview: it is pseudonymised on import
                    st.dataframe(sheet.frame.drop(columns=["person_id"], errors="ignore").head(20),
                                 hide_index=True, width="stretch")
            problems = pd.DataFrame([{"file": p.file, "sheet": p.sheet, "row": p.row, "column": p.column,
                                      "level": p.level, "message": p.message}
                                     for c in checked for p in c.problems],
                                    columns=["file", "sheet", "row", "column", "level", "message"])
            st.subheader(t("problems", lang))
            if problems.empty:
                st.success(t("no_problems", lang))
            else:
                ui.table(problems, "problems", lng=lang)
            if all(c.ok for c in checked):
                replace = st.checkbox(t("replace", lang), key="replace")
                if st.button(t("confirm_import", lang), type="primary", key="confirm_import"):
                    # checked again (the files are those just shown) before the writer lock is taken
                    result = importer.check_files(paths, names=names)
                    if result.ok:
                        result = ui.write(f"import {', '.join(names)}",
                                          lambda con: importer.store_checked(con, result, replace=replace))
                    if result is not None and result.ok:
                        st.session_state["_flash"] = [t("imported", lang, ids=", ".join(map(str, result.batch_ids)))]
                        st.session_state["_upload_gen"] = gen + 1
                        st.rerun()
                    if result is not None:
                        st.error(result.refused or t("refused_file", lang))
            else:
                st.error(t("refused_file", lang))

# --- history ----------------------------------------------------------------------------------------
st.header(t("history", lang))
con = ui.connection()
history = store.history(con.cursor()).drop(columns=["sha256"])
if history.empty:
    st.info(t("no_history", lang))
else:
    ui.table(history, "import_history", lng=lang)
    if allowed:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        batch_id = c1.selectbox(t("remove", lang), history["batch_id"].tolist()[::-1], key="remove_batch")
        if c2.button(t("remove", lang), key="remove_button", icon=":material/delete:"):
            n = ui.write(f"remove batch {batch_id}", lambda w: store.remove_batch(w, int(batch_id)))
            if n is not None:
                st.session_state["_flash"] = [t("removed", lang, id=batch_id, n=n)]
                st.rerun()
undo = store.removed_batch(con.cursor())
if allowed and undo is not None:
    if st.button(t("undo_remove", lang, id=undo), key="undo_button", icon=":material/undo:"):
        restored = ui.write("undo the last removal", store.undo_remove)
        if restored is not None:
            st.session_state["_flash"] = [t("restored", lang, id=restored)]
            st.rerun()

# --- templates and demo -----------------------------------------------------------------------------
st.header(t("templates", lang))
cols = st.columns(3)
for i, path in enumerate(sorted(TEMPLATE_DIR.glob("*.xlsx"))):
    cols[i % 3].download_button(path.stem.replace("balans_", "").replace("_template", ""), path.read_bytes(),
                                path.name, key=f"tpl_{path.stem}", on_click="ignore", icon=":material/download:")

if allowed:
    st.header(t("demo", lang))
    st.caption(t("demo_over", lang))
    c1, c2 = st.columns(2)
    if c1.button(t("load_demo", lang), key="load_demo", icon=":material/science:"):
        with st.spinner():
            ids = ui.write("load the demo data", demo.load)
        if ids is not None:
            st.session_state["_flash"] = [t("demo_loaded", lang, ids=", ".join(map(str, ids)))]
            st.rerun()
    if store.has_synthetic(con.cursor()) and c2.button(t("remove_demo", lang), key="remove_demo", icon=":material/delete:"):
        n = ui.write("remove the demo data", demo.remove)
        if n is not None:
            st.session_state["_flash"] = [t("demo_removed", lang, n=n)]
            st.rerun()
