"""The Plan page in a real browser (the real server on the demo data, Debian's chromium through
Playwright; tests/test_browser.py's server and fixtures): an administrator adds a measure and downloads
the written pay survey."""

from __future__ import annotations

import pytest

from browsing import PASSPHRASE, _download, _settle, _shot

pytestmark = pytest.mark.browser


def test_an_administrator_adds_a_measure_and_takes_the_pay_survey_home(server, page):
    page.goto(server + "/plan?unit=ELE&lang=en")
    page.get_by_text("Administrator passphrase").wait_for()  # the page's last part before the survey
    _settle(page)
    assert page.locator("h1").first.inner_text().startswith("Plan and follow-up – School of Electrical Engineering")
    # The demo's plan for ELE and its department: unfinished measures past their deadline are marked.
    assert page.get_by_text("1. Power and influence").first.is_visible()
    assert page.get_by_text("You can see the plan but not change it").is_visible()
    page.get_by_label("Administrator passphrase").fill(PASSPHRASE)
    page.get_by_label("Administrator passphrase").press("Enter")
    page.get_by_text("New measure").wait_for()
    _settle(page)
    form = page.locator('[data-testid="stForm"]').first
    form.get_by_label("title (Swedish)").fill("Webbinarium om lönekartläggning för chefer")
    form.get_by_role("button", name="Add the measure").click()
    page.get_by_text("Saved: 1 change(s).").wait_for()
    _settle(page)
    _shot(page, "plan_added")
    assert page.get_by_text("Saved: 1 change(s).").is_visible()
    html = _download(page, page.get_by_role("button", name="The pay survey (HTML, to hand in)")).decode("utf-8")
    assert "<h1>Pay survey 2025</h1>" in html and "1. Last year&#x27;s actions" in html
    # The demo's art. 10 path of 2025: its art. 9 category at 5 % or more corrected on 1 Oct 2025, re-measurement due.
    assert "corrected" in html and "re-measurement due" in html
