"""The declared pages in a real browser (Playwright, Debian's chromium) on a fresh server whose demo
data reach 2026: /overview as the very first request opens the overview, and a 2025 pay page speaks
of 2025 in every title. Screenshots go to tests/screenshots/ (git-ignored)."""

from __future__ import annotations

import pytest

import demo_years
from browsing import CHROMIUM, FLAGS, SHOTS, _download, _need_browser, _settle, _start
from indicators.catalogue import numbers
from indicators.present import pages
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.store import database

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(URL of a server nobody has visited yet, the gap of ELE in 2025 and in 2015 as the database has them)."""
    _need_browser()
    tmp = tmp_path_factory.mktemp("browser_pages")
    db = demo_years.make(tmp / "demo2026.duckdb", last=2026)
    registry.load_all()
    con = database.connect(db)  # before the server opens it: a DuckDB file has one writer process
    f = pages.governed(Filters(unit="ELE", year=2025, year_from=2015, year_to=2026))
    gaps = registry.compute(con, "pay_gap_trend", f).set_index("year")["median_gap_pct"]
    con.close()
    for url, _proc in _start(tmp, db):
        yield url, gaps


@pytest.fixture(scope="module")
def tab(site):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(90_000)
        yield page
        browser.close()


def _titles(page) -> list[str]:
    """Each chart's title as read: the lines charts.common.finish breaks it into (one tspan each) joined by spaces."""
    return page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot .gtitle')].map(t => {
        const lines = [...t.querySelectorAll('tspan.line')].map(s => s.textContent);
        return lines.length ? lines.join(' ') : t.textContent; })""")


def test_overview_is_the_first_deep_link_after_a_server_start(site, tab):
    url, _ = site
    tab.goto(url + "/overview")  # the first request this server answers
    tab.wait_for_selector(".js-plotly-plot")
    _settle(tab)
    tab.screenshot(path=str(SHOTS / "20_overview_first_deep_link.png"), full_page=True)
    assert tab.get_by_text("Page not found").count() == 0 and not tab.locator('[role="dialog"]').count()
    assert tab.locator("h1").first.inner_text() == "Översikt – Universitetet, 2026"  # the latest year
    assert tab.url.split("?")[0].endswith("/overview")
    titles = _titles(tab)
    assert len(titles) == 1 and titles[0].startswith("Kvinnor är ") and titles[0].endswith(" 2026")


def test_a_2025_pay_page_speaks_of_2025_in_every_title(site, tab):
    url, gaps = site
    tab.goto(url + "/pay?unit=ELE&year=2025&lang=en")
    tab.wait_for_selector(".js-plotly-plot")
    _settle(tab)
    tab.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 9")
    tab.screenshot(path=str(SHOTS / "21_pay_ele_2025.png"), full_page=True)
    unit = "School of Electrical Engineering and Computer Science"
    assert tab.locator("h1").first.inner_text() == f"Pay – {unit}, 2025"
    titles = _titles(tab)
    # 6, and since issue 22 equal work's dot plot, art. 9's tiles and the adjusted gap's interval
    assert len(titles) == sum(len(s.charts) for s in pages.page("pay").sections) == 9
    assert all("2025" in t and "2026" not in t for t in titles), titles
    # the headline and the trend right below it quote one gap: ELE's median gap of 2025
    now = numbers.pct_points(gaps[2025], "en")
    assert (
        titles[0] == f"Women's median salary is {now} lower than men's in {unit}, 2025 (the unadjusted median pay gap)"
    )
    assert (
        titles[1]
        == f"The median pay gap is {now} in {unit} in 2025, against {numbers.pct_points(gaps[2015], 'en')} in 2015"
    )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_pay_page_chooses_its_measure_of_pay_and_shows_the_job_evaluation(site, tab, lang):
    # Issue 21: the measure of pay in the link, the radio that chooses it, the job evaluation's charts
    # and the weights' warning, in each language.
    from indicators import catalogue

    url, _ = site
    tab.goto(url + f"/pay?unit=ELE&year=2025&lang={lang}&pay=hourly")
    tab.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 6")
    _settle(tab)
    tab.screenshot(path=str(SHOTS / f"22_pay_hourly_{lang}.png"), full_page=True)
    word = lambda key, **kw: catalogue.text("pay", key, lang, **kw)  # noqa: E731
    hourly = catalogue.word("pay", "pay_measure", "hourly", lang)
    assert tab.get_by_text(word("pay_measure"), exact=True).count() >= 1
    assert tab.get_by_role("radio", name=hourly).is_checked()
    titles = _titles(tab)
    plain = word("chart_job_value", unit="U", year="Y").split(" – ")[0]
    below = word("chart_job_value_below", n=0, unit="U", year="Y").split(" – ")[0].removeprefix("0 ")
    assert len([t for t in titles if (plain in t or below in t) and t.endswith("2025")]) == 1, titles
    ratio = numbers.number(4.5, lang, 1)
    assert word("chart_weights_ratio", ratio=ratio, year=2025) in titles
    assert tab.get_by_text(word("weights_tilted", ratio=numbers.number(3.0, lang)).split(":")[0]).count() >= 1
    # choosing the monthly salary takes the measure out of the link
    tab.get_by_role("radio", name=catalogue.word("pay", "pay_measure", "monthly", lang)).click(force=True)
    tab.wait_for_function("() => !location.search.includes('pay=hourly')")
    _settle(tab)


def test_the_workbook_and_the_report_follow_the_pages_order_and_titles(site, tab):
    import html
    import io
    import re

    import openpyxl

    from indicators.present import export

    url, _ = site
    tab.goto(url + "/export?unit=ELE&year=2025&lang=en")
    tab.get_by_role("button", name="All indicators as one Excel workbook").wait_for()
    _settle(tab)
    registry.load_all()
    sections = pages.report_sections()
    workbook = _download(tab, tab.get_by_role("button", name="All indicators as one Excel workbook"))
    sheets = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True).sheetnames
    # one sheet per indicator, named by its title on its page, in the pages' order; then the plan
    assert sheets == export.sheet_names([s.title("en") for s in sections] + ["Plan and follow-up"])
    assert sheets[:3] == ["Gender balance by position", "Gender balance by sub-unit", "Share of women over time"]
    report = _download(tab, tab.get_by_role("button", name="Report as HTML (opens offline)")).decode("utf-8")
    headings = [html.unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", report)]
    # the 35 indicators in page order, then the unit's plan
    assert headings == [s.title("en") for s in sections] + ["Plan and follow-up"] and len(headings) == 36
    # the report's charts are the pages' charts, of 2025: every chart title in it says 2025
    # (a figure's own title is placed at x 0; an axis title has no position)
    chart_titles = re.findall(r'"title":\{"text":"([^"]*)","x":0,', report)
    # the pages' 32 charts less those ELE has too few people for in 2025 (the glass ceiling, promotions,
    # incidents, the time before promotion of one year's promotions, and one more of careers); equal work,
    # art. 9 and the adjusted gap (issue 22) among them; counted with report.html_report on this demo (ELE, 2025)
    assert len(chart_titles) == 27
    assert all("2025" in t and "2026" not in t for t in chart_titles), chart_titles
