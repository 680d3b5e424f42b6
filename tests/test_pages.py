"""The page declaration (indicators/present/pages.py): every indicator on exactly one page, every page's
prefetch equal to its sections, one chart signature, and the year heading a page governing every
finding on it, on the demo data with one year more than the page shows."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pandas as pd
import pytest

import demo_years
from indicators import catalogue
from indicators.catalogue import numbers
from indicators.present import charts, pages
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.store import database
from indicators.subgoals import goals

ROOT = Path(__file__).resolve().parents[1]
registry.load_all()


def test_every_registered_indicator_lives_on_exactly_one_page():
    homes = [s.source for p in pages.PAGES for s in p.sections if s.home and not s.is_scorecard]
    assert len(homes) == len(set(homes)), "an indicator at home on two pages"
    assert not set(homes) & set(pages.EXPORT_ONLY)
    assert sorted(homes + list(pages.EXPORT_ONLY)) == sorted(registry.REGISTRY)
    # 7 representation, 2 committees, 12 pay, 2 recruitment, 3 education, care, health, safety, 5 careers, 1 benchmarks
    assert len(registry.REGISTRY) == 35


def test_every_section_names_something_that_exists():
    for p in pages.PAGES:
        for s in p.sections:
            if s.is_scorecard:
                assert callable(getattr(goals, s.function, None)), s.source
            else:
                assert s.source in registry.REGISTRY, s.source
            assert s.show in ("table", "scorecard", "scorecard_units")


def test_a_repeated_section_is_its_home_sections_chart():
    # The overview's headline is the Representation page's first chart, not a second definition of it.
    repeats = [(p, s) for p in pages.PAGES for s in p.sections if not s.home]
    assert [(p.id, s.source) for p, s in repeats] == [("overview", "representation")]
    for p, s in repeats:
        home = pages.home(s.source)
        assert home is not None and home is not p
        assert next(h for h in home.sections if h.source == s.source).charts == s.charts


def test_every_pages_prefetch_is_its_sections_each_once_in_drawing_order():
    for p in pages.PAGES:
        sources = [s.source for s in p.sections]
        assert p.computes == list(dict.fromkeys(sources)), p.id
        assert set(p.computes) == set(sources)
    # the overview shows the scorecard twice (its own rows, its sub-units') and computes it once
    assert pages.page("overview").computes == ["goals.scorecard_overview", "representation"]
    assert len(pages.page("pay").computes) == 12 and pages.page("import").computes == []


def test_the_navigation_keeps_every_url_path_and_every_page_file_draws_its_declaration():
    assert [p.path for p in pages.PAGES] == [
        "overview",
        "plan",
        "representation",
        "careers",
        "committees",
        "pay",
        "recruitment",
        "education",
        "care",
        "health",
        "safety",
        "pay-transparency",
        "import",
        "export",
        "method",
    ]
    assert [(group, [p.id for p in ps]) for group, ps in pages.navigation()] == [
        ("", ["overview", "plan"]),
        (
            "nav_subgoals",
            ["representation", "careers", "committees", "pay", "recruitment", "education", "care", "health", "safety"],
        ),
        ("nav_data", ["transparency", "import", "export", "method"]),
    ]
    for p in pages.PAGES:
        text = (ROOT / p.file).read_text()
        assert (
            catalogue.text("app", p.title, "sv") != p.title and catalogue.text("app", p.title, "en") != p.title
        )  # a real app.toml key
        if p.sections:
            assert re.search(rf'^page\("{p.id}"\)$', text, re.M), p.file
            assert "section(" not in text and "prefetch(" not in text  # nothing listed a second time


def test_every_declared_chart_takes_the_table_and_the_context():
    declared = {c for p in pages.PAGES for s in p.sections for c in (*s.charts, *s.slides)}
    # 7 + 5 (careers) + 2 + 9 (pay: 6, and equal work, art. 9, the adjusted gap since issue 22) + 2 + 3 + 2 + 1 + 1
    # = 32 on the sub-goals' pages; the overview's headline is one of them
    assert len(declared) == 32
    for chart in declared:
        params = list(inspect.signature(chart).parameters.values())
        assert [q.name for q in params[:2]] == ["df", "ctx"], chart.__name__
        assert all(q.default is not inspect.Parameter.empty for q in params[2:]), chart.__name__


def test_the_pages_year_ends_its_trends():
    # a 2025 page of a range 2015-2026: trends run 2015-2025
    assert pages.governed(Filters(year=2025, year_from=2015, year_to=2026)) == Filters(
        year=2025, year_from=2015, year_to=2025
    )
    # a range that stops before the page's year is carried on to it (the title says 2025, so does the trend)
    assert pages.governed(Filters(year=2025, year_from=2015, year_to=2020)) == Filters(
        year=2025, year_from=2015, year_to=2025
    )
    # a range that starts after the page's year: the trend is that one year
    assert pages.governed(Filters(year=2018, year_from=2020, year_to=2026)) == Filters(
        year=2018, year_from=2018, year_to=2018
    )
    # no range (the command line without --from): from the first year with data to the page's year
    assert pages.governed(Filters(year=2025)) == Filters(year=2025, year_to=2025)
    assert pages.governed(Filters()) == Filters()  # no data yet: nothing to govern


def test_the_workbook_and_the_report_follow_the_pages():
    sections = pages.report_sections()
    ids = [s.source for s in sections]
    assert len(ids) == len(set(ids)) == 35
    # page order, not the registry's or the alphabet's: Representation's seven first, then Careers' six, Safety's last
    assert ids[:3] == ["representation", "representation_units", "representation_trend"]
    assert ids[7:13] == [
        "new_professors",
        "career_transitions",
        "career_flows",
        "promotion_waiting",
        "contract_types",
        "national_benchmarks",
    ]
    # a sub-goal's page opens with its headline: committee seats, then the bodies
    assert ids[13:15] == ["committee_summary", "committee_bodies"] and ids[-1] == "incidents"
    assert sections[15].title("en") == registry.REGISTRY["pay_gap"].title("en")


# --- the year heading the page governs every finding -----------------------------------------------


@pytest.fixture(scope="module")
def db_2026(tmp_path_factory):
    return demo_years.make(tmp_path_factory.mktemp("years") / "demo2026.duckdb", last=2026)


@pytest.fixture(scope="module")
def con_2026(db_2026):
    con = database.connect(db_2026)
    yield con
    con.close()


def test_the_command_line_exports_the_trend_of_the_2025_page(db_2026, tmp_path):
    import io
    import os
    import shutil
    import subprocess
    import sys

    db = shutil.copy(db_2026, tmp_path / "cli.duckdb")  # a file of its own: this module holds the other open
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "indicators",
            "export",
            "pay_gap_trend",
            "--db",
            str(db),
            "--unit",
            "ELE",
            "--year",
            "2025",
            "--from",
            "2015",
            "--to",
            "2026",
        ],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    )
    years = pd.read_csv(io.BytesIO(r.stdout), encoding="utf-8-sig")["year"].tolist()
    assert years == list(range(2015, 2026))  # 2015..2025, as on the page of 2025, not 2026


def _drawn(con, unit: str, lang: str):
    """(section, chart, figure) for every chart of every page, as ui.page draws them on a 2025 page
    whose year range reaches 2026."""
    f = pages.governed(Filters(unit=unit, year=2025, year_from=2015, year_to=2026))
    ctx = charts.common.Context(lang=lang, unit=unit, year=2025)
    out = []
    for p in pages.PAGES:
        for s in p.sections:
            if s.charts:
                df = pages.compute(con, s, f)
                out += [(s, c, c(df, ctx.with_(k=pages.k_of(s.source)))) for c in s.charts]
    return out


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("unit", [database.ALL_UNITS, "ELE"])
def test_every_finding_on_a_2025_page_is_about_2025(con_2026, unit, lang):
    assert con_2026.execute("SELECT min(year), max(year) FROM staff").fetchone() == (2015, 2026)
    drawn = _drawn(con_2026, unit, lang)
    figures = [(s, c, fig) for s, c, fig in drawn if fig is not None]
    # everything draws for the whole organisation; ELE has too few women professors for a glass
    # ceiling index, no promotion round, too few cases for the incidents chart, and too few newly
    # recruited professors a year (and women among them over the years) to show any of their shares
    missing = sorted(c.__name__ for s, c, fig in drawn if fig is None)
    assert missing == (
        [] if unit == database.ALL_UNITS else ["gci", "incidents", "new_professors", "promotions", "waiting"]
    )
    trends = set()
    for s, c, fig in figures:
        title = fig.layout.title.text
        assert "2025" in title and "2026" not in title, (s.source, title)
        ends = []  # a trend ends at the page's year (an x axis of whole numbers from 2015 to 2100 is years;
        # salaries are whole hundreds of kronor, and 48 900 is not a year)
        for trace in fig.data:
            x = getattr(trace, "x", None)  # a Sankey diagram has no x
            xs = pd.to_numeric(pd.Series(list(x if x is not None else ()), dtype=object), errors="coerce")
            if len(xs) and xs.notna().all() and (xs % 1 == 0).all() and xs.min() >= 2015 and xs.max() <= 2100:
                ends.append(int(xs.max()))
        if ends:
            assert max(ends) == 2025, (s.source, ends)  # the hidden years' markers may end earlier
            trends.add(c.__name__)
    assert trends >= {
        "trend",
        "segregation",
        "managers",
        "committee_trend",
        "pay_trend",
        "students_trend",
        "care_shares",
        "care_days",
        "sick_leave",
    }, trends
    # The case: the headline and the trend right below it quote one gap, the one of 2025.
    f = pages.governed(Filters(unit=unit, year=2025, year_from=2015, year_to=2026))
    now = registry.compute(con_2026, "pay_gap", f).iloc[0]["median_gap_pct"]
    trend = registry.compute(con_2026, "pay_gap_trend", f).set_index("year")["median_gap_pct"]
    assert now == trend[2025] and 2026 not in trend.index
    headline = next(fig for s, c, fig in figures if c is charts.pay.pay_gap).layout.title.text
    assert headline == catalogue.text(
        "charts",
        "finding_gap" if now >= 0 else "finding_gap_neg",
        lang,
        value=numbers.pct_points(abs(now), lang),
        gap=numbers.pct_points(now, lang),
        unit=unit,
        year=2025,
    )
    line = next(fig for s, c, fig in figures if c is charts.pay.pay_trend)
    assert line.layout.title.text == catalogue.text(
        "charts",
        "finding_gap_trend",
        lang,
        value=numbers.pct_points(now, lang),
        unit=unit,
        year=2025,
        then=numbers.pct_points(trend[2015], lang),
        first=2015,
    )


def test_a_protected_page_says_when_its_figures_are_for_all_positions():
    # Protected figures are for one position or all (privacy.one_position_or_all): with several positions
    # chosen, every page of protected tables shows all positions and says so in the reader's language
    # (app.toml "positions_widened"); one position, none, or exact figures keep the choice.
    several = Filters(positions=("professor", "lecturer"))
    assert pages.widened(pages.page("pay"), several)
    assert not pages.widened(pages.page("pay"), Filters(positions=("professor",)))
    assert not pages.widened(pages.page("pay"), Filters())
    assert not pages.widened(pages.page("pay"), several.with_(exact=True))
    assert pages.widened(pages.page("representation"), several)
    assert pages.widened(pages.page("overview"), several)  # its scorecard quotes the pay gap
    assert "en befattning eller för alla" in catalogue.text("app", "positions_widened", "sv")
    assert "one position or for all" in catalogue.text("app", "positions_widened", "en")
