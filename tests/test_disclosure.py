"""Disclosure control across views (issue 12): the cell-key method, and the attacks it must stop.

A hand-built school S with three departments and known hidden numbers:

* D1: 20 women and 20 men lecturers (salaries 40 000 + 100·i), 10 men associate professors
  (60 000 + 500·i) and ONE woman associate professor paid 61 234 SEK: hidden on her own, and
  the "all positions" row minus "all but associate professor" would give her salary back.
* D2: 9 women (7 sick days each: 63, below k_sick_leave = 10) and 15 men (3 days each).
* D3: 30 women and 30 men, 2 sick days each.
* The school's survey: of 127 men respondents, ONE reports sexual harassment (0.0079 × 127 = 1).

The record keys come from a fixed pseudonymisation key (written before the first import), so the
noise, and every assertion on it, is the same on every run; the statistical tests draw many keys.
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from helpers import checked, load, new_store
from indicators.protect import privacy, registry
from indicators.protect.registry import Filters
from indicators.store import check, database
from indicators.store import keys as record_keys

registry.load_all()

KEY = "5a" * 32  # 64 hex digits: the pseudonymisation key of the hand-built school
LONE_SALARY = 61_234
D2_SICK_DAYS = 9 * 7


def staff_frame() -> pd.DataFrame:
    rows = []

    def add(unit, position, gender, n, salary, sick):
        for i in range(n):
            rows.append(
                {
                    "year": 2025,
                    "person_id": f"{unit}-{position}-{gender}-{i}",
                    "unit": unit,
                    "parent_unit": "S",
                    "position": position,
                    "gender": gender,
                    "monthly_salary": salary(i),
                    "sick_leave_days": sick,
                    "fte": 1.0,
                }
            )

    add("D1", "Adjunkt", "K", 20, lambda i: 40_000 + 100 * i, 1)
    add("D1", "Adjunkt", "M", 20, lambda i: 40_000 + 100 * i, 1)
    add("D1", "Docent", "M", 10, lambda i: 60_000 + 500 * i, 1)
    add("D1", "Docent", "K", 1, lambda i: LONE_SALARY, 1)
    add("D2", "Adjunkt", "K", 9, lambda i: 45_000, 7)
    add("D2", "Adjunkt", "M", 15, lambda i: 45_000, 3)
    add("D3", "Adjunkt", "K", 30, lambda i: 42_000 + 50 * i, 2)
    add("D3", "Adjunkt", "M", 30, lambda i: 42_000 + 50 * i, 2)
    return pd.DataFrame(rows)


@functools.cache
def sheets() -> tuple[check.Sheet, check.Sheet]:
    """The school's staff and survey sheets, validated once (helpers.checked) for its many databases."""
    incidents = pd.DataFrame(
        [
            {
                "year": 2025,
                "unit": "S",
                "category": "sexual_harassment",
                "gender": "M",
                "count": 0,
                "survey_respondents": 127,
                "survey_exposed": 1,
            },
            {
                "year": 2025,
                "unit": "S",
                "category": "sexual_harassment",
                "gender": "K",
                "count": 0,
                "survey_respondents": 140,
                "survey_exposed": 0,
            },
        ]
    )
    return checked("staff", staff_frame()), checked("incidents", incidents)


def school(tmp_path, key_hex: str = KEY):
    path = tmp_path / f"school_{key_hex[:8]}.duckdb"
    con = new_store(path, key_hex)
    staff, incidents = sheets()
    load(con, "staff", staff)
    load(con, "incidents", incidents)
    return con


@pytest.fixture(scope="module")
def schools(tmp_path_factory) -> list:
    """The school in 40 databases, each with its own random secret key, made once for the module's
    attacks over many keys (they only read): opened with `keyed_school`."""
    folder, rng = tmp_path_factory.mktemp("schools"), np.random.default_rng(7)
    paths = []
    for _ in range(40):
        con = school(folder, rng.bytes(32).hex())
        paths.append(database.db_path_of(con))
        con.close()
    return paths


@contextlib.contextmanager
def keyed_school(path):
    con = database.connect(path)
    try:
        yield con
    finally:
        con.close()


@pytest.fixture
def s(tmp_path):
    con = school(tmp_path)
    yield con
    con.close()


def only(df: pd.DataFrame, **where) -> pd.Series:
    mask = np.ones(len(df), dtype=bool)
    for c, v in where.items():
        mask &= (df[c] == v).to_numpy()
    assert mask.sum() == 1, (where, df)
    return df[mask].iloc[0]


# --- the method ------------------------------------------------------------------------------------


def test_the_ptable_is_unbiased_bounded_by_two_and_keeps_zero():
    # 26 slots give -2, 51 give -1, 102 give 0, 51 give +1, 26 give +2: mean (-52 - 51 + 51 + 52) / 256 = 0
    noise, share = privacy.ptable_summary()
    assert noise == [-2, -1, 0, 1, 2]
    assert [round(x * 256) for x in share] == [26, 51, 102, 51, 26]
    assert float(np.dot(noise, share)) == 0.0
    keys = np.arange(256)
    assert (privacy.perturb_counts(np.zeros(256), keys) == 0).all()  # zero stays zero
    for n in (1, 2, 5, 37, 750, 751, 10_000):
        published = privacy.perturb_counts(np.full(256, n), keys)
        assert np.abs(published - n).max() <= 2 and published.min() >= 1


def test_record_keys_in_sql_are_the_hmac_of_the_pseudonym_and_the_year(s):
    # The SQL expressions and the Python functions give the same keys for every stored person: the
    # record key the first byte, the magnitude key the first four bytes of HMACs of "pseudonym|2025".
    key = bytes.fromhex(KEY)
    rows = s.execute("SELECT person_key, year, rkey, mkey FROM staff").fetchall()
    assert len(rows) == 135
    assert all(privacy.record_key(privacy.person_message(pk, y), key) == rk for pk, y, rk, _ in rows)
    assert all(record_keys.magnitude_key(privacy.person_message(pk, y), key) == mk for pk, y, _, mk in rows)
    assert all(0 <= mk < 2**32 for *_, mk in rows)


def test_staff_cells_carry_the_sum_of_their_keys(s):
    total = s.execute("SELECT sum(rkey)::BIGINT, sum(mkey)::BIGINT FROM staff").fetchone()
    assert s.execute("SELECT sum(rkey_sum)::BIGINT, sum(mkey_sum)::BIGINT FROM staff_cells").fetchone() == total


@hsettings(max_examples=200, deadline=None)
@given(n=st.integers(0, 5000), key=st.integers(0, 10**6), shift=st.integers(1, 255))
def test_noise_is_a_pure_bounded_function_of_count_and_cell_key(n, key, shift):
    once = privacy.perturb_counts(np.array([n]), np.array([key]))[0]
    assert once == privacy.perturb_counts(np.array([n]), np.array([key]))[0]  # pure
    assert once == privacy.perturb_counts(np.array([n]), np.array([key + 256]))[0]  # the key modulo 256
    assert abs(once - n) <= privacy.MAX_NOISE and (once == 0) == (n == 0)


@hsettings(max_examples=200, deadline=None)
@given(total=st.floats(0, 1e7), share=st.floats(0.01, 0.5), second=st.floats(0, 1), key=st.integers(0, 2**40))
def test_magnitude_noise_is_bounded_by_the_top_two_contributions(total, share, second, key):
    # x1 = share · S, x2 = second · x1 (so x1 + x2 <= S): m · x1 / 2 <= |S' - S| <= m · (x1 + x2 / 2),
    # never near zero, and a positive sum stays positive; the key is taken modulo 2^32.
    largest = total * share
    m = privacy.magnitude_noise()
    out = privacy.perturb_magnitudes(
        np.array([total]), np.array([largest]), np.array([largest * second]), np.array([key]), m
    )[0]
    again = privacy.perturb_magnitudes(
        np.array([total]), np.array([largest]), np.array([largest * second]), np.array([key + 2**32]), m
    )[0]
    assert out == again
    assert abs(out - total) <= m * (largest + largest * second / 2) + 1e-6
    if total == 0:
        assert out == 0
    else:
        assert abs(out - total) >= 0.5 * m * largest - 1e-6 and out > 0


def test_the_same_people_get_the_same_number_in_every_view(s):
    # D3's 30 women: representation's 'all' row for D3, and D3's row in the school's sub-unit table.
    own = only(registry.compute(s, "representation", Filters(unit="D3")), position="all")
    sub = only(registry.compute(s, "representation_units", Filters(unit="S")), unit="D3")
    assert own["women"] == sub["women"] and own["men"] == sub["men"]
    assert abs(own["women"] - 30) <= 2


def test_exact_figures_are_the_true_ones(s):
    # Exact: D2's 9 women with 63 sick days, and D1's lone woman associate professor, are shown as they are.
    sick = only(registry.compute(s, "sick_leave", Filters(unit="D2", exact=True)), year=2025)
    assert (sick["women"], sick["sick_days_women"]) == (9, D2_SICK_DAYS)
    assert not sick["suppressed"]


# --- the attacks -------------------------------------------------------------------------------------


def test_sibling_differencing_does_not_give_back_a_hidden_departments_sick_days(s):
    # The attack: the school's sick days of women minus those of D1 and D3 = D2's 63 days.
    def women_days(unit):
        r = only(registry.compute(s, "sick_leave", Filters(unit=unit)), year=2025)
        return r["sick_days_women"], r["women"]

    school_days, school_women = women_days("S")
    d1, d1_women = women_days("D1")
    d3, d3_women = women_days("D3")
    hidden = only(registry.compute(s, "sick_leave", Filters(unit="D2")), year=2025)
    assert hidden["suppressed"] and pd.isna(hidden["sick_days_women"])  # D2 alone: 9 < 10, hidden
    recovered = school_days - d1 - d3
    assert recovered != D2_SICK_DAYS
    # ... and neither is the head count: 9 women would follow from the school's minus the others'.
    assert school_women - d1_women - d3_women != 9 or school_days - d1 - d3 != D2_SICK_DAYS


def pay_row(s, **filters):
    return only(registry.compute(s, "pay_gap", Filters(unit="D1", **filters)), year=2025)


def test_filter_differencing_does_not_give_back_one_womans_salary(s):
    # The attack: mean salary of women × women, all positions, minus the same for lecturers alone. In D1
    # the women hold two positions, so "all but associate professor" is one position, which the filter
    # allows (one position or all).
    everyone, lecturers = pay_row(s), pay_row(s, positions=("lecturer",))
    exact_all, exact_rest = pay_row(s, exact=True), pay_row(s, exact=True, positions=("lecturer",))
    # the exact figures do give her away: 21 · mean_all - 20 · mean_rest = 61 234
    assert (
        round(exact_all["women"] * exact_all["mean_women"] - exact_rest["women"] * exact_rest["mean_women"])
        == LONE_SALARY
    )
    recovered = everyone["women"] * everyone["mean_women"] - lecturers["women"] * lecturers["mean_women"]
    assert abs(recovered - LONE_SALARY) > 1_000
    # an attacker who also knew the true head counts (21 and 20) still misses by more than 1 000 SEK
    knowing = 21 * everyone["mean_women"] - 20 * lecturers["mean_women"]
    assert abs(knowing - LONE_SALARY) > 1_000


def but_one_positions() -> tuple[str, ...]:
    return (
        "lecturer",
        "professor",
        "assistant_professor",
        "phd_student",
        "postdoc",
        "researcher",
        "non_academic",
        "other",
    )


def test_several_positions_give_the_salary_figures_of_all_positions(s):
    # One position or all (privacy.one_position_or_all): "all but associate professor" is not a group
    # the salary figures are published for; asked for, they are the figures of every position, the
    # same numbers to the krona, so the difference of the two is zero. Exact figures keep the choice.
    everyone, but_one = pay_row(s), pay_row(s, positions=but_one_positions())
    for c in ("women", "men", "mean_women", "median_women", "mean_men", "median_men"):
        assert everyone[c] == but_one[c], c
    assert pay_row(s, exact=True, positions=but_one_positions())["women"] == 20


def test_the_attacks_rarely_land_whatever_the_key(schools):
    """The attacks on 40 databases, each with its own random key. Exact figures give every one of them
    away every time; published figures only now and then, and never in a way anyone can tell.

    Salary (filter differencing, all positions against lecturers alone, with the true head counts 21
    and 20 known to the attacker): 21 · mean_all - 20 · mean_lecturers = 61 234 + N_all - N_lect, each
    mean rounded to 100 SEK first (up to 21 · 50 + 20 · 50 = 2 050 SEK more either way). The noises are
    m · (u1 · x1 + u2 · x2 / 2), m = 0.5, |u1| in [0.5, 1], |u2| in [0, 1], one sign, from each cell's
    magnitude key: for all positions x1 = 61 234 (she is the women's top salary) and x2 = 41 900, so
    |N_all| in [15 300, 41 100]; for the lecturers x1 = 41 900, x2 = 41 800, |N_lect| in [10 500, 31 400].
    Landing within 1 000 SEK needs the two on one side (1/2) and about equal: by simulation of these
    distributions (400 000 draws) 3.6 % of keys, 1.4 of 40.
    Head count (sibling differencing, S - D1 - D3 = D2's 9 women): the difference is 9 + d_S - d_D1 -
    d_D3 with each d from the p-table: P(d_S - d_D1 - d_D3 = 0) = Σ over the p-table's noises ≈ 0.25.
    Sick days (S - D1 - D3 = 63), each published in whole days: S's noise is 0.5 · (u1 · 7 + u2 · 7 / 2)
    (D2's 7 days are S's two largest contributions), 1.75 to 5.25 days, so 2 to 5 once rounded; D1's
    0.25 to 0.75 (0 or 1 once rounded) and D3's 0.5 to 1.5 (1 or 2). The difference is exact only when
    S's rounds to 2 and D1's and D3's, on its side, to 1 each: by simulation 1.1 % of keys; within a
    day 8.5 %, 3.4 of 40.
    """
    hits = {"salary": 0, "head count": 0, "sick days": 0, "sick days exactly": 0}
    assert len(schools) == 40
    for path in schools:
        with keyed_school(path) as con:
            everyone, lecturers = pay_row(con), pay_row(con, positions=("lecturer",))
            sick = {u: only(registry.compute(con, "sick_leave", Filters(unit=u)), year=2025) for u in ("S", "D1", "D3")}
        knowing = 21 * everyone["mean_women"] - 20 * lecturers["mean_women"]
        hits["salary"] += abs(knowing - LONE_SALARY) <= 1_000
        hits["head count"] += sick["S"]["women"] - sick["D1"]["women"] - sick["D3"]["women"] == 9
        days = sick["S"]["sick_days_women"] - sick["D1"]["sick_days_women"] - sick["D3"]["sick_days_women"]
        hits["sick days"] += abs(days - D2_SICK_DAYS) <= 1
        hits["sick days exactly"] += days == D2_SICK_DAYS
    assert hits["salary"] <= 6, hits  # about 3.6 % expected: 1.4 of 40 (P(7 or more) is about 0.001)
    assert hits["head count"] <= 18, hits  # about 25 %: 10 of 40
    assert hits["sick days exactly"] <= 3 and hits["sick days"] <= 10, hits  # 1.1 % and 8.5 %: 0.5 and 3.4 of 40


def test_a_share_beside_its_respondents_does_not_give_back_one_person(s):
    # The attack: exposed share × respondents = 0.0079 × 127 = 1 man exposed to sexual harassment.
    r = only(registry.compute(s, "incidents", Filters(unit="S")), year=2025, category="sexual_harassment")
    assert pd.isna(r["exposed_share_men"])  # the numerator, 1, is under k: the share is hidden
    assert r["exposed_share_women"] == 0  # zero exposed is shown: it identifies no one


def test_a_total_beside_women_and_men_does_not_give_back_other(tmp_path):
    # Representation shows women, men and total; total - women - men was the hidden other count (2).
    path = tmp_path / "o.duckdb"
    privacy.key_path(path).write_text(KEY)
    con = database.connect(path)
    frame = staff_frame()
    extra = frame.head(2).assign(person_id=["X-1", "X-2"], gender="X")
    load(con, "staff", pd.concat([frame, extra], ignore_index=True))
    r = only(registry.compute(con, "representation", Filters(unit="S")), position="all")
    shown = [r[c] for c in ("women", "men", "other", "total")]
    assert pd.isna(r["other"])
    assert pd.isna(r["total"]) or r["total"] - r["women"] - r["men"] != 2, shown
    con.close()


def test_available_days_beside_a_head_count_say_no_more_than_the_count(s):
    # D3's 30 women work full time: available days = 30 × 365 = 10 950. Published as a sum of their
    # own they would give the true 30 back (10 950 / 365) beside a perturbed count; they are whole
    # published FTE instead (FTE per person, 1, × the published women, rounded) × 365.
    r = only(registry.compute(s, "sick_leave", Filters(unit="D3")), year=2025)
    assert r["available_days_women"] == 365 * r["women"]
    exact = only(registry.compute(s, "sick_leave", Filters(unit="D3", exact=True)), year=2025)
    assert exact["available_days_women"] == 10_950


# --- issue 19: the digits, the keys and the model (an analyst with what a viewer gets) ----------------


@pytest.fixture(scope="module")
def demo_con(demo_db):
    """A connection to the module's demo database (conftest's demo_db: seed 0, scale 1)."""
    con = database.connect(demo_db)
    yield con
    con.close()


def units_of(con) -> list[str]:
    return [u for (u,) in con.execute("SELECT unit FROM units ORDER BY unit").fetchall()] + [database.ALL_UNITS]


def count_from_digits(published: int, fits) -> int | None:
    """The analyst's attack on a figure built from a true count: of the counts within ±2 of the
    published one, the only one that `fits` the figure's digits (None when not exactly one does)."""
    candidates = [c for c in range(max(1, published - 2), published + 3) if fits(c)]
    return candidates[0] if len(candidates) == 1 else None


def whole(x: float, step: float = 1.0) -> bool:
    return abs(x / step - round(x / step)) < 1e-6


def test_the_digits_of_a_mean_do_not_give_the_true_count(demo_con):
    """The issue's attack on the demo, every unit, 2025: a mean printed as S'/n with S' in whole kronor
    made exactly one count within ±2 of the published one turn mean × count whole (35 women at
    50 744.1212121212: only 33 × 50 744.1212121212 is whole, and 33 was the truth). Means are now
    published in whole hundreds, so every candidate fits and the digits single out nobody: the attack
    gives no answer, and can never beat the published count itself as a guess."""
    units = units_of(demo_con)
    f = Filters(year=2025)
    published = registry.compute_scoped(demo_con, "pay_gap", f, units)
    exact = registry.compute_scoped(demo_con, "pay_gap", f.with_(exact=True), units)
    tried = answered = 0
    for (_, p), _exact_row in zip(published.iterrows(), exact.iterrows()):
        if p["suppressed"]:
            continue
        for g in ("women", "men"):
            for stat in ("mean", "median"):
                value = p[f"{stat}_{g}"]
                tried += 1
                guess = count_from_digits(int(p[g]), lambda c, value=value: whole(value * c))
                answered += guess is not None
    assert tried >= 40, tried  # the demo's units with k women and k men
    assert answered == 0


def test_the_digits_of_available_days_do_not_give_the_true_count(demo_con):
    """The issue's Health attack: available days were 365 × FTE × n'/n, FTE a multiple of 0.01, so only
    the true n made available × n / (365 · n') a multiple of 0.01 (63 of 74 cells gave their count).
    Available days are now 365 × whole published FTE: the attack's only fitting count is the published
    one, whatever the truth, so it finds the true count exactly when the noise was zero: never more
    often than the naive guess n = n' (about 40 % of cells)."""
    units = units_of(demo_con)
    f = Filters(year=2025, year_from=2025, year_to=2025)
    published = registry.compute_scoped(demo_con, "sick_leave", f, units)
    exact = registry.compute_scoped(demo_con, "sick_leave", f.with_(exact=True), units)
    cells = attack = naive = 0
    for (_, p), (_, e) in zip(published.iterrows(), exact.iterrows()):
        if p["suppressed"]:
            continue
        for g in ("women", "men"):
            days, n = p[f"available_days_{g}"], int(p[g])
            assert whole(days, 365), days  # whole FTE × 365
            cells += 1
            guess = count_from_digits(n, lambda c, days=days, n=n: whole(days * c / (365 * n), 0.01))
            attack += guess == e[g]
            naive += n == e[g]
    assert cells >= 20, cells
    assert attack <= naive, (attack, naive, cells)


def cell_keys(con, where: str, group: str = "D1|") -> tuple[int, int]:
    """The true count key and magnitude key of the women with a salary `where` (the analyst's best case:
    handed to them), the magnitude key with the shift of the group it is published for (privacy.Group:
    pay_gap of D1, all positions)."""
    ck, mk = con.execute(
        f"SELECT sum(rkey)::BIGINT, sum(mkey)::BIGINT FROM staff WHERE gender = 'woman' AND {where}"
    ).fetchone()
    return ck % privacy.KEY_RANGE, (mk + privacy.label_shift(group)) % privacy.MAGNITUDE_KEY_RANGE


def solve_salary(mean_all: float, rest: float, second: float, key: int) -> float:
    """The issue's solve: 21 · mean_all = rest + x + N, N = m · (u1 · x + u2 · second / 2) with x the
    women's top salary, u1, u2 from `key` (privacy.magnitude_multipliers): x = (21 · mean_all - rest -
    m · u2 · second / 2) / (1 + m · u1)."""
    m = privacy.magnitude_noise()
    u1, u2 = (float(u[0]) for u in privacy.magnitude_multipliers(np.array([key])))
    return (21 * mean_all - rest - m * u2 * second / 2) / (1 + m * u1)


def test_the_count_key_does_not_give_the_salary_noise(schools):
    """The issue's attack 2 on the hand-built school, over 40 random secret keys. The analyst knows the
    true counts (so the count noise n' - n, and through the p-table the cell's count key: handed to
    them here exactly), every lecturer's salary (rest = Σ 40 000 + 100 i = 818 000) and the method. With
    one key for counts and magnitudes they solved the salary noise exactly and read the lone woman's
    61 234 SEK back. Magnitudes now have their own key (32 bits, another HMAC): solved with the count
    key the answer lands within 1 000 SEK no more often than a guess (by simulation about 3 %: the
    ratio (1 + m·u1) / (1 + m·u1') of two independent multipliers must be within 1.6 % of 1), while the
    same solve with the magnitude key, which nothing published gives, lands every time (to the
    mean's rounding: ±21 · 50 / (1 + m · u1), 1 + m · u1 at least 0.5: under 2 100 SEK). So what protects her is the key the
    count noise does not reveal."""
    rest, second = sum(40_000 + 100 * i for i in range(20)), 41_900
    with_count_key = with_magnitude_key = 0
    assert len(schools) == 40
    for path in schools:
        with keyed_school(path) as con:
            mean_all = pay_row(con)["mean_women"]
            ck, mk = cell_keys(con, "unit = 'D1'")
        with_count_key += abs(solve_salary(mean_all, rest, second, ck) - LONE_SALARY) <= 1_000
        with_magnitude_key += abs(solve_salary(mean_all, rest, second, mk) - LONE_SALARY) <= 2_100
    assert with_magnitude_key == 40  # the attack is real: the noise is this function of the magnitude key
    assert with_count_key <= 6, with_count_key  # about 3 %: 1.2 of 40 (P(7 or more) is about 0.001)


def test_the_position_subsets_leave_one_difference_to_average(s):
    """The issue's 255 subsets: every subset of positions with and without the hidden associate
    professor gave a difference, and averaging them shrank the noise like 1 / sqrt(N). Salary figures
    are now for one position or all: over the 16 subsets of D1's two positions and two empty ones,
    D1's women give two different published rows with figures: all positions, and lecturers alone (the
    associate professor alone is hidden, and the other positions are empty)."""
    import itertools

    rows = set()
    positions = ("lecturer", "associate_professor", "professor", "phd_student")
    for r in range(len(positions) + 1):
        for chosen in itertools.combinations(positions, r):
            df = registry.compute(s, "pay_gap", Filters(unit="D1", positions=chosen))
            rows |= {(p["women"], p["mean_women"], p["median_women"]) for _, p in df.iterrows() if not p["suppressed"]}
    assert len(rows) == 2, rows


def test_a_persons_key_does_not_follow_them_across_years(tmp_path, demo_con):
    """The issue's attack 3: the key recovered for a one-person cell was that person's key every year,
    so equal keys in one-person cells of other years named her again. Keys are now made from the
    pseudonym and the year. The lone associate professor of the school, in 2024 and 2025, over 40
    secret keys: her 2025 count key equals her 2024 one by chance only (1/256: 0.16 of 40), her
    magnitude key never (1 / 2^32). On the demo (some 20 000 people followed from one year to the next)
    the share of equal count keys is about 1/256 = 0.4 %, not 100 %."""
    rng = np.random.default_rng(3)
    same_count_key = same_magnitude_key = 0
    two_years = checked("staff", pd.concat([staff_frame().assign(year=2024), staff_frame()], ignore_index=True))
    for _ in range(40):
        path = tmp_path / f"years_{rng.integers(1 << 30)}.duckdb"
        con = new_store(path, rng.bytes(32).hex())
        try:
            load(con, "staff", two_years)
            keys = con.execute("""SELECT year, rkey, mkey FROM staff s JOIN staff_cells c USING (year, unit, position_category, gender)
                                  WHERE c.people = 1 AND s.gender = 'woman' AND s.position_category = 'associate_professor'
                                  ORDER BY year""").fetchall()
        finally:
            con.close()
        (_, r24, m24), (_, r25, m25) = keys
        same_count_key += r24 == r25
        same_magnitude_key += m24 == m25
    assert same_count_key <= 2, same_count_key  # P(3 or more) is about 0.0005
    assert same_magnitude_key == 0
    linked, followed = demo_con.execute("""
        SELECT count(*) FILTER (WHERE a.rkey = b.rkey), count(*)
        FROM staff a JOIN staff b ON b.person_key = a.person_key AND b.year = a.year + 1""").fetchone()
    assert followed > 10_000 and linked / followed < 0.01, (linked, followed)
    assert (
        demo_con.execute("""SELECT count(*) FROM staff a JOIN staff b ON b.person_key = a.person_key
                              AND b.year = a.year + 1 WHERE a.mkey = b.mkey""").fetchone()[0]
        == 0
    )


def gap_as_log(gap_pct: float) -> float:
    """A published gap (1 - e^b) × 100 back to b (log points): b = ln(1 - gap / 100)."""
    return float(np.log1p(-gap_pct / 100))


def test_the_adjusted_gaps_shift_is_not_the_models(schools):
    """The issue's attack 5: every model figure moved by one shift d, so b' - b0' = b - b0 and the
    interval's width came out exact. Now b0 and b move by independent noises of the geometric means
    (each m · (u1 · x1 + u2 · x2 / 2) / n, about 250 to 770 SEK on the school's 60 women's ~45 000:
    0.6 to 1.7 %), and the interval is widened by the size of a third. Over 40 secret keys the
    analyst's b' - b0' lands within 0.001 log points (0.1 percentage point) of the model's b - b0 in
    few keys (two independent draws of this size, by simulation about 7 %), and the published
    interval is never the model's: always wider (by 2w, w = (|spread_W| / G_W + |spread_M| / G_M) / 2,
    at least (0.25 · 61 234 / 60 / 45 000 + 0.25 · 64 500 / 75 / 48 000) / 2 = 0.005 log points, so
    0.01 in all, more than the 0.001 the rounding of its bounds can take back). 30 keys."""
    same_shift = same_width = 0
    for path in schools[:30]:
        with keyed_school(path) as con:
            p = only(registry.compute(con, "adjusted_gap", Filters(unit="S")), year=2025)
            e = only(registry.compute(con, "adjusted_gap", Filters(unit="S", exact=True)), year=2025)
        shift = gap_as_log(p["adjusted_gap_pct"]) - gap_as_log(p["unadjusted_gap_pct"])
        true_shift = gap_as_log(e["adjusted_gap_pct"]) - gap_as_log(e["unadjusted_gap_pct"])
        same_shift += abs(shift - true_shift) < 0.001
        width = gap_as_log(p["adjusted_gap_low_pct"]) - gap_as_log(p["adjusted_gap_high_pct"])
        true_width = gap_as_log(e["adjusted_gap_low_pct"]) - gap_as_log(e["adjusted_gap_high_pct"])
        same_width += abs(width - true_width) < 0.002
        assert width > true_width  # never narrower than the model's
    assert same_shift <= 7, same_shift  # about 7 %: 2 of 30 (P(8 or more) is about 0.003)
    assert same_width == 0


def test_every_published_number_carries_no_more_digits_than_declared(demo_con):
    """'Look at the digits': every number column of every protected indicator, on the demo, for the
    whole organisation, a faculty and a department with trends over the demo's years, is a multiple of
    its published step (columns.published_decimals: whole hundreds of kronor, 0.1 percentage point for
    a share or gap, whole days ...). Exact figures keep every digit (not checked here)."""
    from indicators.present import columns

    checked = 0
    for unit in (database.ALL_UNITS, "NAT", "NAT-2"):
        f = Filters(unit=unit, year=2025, year_from=2015, year_to=2025)
        for ind in registry.REGISTRY.values():
            if ind.protection is None:
                continue
            df = registry.compute(demo_con, ind.id, f)
            for name in df.columns:
                decimals = columns.published_decimals(columns.declared(ind.id, name))
                if (
                    decimals is None
                    or not pd.api.types.is_numeric_dtype(df[name])
                    or pd.api.types.is_bool_dtype(df[name])
                ):
                    continue
                values = df[name].dropna().to_numpy(dtype=float)
                scaled = values * 10.0**decimals
                bad = values[np.abs(scaled - np.round(scaled)) > 1e-6]
                assert not len(bad), (ind.id, unit, name, decimals, bad[:5])
                checked += len(values)
    assert checked > 5_000, checked


POSITIONS = (
    "phd_student",
    "postdoc",
    "researcher",
    "assistant_professor",
    "lecturer",
    "associate_professor",
    "professor",
    "non_academic",
)


def all_row(con, unit: str, chosen: tuple[str, ...]) -> pd.Series:
    df = registry.compute(con, "representation", Filters(unit=unit, year=2025, positions=chosen))
    return only(df, position="all")


def same(a, b) -> bool:
    """Two published figures alike, a hidden one (missing) alike only to another hidden one."""
    return bool(pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)


def test_averaging_the_position_subsets_does_not_give_back_a_hidden_count(demo_con):
    """The outside analyst's attack of an earlier round (every count table took any set of positions):
    for a hidden row (unit U, position p), every set S of other positions gives all(S + p) - all(S) = the
    true count + two independent noises of variance 1.21; averaged over the sets and rounded, it gave
    85 % of the hidden cells of 1-4 people exactly. Every protected table is now for one position or all
    (registry, privacy.one_position_or_all): a set of several is all positions. So every difference the
    attack can form over ELE-3's hidden women/men cells of 2025 (the sets of up to two other positions)
    is 0 or the unit's published total minus another position's published row: figures a viewer has
    anyway, with nothing of p's own cell in them but the total. (Scoring the guesses against the exact
    counts, as this test once did, passed or failed with the demo's random key: a guess from unrelated
    figures still hits a cell of 1-4 now and then.)"""
    import itertools

    unit = "ELE-3"
    shown = registry.compute(demo_con, "representation", Filters(unit=unit, year=2025))
    total = only(shown, position="all")
    hidden = [p for p in POSITIONS if only(shown, position=p)["suppressed"]]
    assert hidden, "ELE-3 has hidden rows in 2025"
    for p in hidden:
        others = [q for q in POSITIONS if q != p]
        assert pd.isna(all_row(demo_con, unit, (p,))["women"])  # p alone: its own row, hidden
        for r in (1, 2):
            for s in itertools.combinations(others, r):
                with_p = all_row(demo_con, unit, (*s, p))
                without = all_row(demo_con, unit, s)
                for g in ("women", "men"):
                    assert same(with_p[g], total[g]), (p, s, g)
                    # one other position: its own published row; two: the total again (difference 0)
                    assert same(without[g], only(shown, position=s[0])[g] if r == 1 else total[g]), (p, s, g)


def test_the_command_line_refuses_several_positions_for_a_count_table(demo_db, capsys):
    from indicators import cli

    code = cli.main(
        [
            "export",
            "representation",
            "--db",
            str(demo_db),
            "--unit",
            "ELE-3",
            "--year",
            "2025",
            "--positions",
            "lecturer,professor",
        ]
    )
    assert code == 2
    assert "one position or" in capsys.readouterr().err
