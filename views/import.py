"""Import: check uploads (kind per sheet, preview, every problem) before anything is written; confirm
to import; the history of batches with removal and undo; templates; the demo data."""

import tempfile
import uuid
from pathlib import Path

import streamlit as st

from indicators import demo
from indicators.catalogue import phrases, text, texts, word
from indicators.catalogue.numbers import number
from indicators.plan.importer import is_plan_file
from indicators.store import database, importer, read, years
from indicators.store.templates import TEMPLATE_DIR
from views import _access
from views import _data as data
from views import _draw as draw
from views._filters import view

t = texts("app")

v = view()
lang = v.lang
st.title(t("page_import", lang))
for message in st.session_state.pop("_flash", []):
    st.success(message)
for message in st.session_state.pop("_flash_warn", []):
    st.warning(message, icon=":material/rule:")

allowed = _access.may_change(lang)

# --- upload, check, confirm ---------------------------------------------------------------------------
if allowed:
    gen = st.session_state.setdefault("_upload_gen", 0)
    # The drop zone's own texts ("Drag and drop files here", "Browse files", "Limit 200MB per file")
    # are Streamlit's, in English, with no parameter to change them (1.67): the help says it in the language.
    uploads = st.file_uploader(
        t("upload", lang),
        accept_multiple_files=True,
        key=f"uploads_{gen}",
        help=t("upload_help", lang),
        type=sorted(s.lstrip(".") for s in read.SPREADSHEET_SUFFIXES),
    )
    if uploads:
        with tempfile.TemporaryDirectory(prefix="balans-upload-") as tmp:
            paths, names = [], []
            for up in uploads:
                # A generated name: the uploaded name is only ever a label, never part of a path.
                suffix = Path(up.name).suffix.lower()
                path = Path(tmp) / (uuid.uuid4().hex + (suffix if suffix in read.SPREADSHEET_SUFFIXES else ""))
                path.write_bytes(up.getvalue())
                paths.append(path)
                names.append(up.name)
            # The plan's template has an import of its own, where the editors' rights are checked.
            if any(is_plan_file(p) for p in paths):
                st.info(text("plan", "plan_file_here", lang))
                st.page_link("views/plan.py", label=t("page_plan", lang), icon=":material/checklist:")
                st.stop()
            # checked as the import will take them: sheets of one kind across the files together
            checked = importer.check_files(paths, names=names).checked
            for c in checked:
                st.subheader(t("check_result", lang, file=c.file))
                for sheet in c.sheets:
                    st.write(
                        t(
                            "sheet_kind",
                            lang,
                            sheet=sheet.name,
                            kind=phrases.kind_name(sheet.kind.name, lang),
                            rows=len(sheet.frame),
                            years=", ".join(map(str, sheet.years)) or "–",
                        )
                    )
                    # the file's headers, values in the page's language; the raw id stays out
                    st.dataframe(sheet.preview(lang), hide_index=True, width="stretch")
            problems = importer.problem_table(checked, lang)
            st.subheader(t("problems", lang))
            if problems.empty:
                st.success(t("no_problems", lang))
            else:
                draw.table(problems, "problems", "problems", lng=lang)
            if all(c.ok for c in checked):
                replace = st.checkbox(t("replace", lang), key="replace")
                if st.button(t("confirm_import", lang), type="primary", key="confirm_import"):
                    # checked again (the files are those just shown) before the writer lock is taken
                    result = importer.check_files(paths, names=names)
                    if result.ok:
                        result = data.write(
                            f"import {', '.join(names)}",
                            lambda con: importer.store_checked(con, result, replace=replace),
                        )
                    if result is not None and result.ok:
                        st.session_state["_flash"] = [t("imported", lang, ids=", ".join(map(str, result.batch_ids)))]
                        # a year imported for part of the organisation: said at once, not first on the overview
                        cov = years.coverage(data.newest().cursor())  # the snapshot just published
                        imported = {y for c in checked for sheet in c.sheets for y in sheet.years}
                        st.session_state["_flash_warn"] = [
                            t(
                                "imported_partial_one" if len(cov[y].missing) == 1 else "imported_partial",
                                lang,
                                year=y,
                                n=len(cov[y].missing),
                                previous=cov[y].previous,
                                default=years.default_year(cov),
                            )
                            for y in sorted(imported)
                            if y in cov and cov[y].partial
                        ]
                        st.session_state["_upload_gen"] = gen + 1
                        st.rerun()
                    if result is not None:
                        for clash in result.clashes:  # the page's own replace option, not the CLI's --replace
                            st.error(
                                t(
                                    "already_imported",
                                    lang,
                                    file=clash["file"],
                                    sheet=clash["sheet"],
                                    kind=phrases.kind_name(clash["kind"], lang),
                                    years=", ".join(map(str, clash["years"])),
                                    batch=clash["batch_id"],
                                    file_name=clash["file_name"],
                                    when=f"{clash['imported_at']:%Y-%m-%d %H:%M}",
                                    replace=t("replace", lang),
                                )
                            )
                        if not result.clashes:
                            st.error(t("refused_file", lang))
                            # what the database refused, said as the checker says it (store.ImportRefused)
                            stored = importer.problem_table(result.checked, lang)
                            if not stored.empty:
                                draw.table(stored, "problems_stored", "problems", lng=lang)
            else:
                st.error(t("refused_file", lang))

# --- history ----------------------------------------------------------------------------------------
st.header(t("history", lang))
con = data.connection()
history = database.history(con.cursor()).drop(columns=["sha256"])
if history.empty:
    st.info(t("no_history", lang))
else:
    draw.table(history, "import_history", "import_history", lng=lang)
    if allowed:
        # Nothing preselected: the batch to remove is chosen, shown in full and confirmed before anything goes.
        batches = {int(r.batch_id): r for r in history.itertuples(index=False)}

        def what(r) -> tuple[str, str]:
            """The batch's kind and years, and its file (the demo's as demo data)."""
            return phrases.kind_years(r.kind, r.years, lang), word("vocabularies", "demo_file", r.file_name, lang)

        def label(bid: int) -> str:
            r = batches[bid]
            kind_years, file = what(r)
            return t("batch_label", lang, id=bid, what=kind_years, rows=number(r.row_count, lang), file=file)

        rgen = st.session_state.setdefault("_remove_gen", 0)
        batch_id = st.selectbox(
            t("remove_pick", lang),
            list(batches)[::-1],
            index=None,
            format_func=label,
            placeholder=t("remove_placeholder", lang),
            key=f"remove_batch_{rgen}",
        )
        if batch_id is not None:
            r = batches[int(batch_id)]
            kind_years, file = what(r)
            st.warning(
                t(
                    "remove_what",
                    lang,
                    id=batch_id,
                    what=kind_years,
                    rows=number(r.row_count, lang),
                    source=file if r.synthetic else t("file_named", lang, file=file),
                    when=f"{r.imported_at:%Y-%m-%d %H:%M}",
                ),
                icon=":material/warning:",
            )
            sure = st.checkbox(
                t("remove_confirm", lang, id=batch_id, rows=number(r.row_count, lang)), key=f"remove_sure_{rgen}"
            )
            st.caption(t("remove_undo_note", lang))
            if (
                st.button(
                    t("remove", lang), key="remove_button", icon=":material/delete:", disabled=not sure, type="primary"
                )
                and sure
            ):
                n = data.write(f"remove batch {batch_id}", lambda w: database.remove_batch(w, int(batch_id)))
                if n is not None:
                    st.session_state["_flash"] = [t("removed", lang, id=batch_id, n=n)]
                    st.session_state["_remove_gen"] = rgen + 1  # a fresh, empty choice after a removal
                st.rerun()
undo = database.removed_batch(con.cursor())
if allowed and undo is not None:
    if st.button(t("undo_remove", lang, id=undo), key="undo_button", icon=":material/undo:"):
        restored = data.write("undo the last removal", database.undo_remove)
        if restored is not None:
            st.session_state["_flash"] = [t("restored", lang, id=restored)]
            st.rerun()

# --- templates and demo -----------------------------------------------------------------------------
st.header(t("templates", lang))
cols = st.columns(3)
for i, path in enumerate(sorted(TEMPLATE_DIR.glob("*.xlsx"))):  # balans_<kind>_template.xlsx, named by its kind
    kind = path.stem.removeprefix("balans_").removesuffix("_template")
    cols[i % 3].download_button(
        phrases.kind_name(kind, lang),
        path.read_bytes(),
        path.name,
        key=f"tpl_{path.stem}",
        on_click="ignore",
        icon=":material/download:",
    )

if allowed:
    st.header(t("demo", lang))
    st.caption(t("demo_over", lang))
    c1, c2 = st.columns(2)
    if c1.button(t("load_demo", lang), key="load_demo", icon=":material/science:"):
        try:
            with st.spinner():
                ids = data.write("load the demo data", demo.load)
        except demo.RealDataInTheWay as e:  # never over really imported years (demo.load decides)
            st.error(
                t(
                    "demo_refused",
                    lang,
                    batches="; ".join(
                        t("batch_short", lang, id=b["batch_id"], what=phrases.kind_years(b["kind"], b["years"], lang))
                        for b in e.batches
                    ),
                )
            )
        else:
            if ids is not None:
                st.session_state["_flash"] = [t("demo_loaded", lang, ids=", ".join(map(str, ids)))]
                st.rerun()
    if database.has_synthetic(con.cursor()) and c2.button(
        t("remove_demo", lang), key="remove_demo", icon=":material/delete:"
    ):
        n = data.write("remove the demo data", demo.remove)
        if n is not None:
            st.session_state["_flash"] = [t("demo_removed", lang, n=n)]
            st.rerun()
