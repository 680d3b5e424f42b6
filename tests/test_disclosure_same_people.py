"""The outside attack of 2026-12-04 evening, closed: the same people drew the same noise, so two
categories that published the same several noisy statistics were the same people, and a hidden row
beside them was told to lack a gender.

The analyst (only a viewer's downloads of the Pay page, pay_transparency for every unit, year and
measure) found in one department the technical and administrative women and the women of value
group 7 with the same mean, median and basic mean of annual pay; with equal_value's 0 women of that
group in value group 6, the hidden researcher and assistant professor rows of value group 7 held no
women (6 of 6 such cells true on its demo). Here with job levels (no job evaluation): one unit,

    technical and administrative staff (non_academic): 6 women, 6 men, job level 7
    researchers:                                        0 women, 3 men, job level 7
    lecturers:                                          6 women, 6 men, job level 5

so job level 7's women are the six non-academic women; the researcher row (3 people) is hidden.

The rule (privacy.Group): a magnitude's noise is drawn from its people's key and from what defines
the group, its unit and the dimensions that narrow it. The position row and the job level row are two
definitions, so two draws; the same group defined the same way (one position, in pay_gap, equal_work,
salary_distribution and pay_transparency) is still one draw everywhere. The unit-tree form (a school
whose women all sit in one department) is closed the same way, by the unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import checked, load, new_store
from indicators.protect import privacy, registry
from indicators.protect.privacy import Group
from indicators.protect.registry import Filters

registry.load_all()

# Fixed secret keys, so that the test is the same on every run; eight, so that no one lucky draw passes it.
KEYS = [f"{i:02d}" * 32 for i in range(1, 9)]
TOP = 36_000 + 700 * 5  # the non-academic women's largest salary (36 000 + 700 x 5)


def staff(unit_of=lambda position: "U1") -> pd.DataFrame:
    rows = []
    for position, level, women, men, base in (
        ("non_academic", 7, 6, 6, 36_000),
        ("researcher", 7, 0, 3, 44_000),
        ("lecturer", 5, 6, 6, 46_000),
    ):
        for g, n in (("K", women), ("M", men)):
            for i in range(n):
                rows.append(
                    {
                        "year": 2025,
                        "person_id": f"{position[:3]}{g}{i}",
                        "unit": unit_of(position),
                        "parent_unit": "U",
                        "position": position,
                        "gender": g,
                        "monthly_salary": base + 700 * i + (300 if g == "M" else 0),
                        "fte": 1.0,
                        "job_level": level,
                    }
                )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def sheet():
    return checked("staff", staff())


def store(tmp_path, sheet, key: str | None):
    con = new_store(tmp_path / f"same{key[:2] if key else 'exact'}.duckdb", key)
    load(con, "staff", sheet)
    return con


def transparency(con, exact: bool = False) -> pd.DataFrame:
    out = registry.compute(con, "pay_transparency", Filters(unit="U1", year=2025), exact=exact)
    return out.set_index(["part", "category"])


def level7(t: pd.DataFrame) -> str:
    return next(c for p, c in t.index if p == "job_level" and c.startswith("7"))


def test_the_two_rows_hold_the_same_women(tmp_path, sheet):
    # exact: job level 7's women are the non-academic women, so their figures agree to the krona
    con = store(tmp_path, sheet, None)
    t = transparency(con, exact=True)
    cols = ["women", "mean_women", "median_women"]
    assert t.loc[("position", "non_academic"), cols].tolist() == t.loc[("job_level", level7(t)), cols].tolist()
    # (36 000 + 36 700 + ... + 39 500) / 6 = 37 750, the median (37 400 + 38 100) / 2 = 37 750
    assert t.loc[("position", "non_academic"), ["mean_women", "median_women"]].tolist() == [37_750, 37_750]


@pytest.mark.parametrize("key", KEYS)
def test_equal_noisy_figures_do_not_say_a_hidden_row_lacks_a_gender(tmp_path, sheet, key):
    t = transparency(store(tmp_path, sheet, key))
    assert t.loc[("position", "researcher"), "suppressed"]
    a, b = t.loc[("position", "non_academic")], t.loc[("job_level", level7(t))]
    # The attack's inference was: mean and median both equal => the same women => the researchers have none.
    # Two draws now: each noise moves a mean of six by m x (|u1| x1 + u2 x2 / 2) / 6, at least
    # 0.5 x 0.5 x 39 500 / 6 = 1 646 kr, so the two means meet to the hundred kronor only by chance.
    assert not (a["mean_women"] == b["mean_women"] and a["median_women"] == b["median_women"])
    # each still within the noise's bound of the truth 37 750: m x (x1 + x2 / 2) / 6 = 0.5 x (39 500 + 19 400) / 6 = 4 908
    for row in (a, b):
        assert abs(row["mean_women"] - 37_750) <= 4_908 + 50  # and half of the hundred it is rounded to


@pytest.mark.parametrize("key", KEYS[:3])
def test_one_group_defined_one_way_reads_the_same_in_every_table(tmp_path, sheet, key):
    """The non-academic staff of U1 are one definition (U1, position) in pay_gap for that position,
    equal_work's row of it across the unit, salary_distribution's and pay_transparency's position rows:
    one draw, one number in every table (no view can be asked again for a new draw)."""
    con = store(tmp_path, sheet, key)
    f = Filters(unit="U1", year=2025)
    t = transparency(con).loc[("position", "non_academic")]
    gap = registry.compute(con, "pay_gap", f.with_(positions=("non_academic",))).iloc[0]
    work = registry.compute(con, "equal_work", f).set_index(["level", "position"]).loc[("all", "non_academic")]
    dist = registry.compute(con, "salary_distribution", f).set_index(["position", "gender"])
    for g, gender in (("women", "woman"), ("men", "man")):
        assert gap[f"mean_{g}"] == work[f"mean_{g}"] == t[f"mean_{g}"]
        assert (
            gap[f"median_{g}"]
            == work[f"median_{g}"]
            == t[f"median_{g}"]
            == dist.loc[("non_academic", gender), "median"]
        )


@pytest.mark.parametrize("key", KEYS)
def test_a_school_and_its_one_department_with_women_draw_apart(tmp_path, key):
    """The unit-tree form: school U's women all sit in department U1 (non-academic and lecturers), its
    researchers, all men, in U2. pay_gap of U and of U1 then hold the same women; the same noise
    would say that U2 has none. Two units, two draws."""
    sheet = checked("staff", staff(lambda position: "U2" if position == "researcher" else "U1"))
    con = store(tmp_path, sheet, key)
    f = Filters(year=2025)
    school = registry.compute(con, "pay_gap", f.with_(unit="U")).iloc[0]
    department = registry.compute(con, "pay_gap", f.with_(unit="U1")).iloc[0]
    exact = registry.compute(con, "pay_gap", f.with_(unit="U"), exact=True).iloc[0]
    # exact: the twelve women's mean (6 x 37 750 + 6 x 47 750) / 12 = 42 750 in both units
    assert exact["mean_women"] == 42_750
    assert not (
        school["mean_women"] == department["mean_women"] and school["median_women"] == department["median_women"]
    )


def ring(published: list[float], low: float, high: float) -> np.ndarray:
    """The analyst's candidates for a true mean, every 10 kr: those within [low, high] of every published
    figure (50 more either way for the rounding to hundreds), as the noise is never nearer than low nor
    farther than high."""
    grid = np.arange(25_000, 50_000, 10.0)
    keep = np.ones(len(grid), dtype=bool)
    for v in published:
        d = np.abs(grid - v)
        keep &= (d >= low - 50) & (d <= high + 50)
    return grid[keep]


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="open: two definitions of the same people are two draws of a noise that is never near zero, so "
    "two draws on either side of the truth pin it (outside attack of 2026-12-04 night; docs/privacy.md)",
)
def test_two_draws_of_one_group_do_not_pin_its_mean(tmp_path, sheet):
    """The outside attack on the Group rule (2026-12-04 night), on the hand-built unit: the six
    non-academic women are the position row and the job level 7 row, two draws. The noise of a mean of
    six is never under m x1 / 2n = 0.5 x 39 500 / 12 = 1 646 kr nor over m (x1 + x2 / 2) / n =
    0.5 x (39 500 + 19 400) / 6 = 4 908 (the analyst's best case: x1 and x2 known). One figure leaves two
    intervals of candidates, one on each side; two figures on opposite sides of the truth leave one
    interval, whose middle the analyst takes. The analyst found 138 of 185 such groups' means within
    1 000 kr on its demo (93 % of those it was sure of), one figure alone 18. Over 16 keys here, the
    middle lands within 1 000 kr of the true 37 750 for 9 (one figure alone: never one interval). Open:
    a group of k or more, not a person; the fixes (a noise that may come near zero, or one draw per
    people with their sameness hidden otherwise) are the method's to weigh (docs/privacy.md)."""
    pinned = 0
    for i in range(1, 17):
        t = transparency(store(tmp_path, sheet, f"{i:02d}" * 32))
        two = [t.loc[("position", "non_academic"), "mean_women"], t.loc[("job_level", level7(t)), "mean_women"]]
        candidates = ring(two, 0.5 * 0.5 * 39_500 / 6, 0.5 * (39_500 + 38_800 / 2) / 6)
        one_interval = len(candidates) and np.all(np.diff(candidates) <= 10.0 + 1e-9)
        pinned += bool(one_interval and abs((candidates[0] + candidates[-1]) / 2 - 37_750) <= 1_000)
    # one figure alone is never one interval: both sides stay
    assert not np.all(np.diff(ring(two[:1], 1_646, 4_908)) <= 10.0 + 1e-9)
    assert pinned <= 2, pinned


def own_and_sub_unit() -> pd.DataFrame:
    """Department U with 6 women and 6 men of technical staff of its own, and below it U1 with 3 men of
    technical staff (a hidden row in equal_work)."""
    rows = []
    for unit, parent, women, men in (("U", "S", 6, 6), ("U1", "U", 0, 3)):
        for g, n in (("K", women), ("M", men)):
            rows += [
                {
                    "year": 2025,
                    "person_id": f"{unit}{g}{i}",
                    "unit": unit,
                    "parent_unit": parent,
                    "position": "non_academic",
                    "gender": g,
                    "monthly_salary": 36_000 + 700 * i + (300 if g == "M" else 0),
                    "fte": 1.0,
                }
                for i in range(n)
            ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("key", KEYS)
def test_a_units_own_people_and_the_unit_with_its_sub_units_draw_apart(tmp_path, key):
    """equal_work of U: U's own technical staff (level "unit") and U's with its sub-units (level "all")
    hold the same six women, since U1's technical staff are all men. One draw would show equal women's
    figures in the two rows and so say that U1's hidden row holds no women. U has a sub-unit, so its
    own people are a definition of their own (privacy.OWN_UNIT): two draws. (A unit without sub-units
    reads the same either way: tests/test_pay.py, test_the_same_group_shows_the_same_figures_on_every_table.)"""
    con = store(tmp_path, checked("staff", own_and_sub_unit()), key)
    f = Filters(unit="U", year=2025)
    exact = registry.compute(con, "equal_work", f, exact=True).set_index(["level", "unit", "position"])
    t = registry.compute(con, "equal_work", f).set_index(["level", "unit", "position"])
    own, every = ("unit", "U", "non_academic"), ("all", "U", "non_academic")
    # exact: the same six women, (36 000 + ... + 39 500) / 6 = 37 750 in both rows
    assert exact.loc[own, "mean_women"] == exact.loc[every, "mean_women"] == 37_750
    assert t.loc[("unit", "U1", "non_academic"), "suppressed"]
    assert not (
        t.loc[own, "mean_women"] == t.loc[every, "mean_women"]
        and t.loc[own, "median_women"] == t.loc[every, "median_women"]
    )


def test_group_labels_name_the_unit_and_the_dimensions():
    """privacy.group_labels, worked by hand: "<unit>|" and the narrowing dimensions in name order."""
    parts = {"part": np.array(["overall", "position", "job_level", "quartile"], dtype=object)}
    parts["category"] = np.array(["all", "non_academic", "7", "1"], dtype=object)
    named = Group(named_by={"category": "part"})
    assert list(privacy.group_labels(parts, named, Filters(unit="U1"))) == [
        "U1|",
        "U1|position,",
        "U1|job_level,",
        "U1|quartile,",
    ]
    # one position and an employment type chosen narrow every row
    chosen = Filters(unit="U1", positions=("lecturer",), employment_type="permanent")
    assert list(privacy.group_labels(parts, named, chosen))[:3] == [
        "U1|employment_type,position,",
        "U1|employment_type,position,",
        "U1|employment_type,job_level,position,",
    ]
    # equal_work: a row of a unit is that unit's own people, a row "all" the chosen unit's
    work = {
        "level": np.array(["all", "unit"], dtype=object),
        "unit": np.array(["U", "U1"], dtype=object),
        "position": np.array(["lecturer", "lecturer"], dtype=object),
    }
    own = Group(by={"position": "position", "level": "own_unit"}, unit="unit")
    assert list(privacy.group_labels(work, own, Filters(unit="U"))) == ["U|position,", "U1|own_unit,position,"]
    # ... its own people alone only where it has sub-units: a unit without is all its own people
    assert list(privacy.group_labels(work, own, Filters(unit="U"), frozenset({"U"}))) == ["U|position,", "U1|position,"]
    assert list(privacy.group_labels(work, own, Filters(unit="U"), frozenset({"U1"}))) == [
        "U|position,",
        "U1|own_unit,position,",
    ]
    # a stacked table (compute_scoped) takes each row's unit from its scope; a missing value narrows nothing
    scoped = {"scope": np.array(["U1", "U2"], dtype=object), "position": np.array([None, "all"], dtype=object)}
    assert list(privacy.group_labels(scoped, Group(by={"position": "position"}), Filters(unit="*"))) == ["U1|", "U2|"]
    # the shift: the same label the same 32 bits, another label others
    shift = privacy.group_shift(parts, named, Filters(unit="U1"))
    assert len(set(shift)) == 4 and all(0 <= s < 2**32 for s in shift)
    again = privacy.group_shift({k: v[[1, 1]] for k, v in parts.items()}, named, Filters(unit="U1"))
    assert list(again) == [shift[1], shift[1]]


def test_a_table_names_the_filters_it_applies_and_no_other(demo_db):
    """privacy.Group.filters: a filter the table applies narrows its groups (so pay_gap for the one
    position that holds all of a unit's women draws apart from pay_gap for the unit), and a filter it
    ignores must not (asking again with it would be a new draw of the same people, and the draws
    average). Checked on the demo for every table with sums or statistics: with the filter, its base
    table (the people and their keys) changes exactly when the table names the filter."""
    from indicators.store import writer

    reader = writer.reader(demo_db)
    con = reader.connection()
    asked = {"positions": {"positions": ("professor",)}, "employment_type": {"employment_type": "temporary"}}
    try:
        for ind in registry.REGISTRY.values():
            p = ind.protection
            if p is None or p.inherited or not p.magnitudes:
                continue
            every = Filters(unit="*", year=2024, year_from=2022, year_to=2024)
            base = registry.base_table(con, ind, every, on_demand=True).reset_index(drop=True)
            for name, change in asked.items():
                narrowed = registry.base_table(con, ind, every.with_(**change), on_demand=True).reset_index(drop=True)
                assert (not narrowed.equals(base)) == (name in p.group.filters), (ind.id, name)
    finally:
        reader.close()
