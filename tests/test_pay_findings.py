"""The Pay page's findings for its table-only sections (present/pay_findings.py, issue 22), on small
tables worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.present import pay_findings
from indicators.present.charts import Context

CTX = Context(lang="en", unit="ELE", year=2025, k=5)


def test_equal_work_a_dot_per_shown_position_flagged_at_five_percent_hidden_ones_named():
    df = pd.DataFrame({"year": 2025, "level": ["all", "all", "all", "unit"], "unit": ["ELE", "ELE", "ELE", "ELE-1"],
                       "position": ["phd_student", "researcher", "lecturer", "phd_student"],
                       "mean_gap_pct": [2.0, -6.0, None, 9.0], "suppressed": [False, False, True, False]})
    fig = pay_findings.equal_work(df, CTX)
    # level "all" only: |2.0| < 5 (within), |-6.0| >= 5 (flagged), the lecturers hidden: 1 of 2 shown positions
    assert "1 of 2 positions" in fig.layout.title.text
    within, beyond, hidden = fig.data
    assert list(within.x) == [2.0] and list(beyond.x) == [-6.0]
    assert list(hidden.y) == ["lecturers"] and hidden.name == "hidden: fewer than 5 persons"
    assert fig.layout.shapes[0].x0 == 0  # the zero line


def test_adjusted_gap_its_interval_against_the_unadjusted():
    df = pd.DataFrame({"year": [2025], "unit": ["ELE"], "unadjusted_gap_pct": [10.9], "adjusted_gap_pct": [2.9],
                       "adjusted_gap_low_pct": [0.8], "adjusted_gap_high_pct": [4.9],
                       "covariates": ["position, unit"], "suppressed": [False]})
    fig = pay_findings.adjusted_gap(df, CTX)
    adjusted, unadjusted = fig.data
    # the interval 0.8 to 4.9 around 2.9: 2.0 above, 2.1 below
    assert adjusted.error_x.array[0] == pytest.approx(2.0) and adjusted.error_x.arrayminus[0] == pytest.approx(2.1)
    assert list(unadjusted.x) == [10.9]
    assert "2.9\u00a0% (95 % interval 0.8\u00a0% to 4.9\u00a0%)" in fig.layout.title.text
    assert "10.9\u00a0% unadjusted" in fig.layout.title.text and "Held equal: position, unit" in fig.layout.title.text
    hidden = df.assign(suppressed=True, adjusted_gap_pct=None)
    assert pay_findings.adjusted_gap(hidden, CTX) is None  # a hidden model draws nothing


def test_art9_seven_tiles_variable_pay_said_not_given():
    rows = [("overall", "all", 11.6, 11.1, None, None, False), ("variable_pay", "all", None, None, None, None, False)]
    rows += [("quartile", str(q), None, None, s, None, False) for q, s in zip((1, 2, 3, 4), (0.282, 0.33, 0.243, 0.115))]
    rows += [("position", "phd_student", 3.8, 4.5, None, False, False), ("position", "researcher", 15.1, 14.8, None, True, False),
             ("position", "postdoc", None, None, None, None, True)]
    df = pd.DataFrame(rows, columns=["part", "category", "mean_gap_pct", "median_gap_pct", "share_women", "flag", "suppressed"])
    fig = pay_findings.art9(df, CTX)
    values = [a.text for a in fig.layout.annotations[::2]]
    assert len(values) == 7  # art. 9(1)(a)-(g)
    # (a) 11.6, (b) not given, (c) 11.1, (d) not given, (e) not given, (f) the quartiles, (g) 1 of 2 shown positions
    assert values == ["<b>11.6\u00a0%</b>", "<b>not given</b>", "<b>11.1\u00a0%</b>", "<b>not given</b>", "<b>not given</b>",
                      "<b>28\u00a0% · 33\u00a0%<br>24\u00a0% · 12\u00a0%</b>", "<b>1 / 2</b>"]
