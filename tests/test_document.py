"""document.py: the offline HTML document, with the tables as the page shows them."""

from __future__ import annotations

from helpers import NBSP, representation_rows
from indicators.present import columns
from indicators.present.document import report_html


def test_the_html_report_takes_the_shown_table():
    page = report_html(
        "Balans – rapport",
        "Skapad",
        [("Andel kvinnor per befattning", "", [], columns.shown(representation_rows(), "representation", "sv", 5))],
        "sv",
    )
    body = page.split("<body>")[1]
    # the table as the page shows it: Swedish headers and words, 55,6 %, the reason of the hidden row
    assert "<th>Andel kvinnor</th>" in body and "<td>professorer</td>" in body
    assert f"<td>55,6{NBSP}%</td>" in body and "<td>dolt: färre än 5 personer</td>" in body
    assert "phd_student" not in body and "0.555" not in body
