"""The real app in a real browser: `streamlit run app.py` on a free port, driven by Playwright in
Debian's chromium. Screenshots of every step go to tests/screenshots/ (git-ignored).

Skipped when /usr/bin/chromium is missing, unless BALANS_REQUIRE_BROWSER=1 (CI), then it fails.
"""

from __future__ import annotations

import csv
import io

import pytest

from browsing import PASSPHRASE, ROOT, _download, _settle, _shot
from indicators.present import pages

pytestmark = pytest.mark.browser


def test_a_deep_link_is_the_first_request_of_a_fresh_server(fresh_server, page):
    # Streamlit's legacy pages/ discovery answered this first request before st.navigation had run,
    # with a "Page not found" dialog; the pages live in views/ so that it cannot.
    page.goto(fresh_server + "/representation?unit=ELE&lang=en")
    page.wait_for_selector(".js-plotly-plot")
    _settle(page)
    _shot(page, "00_fresh_deep_link")
    assert page.get_by_text("Page not found").count() == 0
    assert not page.locator('[role="dialog"]').count()
    heading = page.locator("h1").first.inner_text()
    assert heading.startswith("Representation") and "School of Electrical Engineering" in heading
    assert page.url.split("?")[0].endswith("/representation")


def test_overview_shows_a_chart(server, page):
    page.goto(server + "/")
    page.wait_for_selector(".js-plotly-plot")
    _settle(page)
    _shot(page, "01_overview")
    assert page.get_by_text("Demodata – syntetiska").is_visible()
    assert page.locator("h1").first.inner_text().startswith("Översikt")


def test_filters_in_the_url_are_applied_and_kept_across_pages(server, page):
    page.goto(server + "/representation?unit=ELE&year=2020&lang=en")
    page.wait_for_selector(".js-plotly-plot")
    _settle(page)
    _shot(page, "02_url_filters")
    heading = page.locator("h1").first.inner_text()
    assert "School of Electrical Engineering" in heading and "2020" in heading
    assert "Women are" in page.locator(".js-plotly-plot .gtitle").first.text_content()
    # to another page through the navigation: the filters stay, in the URL too
    page.get_by_role("link", name="Committees").click()
    page.wait_for_url("**/committees**")
    _settle(page)
    _shot(page, "03_kept_across_pages")
    assert "unit=ELE" in page.url and "year=2020" in page.url
    assert "School of Electrical Engineering" in page.locator("h1").first.inner_text()


def test_switching_language(server, page):
    page.goto(server + "/?unit=BIO&lang=en")
    page.wait_for_selector(".js-plotly-plot")
    _settle(page)
    assert page.locator("h1").first.inner_text().startswith("Overview")
    page.locator('[data-testid="stSidebar"]').get_by_text("sv", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('h1') && document.querySelector('h1').innerText.startsWith('Översikt')"
    )
    _settle(page)
    _shot(page, "04_swedish")
    assert "Skolan för bioteknik och hälsa" in page.locator("h1").first.inner_text()
    assert "lang=en" not in page.url  # Swedish is the default, so the parameter goes


def test_presentation_mode_hides_the_sidebar(server, page):
    page.goto(server + "/?present=1&lang=en&unit=ARK")
    page.wait_for_selector(".js-plotly-plot")
    _settle(page)
    _shot(page, "05_presentation")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert page.get_by_role("button", name="Leave presentation mode").is_visible()


def test_a_sessions_first_page_comes_whole_after_its_first_chart(server, page):
    # A fresh session's first page comes in two runs (views/_draw.first_screen_only): the first chart's
    # section alone, then, once the browser has drawn that chart, every section with its table and
    # downloads, as a page drawn at once; the gate that asked for them is gone.
    page.goto(server + "/representation?lang=en&unit=NAT")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
    _settle(page)
    rep = pages.page("representation")
    main = page.locator('[data-testid="stMain"]')
    headings = main.locator("h3").all_inner_texts()
    assert [h.strip() for h in headings] == [s.title("en") for s in rep.sections]
    assert main.locator(".js-plotly-plot").count() == sum(len(s.charts) for s in rep.sections)
    assert main.locator('[data-testid="stExpander"]').count() == 2 * len(rep.sections)
    assert main.locator('[data-testid="stDownloadButton"]').count() == 3 * len(rep.sections)
    assert not page.locator(".st-key-balans_first_screen_gate").count()


def test_download_a_csv(server, page):
    page.goto(server + "/representation?lang=en&unit=NAT")
    page.wait_for_selector(".js-plotly-plot")
    _settle(page)
    table = page.locator('[data-testid="stExpander"]').filter(has_text="Table").first
    table.get_by_text("Table").click()
    data = _download(page, table.get_by_role("button", name="CSV", exact=True))
    _shot(page, "08_download")
    assert data.startswith("\ufeff".encode())
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[:4] == ["year", "position", "women", "men"]


def test_a_deep_link_with_an_unknown_unit_says_so_and_the_default_year_goes_into_the_url(server, page):
    # NOPE is no unit of the demo, 1990 no year of it (2015-2025): both are said on the page, in the
    # link's language, and the page shows the whole organisation in the latest complete year, 2025,
    # which the address bar now names, so that a copied link keeps meaning the same year.
    page.goto(server + "/?unit=NOPE&year=1990&lang=en")
    page.get_by_text("The unit “NOPE” in the link is not in the data").wait_for()
    _settle(page)
    _shot(page, "09_unknown_unit_in_link")
    assert page.get_by_text("The year “1990” in the link has no data").is_visible()
    assert page.locator("h1").first.inner_text() == "Overview – The University, 2025"  # the single root
    assert "year=2025" in page.url
    # a plain first visit: the default year is put into the address bar as well
    page.goto(server + "/representation?unit=ELE&lang=sv")
    page.wait_for_selector(".js-plotly-plot")
    _settle(page)
    assert "year=2025" in page.url
    assert page.get_by_text("i länken finns inte").count() == 0


# Last: it replaces the demo's staff of 2025 with the template's two rows.
def test_upload_a_template_and_see_it_in_the_history(server, page):
    page.goto(server + "/import?lang=en")
    _settle(page)
    page.get_by_label("Administrator passphrase").fill(PASSPHRASE)
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached")
    _settle(page)
    template = ROOT / "data" / "templates" / "balans_staff_template.xlsx"
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(template))
    page.get_by_role("button", name="Import", exact=True).wait_for()
    _settle(page)
    _shot(page, "06_upload_checked")
    assert page.get_by_text("Sheet staff: staff, 2 rows, years 2025").is_visible()
    # the demo holds 2025 already: without "replace" the import would be refused, naming the batch
    page.get_by_text("Replace data of the same kind and year").click()
    _settle(page)
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Imported: batch").wait_for()
    _settle(page)
    _shot(page, "07_imported")
    # the history table is drawn on a canvas: read it through its CSV download instead
    history = _download(page, page.get_by_role("button", name="CSV", exact=True).first).decode("utf-8-sig")
    assert "balans_staff_template.xlsx" in history
