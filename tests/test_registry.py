"""Several units in one query (registry.compute_scoped) give, unit for unit, exactly the table that
unit gets on its own page: the same numbers and the same suppression. The scorecard per sub-unit
rests on this."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from helpers import load, staff_rows
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.store import cells, database, writer
from indicators.subgoals import goals


@pytest.fixture(scope="module")
def demo_con(tmp_path_factory, demo_copy):
    db = demo_copy(tmp_path_factory.mktemp("scoped") / "demo.duckdb", seed=3)
    con = database.connect(db)
    # A body with no unit belongs to the whole organisation only.
    con.execute(
        "INSERT INTO committees (batch_id, year, body, body_type, unit, role, gender) "
        "SELECT 1, max(year), 'Rectors council', 'decision-making', NULL, 'member', 'woman' FROM committees"
    )
    # A department of 3 women and 8 men the year after the demo's last: its figures are hidden (k = 5).
    year = con.execute("SELECT max(year) + 1 FROM staff").fetchone()[0]
    load(
        con,
        "staff",
        staff_rows(
            [("professor", "woman", 3), ("professor", "man", 8)],
            year=year,
            unit="TINY",
            parent="UNI",
            monthly_salary=50_000,
            fte=1.0,
            parental_leave_days=10,
            sick_leave_days=4,
        ),
    )
    yield con
    con.close()


def every_unit(con) -> list[str]:
    return [database.ALL_UNITS, *[r[0] for r in con.execute("SELECT unit FROM units ORDER BY unit").fetchall()]]


SCOPED = sorted(i for i, ind in registry.load_all().items() if ind.scoped)
FILTERS = [
    Filters(),
    Filters(year_from=2021, year_to=2023),
    Filters(year=2022, measure="fte"),
    Filters(positions=("professor", "lecturer")),
]


def test_the_scorecards_headlines_are_scoped_trends(demo_con):
    # The scorecard reads this year and last year from one computation of each headline.
    assert {h.indicator for h in goals.HEADLINES.values()} <= set(SCOPED)
    for h in goals.HEADLINES.values():
        table = registry.compute(demo_con, h.indicator, Filters(year=2022, year_from=2021, year_to=2022))
        assert set(table["year"]) == {2021, 2022}, h.indicator


@pytest.mark.parametrize("indicator", SCOPED)
@pytest.mark.parametrize("filters", FILTERS, ids=["default", "range", "fte", "positions"])
def test_each_units_rows_are_its_own_table(demo_con, indicator, filters):
    units = every_unit(demo_con)
    together = registry.compute_scoped(demo_con, indicator, filters, units)
    assert list(together.columns[:1]) == ["scope"]
    hidden = 0
    for unit in units:
        alone = registry.compute(demo_con, indicator, filters.with_(unit=unit))
        mine = together[together["scope"] == unit].drop(columns="scope").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone.reset_index(drop=True), check_dtype=False)
        hidden += int(alone["suppressed"].sum()) if "suppressed" in alone else 0
    if registry.REGISTRY[indicator].personal and filters == Filters() and indicator != "incidents":
        assert hidden > 0, "the demo's small units should make suppression part of this comparison"


def test_the_whole_organisation_has_the_seats_of_bodies_without_a_unit(demo_con):
    year = demo_con.execute("SELECT max(year) FROM committees").fetchone()[0]
    table = registry.compute_scoped(
        demo_con, "committee_summary", Filters(year_from=year, year_to=year), [database.ALL_UNITS, "UNI"]
    )
    seats = table[table["body_type"] == "all"].set_index("scope")["total"]
    # The body without a unit adds its one seat to '*' and to no unit below it.
    assert seats["*"] == seats["UNI"] + 1


def test_a_unit_without_data_has_no_rows(demo_con):
    table = registry.compute_scoped(demo_con, "sick_leave", Filters(), ["NO-SUCH-UNIT", database.ALL_UNITS])
    assert set(table["scope"]) == {database.ALL_UNITS}


def test_the_scorecard_per_sub_unit_is_each_units_own_scorecard(demo_con):
    year = demo_con.execute("SELECT max(year) FROM committees").fetchone()[0]  # the demo's last year
    by_unit = goals.scorecard_units(demo_con, Filters(unit="UNI", year=year))  # the schools
    assert len(by_unit) == 6 * by_unit["unit"].nunique() > 6
    assert {"met", "not_met"} <= set(by_unit["status"])
    for unit, rows in by_unit.groupby("unit", sort=False):
        alone = goals.scorecard(demo_con, Filters(unit=unit, year=year))

        # A unit with no data at all has None where the others' column is float: compare as objects.
        def same(df):
            return df.reset_index(drop=True).astype(object).where(df.notna().to_numpy(), None)

        pd.testing.assert_frame_equal(same(rows.drop(columns="unit")), same(alone))


def test_the_overview_computes_both_scorecards_at_once(demo_con):
    f = Filters(unit="UNI")
    both = goals.scorecard_overview(demo_con, f)
    pd.testing.assert_frame_equal(
        both[both["unit"] == "UNI"].drop(columns="unit").reset_index(drop=True), goals.scorecard(demo_con, f)
    )
    pd.testing.assert_frame_equal(
        both[both["unit"] != "UNI"].reset_index(drop=True), goals.scorecard_units(demo_con, f)
    )


# --- the table of every unit (Indicator.every_unit), computed once per snapshot --------------------------

EVERY_UNIT = sorted(i for i, ind in registry.load_all().items() if ind.every_unit)
EVERY_UNIT_FILTERS = [
    Filters(),
    Filters(year=2022, year_from=2021, year_to=2022),
    Filters(year_to=2019),
    Filters(year_from=2030),
    Filters(positions=("professor",), measure="fte"),
    Filters(employment_type="temporary", exact=True),
    Filters(pay="annual"),
]


@pytest.fixture(scope="module")
def snapshot_con(tmp_path_factory, demo_copy):
    db = demo_copy(tmp_path_factory.mktemp("every") / "demo.duckdb", seed=3)
    reader = writer.reader(db)
    yield reader.connection()
    reader.close()


def test_the_scorecards_headlines_read_the_table_of_every_unit():
    assert {h.indicator for h in goals.HEADLINES.values()} <= set(EVERY_UNIT)


def ready(con, held, ind, f):
    """of_every_unit once its table is made (in a thread of its own: None until then)."""
    got = registry.of_every_unit(con, held, ind, f)
    if got is None:
        held.settle()
        got = registry.of_every_unit(con, held, ind, f)
    assert got is not None, (ind.id, f)
    return got


@pytest.mark.parametrize("filters", EVERY_UNIT_FILTERS, ids=lambda f: repr(f)[8:60])
def test_the_table_of_every_unit_gives_what_the_function_gives(snapshot_con, filters, monkeypatch):
    monkeypatch.setenv("BALANS_BACKGROUND", "on")  # off in the suite (conftest.py); this test is of it
    held = cells.of(snapshot_con)
    units = list(held.every_unit())
    # every unit with the default filters, a few of them (the whole organisation, a school, departments) with the others
    alone = units if filters == Filters() else ["*", "BIO", "BIO-2", "ADM-3"]
    asked = [filters.with_(unit=u) for u in alone] + [
        filters.with_(units=tuple(units[1:4])),
        filters.with_(units=(units[2], "*")),
    ]
    for ind_id in EVERY_UNIT:
        ind = registry.REGISTRY[ind_id]
        for f in asked:
            cur = snapshot_con.cursor()
            expected = ind.function(cur, f)
            cur.close()
            got = ready(snapshot_con, held, ind, f)
            pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, obj=f"{ind_id} {f}")
        # a unit the snapshot does not have: the function answers
        assert registry.of_every_unit(snapshot_con, held, ind, filters.with_(unit="NO-SUCH-UNIT")) is None


def test_side_by_side_computes_what_is_in_memory_on_the_calling_thread():
    # Six items, the even ones "in memory" (here): those on the calling thread, the odd ones on the
    # pool's threads, the results in the items' order whatever ran where.
    caller, ran = threading.get_ident(), {}

    def times_ten(x):
        ran[x] = threading.get_ident()
        return 10 * x

    assert registry.side_by_side(times_ten, list(range(6)), lambda x: x % 2 == 0) == [0, 10, 20, 30, 40, 50]
    assert [ran[x] == caller for x in range(6)] == [True, False, True, False, True, False]
    # all in memory: one after another on the calling thread
    ran.clear()
    assert registry.side_by_side(times_ten, [1, 2, 3], lambda x: True) == [10, 20, 30]
    assert set(ran.values()) == {caller}
