"""Pay indicators against hand-worked examples (the working is in the comments).

Salaries are in thousands in the working and x 1000 in the data (the import accepts 1 000-1 000 000
SEK): percentages are the same either way.
"""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from conftest import load
from indicators import pay, registry
from indicators.registry import Filters

TITLE = {"professor": "Professor", "lecturer": "Adjunkt", "associate_professor": "Universitetslektor",
         "phd_student": "Doktorand", "non_academic": "non_academic"}


def staff(rows, year=2024, parent="S") -> pd.DataFrame:
    """rows: (unit, position category, gender 'K'/'M', salary in thousands[, job_level])."""
    out = []
    for i, (unit, position, gender, salary, *level) in enumerate(rows):
        out.append({"year": year, "person_id": f"p{year}-{i}", "unit": unit, "parent_unit": parent,
                    "position": TITLE[position], "gender": gender, "monthly_salary": salary * 1000,
                    **({"job_level": level[0]} if level else {})})
    return pd.DataFrame(out)


def show(con, indicator, **filters) -> pd.DataFrame:
    return registry.compute(con, indicator, Filters(**filters))


# The DESIGN.md check (UK regulations' form): men 11, 20, 30, 39; women 10, 12, 21, 29.
CHECK = [("U1", "professor", "M", s) for s in (11, 20, 30, 39)] + [("U1", "professor", "K", s) for s in (10, 12, 21, 29)]


def test_pay_gap_design_check(db, goals):
    goals(privacy={"k": 2})
    load(db, "staff", staff(CHECK))
    row = show(db, "pay_gap", unit="S").iloc[0]
    # means: men (11+20+30+39)/4 = 25, women (10+12+21+29)/4 = 18 -> (25-18)/25 = 28.0 %
    # medians: men (20+30)/2 = 25, women (12+21)/2 = 16.5 -> (25-16.5)/25 = 34.0 %
    assert (row["women"], row["men"]) == (4, 4)
    assert row["mean_women"] == pytest.approx(18_000) and row["mean_men"] == pytest.approx(25_000)
    assert row["median_women"] == pytest.approx(16_500) and row["median_men"] == pytest.approx(25_000)
    assert row["mean_gap_pct"] == pytest.approx(28.0)
    assert row["median_gap_pct"] == pytest.approx(34.0)
    # Medlingsinstitutet's form: 18/25 = 72 %, 16.5/25 = 66 %
    assert row["women_pct_of_men_mean"] == pytest.approx(72.0)
    assert row["women_pct_of_men_median"] == pytest.approx(66.0)
    assert not row["suppressed"]


def test_pay_gap_needs_k_women_and_k_men(db):
    # default k = 5: five women and five men are shown; the next year four women are hidden.
    five = [("U1", "lecturer", g, s) for g in "KM" for s in (40, 41, 42, 43, 44)]
    load(db, "staff", pd.concat([staff(five, 2023), staff(five[1:], 2024)]))
    shown = show(db, "pay_gap", unit="S", year=2023).iloc[0]
    assert (shown["women"], shown["men"], shown["suppressed"]) == (5, 5, False)
    assert shown["median_women"] == 42_000 and shown["mean_gap_pct"] == pytest.approx(0.0)
    hidden = show(db, "pay_gap", unit="S", year=2024).iloc[0]
    assert hidden["suppressed"]
    assert hidden[["women", "men", *pay.PAY_FIGURES]].isna().all()
    # the trend shows 2023 and hides 2024 the same way; a range of one year gives one row
    trend = show(db, "pay_gap_trend", unit="S")
    assert trend["year"].tolist() == [2023, 2024] and trend["suppressed"].tolist() == [False, True]
    assert show(db, "pay_gap_trend", unit="S", year_from=2024)["year"].tolist() == [2024]


def test_people_without_salary_or_of_another_gender_are_outside(db, goals):
    goals(privacy={"k": 2})
    df = staff(CHECK + [("U1", "professor", "X", 90), ("U1", "professor", "K", 50)])
    df.loc[df.index[-1], "monthly_salary"] = None  # no salary: outside
    load(db, "staff", df)
    row = show(db, "pay_gap", unit="S").iloc[0]
    assert (row["women"], row["men"]) == (4, 4) and row["mean_gap_pct"] == pytest.approx(28.0)


def test_equal_work_flag(db, goals):
    goals(privacy={"k": 2})
    load(db, "staff", staff([
        ("A", "professor", "K", 60), ("A", "professor", "K", 62), ("A", "professor", "M", 64), ("A", "professor", "M", 66),
        ("A", "lecturer", "K", 40), ("A", "lecturer", "K", 42), ("A", "lecturer", "M", 40), ("A", "lecturer", "M", 42)]))
    df = show(db, "equal_work", unit="S")
    # one unit: each 'unit' row equals its 'all' row; nothing hidden
    assert set(zip(df["level"], df["unit"], df["position"])) == {
        ("all", "S", "professor"), ("all", "S", "lecturer"), ("unit", "A", "professor"), ("unit", "A", "lecturer")}
    assert not df["suppressed"].any()
    prof = df[(df["level"] == "unit") & (df["position"] == "professor")].iloc[0]
    # professors: women 61, men 65 (mean = median) -> gap 4/65 = 6.15 %; 61 < 0.95 x 65 = 61.75 -> flag
    assert prof["mean_gap_pct"] == pytest.approx(4 / 65 * 100) and prof["median_gap_pct"] == pytest.approx(4 / 65 * 100)
    assert prof["flag"]
    lect = df[(df["level"] == "unit") & (df["position"] == "lecturer")].iloc[0]
    assert lect["median_gap_pct"] == pytest.approx(0.0) and not lect["flag"]


def test_equal_work_tolerance_from_goals(db, goals):
    goals(privacy={"k": 2}, pay={"equal_work_tolerance": 0.90})
    load(db, "staff", staff([("A", "professor", g, s) for g, s in (("K", 60), ("K", 62), ("M", 64), ("M", 66))]))
    # 61 >= 0.90 x 65 = 58.5: no flag with a 90 % tolerance
    assert not show(db, "equal_work", unit="S")["flag"].any()


def test_equal_work_complementary_suppression(db, goals):
    goals(privacy={"k": 2})
    both = [(u, p, g, s) for u in "AB" for p in ("professor", "lecturer") for g in "KM" for s in (50, 52)]
    rows = [r for r in both if not (r[0] == "B" and r[1] == "lecturer" and r[2] == "K" and r[3] == 52)]
    load(db, "staff", staff(rows))
    df = show(db, "equal_work", unit="S").set_index(["level", "unit", "position"])
    # B lecturers: 1 woman < k -> hidden (primary). Lecturer line (A, B -> all lecturers shown): B alone
    # hidden could be worked out as all - A, so A lecturers go too. Unit A's line (its professors and
    # lecturers add up to pay_gap for A): A lecturers alone hidden -> A professors go. Unit B's line
    # likewise -> B professors. Professor line: A and B hidden together, 4 women and 4 men: enough.
    hidden = df.index[df["suppressed"]].tolist()
    assert sorted(hidden) == sorted([("unit", u, p) for u in "AB" for p in ("professor", "lecturer")])
    assert not df.loc[("all", "S", "lecturer"), "suppressed"]
    assert df.loc[("all", "S", "lecturer"), "women"] == 3
    assert df.loc[("unit", "B", "lecturer"), ["women", "men", "mean_women", "median_women"]].isna().all()


# --- work of equal value -----------------------------------------------------------------------------

EQUAL_VALUE = [
    # G1 non_academic level 3: women 29, 30, 31, 30 -> 4 W, 0 M, share 1.0 (women-dominated), mean 30
    *[("U1", "non_academic", "K", s, 3) for s in (29, 30, 31, 30)],
    # G2 lecturer level 3: W 32, 34; M 33, 33 -> share 0.5, mean 33
    ("U1", "lecturer", "K", 32, 3), ("U1", "lecturer", "K", 34, 3), ("U1", "lecturer", "M", 33, 3), ("U1", "lecturer", "M", 33, 3),
    # G3 phd_student level 2: M 30, 31, 32 -> share 0, mean 31
    *[("U1", "phd_student", "M", s, 2) for s in (30, 31, 32)],
    # G4 associate_professor level 4: W 49, 51; M 50, 50 -> share 0.5, mean 50
    ("U1", "associate_professor", "K", 49, 4), ("U1", "associate_professor", "K", 51, 4),
    ("U1", "associate_professor", "M", 50, 4), ("U1", "associate_professor", "M", 50, 4),
    # G5 non_academic level 4: W 44, 45, 46 -> share 1.0 (women-dominated), mean 45
    *[("U1", "non_academic", "K", s, 4) for s in (44, 45, 46)],
]


def test_equal_value_groups(db, goals):
    goals(privacy={"k": 2})
    load(db, "staff", staff(EQUAL_VALUE))
    df = show(db, "equal_value", unit="S").set_index(["position", "job_level"])
    assert not df["suppressed"].any()
    assert df.loc[("non_academic", 3), ["women", "men", "share_women", "mean_salary"]].tolist() == [4, 0, 1.0, 30_000]
    assert df.loc[("lecturer", 3), "mean_salary"] == 33_000 and df.loc[("lecturer", 3), "share_women"] == 0.5
    assert df["women_dominated"].to_dict() == {
        ("phd_student", 2): False, ("lecturer", 3): False, ("non_academic", 3): True,
        ("associate_professor", 4): False, ("non_academic", 4): True}


def test_equal_value_pairs(db, goals):
    goals(privacy={"k": 2})
    load(db, "staff", staff(EQUAL_VALUE))
    pairs = show(db, "equal_value_pairs", unit="S")
    # a = G1 (level 3, 30): G2 (level 3, 33) paid more -> 3; G3 (level 2, 31) -> 1; G4 is level 4 > 3: no.
    # a = G5 (level 4, 45): G4 (level 4, 50) -> 5; G2 (33) and G3 (31) are paid less: no.
    got = [(r.position_a, r.job_level_a, r.position_b, r.job_level_b, r.difference) for r in pairs.itertuples()]
    assert got == [("non_academic", 4, "associate_professor", 4, 5_000),
                   ("non_academic", 3, "lecturer", 3, 3_000),
                   ("non_academic", 3, "phd_student", 2, 1_000)]
    # difference as a share of b's mean: 5/50 = 10 %, 3/33 = 9.09 %, 1/31 = 3.23 %
    assert pairs["difference_pct"].tolist() == pytest.approx([10.0, 300 / 33, 100 / 31])


def test_equal_value_hidden_group_hides_its_neighbours_and_its_pairs(db, goals):
    goals(privacy={"k": 2})
    # G6 lecturer level 1: 1 woman, 2 men -> hidden (a count of 1 < k).
    load(db, "staff", staff(EQUAL_VALUE + [("U1", "lecturer", "K", 60, 1), ("U1", "lecturer", "M", 60, 1),
                                           ("U1", "lecturer", "M", 60, 1)]))
    df = show(db, "equal_value", unit="S").set_index(["position", "job_level"])
    # lecturer line: G6 alone hidden -> G2 too. Level 3 line (G1, G2): G2 alone -> G1. non_academic
    # line (G1, G5): G1 alone -> G5. Level 4 line (G4, G5): G5 alone -> G4. Left: only G3.
    assert df.index[~df["suppressed"]].tolist() == [("phd_student", 2)]
    assert df.loc[("lecturer", 1), ["women", "men", "mean_salary"]].isna().all()
    # no pair rests on a hidden group
    assert show(db, "equal_value_pairs", unit="S").empty


# --- quartiles -------------------------------------------------------------------------------------

def test_quartiles_design_check(db, goals):
    goals(privacy={"k": 2})
    load(db, "staff", staff(CHECK))
    q = show(db, "pay_quartiles", unit="S")
    # ranked: 10 W, 11 M | 12 W, 20 M | 21 W, 29 W | 30 M, 39 M  (n = 8, 2 per band)
    assert q["quartile"].tolist() == [1, 2, 3, 4]
    assert q["women"].tolist() == [1, 1, 2, 0] and q["men"].tolist() == [1, 1, 0, 2]
    assert q["share_women"].tolist() == [0.5, 0.5, 1.0, 0.0]
    assert not q["suppressed"].any()


def test_quartiles_four_on_one_salary_straddle_a_boundary(db, goals):
    goals(privacy={"k": 2})
    # ranked on a line of length 8: 10 W [0,1), 11 M [1,2), 12 W [2,3), four on 20 (3 W, 1 M) [3,7), 30 M [7,8)
    # band 2 [2,4): 12 W + 1/4 of the four (0.75 W, 0.25 M) -> 1.75 W, 0.25 M -> 87.5 %
    # band 3 [4,6): 2/4 of the four -> 1.5 W, 0.5 M -> 75 %
    # band 4 [6,8): 1/4 of the four (0.75 W, 0.25 M) + 30 M -> 0.75 W, 1.25 M -> 37.5 %
    rows = [("U1", "lecturer", g, s) for g, s in (("K", 10), ("M", 11), ("K", 12), ("K", 20), ("K", 20),
                                                  ("K", 20), ("M", 20), ("M", 30))]
    load(db, "staff", staff(rows))
    q = show(db, "pay_quartiles", unit="S")
    assert q["women"].tolist() == pytest.approx([1, 1.75, 1.5, 0.75])
    assert q["men"].tolist() == pytest.approx([1, 0.25, 0.5, 1.25])
    assert q["share_women"].tolist() == pytest.approx([0.5, 0.875, 0.75, 0.375])
    assert q["total"].tolist() == pytest.approx([2, 2, 2, 2])


def test_quartile_bands_all_on_one_salary():
    # four people, one salary: each band holds a quarter of each, the same mix everywhere
    bands = pay.quartile_bands(pd.DataFrame({"salary": [30_000], "women": [1], "men": [3]}))
    assert bands["women"].tolist() == pytest.approx([0.25] * 4)
    assert bands["share_women"].tolist() == pytest.approx([0.25] * 4)


def test_quartiles_hidden_without_k_of_each(db, goals):
    goals(privacy={"k": 2})
    # one woman: every band hidden (her place in the ranking would show)
    load(db, "staff", staff([("U1", "lecturer", g, s) for g, s in (("K", 10), ("M", 11), ("M", 12), ("M", 20),
                                                                   ("M", 21), ("M", 29), ("M", 30), ("M", 39))]))
    q = show(db, "pay_quartiles", unit="S")
    assert q["suppressed"].all() and q["share_women"].isna().all()


# --- the EU directive ----------------------------------------------------------------------------

TRANSPARENCY = [
    # professors, level 5: W 60, 62; M 64, 66 -> mean gap 4/65 = 6.15 % >= 5 %: flagged
    ("U1", "professor", "K", 60, 5), ("U1", "professor", "K", 62, 5), ("U1", "professor", "M", 64, 5), ("U1", "professor", "M", 66, 5),
    # lecturers, level 3: W 40, 42; M 40, 42 -> 0 %
    ("U1", "lecturer", "K", 40, 3), ("U1", "lecturer", "K", 42, 3), ("U1", "lecturer", "M", 40, 3), ("U1", "lecturer", "M", 42, 3),
]


def test_pay_transparency(db, goals):
    goals(privacy={"k": 2})
    load(db, "staff", staff(TRANSPARENCY))
    df = show(db, "pay_transparency", unit="S")
    assert df["part"].tolist() == ["overall", "variable_pay"] + ["quartile"] * 4 + ["position"] * 2 + ["job_level"] * 2
    overall = df.iloc[0]
    # women (60+62+40+42)/4 = 51, men (64+66+40+42)/4 = 53 -> 2/53 = 3.77 %; medians 51 and 53 the same
    assert overall["mean_gap_pct"] == pytest.approx(200 / 53) and overall["median_gap_pct"] == pytest.approx(200 / 53)
    assert df.iloc[1]["note"] == pay.VARIABLE_PAY_NOTE
    # ranked: 40 (W, M) | 42 (W, M) | 60 W, 62 W | 64 M, 66 M
    assert df[df["part"] == "quartile"]["share_women"].tolist() == [0.5, 0.5, 1.0, 0.0]
    cats = df[df["part"].isin(["position", "job_level"])].set_index(["part", "category"])
    assert cats.loc[("position", "professor"), "mean_gap_pct"] == pytest.approx(400 / 65)
    assert cats["flag"].to_dict() == {("position", "lecturer"): False, ("position", "professor"): True,
                                      ("job_level", "3"): False, ("job_level", "5"): True}
    assert not df["suppressed"].any()


def test_pay_transparency_threshold_from_goals_and_no_job_level(db, goals):
    goals(privacy={"k": 2}, pay={"pay_transparency_threshold": 0.07})
    load(db, "staff", staff([r[:4] for r in TRANSPARENCY]))
    df = show(db, "pay_transparency", unit="S")
    assert "job_level" not in set(df["part"])  # not given: no such category
    assert not df["flag"].fillna(False).any()  # 6.15 % < 7 %


def test_pay_transparency_xlsx(db, goals):
    goals(privacy={"k": 2})
    load(db, "staff", staff(TRANSPARENCY))
    book = openpyxl.load_workbook(io.BytesIO(pay.pay_transparency_xlsx(db, Filters(unit="S"))))
    assert book.sheetnames == ["about", "overall", "variable_pay", "quartile", "position", "job_level"]
    sheet = book["overall"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("mean_gap_pct") + 1).value == pytest.approx(200 / 53)


# --- adjusted gap ----------------------------------------------------------------------------------

def test_adjusted_gap_recovers_a_known_coefficient(db):
    # log salary = 10.4 + position + unit + age band + log(0.96) x woman + N(0, 0.03): women 4 % less
    # within each cell, and more often in the lower-paid position, so the unadjusted gap is larger.
    rng = np.random.default_rng(7)
    n = 600
    woman = rng.random(n) < 0.5
    position = np.where(rng.random(n) < np.where(woman, 0.7, 0.3), "lecturer", "professor")
    unit = rng.choice(["A", "B", "C"], n)
    birth = rng.integers(1960, 1998, n)
    age = 2024 - birth
    log_salary = (10.4 + np.where(position == "professor", 0.35, 0.0) + np.select([unit == "B", unit == "C"], [0.03, -0.02], 0)
                  + 0.004 * (age - 45) + np.log(0.96) * woman + rng.normal(0, 0.03, n))
    df = pd.DataFrame({"year": 2024, "person_id": [f"p{i}" for i in range(n)], "unit": unit, "parent_unit": "S",
                       "position": [TITLE[p] for p in position], "gender": np.where(woman, "K", "M"),
                       "monthly_salary": np.round(np.exp(log_salary), 2), "birth_year": birth})
    load(db, "staff", df)
    row = show(db, "adjusted_gap", unit="S").iloc[0]
    assert row["n"] == n and not row["suppressed"]
    assert row["covariates"] == "position, unit, age_band"
    assert row["adjusted_low_pct"] < -4.0 < row["adjusted_high_pct"]
    assert row["adjusted_high_pct"] - row["adjusted_low_pct"] < 2  # the interval is informative, not just wide
    assert row["unadjusted_pct"] < row["adjusted_pct"] < 0  # position explains part of the gap
    assert 0 < row["share_explained"] < 1


def test_adjusted_gap_hidden_below_k(db):
    rows = [("U1", "lecturer", "K", s) for s in (40, 41, 42, 43)] + [("U1", "lecturer", "M", s) for s in (40, 41, 42, 43, 44)]
    load(db, "staff", staff(rows))
    row = show(db, "adjusted_gap", unit="S").iloc[0]
    assert row["suppressed"] and pd.isna(row["adjusted_pct"]) and pd.isna(row["unadjusted_pct"])


def test_adjusted_gap_description_warns():
    text = registry.REGISTRY["adjusted_gap"].description("en")
    assert "NOT evidence" in text and "inequality" in text


# --- salary distribution ----------------------------------------------------------------------------

def test_salary_distribution(db, goals):
    goals(privacy={"k": 2})
    rows = ([("U1", "professor", "K", s) for s in (10, 20, 30, 40, 50)]
            + [("U1", "professor", "M", s) for s in range(10, 111, 10)]
            + [("U1", "lecturer", "K", 30)] + [("U1", "lecturer", "M", s) for s in (30, 31, 32)])
    load(db, "staff", staff(rows))
    df = show(db, "salary_distribution", unit="S").set_index(["position", "gender"])
    w, m = df.loc[("professor", "woman")], df.loc[("professor", "man")]
    # women, n = 5, rank h = (n-1)q: p25 h=1 -> 20; median h=2 -> 30; p75 h=3 -> 40.
    # p10 and p90 (h = 0.4, 3.6) would mix in the lowest / highest salary: left empty.
    assert w["n"] == 5 and [w["p25"], w["median"], w["p75"]] == [20_000, 30_000, 40_000]
    assert pd.isna(w["p10"]) and pd.isna(w["p90"])
    # men, n = 11, salaries 10..110: p10 h=1 -> 20; p25 h=2.5 -> 35; median h=5 -> 60; p75 h=7.5 -> 85; p90 h=9 -> 100
    assert m[["p10", "p25", "median", "p75", "p90"]].tolist() == [20_000, 35_000, 60_000, 85_000, 100_000]
    # lecturers: one woman -> both genders' rows hidden
    assert df.loc[("lecturer", "woman"), "suppressed"] and df.loc[("lecturer", "man"), "suppressed"]
    assert df.loc[("lecturer", "man"), ["n", "median"]].isna().all()
    assert not df.loc[("all", "woman"), "suppressed"]
    # never a minimum or maximum column
    assert not {"min", "max"} & set(df.columns)


def test_registered_and_loaded():
    ids = {"pay_gap", "pay_gap_trend", "equal_work", "equal_value", "equal_value_pairs", "pay_quartiles",
           "pay_transparency", "adjusted_gap", "salary_distribution"}
    loaded = registry.load_all()
    assert ids <= set(loaded)
    assert all(loaded[i].subgoal == 2 and loaded[i].personal for i in ids)


def test_equal_work_no_line_keeps_a_single_hidden_cell(db, goals):
    # Random units and positions, many small groups: after suppression no line (a position's units,
    # a unit's positions, the 'all' rows) has exactly one hidden row, nor hidden rows holding fewer
    # than k women or k men together: none can be worked out from the totals.
    goals(privacy={"k": 3})
    rng = np.random.default_rng(3)
    rows = [(str(rng.choice(list("ABCDE"))), str(rng.choice(["professor", "lecturer", "phd_student", "non_academic"])),
             str(rng.choice(["K", "M"])), int(rng.integers(30, 80))) for _ in range(160)]
    load(db, "staff", staff(rows))
    raw = pay.equal_work(db.cursor(), Filters(unit="S"))
    shown = show(db, "equal_work", unit="S")
    assert shown["suppressed"].any() and not shown["suppressed"].all()
    cells = raw[raw["level"] == "unit"]
    for by in ("position", "unit"):
        for _, line in cells.groupby(by):
            gone = line[shown.loc[line.index, "suppressed"]]
            assert len(gone) != 1 or len(line) == 1
            if len(gone) > 1:
                assert gone["women"].sum() >= 3 and gone["men"].sum() >= 3


def test_adjusted_gap_on_cells_is_the_person_level_ols():
    # The fit on cell means (pay._ols_woman) against statsmodels' OLS on one row per person, the model
    # written the plain way: the same coefficient and interval, to rounding.
    import numpy as np
    from statsmodels.regression.linear_model import OLS

    from indicators import pay

    rng = np.random.default_rng(7)
    n = 3000
    people = pd.DataFrame({"woman": rng.integers(0, 2, n), "position": rng.choice(list("ABCD"), n),
                           "unit": rng.choice(["U1", "U2", "U3"], n), "age_band": rng.choice(["<30", "30-39", "60+"], n)})
    people["log_salary"] = (10 + 0.05 * (people["position"] == "B") - 0.03 * people["woman"]
                            + rng.normal(0, 0.1, n))
    covariates = ["position", "unit", "age_band"]
    dummies = [pd.get_dummies(people[c], prefix=c, drop_first=True, dtype=float) for c in covariates]
    x = pd.concat([pd.Series(1.0, index=people.index), people["woman"].astype(float), *dummies], axis=1).to_numpy()
    full = OLS(people["log_salary"].to_numpy(), x).fit()
    low, high = full.conf_int(alpha=0.05)[1]
    b, lo, hi = pay._ols_woman(people, covariates)
    assert b == pytest.approx(full.params[1], rel=1e-9)
    assert (lo, hi) == (pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9))
