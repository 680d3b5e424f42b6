"""What a Swedish user sees, everywhere: every page (normal and presented), every table as columns.shown
gives it, every download (the Swedish CSV, the xlsx), the workbook, the art. 9 workbook and the HTML
report, in Swedish, on the demo data. Two things must never be in it:

(a) English from the catalogue: a text that is, whole, the English side of an entry whose Swedish
    differs (every book, columns.toml's labels, every indicator's title), or that reads as one of the
    English sentences with its {placeholders} filled. Whole texts only, so that a word both languages
    share ("Status", "Data", "index") is no false alarm.
(b) A raw code: a snake_case identifier (`share_women`, `phd_student`, `care_leave`), which is what a
    code left untranslated looks like. A code written as code on purpose (the Method page's `share_women`
    in backticks, which names the machine CSV's column) is not what is meant, and is left out.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from helpers import app_test
from indicators import catalogue, report
from indicators.catalogue.declarations import catalogue as declarations
from indicators.present import art9, columns, export, pages
from indicators.protect import registry
from indicators.protect.access import hash_passphrase
from indicators.store import database, importer, writer
from indicators.subgoals import goals

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SRC = ROOT / "src" / "indicators"
PASSPHRASE = "correct horse battery staple"


# --- what counts as English, and as a code --------------------------------------------------------------


def _pairs() -> list[tuple[str, str]]:
    """Every (Swedish, English) the app can say: the books, columns.toml's labels and meanings, the
    indicators' titles and descriptions (their .meta.toml)."""
    out = []
    for name in catalogue.books():
        b = catalogue.book(name)
        out += list(b.text.values()) + [p for vocab in b.vocab.values() for p in vocab.values()]
    cat = declarations()
    for entry in [*cat.columns.values(), *(e for t in cat.tables.values() for e in t.values())]:
        out += [
            (entry[sv], entry[en]) for sv, en in (("sv", "en"), ("about_sv", "about_en")) if sv in entry and en in entry
        ]
    for path in SRC.rglob("*.meta.toml"):
        for entry in tomllib.loads(path.read_text(encoding="utf-8")).values():
            out += [tuple(entry[key]) for key in ("title", "description") if key in entry]
    return out


PAIRS = _pairs()
SWEDISH = {sv.strip() for sv, _ in PAIRS}
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}")


def _codes() -> list[tuple[str, str]]:
    """(Swedish, code) of every vocabulary's codes: a code shown as it is ("staff", "demo (synthetic)")
    is as English as its English word."""
    return [
        (sv, code)
        for name in catalogue.books()
        for vocab in catalogue.book(name).vocab.values()
        for code, (sv, _) in vocab.items()
    ]


def _english() -> tuple[set[str], list[re.Pattern]]:
    """The English sides that differ from their Swedish, and the codes, as whole texts and, where they
    have placeholders, as patterns (each placeholder any text). An English text that is also some entry's
    Swedish ("Program", "Status") is not English to a Swedish reader."""
    whole, patterns = set(), []
    for sv, en in PAIRS + _codes():
        en = en.strip()
        if en == sv.strip() or en in SWEDISH or not re.search(r"[A-Za-z]{2}", PLACEHOLDER.sub("", en)):
            continue
        if PLACEHOLDER.search(en):
            fixed = PLACEHOLDER.sub("", en)
            if len(re.sub(r"[^A-Za-z]", "", fixed)) >= 8:  # enough words of its own to tell it apart
                parts = PLACEHOLDER.split(en)
                patterns.append(re.compile(".+?".join(re.escape(p) for p in parts) + r"\Z", re.S))
        else:
            whole.add(en)
    return whole, patterns


ENGLISH, ENGLISH_PATTERNS = _english()
# A snake_case identifier, not inside a word, a path or a file name.
CODE = re.compile(r"(?<![\w./@\\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/\\@-]|\.\w)")
CODE_SPAN = re.compile(r"`[^`]*`")
# A Material Symbols icon in HTML (views/_draw.status_badge): its ligature's name ("check_circle") is
# drawn as a glyph and hidden from screen readers (aria-hidden), so it is not a text a reader meets.
ICON = re.compile(r'<span class="balans-icon"[^>]*>[^<]*</span>')
TAG = re.compile(r"<[^>]+>")


def _texts(value: str) -> list[str]:
    """A text as read: without HTML tags, code spans and icons, and each of its lines alone too."""
    plain = TAG.sub("\n", CODE_SPAN.sub("", ICON.sub("", str(value)))).replace("\u00a0", " ")
    return [t for t in {plain.strip(), *(line.strip(" -*•:") for line in plain.splitlines())} if t]


def problems(where: str, values) -> list[str]:
    """What is wrong in these texts: English from the catalogue, or a raw code."""
    out = []
    for value in values:
        if value is None or (isinstance(value, float) and value != value) or not isinstance(value, str):
            continue
        for text in _texts(value):
            if text in ENGLISH or any(p.match(text) for p in ENGLISH_PATTERNS):
                out.append(f"{where}: English: {text!r}")
            out += [f"{where}: a code: {m.group(0)!r} in {text[:120]!r}" for m in CODE.finditer(text)]
    return sorted(set(out))


def test_the_checks_find_what_they_look_for():
    # (a) whole English texts and English sentences filled in; Swedish, and words both share, pass
    assert problems("t", ["Share of women", "Women are 33 % of professors in KTH, 2025"]) == [
        "t: English: 'Share of women'",
        "t: English: 'Women are 33 % of professors in KTH, 2025'",
    ]
    assert problems("t", ["Andel kvinnor", "Status", "Data", "Kvinnor är 33 % av professorer i KTH 2025"]) == []
    # a vocabulary's code shown as it is, as the Import page once named the demo's batches and kinds
    assert problems("t", ["demo (synthetic)", "staff", "personal"]) == [
        "t: English: 'demo (synthetic)'",
        "t: English: 'staff'",
    ]
    # (b) a code, but not a file name, a path or a code span
    # (not "share_women:associate_professor": that is a plan indicator's code, whose words are plan.toml's)
    assert problems("t", ["median_gap:associate_professor"]) == [
        "t: a code: 'associate_professor' in 'median_gap:associate_professor'",
        "t: a code: 'median_gap' in 'median_gap:associate_professor'",
    ]
    assert problems("t", ["balans_staff_template.xlsx", "data/goals_x.toml", "kolumnen `share_women`"]) == []
    # (c) an icon's ligature is not a text; the words beside it are read
    assert problems("t", ['<span class="balans-icon" aria-hidden="true">check_circle</span> uppfyllt']) == []
    assert problems("t", ['<span class="balans-icon" aria-hidden="true">error</span> not met']) == [
        "t: English: 'not met'"
    ]


# --- the demo, and what the app shows of it ---------------------------------------------------------------


# conftest's demo_db: the default demo (seed 0, scale 1), this module's own copy


@pytest.fixture(scope="module")
def con(demo_db):
    c = writer.reader(str(demo_db)).connection()
    registry.load_all()
    return c


def _elements(node):
    ch = getattr(node, "children", None)
    yield node
    if ch:
        for c in ch.values() if isinstance(ch, dict) else ch:
            yield from _elements(c)


def _frame_texts(df: pd.DataFrame) -> list[str]:
    return [str(c) for c in df.columns] + [v for col in df.columns for v in df[col].tolist() if isinstance(v, str)]


def _editor_texts(df: pd.DataFrame, config: dict) -> list[str]:
    """What the browser shows of an editor (st.data_editor): each column under its configured label, a
    select box's cells by their options' labels (its format_func), other cells as they are."""
    out = []
    for c in df.columns:
        conf = config.get(str(c), {})
        out.append(conf.get("label") or str(c))
        options = {
            o.get("value"): o.get("label")
            for o in (conf.get("type_config") or {}).get("options", [])
            if isinstance(o, dict)
        }
        out += [options.get(v, v) if options else v for v in df[c].tolist() if isinstance(v, str)]
    return out


def _chart_texts(spec: dict) -> list[str]:
    layout, out = spec.get("layout", {}), []
    out.append((layout.get("title") or {}).get("text"))
    for axis in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
        out.append(((layout[axis] or {}).get("title") or {}).get("text"))
    out += [a.get("text") for a in layout.get("annotations", [])]
    for trace in spec.get("data", []):
        out.append(trace.get("name"))
        for key in ("x", "y", "text", "customdata"):
            values = trace.get(key)
            if isinstance(values, list):
                out += [v for v in values if isinstance(v, str)]
        template = trace.get("hovertemplate")
        if isinstance(template, str):
            out += re.split(r"%\{[^}]*\}|<extra>.*?</extra>", template)
    return [t for t in out if isinstance(t, str)]


TEXT_ELEMENTS = {
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "text",
    "latex",
    "code",
    "warning",
    "info",
    "error",
    "success",
    "toast",
    "exception",
    "badge",
}


def seen(at: AppTest) -> list[str]:
    """Every text of a drawn page: headings, paragraphs, messages, tables, widgets and their options,
    buttons and links, and the charts' titles, axes, legends and hover texts."""
    out = []
    for e in _elements(at._tree):
        kind = getattr(e, "type", "")
        if kind in ("dataframe", "table", "arrow_data_frame"):
            try:
                frame = e.value if isinstance(e.value, pd.DataFrame) else pd.DataFrame(e.value)
            except Exception:
                continue
            editor = getattr(getattr(e, "proto", None), "editing_mode", 0)  # 0: read only; 1, 2: st.data_editor
            out += _editor_texts(frame, json.loads(e.proto.columns or "{}")) if editor else _frame_texts(frame)
        elif kind == "plotly_chart":
            out += _chart_texts(json.loads(e.proto.spec))
        else:
            # a text element's value is its text; a widget's is what was chosen (a code), shown by its options
            for attr in (
                ("value", "label", "help", "placeholder") if kind in TEXT_ELEMENTS else ("label", "help", "placeholder")
            ):
                try:
                    v = getattr(e, attr, None)
                except Exception:
                    v = None
                if isinstance(v, str):
                    out.append(v)
            proto = getattr(e, "proto", None)
            for attr in ("label", "body", "help"):
                v = getattr(proto, attr, None) if proto is not None else None
                if isinstance(v, str):
                    out.append(v)
            try:
                options = getattr(e, "options", None)
            except Exception:
                options = None
            if isinstance(options, list):
                out += [o for o in options if isinstance(o, str)]
    return out


@pytest.fixture(scope="module")
def opened(demo_db):
    """The app in Swedish on the demo, as an administrator (so that the Import page shows everything)."""
    with pytest.MonkeyPatch.context() as mp:  # the module's one app, on the module's one database
        mp.setenv("BALANS_DB", str(demo_db))
        at = app_test(APP, 180)
        at.secrets["balans"] = {"admin_passphrase": hash_passphrase(PASSPHRASE)}
        at.query_params["lang"] = "sv"
        at.run()
        yield at


OTHER_PAGES = [p for p in pages.PAGES if p.id != "plan"]


@pytest.mark.parametrize("page", [p.id for p in OTHER_PAGES])
def test_every_page_in_swedish(opened, page):
    at = opened
    at.switch_page(pages.page(page).file).run()
    if page == "import" and at.get("text_input"):  # past the passphrase: the whole page
        at.text_input(key="passphrase").input(PASSPHRASE).run()
    assert not at.exception, [e.value for e in at.exception]
    found = problems(page, seen(at))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("page", ["overview", "representation", "pay", "committees"])
def test_pages_presented_in_swedish(opened, page):
    """Presentation mode: the same words, larger, the filters said in a line instead of the sidebar."""
    at = opened
    at.toggle(key="present_pick").set_value(True).run()
    try:
        at.switch_page(pages.page(page).file).run()
        assert not at.exception, [e.value for e in at.exception]
        found = problems(f"{page} (presented)", seen(at))
    finally:
        at.toggle(key="present_pick").set_value(False).run()
    assert not found, "\n".join(found)


def test_the_plan_page_in_swedish_to_a_viewer(demo_db):
    # A fresh session, no passphrase: what everyone sees of the plan (the measures, the follow-up)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BALANS_DB", str(demo_db))
        at = app_test(str(APP), 180)
        at.query_params["lang"] = "sv"
        at.run()
        at.switch_page(pages.page("plan").file).run()
    assert not at.exception
    found = problems("plan", seen(at))
    assert not found, "\n".join(found)


def test_the_plan_page_in_swedish_to_an_administrator(opened):
    at = opened
    at.switch_page(pages.page("import").file).run()
    if at.get("text_input"):
        at.text_input(key="passphrase").input(PASSPHRASE).run()
    at.switch_page(pages.page("plan").file).run()
    assert not at.exception
    found = problems("plan", seen(at))
    assert not found, "\n".join(found)


def test_the_pay_transparency_page_in_swedish_with_exact_figures(opened, demo_db):
    # The administrator's documents (art. 9, 10 and 7, the factor plan) need exact figures: the page
    # as HR sees it. The factor plan's sub-factors are named by the employer's own codes (its file's
    # "delfaktor" column, the key of the job scores), user data rather than Balans' codes: left out.
    at = opened
    at.switch_page(pages.page("import").file).run()
    if at.get("text_input"):
        at.text_input(key="passphrase").input(PASSPHRASE).run()
    con = writer.reader(str(demo_db)).connection()
    own = {r[0] for r in con.execute("SELECT DISTINCT subfactor FROM job_factors").fetchall()}
    at.run()  # the sidebar, drawn before the passphrase was taken, shows the administrator's switch now
    at.toggle(key="exact_pick").set_value(True).run()
    try:
        at.switch_page(pages.page("transparency").file).run()
        assert not at.exception, [e.value for e in at.exception]
        texts = seen(at)
    finally:
        at.toggle(key="exact_pick").set_value(False).run()
    assert any("artikel 9" in t for t in texts if isinstance(t, str))  # past the lock: the documents are there
    found = problems("transparency (exact)", [t for t in texts if t not in own])
    assert not found, "\n".join(found)


# --- every table, every download, the workbooks and the report ------------------------------------------


def _filters() -> registry.Filters:
    return pages.governed(registry.Filters(year=2025, year_from=2015))


def _tables(con) -> list[tuple[str, pd.DataFrame]]:
    """Every table the pages show: each indicator's, the scorecards, the import history."""
    f = _filters()
    out = [(ind, registry.compute(con, ind, f)) for ind in registry.REGISTRY]
    out += [("goals.scorecard_overview", goals.scorecard_overview(con, f)), ("scorecard", goals.scorecard(con, f))]
    out.append(("import_history", database.history(con).drop(columns=["sha256"])))
    return out


def test_every_table_and_its_downloads_in_swedish(con):
    names = database.unit_names(con, "sv")
    found = []
    for table, df in _tables(con):
        if df.empty:
            continue
        k = pages.k_of(table)
        found += problems(f"{table} (page)", _frame_texts(columns.shown(df, table, "sv", k, names)))
        csv = export.swedish_csv(df, table, k, names).decode("utf-8-sig")
        found += problems(f"{table} (Swedish CSV)", [cell for line in csv.splitlines() for cell in line.split(";")])
        book = openpyxl.load_workbook(io.BytesIO(export.workbook([(table, df, table)], "sv", k, names)))
        found += problems(f"{table} (xlsx)", [c for row in book.active.iter_rows(values_only=True) for c in row])
    assert not found, "\n".join(found)


def test_a_files_problems_in_swedish(tmp_path):
    # a staff sheet with Swedish headers and a bad value: the problem table names the file's own headers
    path = tmp_path / "personal.xlsx"
    pd.DataFrame(
        {
            "år": [2025, 2025],
            "anställningsnummer": ["a1", "a2"],
            "enhet": ["U1", "U1"],
            "befattning": ["professor", "lektor"],
            "kön": ["K", "X"],
            "födelseår": [1970, 1980],
            "sysselsättningsgrad": [100, 250],
        }
    ).to_excel(path, index=False, sheet_name="Personal")
    checked = importer.check_files([path]).checked
    table = importer.problem_table(checked, "sv")
    assert not table.empty
    assert not problems("problems", _frame_texts(columns.shown(table, "problems", "sv"))), table.to_string()


def _html_texts(html: str) -> list[str]:
    class Texts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.out, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.skip and data.strip():
                self.out.append(data.strip())

    parser = Texts()
    parser.feed(html)
    return parser.out


def test_the_workbook_and_the_report_in_swedish(con):
    f = _filters()
    book = openpyxl.load_workbook(io.BytesIO(report.workbook(con, f, "sv")))
    found = problems(
        "workbook", [*book.sheetnames, *(c for s in book for row in s.iter_rows(values_only=True) for c in row)]
    )
    html = report.html_report(con, f, report.context(con, f, "sv"), dt.datetime(2026, 1, 1)).decode("utf-8")
    found += problems("report", _html_texts(html))
    assert not found, "\n".join(found)


def test_the_art9_workbook_in_swedish(con):
    for exact in (False, True):
        book = openpyxl.load_workbook(io.BytesIO(art9.pay_transparency_xlsx(con, _filters().with_(exact=exact), "sv")))
        found = problems(
            "art. 9", [*book.sheetnames, *(c for s in book for row in s.iter_rows(values_only=True) for c in row)]
        )
        assert not found, "\n".join(found)
