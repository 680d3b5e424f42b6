"""The declared pages drawn by the real app (AppTest) on demo data for 2015–2026, opened at 2025: each
draws the charts its declaration names, and every title on it is about 2025, in Swedish and English."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import demo_years
from helpers import APP, app_test, chart_titles, failures
from indicators import catalogue
from indicators.catalogue import numbers, text
from indicators.present import pages
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.store import database

pytestmark = pytest.mark.slow  # the tour of every declared page, in two languages, on demo data to 2026
SECTION_PAGES = [p for p in pages.PAGES if p.sections]


@pytest.fixture(scope="module")
def db_2026(tmp_path_factory):
    return demo_years.make(tmp_path_factory.mktemp("years_app") / "demo2026.duckdb", last=2026)


@pytest.fixture
def opened(db_2026, monkeypatch):
    monkeypatch.setenv("BALANS_DB", str(db_2026))

    def run(**params) -> AppTest:
        at = app_test(APP, 180)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_draws_its_declared_charts_and_speaks_of_its_year(opened, lang):
    at = opened(year="2025", lang=lang)
    assert at.selectbox(key="year_pick").options[-1] == "2026"  # the database reaches 2026; the page shows 2025
    # the demo's one root unit is the whole organisation, under its own name
    everything = "Universitetet" if lang == "sv" else "The University"
    for p in SECTION_PAGES:
        at.switch_page(p.file).run()
        assert not at.exception and not failures(at), p.id
        assert at.title[0].value == f"{text('app', p.title, lang)} – {everything}, 2025"
        titles = chart_titles(at)
        assert len(titles) == sum(len(s.charts) for s in p.sections), (p.id, titles)
        for title in titles:
            assert "2025" in title and "2026" not in title, (p.id, title)
        headings = [h.value for h in at.subheader]
        declared = [s.title(lang, everything, 2025) for s in p.sections]
        if p.id == "overview":  # the plan's measures per sub-goal follow the card (views/_draw.plan_progress)
            declared.insert(1, catalogue.text("plan", "overview_plan", lang))
        assert headings == declared, p.id
        assert not any("2026" in h for h in headings)


def test_the_pay_page_of_ele_2025_quotes_one_gap_in_its_headline_and_its_trend(opened, db_2026):
    # The case: /pay?unit=ELE&year=2025 headlined 2025 and the trend right below said 2026.
    registry.load_all()
    con = database.connect(db_2026)  # as the app opens it
    f = pages.governed(Filters(unit="ELE", year=2025, year_from=2015, year_to=2026))
    now = registry.compute(con, "pay_gap", f).iloc[0]["median_gap_pct"]
    then = registry.compute(con, "pay_gap_trend", f).set_index("year")["median_gap_pct"][2015]
    con.close()
    at = opened(unit="ELE", year="2025", lang="en")
    at.switch_page(pages.page("pay").file).run()
    unit = "School of Electrical Engineering and Computer Science"
    headline, trend = chart_titles(at)[:2]
    assert headline == (
        f"Women's median salary is {numbers.pct_points(now, 'en')} lower than men's in {unit}, 2025 "
        "(the unadjusted median pay gap)"
    )
    assert trend == (
        f"The median pay gap is {numbers.pct_points(now, 'en')} in {unit} in 2025, "
        f"against {numbers.pct_points(then, 'en')} in 2015"
    )
