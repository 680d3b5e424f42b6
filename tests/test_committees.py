"""Committee indicators: seats by gender per body, and the unit's summary by body type."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import load, seats
from helpers import row as one
from indicators.protect import registry
from indicators.protect.registry import Filters

registry.load_all()


@pytest.fixture
def bodies(db):
    load(
        db,
        "units",
        pd.DataFrame(
            {
                "unit": ["S", "D1", "T"],
                "name_sv": ["S", "D1", "T"],
                "name_en": ["S", "D1", "T"],
                "parent_unit": [None, "S", None],
            }
        ),
    )
    load(
        db,
        "committees",
        pd.concat(
            [
                # Board: chair woman + 3 W, 6 M members, 2 women secretaries and 3 women deputies (neither
                # counted: they do not vote): 4 W / 6 M = 0.40.
                seats(
                    2024,
                    "Board",
                    "beslutande",
                    "S",
                    [
                        ("ordförande", "K", 1),
                        ("ledamot", "K", 3),
                        ("ledamot", "M", 6),
                        ("sekreterare", "K", 2),
                        ("suppleant", "K", 3),
                    ],
                ),
                # Council in a department: chair man, 1 W, 1 M, 1 other: 1 W / 2 M = 0.333 (public: shown).
                seats(
                    2024,
                    "Council",
                    "beredande",
                    "D1",
                    [("ordförande", "M", 1), ("ledamot", "K", 1), ("ledamot", "X", 1)],
                ),
                # A body of another school, and one with no unit and no type (the whole organisation's).
                seats(2024, "T board", "beslutande", "T", [("ordförande", "K", 1), ("ledamot", "K", 5)]),
                seats(2024, "Senate", None, None, [("ledamot", "K", 3), ("ledamot", "M", 3)]),
                # Last year: the Board had 2 W / 8 M, chaired by a man.
                seats(
                    2023, "Board", "beslutande", "S", [("ordförande", "M", 1), ("ledamot", "K", 2), ("ledamot", "M", 7)]
                ),
            ],
            ignore_index=True,
        ),
    )
    return db


def test_bodies_count_voting_seats_and_exclude_secretaries_and_deputies(bodies):
    df = registry.compute(bodies, "committee_bodies", Filters(unit="S", year=2024))
    assert sorted(df["body"]) == ["Board", "Council"]  # S with its department D1, not T, not the Senate
    board = one(df, body="Board")
    assert (board["women"], board["men"], board["total"]) == (4, 6, 10)
    assert board["share_women"] == pytest.approx(0.4) and bool(board["balanced"])
    assert board["chair_gender"] == "woman" and board["body_type"] == "decision-making"
    council = one(df, body="Council")
    # Seats are public: three seats and one person of other gender are shown, not hidden.
    assert (council["women"], council["men"], council["other"], council["total"]) == (1, 1, 1, 3)
    assert council["share_women"] == pytest.approx(0.5)
    assert council["chair_gender"] == "man"
    assert "suppressed" not in df


def test_upper_edge_setting_applies_to_bodies(bodies, goals):
    # The T board: 6 W / 0 M -> 1.0. The Board at exactly 0.40 stays balanced with the upper edge
    # excluded; the Senate at 0.5 too.
    goals(balance={"upper_inclusive": False})
    df = registry.compute(bodies, "committee_bodies", Filters(year=2024))
    assert bool(one(df, body="Board")["balanced"]) and not bool(one(df, body="T board")["balanced"])


def test_whole_organisation_includes_bodies_without_a_unit(bodies):
    df = registry.compute(bodies, "committee_bodies", Filters(year=2024))
    assert sorted(df["body"]) == ["Board", "Council", "Senate", "T board"]
    assert one(df, body="Senate")["body_type"] == "other"


def test_summary_by_body_type_and_all(bodies):
    df = registry.compute(bodies, "committee_summary", Filters(unit="S"))
    # 2024 in S: Board (decision-making, 4 W / 6 M, balanced, chair W) and Council (preparatory,
    # 1 W / 1 M / 1 other, share 0.5, balanced, chair M).
    all24 = one(df, year=2024, body_type="all")
    assert (all24["bodies"], all24["bodies_balanced"]) == (2, 2)
    assert all24["share_bodies_balanced"] == 1.0
    assert (all24["women"], all24["men"], all24["other"]) == (5, 7, 1)
    assert all24["share_women"] == pytest.approx(5 / 12)
    assert (all24["chairs_women"], all24["chairs_men"]) == (1, 1) and all24["share_chairs_women"] == 0.5
    dec = one(df, year=2024, body_type="decision-making")
    assert (dec["bodies"], dec["women"], dec["men"]) == (1, 4, 6)
    # 2023: only the Board, 2 W / 8 M = 0.2, not balanced, chaired by a man.
    all23 = one(df, year=2023, body_type="all")
    assert (all23["bodies"], all23["bodies_balanced"], all23["share_bodies_balanced"]) == (1, 0, 0.0)
    assert all23["share_women"] == pytest.approx(0.2) and all23["share_chairs_women"] == 0.0
    assert df["body_type"].tolist() == ["decision-making", "all", "decision-making", "preparatory", "all"]


def test_summary_year_range(bodies):
    df = registry.compute(bodies, "committee_summary", Filters(year_from=2024, year_to=2024))
    assert set(df["year"]) == {2024}
    # Every 2024 body: 4+1+6+3 = 14 W, 6+1+0+3 = 10 M; balanced: Board, Council, Senate (3 of 4).
    row = one(df, body_type="all")
    assert (row["women"], row["men"], row["bodies"], row["bodies_balanced"]) == (14, 10, 4, 3)


def test_no_committee_data_gives_empty_tables(db):
    assert registry.compute(db, "committee_bodies", Filters()).empty
    assert registry.compute(db, "committee_summary", Filters()).empty
