"""The Pay page's findings for its table-only sections (present/charts.pay_findings.py, issue 22), on small
tables worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.present import charts
from indicators.present.charts.common import Context

CTX = Context(lang="en", unit="ELE", year=2025, k=5)


def test_equal_work_a_dot_per_shown_position_flagged_at_five_percent_hidden_ones_named():
    df = pd.DataFrame(
        {
            "year": 2025,
            "level": ["all", "all", "all", "unit"],
            "unit": ["ELE", "ELE", "ELE", "ELE-1"],
            "position": ["phd_student", "researcher", "lecturer", "phd_student"],
            "mean_gap_pct": [2.0, -6.0, None, 9.0],
            "suppressed": [False, False, True, False],
        }
    )
    fig = charts.pay_findings.equal_work(df, CTX)
    # level "all" only: |2.0| < 5 (within), |-6.0| >= 5 (flagged), the lecturers hidden: 1 of 2 shown positions
    assert "1 of 2 positions" in fig.layout.title.text
    within, beyond, hidden = fig.data
    assert list(within.x) == [2.0] and list(beyond.x) == [-6.0]
    assert list(hidden.y) == ["lecturers"] and hidden.name == "hidden: fewer than 5 persons"
    assert fig.layout.shapes[0].x0 == 0  # the zero line


def test_adjusted_gap_its_interval_against_the_unadjusted():
    df = pd.DataFrame(
        {
            "year": [2025],
            "unit": ["ELE"],
            "unadjusted_gap_pct": [10.9],
            "adjusted_gap_pct": [2.9],
            "adjusted_gap_low_pct": [0.8],
            "adjusted_gap_high_pct": [4.9],
            "covariates": ["position, unit"],
            "suppressed": [False],
        }
    )
    fig = charts.pay_findings.adjusted_gap(df, CTX)
    adjusted, unadjusted = fig.data
    # the interval 0.8 to 4.9 around 2.9: 2.0 above, 2.1 below
    assert adjusted.error_x.array[0] == pytest.approx(2.0) and adjusted.error_x.arrayminus[0] == pytest.approx(2.1)
    assert list(unadjusted.x) == [10.9]
    assert "2.9\u00a0% (95 % interval 0.8\u00a0% to 4.9\u00a0%)" in fig.layout.title.text
    assert "10.9\u00a0% unadjusted" in fig.layout.title.text and "Held equal: position, unit" in fig.layout.title.text
    hidden = df.assign(suppressed=True, adjusted_gap_pct=None)
    assert charts.pay_findings.adjusted_gap(hidden, CTX) is None  # a hidden model draws nothing


COLUMNS = [
    "part",
    "category",
    "mean_gap_pct",
    "median_gap_pct",
    "variable_mean_gap_pct",
    "variable_median_gap_pct",
    "share_receiving_women",
    "share_receiving_men",
    "share_women",
    "note",
    "suppressed",
]


def _art9(variable: tuple) -> pd.DataFrame:
    """An art. 9 table as subgoals/pay/transparency.py publishes it, with the variable_pay row given."""
    rows = [
        ("overall", "all", 11.6, 11.1, None, None, None, None, None, None, False),
        ("variable_pay", "all", *variable),
    ]
    rows += [
        ("quartile", str(q), None, None, None, None, None, None, s, None, False)
        for q, s in zip((1, 2, 3, 4), (0.282, 0.33, 0.243, 0.115))
    ]
    rows += [
        ("position", "phd_student", 3.8, 4.5, *[None] * 6, False),
        ("position", "researcher", -15.1, 14.8, *[None] * 6, False),
        ("position", "postdoc", *[None] * 8, True),
        ("value_group", "5", 5.0, 2.0, *[None] * 6, False),
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def test_art9_seven_tiles_the_monthly_salary_says_it_holds_no_components():
    fig = charts.pay_findings.art9(
        _art9((None, None, None, None, None, None, None, "monthly_has_no_components", False)), CTX
    )
    values = [a.text for a in fig.layout.annotations[::2]]
    assert len(values) == 7  # art. 9(1)(a)-(g)
    # (a) 11.6, (b), (d), (e) the note's few words, (c) 11.1, (f) the quartiles, (g) the categories with
    # |mean gap| >= 5: researcher (|-15.1|) and value group 5 (5.0, at the limit), not phd_student (3.8),
    # the postdocs hidden and not counted: 2 of 3
    none = "<b>not in monthly salary</b>"
    assert values == [
        "<b>11.6\u00a0%</b>",
        none,
        "<b>11.1\u00a0%</b>",
        none,
        none,
        "<b>28 · 33 · 24 · 12\u00a0%</b>",
        "<b>2 / 3</b>",
    ]
    # flagged in the women's colour: (a) and (c) at 11.6 and 11.1 (>= 5), (g) with 2 categories flagged
    flagged = [i for i, s in enumerate(fig.layout.shapes) if s.line.color != "#CCCCCC"]
    assert flagged == [0, 2, 6]


def test_art9_complementary_pay_its_gaps_and_the_shares_receiving_it():
    fig = charts.pay_findings.art9(_art9((None, None, 28.5, 3.0, 0.177, 0.146, None, None, False)), CTX)
    values = [a.text for a in fig.layout.annotations[::2]]
    # (b) 28.5, (d) 3.0, (e) 17.7 % and 14.6 % rounded to whole per cent: 18 % · 15 %
    assert values[1] == "<b>28.5\u00a0%</b>" and values[3] == "<b>3.0\u00a0%</b>"
    assert values[4] == "<b>18\u00a0% · 15\u00a0%</b>"
    # (b) at 28.5 >= 5 flagged, (d) at 3.0 not
    flagged = [i for i, s in enumerate(fig.layout.shapes) if s.line.color != "#CCCCCC"]
    assert flagged == [0, 1, 2, 6]
    hidden = charts.pay_findings.art9(_art9((None, None, None, None, None, None, None, None, True)), CTX)
    gone = [a.text for a in hidden.layout.annotations[::2]]
    assert [gone[i] for i in (1, 3, 4)] == ["<b>–</b>"] * 3  # a hidden row: (b), (d), (e) say –
