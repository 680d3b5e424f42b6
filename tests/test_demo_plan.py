"""demo/plan.py: the demo's plan of measures and its pay survey's record, written through the plan's
own rules (plan.apply_changes, carry-over) for the last two years of staff, every row synthetic."""

from __future__ import annotations

import pandas as pd

from helpers import load, staff_rows
from indicators import demo
from indicators.demo.plan import DEMO_MEASURES


def units(*codes: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"unit": list(codes), "name_sv": list(codes), "name_en": list(codes), "parent_unit": [None] * len(codes)}
    )


def two_years(db, *codes: str) -> None:
    load(db, "units", units(*codes))
    for year in (2024, 2025):
        load(
            db,
            "staff",
            pd.concat(
                [staff_rows([("Professor", "K", 3), ("Professor", "M", 3)], year=year, unit=u) for u in codes],
                ignore_index=True,
            ),
        )


def test_the_measures_of_both_years_and_what_carried_over(db):
    two_years(db, "ELE", "ELE-1", "BIO", "ADM")
    demo.load_plan(db)
    got = dict(
        ((y, s), n)
        for y, s, n in db.execute("SELECT year, status, count(*) FROM plan_measures GROUP BY ALL").fetchall()
    )
    # 2024, DEMO_STATUS's first column for the ten measures: done 0, 3, 7; in progress 1, 2, 5, 8;
    # planned 4, 6; dropped 9.
    assert {s: n for (y, s), n in got.items() if y == 2024} == {"done": 3, "in_progress": 4, "planned": 2, "dropped": 1}
    # 2025: the six unfinished (planned or in progress) carried over, then set to the second column:
    # 1, 2, 4, 8 in progress, 5 done, 6 planned.
    assert {s: n for (y, s), n in got.items() if y == 2025} == {"in_progress": 4, "done": 1, "planned": 1}
    carried = db.execute("SELECT count(*), count(carried_from) FROM plan_measures WHERE year = 2025").fetchone()
    assert carried == (6, 6)
    assert db.execute("SELECT bool_and(synthetic) FROM plan_measures").fetchone() == (True,)
    # the consultation with the unions of each year, and the trail of every change
    assert [y for (y,) in db.execute("SELECT year FROM pay_consultations ORDER BY year").fetchall()] == [2024, 2025]
    assert db.execute("SELECT DISTINCT via FROM plan_audit").fetchall() == [("demo",)]


def test_a_measure_of_a_unit_not_there_is_left_out(db):
    two_years(db, "ELE", "ELE-1", "ADM")  # no BIO: its three measures (5, 6, 7) are left out
    demo.load_plan(db)
    assert len(DEMO_MEASURES) == 10
    assert db.execute("SELECT count(*) FROM plan_measures WHERE year = 2024").fetchone() == (10 - 3,)
    assert db.execute("SELECT count(*) FROM plan_measures WHERE unit = 'BIO'").fetchone() == (0,)


def test_fewer_than_two_years_of_staff_write_no_plan(db):
    load(db, "units", units("ELE"))
    load(db, "staff", staff_rows([("Professor", "K", 3), ("Professor", "M", 3)], year=2025, unit="ELE"))
    demo.load_plan(db)
    assert db.execute("SELECT count(*) FROM plan_measures").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM plan_audit").fetchone() == (0,)
