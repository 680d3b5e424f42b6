"""A unit's own target from its plan: it judges that unit's scorecard row (and no other unit's), and its
trajectory is drawn on the linked indicator's chart."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from helpers import APP, app_test, failures, load, seats, staff_rows
from indicators.plan.followup import chart_targets
from indicators.plan.records import save_measure
from indicators.present import charts, columns
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.subgoals import goals

registry.load_all()
WHO = "jml@uni.example"


@pytest.fixture
def tree(db):
    # S -> D1 -> D1a, S -> D2. Seats: D1a 3 W / 7 M (its parent D1 has no body of its own, so D1 is
    # 3/10 = 30 % too), D2 4 W / 6 M = 40 %, S (4+3)/20 = 35 %. No 2023 seats.
    load(
        db,
        "units",
        pd.DataFrame(
            {
                "unit": ["S", "D1", "D1a", "D2"],
                "name_sv": ["S", "D1", "D1a", "D2"],
                "name_en": ["S", "D1", "D1a", "D2"],
                "parent_unit": [None, "S", "D1", "S"],
            }
        ),
    )
    load(
        db,
        "committees",
        pd.concat(
            [
                seats(2024, "B1", "beslutande", "D1a", [("ledamot", "K", 3), ("ledamot", "M", 7)]),
                seats(2024, "B2", "beslutande", "D2", [("ledamot", "K", 4), ("ledamot", "M", 6)]),
            ],
            ignore_index=True,
        ),
    )
    return db


def measure(con, unit, year=2024, **values):
    return save_measure(
        con, {"unit": unit, "year": year, "title_sv": f"Åtgärd {len(values)}", "subgoal": 1, **values}, who=WHO
    )


def test_a_units_own_target_judges_only_that_unit(tree):
    con = tree
    # D1's plan for 2024: 25 % women among committee seats by 2027 (the scorecard's sub-goal 1 headline),
    # and a later milestone, 45 % by 2030: the nearest target year is the one judged now.
    measure(con, "D1", indicator="committees", target_value=25, target_year=2027, status="in_progress")
    measure(con, "D1", indicator="committees", target_value=0.45, target_year=2030, title_sv="Senare mål")
    # Not counted: D2's dropped measure (a 50 % floor would fail D2's 40 %), and S's plan for 2023.
    measure(con, "D2", indicator="committees", target_value=0.5, target_year=2026, status="dropped")
    measure(con, "S", year=2023, indicator="committees", target_value=0.3, target_year=2026)
    card = goals.scorecard_overview(con, Filters(unit="S", year=2024, exact=True))
    first = card[card["subgoal"] == 1].set_index("unit")
    # D1: 3/10 = 0.30 >= 0.25 (its own floor, below 50 %): met; the 40-60 band would say not met.
    assert first.loc["D1", "value"] == pytest.approx(0.30)
    assert (first.loc["D1", "status"], first.loc["D1", "target"]) == ("met", "≥ 25 % (unit's own target, 2027)")
    # The parent S: 7/20 = 0.35, judged on goals.toml's band (D1's 25 % would have said met): not met.
    assert first.loc["S", "value"] == pytest.approx(0.35)
    assert (first.loc["S", "status"], first.loc["S", "target"]) == ("not_met", "40–60 %")
    # D2: 4/10 = 0.40 on the band (edges included): met; its dropped target is ignored.
    assert (first.loc["D2", "status"], first.loc["D2", "target"]) == ("met", "40–60 %")
    # The sub-unit D1a: 0.30 on the band, not D1's target: not met.
    sub = goals.scorecard_units(con, Filters(unit="D1", year=2024, exact=True))
    row = sub[(sub["unit"] == "D1a") & (sub["subgoal"] == 1)].iloc[0]
    assert (row["status"], row["target"]) == ("not_met", "40–60 %")
    # D1's own card says the same as its row in the overview; other sub-goals keep goals.toml's targets.
    own = goals.scorecard(con, Filters(unit="D1", year=2024, exact=True)).set_index("subgoal")
    assert own.loc[1, "status"] == "met" and own.loc[2, "target"] == "|gap| ≤ 5 %"
    assert columns.target_words(own.loc[1, "target"], "sv") == "≥\u00a025\u00a0% (enhetens eget mål, 2027)"


def test_a_share_target_above_half_is_a_ceiling_and_a_pay_gap_target_either_way():
    h1, h2 = goals.HEADLINES[1], goals.HEADLINES[2]
    # 70 % women with a 60 % target: a ceiling, not met; 55 %: met.
    assert not goals.own_met(h1, 0.70, 0.60) and goals.own_met(h1, 0.55, 0.60)
    assert goals.own_target(h1, 0.6, 2028) == "≤ 60 % (unit's own target, 2028)"
    # A gap of -2.5 % (women's favour) against a 3 % target: |−2.5| <= 3, met; 3.5 is not.
    assert goals.own_met(h2, -2.5, 3.0) and not goals.own_met(h2, 3.5, 3.0)
    assert goals.own_target(h2, 3.0, None) == "|gap| ≤ 3 % (unit's own target)"


def test_the_trajectory_on_the_representation_trend(db):
    # U1's women professors: 2023 2 of 10 = 20 %, 2024 3 of 10 = 30 %. Its plan for 2024: 35 % by 2027.
    for year, w in ((2023, 2), (2024, 3)):
        load(
            db,
            "staff",
            staff_rows(
                [("professor", "K", w), ("professor", "M", 10 - w), ("lecturer", "K", 5), ("lecturer", "M", 5)],
                year=year,
            ),
        )
    measure(db, "U1", indicator="share_women:professor", target_value=35, target_year=2027)
    measure(db, "U1", indicator="share_women:lecturer", target_value=0.45, target_year=2026, status="dropped")
    targets = chart_targets(db, "U1", 2024)
    assert targets == (
        charts.common.Target("representation_trend", "share_women", (("position", "professor"),), 2024, 0.35, 2027),
    )
    df = registry.compute(db, "representation_trend", Filters(unit="U1", year=2024, exact=True))
    # the line names the position it is for (issue 22: the trend draws several positions' lines)
    for lang, label in (
        ("en", "Unit's target for professors: 35 % by 2027"),
        ("sv", "Enhetens mål för professorer: 35 % år 2027"),
    ):
        ctx = charts.common.Context(lang=lang, unit="U1", year=2024, positions=("professor",), targets=targets)
        fig = charts.representation.trend(df, ctx)
        line = [d for d in fig.data if d.meta == "own_target"]
        assert len(line) == 1 and line[0].line.dash == "dash"
        # From the measure's year's value (3/10 = 0.30 in 2024) to 0.35 in 2027.
        assert list(line[0].x) == [2024, 2027] and list(line[0].y) == pytest.approx([0.30, 0.35])
        assert line[0].name.replace("\u00a0", " ") == label
    # A page whose year is before the measure's year draws from the last year shown (2023: 0.20).
    fig = charts.representation.trend(df, charts.common.Context(year=2023, positions=("professor",), targets=targets))
    line = [d for d in fig.data if d.meta == "own_target"][0]
    assert list(line.x) == [2023, 2027] and list(line.y) == pytest.approx([0.20, 0.35])
    # Without the professors' line on the chart (lecturers chosen), there is no trajectory to draw.
    fig = charts.representation.trend(df, charts.common.Context(year=2024, positions=("lecturer",), targets=targets))
    assert not [d for d in fig.data if d.meta == "own_target"]
    # Without a target, the chart is as before.
    assert not [
        d
        for d in charts.representation.trend(df, charts.common.Context(year=2024, positions=("professor",))).data
        if d.meta == "own_target"
    ]


DEMO = {"seed": 1, "scale": 0.3}  # conftest's demo_db


def test_the_app_draws_adms_pay_gap_target_and_its_card_says_whose_target(demo_db, monkeypatch):
    # The demo plan: ADM, "Review of pay setting for administrative staff", pay_gap 5 % by 2026, in
    # progress in the latest year (carried over from the year before).
    import json

    from indicators.present import pages
    from indicators.store import writer

    con = writer.reader(demo_db).connection()
    year = con.execute("SELECT max(year) FROM staff").fetchone()[0]
    assert chart_targets(con, "ADM", year) == (
        charts.common.Target("pay_gap_trend", "median_gap_pct", (), year, 5.0, 2026),
    )
    monkeypatch.setenv("BALANS_DB", str(demo_db))
    at = app_test(APP, 180)
    at.query_params.update(unit="ADM", year=str(year), lang="sv")
    at.run()
    assert not at.exception and not failures(at), [e.value for e in at.exception]
    # The overview's card, sub-goal 2: ADM's own target, said in Swedish, in words (goals.py's "|gap| ≤ 5 %"
    # through columns.target_words).
    # (the card's cells are one HTML element a row: views/_draw.cells_line)
    cells = [
        c for h in at.get("html") for c in re.findall(r'<span class="balans-cell"[^>]*>([^<]*)</span>', h.proto.body)
    ]
    assert "skillnad inom ±5 % (enhetens eget mål, 2026)" in [html.unescape(c).replace("\u00a0", " ") for c in cells], (
        cells
    )
    at.switch_page(pages.page("pay").file).run()
    assert not at.exception and not failures(at)
    lines = [
        d for c in at.get("plotly_chart") for d in json.loads(c.proto.spec)["data"] if d.get("meta") == "own_target"
    ]
    # One dashed line, from ADM's gap in the plan's year to 5 % in 2026.
    assert len(lines) == 1 and lines[0]["line"]["dash"] == "dash"
    assert lines[0]["x"] == [year, 2026] and lines[0]["y"][1] == 5.0
    assert lines[0]["name"].startswith("Enhetens mål: ") and lines[0]["name"].endswith("år 2026")
