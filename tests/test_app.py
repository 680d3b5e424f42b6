"""Every page of the app through Streamlit's AppTest, on the demo data in a temporary DuckDB file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators import pages, registry
from indicators.access import hash_passphrase

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
# Each page showing indicators, with the charts it declares (indicators/pages.py): on the demo data
# for the whole organisation every one of them draws.
CHARTS = {p.file: sum(len(s.charts) for s in p.sections) for p in pages.PAGES if p.sections}
PAGES = [p.file for p in pages.PAGES]
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("app") / "demo.duckdb"
    subprocess.run([sys.executable, "-m", "indicators", "demo", "--db", str(db)], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    return db


@pytest.fixture
def app(demo_db, monkeypatch):
    monkeypatch.setenv("BALANS_DB", str(demo_db))
    return _app


def _app(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def title(at) -> str:
    return at.title[0].value


def chart_titles(at) -> list[str]:
    """The charts' titles as read: the line breaks charts.finish puts in to fit the width are spaces."""
    import json
    return [json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br><sup>", "\0").replace("<br>", " ")
            .replace("\0", "<br><sup>") for c in at.get("plotly_chart")]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_the_global_filters(app, page):
    at = app(page)
    assert at.selectbox(key="unit_pick") and at.selectbox(key="year_pick")
    assert at.radio(key="lang_pick").value == "sv"
    assert at.multiselect(key="pos_pick") is not None and at.toggle(key="present_pick") is not None
    assert at.warning[0].value.startswith("Demodata")  # the synthetic-data banner


def test_overview_shows_the_headline_chart_with_a_finding(app):
    at = app()
    # The demo has one root unit, the university: the whole organisation is it, under its own name.
    assert title(at) == "Översikt – Universitetet, 2025"
    titles = chart_titles(at)
    assert titles and titles[0].startswith("Kvinnor är ") and "professorer" in titles[0]
    assert len(at.get("download_button")) >= 3 or at.info  # the table's CSV, Swedish CSV and xlsx


def test_a_changed_unit_year_or_language_changes_what_is_shown(app):
    at = app("views/representation.py")
    before = chart_titles(at)
    at.selectbox(key="unit_pick").select("ELE").run()
    assert "Skolan för elektroteknik och datavetenskap" in title(at)
    assert at.query_params["unit"] in ("ELE", ["ELE"])  # the URL follows the visible widget
    after_unit = chart_titles(at)
    assert after_unit != before
    at.selectbox(key="year_pick").select(2018).run()
    assert title(at).endswith("2018") and chart_titles(at) != after_unit
    at.radio(key="lang_pick").set_value("en").run()
    assert title(at) == "Representation – School of Electrical Engineering and Computer Science, 2018"
    assert chart_titles(at)[0].startswith("Women are ")


def test_filters_come_from_the_url(app):
    at = app("views/overview.py", unit="ELE-1", year="2020", lang="en", pos="professor,lecturer", measure="fte")
    assert title(at) == "Overview – Department of Computer Science, 2020"
    assert at.selectbox(key="unit_pick").value == "ELE-1"
    assert at.multiselect(key="pos_pick").value == ["professor", "lecturer"]
    assert at.radio(key="measure_pick").value == "fte"
    v = at.session_state["_view"]
    assert v.filters == registry.Filters(unit="ELE-1", year=2020, year_from=2015, year_to=2025,
                                         positions=("professor", "lecturer"), measure="fte")


def test_unit_labels_are_indented_names_in_the_chosen_language(app):
    at = app(lang="en")
    box = at.selectbox(key="unit_pick")
    labels = dict(zip(box.options, box.options))  # AppTest shows the formatted labels
    # One root unit: it is the whole organisation, and no second option repeats its numbers.
    assert "The whole organisation" not in labels and box.options[0] == "The University"
    assert "\u2003School of Natural Sciences" in labels
    assert "\u2003\u2003Department of Physics" in labels


def test_presentation_mode_from_the_url(app):
    at = app(present="1", lang="en")
    assert at.toggle(key="present_pick").value is True
    assert any(b.label == "Leave presentation mode" for b in at.button)
    css = "".join(str(e.proto) for e in at.get("html"))
    assert "stSidebar" in css and "display:none" in css
    assert not at.get("download_button")  # no download rows on the shared screen
    at.button[0].click().run()
    assert at.toggle(key="present_pick").value is False


def test_method_lists_every_indicator(app):
    at = app("views/method.py", lang="en")
    labels = [e.label for e in at.expander]
    for ind in registry.load_all().values():
        assert any(f"`{ind.id}`" in label for label in labels)


def test_import_is_read_only_without_an_administrator(app):
    at = app("views/import.py", lang="en")
    assert any("command line" in i.value for i in at.info)
    assert not at.get("file_uploader") and not any(b.label == "Load the demo data" for b in at.button)
    assert len(at.get("download_button")) >= 7 + 3  # the templates, and the history's downloads


def test_import_with_the_passphrase_removes_and_restores_a_batch(app):
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["balans"] = {"admin_passphrase": hash_passphrase(PASSPHRASE)}
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("views/import.py").run()
    at.text_input(key="passphrase").input("wrong").run()
    assert at.error[0].value == "Wrong passphrase."
    at.text_input(key="passphrase").input(PASSPHRASE).run()
    assert at.get("file_uploader")
    assert any(b.label == "Load the demo data" for b in at.button)
    label = next(o for o in at.selectbox(key="remove_batch_0").options if o.startswith("Batch 3:"))
    assert label.startswith("Batch 3: committees for 2015–2025, ") and label.endswith(" rows, demo data (synthetic)")
    at.selectbox(key="remove_batch_0").select(3).run()  # the committees batch
    at.checkbox(key="remove_sure_0").check().run()  # removing asks for a confirmation first
    at.button(key="remove_button").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Batch 3 was removed")
    at.button(key="undo_button").click().run()
    assert at.success[0].value == "Batch 3 is restored."


def test_an_empty_database_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("BALANS_DB", str(tmp_path / "empty.duckdb"))
    at = _app(lang="en")
    # no secrets: a read-only installation, where data are loaded on the server, and no link to Import
    assert at.info[0].value.startswith("Nothing has been imported yet. Data are loaded on the server: python -m indicators import")
    assert not [p for p in at.get("page_link") if "import" in str(p.proto.page)]
    assert not at.get("plotly_chart")
    at.secrets["balans"] = {"admin_passphrase": hash_passphrase(PASSPHRASE)}
    at.switch_page("views/import.py").run()
    at.text_input(key="passphrase").input(PASSPHRASE).run()
    at.button(key="load_demo").click().run()
    assert not at.exception and at.success[0].value.startswith("Demo data loaded")
    at.switch_page("views/overview.py").run()  # the new batch is in every cache key: shown at once
    assert at.get("plotly_chart") and at.warning[0].value.startswith("Demo data")
    at.switch_page("views/import.py").run()
    at.button(key="remove_demo").click().run()
    assert at.success[0].value.startswith("Demo data removed")


def failures(at) -> list[str]:
    """Warnings that an indicator or its chart failed (the page stays up, so only this shows it)."""
    return [w.value for w in at.warning if "could not" in w.value or "kunde inte" in w.value]


@pytest.mark.parametrize("page", CHARTS)
def test_every_page_draws_its_charts_in_both_languages(app, page):
    at = app(page)
    assert not failures(at)
    sv = chart_titles(at)
    assert len(sv) == CHARTS[page], sv
    at.radio(key="lang_pick").set_value("en").run()
    assert not at.exception and not failures(at)
    en = chart_titles(at)
    assert len(en) == CHARTS[page]
    # every title is a finding in the chosen language, and the language changes every one of them
    assert all(a != b for a, b in zip(sv, en)), list(zip(sv, en))
    assert not any("Kvinnor" in x or "kvinnor" in x for x in en)


def test_the_new_pages_state_their_findings(app):
    at = app("views/recruitment.py", lang="en")
    titles = chart_titles(at)
    assert titles[0].startswith("Women are ") and "of applicants" in titles[0]
    assert any("Simpson's paradox" in c.value for c in at.caption)  # said beside the side-by-side funnel
    at = app("views/care.py", lang="en")
    assert chart_titles(at)[0].startswith("Men took ")
    at = app("views/education.py", lang="en", unit="ELE")
    assert "programmes in School of Electrical Engineering" in chart_titles(at)[0]


def test_scorecard_rows_open_their_sub_goal_pages(app):
    at = app(lang="en")
    links = [(e.proto.page, e.proto.label) for e in at.get("page_link")]
    pages = [p for p, _ in links]
    for sub, path in enumerate(("committees", "pay", "education", "care", "health", "safety"), start=1):
        assert any(p.endswith(path) and label.startswith(f"{sub}. ") for p, label in links), (sub, links)
    assert len(pages) >= 6


def test_a_sub_goal_without_data_links_to_import_where_the_session_may_import(app, monkeypatch, tmp_path):
    import shutil

    import duckdb
    db = tmp_path / "no_incidents.duckdb"
    shutil.copy(os.environ["BALANS_DB"], db)
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM incidents")
    con.close()
    monkeypatch.setenv("BALANS_DB", str(db))
    # no secrets: a read-only installation, where no one imports from the app, so nothing leads to Import
    at = _app(lang="en")
    links = [(e.proto.page, e.proto.label) for e in at.get("page_link")]
    assert not [p for p, _ in links if p.endswith("import")], links
    assert any(m.value.startswith("6\\. ") for m in at.markdown)  # the row is there, as text (not a Markdown list)
    assert any(c.value == "Sub-goals without data: their data have not been imported." for c in at.caption)
    # with a passphrase the Import page is where data come in: the row leads there
    at.secrets["balans"] = {"admin_passphrase": hash_passphrase(PASSPHRASE)}
    at.run()
    links = [(e.proto.page, e.proto.label) for e in at.get("page_link")]
    assert any(p.endswith("import") and label.startswith("6. ") for p, label in links), links


def test_the_adjusted_gaps_interval_reads_in_percent_like_the_gap(app, demo_db):
    # The interval is in percent (like adjusted_pct), not a share: -3.85 must read "-3.85", not "-384.9 %".
    from indicators import i18n, store
    registry.load_all()
    con = store.connect(demo_db)  # as the app opens it: one process may not mix read-only and read-write
    want = registry.compute(con, "adjusted_gap", registry.Filters(unit="ELE", year=2025)).iloc[0]
    con.close()
    at = app("views/pay.py", lang="en", unit="ELE", year="2025")
    shown = next(d.value for d in at.dataframe if "Adjusted, 95 % CI low (%)" in d.value.columns).iloc[0]
    assert shown["Adjusted (%)"] == i18n.number(want["adjusted_pct"], "en", 2)
    assert shown["Adjusted, 95 % CI low (%)"] == i18n.number(want["adjusted_low_pct"], "en", 2)
    assert shown["Adjusted, 95 % CI high (%)"] == i18n.number(want["adjusted_high_pct"], "en", 2)
    assert want["adjusted_low_pct"] < want["adjusted_pct"] < want["adjusted_high_pct"]


def test_exact_figures_only_for_an_administrator_and_marked_everywhere(demo_db, monkeypatch):
    """Protected by default with the note; the switch appears only after the passphrase; exact pages
    carry the banner, chart titles and file names say so, and the numbers are the true ones."""
    from indicators import store
    monkeypatch.setenv("BALANS_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["balans"] = {"admin_passphrase": hash_passphrase(PASSPHRASE)}
    at.query_params["lang"] = "en"
    at.query_params["unit"] = "ELE"
    at.run()
    at.switch_page("views/health.py").run()
    assert not at.exception
    assert not [t for t in at.toggle if t.key == "exact_pick"]  # not an administrator: no switch
    assert any("adjusted slightly to protect individuals" in c.value for c in at.caption)
    protected = at.dataframe[0].value
    at.text_input(key="exact_passphrase").input(PASSPHRASE).run()
    at.toggle(key="exact_pick").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Exact figures — confidential" in e.value for e in at.error)
    assert all("EXACT FIGURES — CONFIDENTIAL" in t for t in chart_titles(at))
    exact = at.dataframe[0].value
    # the exact table is the true one: the women of ELE in the latest year, counted in the database
    con = store.connect(demo_db)  # as the app in this process opened it
    year = con.execute("SELECT max(year) FROM staff").fetchone()[0]
    women = con.execute("""SELECT count(*) FROM staff s JOIN unit_tree t ON t.descendant = s.unit
                           WHERE t.ancestor = 'ELE' AND s.year = ? AND s.gender = 'woman'
                             AND s.sick_leave_days IS NOT NULL""", [year]).fetchone()[0]
    year_col, women_col = exact.columns[0], exact.columns[1]
    last = exact[exact[year_col].astype(str) == str(year)].iloc[0]
    assert int(str(last[women_col]).replace("\u00a0", "").replace(" ", "")) == women
    assert not exact.equals(protected)
