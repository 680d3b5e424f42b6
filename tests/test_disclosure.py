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

import numpy as np
import pandas as pd
import pytest
from conftest import load
from hypothesis import given, settings as hsettings, strategies as st

from indicators import privacy, registry, store
from indicators.registry import Filters

registry.load_all()

KEY = "5a" * 32  # 64 hex digits: the pseudonymisation key of the hand-built school
LONE_SALARY = 61_234
D2_SICK_DAYS = 9 * 7


def staff_frame() -> pd.DataFrame:
    rows = []

    def add(unit, position, gender, n, salary, sick):
        for i in range(n):
            rows.append({"year": 2025, "person_id": f"{unit}-{position}-{gender}-{i}", "unit": unit,
                         "parent_unit": "S", "position": position, "gender": gender,
                         "monthly_salary": salary(i), "sick_leave_days": sick, "fte": 1.0})
    add("D1", "Adjunkt", "K", 20, lambda i: 40_000 + 100 * i, 1)
    add("D1", "Adjunkt", "M", 20, lambda i: 40_000 + 100 * i, 1)
    add("D1", "Docent", "M", 10, lambda i: 60_000 + 500 * i, 1)
    add("D1", "Docent", "K", 1, lambda i: LONE_SALARY, 1)
    add("D2", "Adjunkt", "K", 9, lambda i: 45_000, 7)
    add("D2", "Adjunkt", "M", 15, lambda i: 45_000, 3)
    add("D3", "Adjunkt", "K", 30, lambda i: 42_000 + 50 * i, 2)
    add("D3", "Adjunkt", "M", 30, lambda i: 42_000 + 50 * i, 2)
    return pd.DataFrame(rows)


def school(tmp_path, key_hex: str = KEY):
    path = tmp_path / f"school_{key_hex[:8]}.duckdb"
    privacy.key_path(path).write_text(key_hex)
    con = store.connect(path)
    load(con, "staff", staff_frame())
    load(con, "incidents", pd.DataFrame([
        {"year": 2025, "unit": "S", "category": "sexual_harassment", "gender": "M", "count": 0,
         "survey_respondents": 127, "survey_exposed": 1},
        {"year": 2025, "unit": "S", "category": "sexual_harassment", "gender": "K", "count": 0,
         "survey_respondents": 140, "survey_exposed": 0},
    ]))
    return con


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
    assert all(privacy.magnitude_key(privacy.person_message(pk, y), key) == mk for pk, y, _, mk in rows)
    assert all(0 <= mk < 2 ** 32 for *_, mk in rows)


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
    out = privacy.perturb_magnitudes(np.array([total]), np.array([largest]), np.array([largest * second]),
                                     np.array([key]), m)[0]
    again = privacy.perturb_magnitudes(np.array([total]), np.array([largest]), np.array([largest * second]),
                                       np.array([key + 2**32]), m)[0]
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
    assert round(exact_all["women"] * exact_all["mean_women"] - exact_rest["women"] * exact_rest["mean_women"]) == LONE_SALARY
    recovered = everyone["women"] * everyone["mean_women"] - lecturers["women"] * lecturers["mean_women"]
    assert abs(recovered - LONE_SALARY) > 1_000
    # an attacker who also knew the true head counts (21 and 20) still misses by more than 1 000 SEK
    knowing = 21 * everyone["mean_women"] - 20 * lecturers["mean_women"]
    assert abs(knowing - LONE_SALARY) > 1_000


def but_one_positions() -> tuple[str, ...]:
    return ("lecturer", "professor", "assistant_professor", "phd_student", "postdoc", "researcher",
            "non_academic", "other")


def test_several_positions_give_the_salary_figures_of_all_positions(s):
    # One position or all (privacy.one_position_or_all): "all but associate professor" is not a group
    # the salary figures are published for; asked for, they are the figures of every position, the
    # same numbers to the krona, so the difference of the two is zero. Exact figures keep the choice.
    everyone, but_one = pay_row(s), pay_row(s, positions=but_one_positions())
    for c in ("women", "men", "mean_women", "median_women", "mean_men", "median_men"):
        assert everyone[c] == but_one[c], c
    assert pay_row(s, exact=True, positions=but_one_positions())["women"] == 20


def test_the_attacks_rarely_land_whatever_the_key(tmp_path):
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
    rng = np.random.default_rng(7)
    for i in range(40):
        con = school(tmp_path, rng.bytes(32).hex())
        try:
            everyone, lecturers = pay_row(con), pay_row(con, positions=("lecturer",))
            sick = {u: only(registry.compute(con, "sick_leave", Filters(unit=u)), year=2025) for u in ("S", "D1", "D3")}
        finally:
            con.close()
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
    con = store.connect(path)
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
