"""The scorecard: six sub-goals, each judged on its headline indicator against goals.toml."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import load, seats, staff_rows
from indicators.present import columns
from indicators.protect import registry
from indicators.protect.registry import SUBGOALS, Filters
from indicators.subgoals import goals as scorecards

registry.load_all()
needs_pay = pytest.mark.skipif("pay_gap" not in registry.REGISTRY, reason="the pay module is not there yet")


def by_subgoal(df: pd.DataFrame) -> dict[int, pd.Series]:
    return {int(r["subgoal"]): r for _, r in df.iterrows()}


def test_six_rows_of_no_data_on_an_empty_database(db):
    df = scorecards.scorecard(db, Filters(exact=True))
    assert df["subgoal"].tolist() == list(SUBGOALS)
    assert set(df["status"]) == {"no_data"}
    assert list(df.columns) == [
        "subgoal",
        "title_sv",
        "title_en",
        "indicator",
        "value",
        "target",
        "status",
        "previous",
        "direction",
        "progress",
    ]
    assert df.loc[0, "title_sv"] == "Makt och inflytande"


def committee_data(db, share_2024: tuple[int, int], share_2023: tuple[int, int] = (2, 8)):
    w, m = share_2024
    w0, m0 = share_2023
    load(
        db,
        "committees",
        pd.concat(
            [
                seats(
                    2024,
                    "Board",
                    "beslutande",
                    "S",
                    [("ledamot", "K", w), ("ledamot", "M", m), ("sekreterare", "K", 3)],
                ),
                seats(2023, "Board", "beslutande", "S", [("ledamot", "K", w0), ("ledamot", "M", m0)]),
            ],
            ignore_index=True,
        ),
    )


def test_power_and_influence_from_committee_seats(db):
    # 2024: 6 W / 4 M voting seats = 0.60 (secretaries not counted) -> met (edges included);
    # 2023: 2 / 10 = 0.20, so the direction is up. Nothing imported for sub-goals 2-6.
    committee_data(db, (6, 4))
    row = by_subgoal(scorecards.scorecard(db, Filters(exact=True)))
    assert row[1]["indicator"] == "committee_summary"
    assert row[1]["value"] == pytest.approx(0.6) and row[1]["previous"] == pytest.approx(0.2)
    assert (row[1]["status"], row[1]["direction"], row[1]["target"]) == ("met", "up", "40–60 %")
    # 0.20 to 0.60 of seats: |0.60 - 0.5| = 0.10 < |0.20 - 0.5| = 0.30, closer to half: better (issue 22)
    assert row[1]["progress"] == "better"
    assert all(row[s]["status"] == "no_data" for s in (2, 3, 4, 5, 6))


def test_upper_edge_excluded_turns_sixty_percent_into_not_met(db, goals):
    goals(balance={"upper_inclusive": False})
    committee_data(db, (6, 4))
    assert by_subgoal(scorecards.scorecard(db, Filters(exact=True)))[1]["status"] == "not_met"


def test_below_the_band_is_not_met_and_same_direction(db):
    # 3 W / 7 M = 0.30 both years.
    committee_data(db, (3, 7), (3, 7))
    row = by_subgoal(scorecards.scorecard(db, Filters(exact=True, year=2024)))[1]
    assert (row["status"], row["direction"]) == ("not_met", "same")


def test_a_year_without_data_is_no_data(db):
    committee_data(db, (6, 4))
    row = by_subgoal(scorecards.scorecard(db, Filters(exact=True, year=2030)))[1]
    assert row["status"] == "no_data" and row["previous"] is None and row["direction"] is None


def pay_rows(year: int, women: list[float], men: list[float], unit: str = "U1") -> pd.DataFrame:
    df = pd.concat(
        [
            staff_rows([("adjunkt", "K", len(women))], year=year, unit=unit, monthly_salary=women),
            staff_rows([("adjunkt", "M", len(men))], year=year, unit=unit, monthly_salary=men).assign(
                person_id=lambda d: "m" + d["person_id"]
            ),
        ],
        ignore_index=True,
    )
    return df


@needs_pay
def test_pay_gap_headline_met_and_direction(db):
    # 2024: women's median 39 000, men's 40 000: gap (40 000 - 39 000) / 40 000 = 2.5 % <= 5 % -> met.
    # 2023: 36 000 against 40 000 = 10 %, so the gap went down.
    load(db, "staff", pd.concat([pay_rows(2024, [39000] * 6, [40000] * 6), pay_rows(2023, [36000] * 6, [40000] * 6)]))
    row = by_subgoal(scorecards.scorecard(db, Filters(exact=True)))[2]
    assert row["indicator"] == "pay_gap_trend"
    assert row["value"] == pytest.approx(2.5) and row["previous"] == pytest.approx(10.0)
    assert (row["status"], row["direction"]) == ("met", "down")
    assert row["progress"] == "better"  # down from 10 % to 2.5 %: closer to no gap, so the arrow down is better
    assert row["target"] == "|gap| ≤ 5 %"


@needs_pay
def test_pay_gap_hidden_with_too_few_women(db):
    # 3 women: pay figures need k = 5 women and 5 men, so the headline is hidden, not "no data".
    load(db, "staff", pay_rows(2024, [30000] * 3, [40000] * 6))
    row = by_subgoal(scorecards.scorecard(db, Filters()))[2]
    assert row["status"] == "hidden" and row["value"] is None


def test_scorecard_units_long_format(db):
    load(
        db,
        "units",
        pd.DataFrame(
            {
                "unit": ["S", "D1", "D2"],
                "name_sv": ["S", "D1", "D2"],
                "name_en": ["S", "D1", "D2"],
                "parent_unit": [None, "S", "S"],
            }
        ),
    )
    load(
        db,
        "committees",
        pd.concat(
            [
                seats(2024, "B1", "beslutande", "D1", [("ledamot", "K", 5), ("ledamot", "M", 5)]),
                seats(2024, "B2", "beslutande", "D2", [("ledamot", "K", 1), ("ledamot", "M", 9)]),
            ],
            ignore_index=True,
        ),
    )
    df = scorecards.scorecard_units(db, Filters(unit="S", exact=True))
    assert len(df) == 2 * len(SUBGOALS) and df.columns[0] == "unit"
    first = df[df["subgoal"] == 1].set_index("unit")
    assert first.loc["D1", "status"] == "met" and first.loc["D1", "value"] == pytest.approx(0.5)
    assert first.loc["D2", "status"] == "not_met" and first.loc["D2", "value"] == pytest.approx(0.1)
    # The whole organisation's sub-units are the top-level units.
    assert set(scorecards.scorecard_units(db, Filters(exact=True))["unit"]) == {"S"}


def test_a_new_headline_is_one_entry(db, monkeypatch):
    # Issue 6 adds sub-goals 3-6 by adding to HEADLINES; here sub-goal 5 borrows the managers table
    # to show that nothing else has to change. 6 W / 9 M managers = 0.40 -> met.
    headline = scorecards.Headline("managers", "share_women", lambda v: v >= 0.4, lambda: "≥ 40 %")
    monkeypatch.setitem(scorecards.HEADLINES, 5, headline)
    load(db, "staff", staff_rows([("administratör", "K", 6), ("administratör", "M", 9)], manager="ja"))
    row = by_subgoal(scorecards.scorecard(db, Filters(exact=True)))[5]
    assert (row["indicator"], row["status"], row["target"]) == ("managers", "met", "≥ 40 %")
    assert row["value"] == pytest.approx(0.4)


def test_hidden_headline_from_suppression(db, monkeypatch):
    # The same with 3 women managers: the share is suppressed, so the status is "hidden".
    headline = scorecards.Headline("managers", "share_women", lambda v: v >= 0.4, lambda: "≥ 40 %")
    monkeypatch.setitem(scorecards.HEADLINES, 5, headline)
    load(db, "staff", staff_rows([("administratör", "K", 3), ("administratör", "M", 9)], manager="ja"))
    assert by_subgoal(scorecards.scorecard(db, Filters()))[5]["status"] == "hidden"
    # exact figures hide nothing: 3 / 12 = 0.25, not met
    assert by_subgoal(scorecards.scorecard(db, Filters(exact=True)))[5]["status"] == "not_met"


def test_cli_exports_the_scorecard(db, tmp_path, capsys):
    from indicators import cli

    path = tmp_path / "t.duckdb"
    db.close()
    assert cli.main(["export", "scorecard", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.lstrip("\ufeff").startswith("subgoal,title_sv,title_en,indicator,value,target,status")
    assert out.count("no_data") == 6


def test_each_headline_has_one_name_and_one_format():
    # The card and the first finding of the page it opens write a headline the same way (columns.toml
    # [headline], by the headline's indicator): a share 0.435897 as 44 %, a gap already in percent
    # 11.303352 as 11.3 % (11,3 % in Swedish), a ratio 0.899656 as 0.90; a missing value as a dash.
    h = {s: headline.indicator for s, headline in scorecards.HEADLINES.items()}
    assert columns.headline_value(h[1], 0.435897, "en") == "44\u00a0%"
    assert columns.headline_value(h[2], 11.303352, "sv") == "11,3\u00a0%"
    assert columns.headline_value(h[2], -2.04, "sv") == "\u22122,0\u00a0%"  # women paid more: negative
    assert columns.headline_value(h[4], 0.899656, "sv") == "0,90"
    assert columns.headline_value(h[5], 1.433455, "en") == "1.43"
    assert columns.headline_value(h[6], 0.0617, "en") == "6\u00a0%"
    assert columns.headline_value(h[6], None, "en") == "–"
    # sub-goal 6 is judged on the survey's exposed share, and is named so (not "reported harassment")
    assert columns.headline_name(h[6], "en") == "Women exposed to sexual harassment (survey)"
    assert columns.headline_name(h[2], "sv") == "Medianlöneskillnad"
    # a headline without a name of its own (subgoals.toml [vocab.headline]) is named by its indicator's title
    assert columns.headline_name("managers", "en") == registry.REGISTRY["managers"].title("en")
    # every headline has a name and a form
    for indicator in h.values():
        assert columns.headline_name(indicator, "sv") != indicator and columns.headline_form(indicator) is not None
