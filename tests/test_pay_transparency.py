"""Pay transparency (issue 21) against a small file worked by hand: art. 9 (a)-(g) on annual and hourly
pay, the hourly conversion, the job evaluation's points, the raise after parental leave, the UK gender
pay gap service's bonus definitions as a cross-check of (b), (d) and (e); the machine-readable report,
the worker's letter, the joint assessment and the command line; a bad component file refused by file,
sheet, row and column in the user's language with nothing written.

The file (year 2025; 2024 for the raises). Monthly = full-time monthly salary; FTE and hours a week;
components for the year (basic, and complementary: fixed supplement, on-call, bonus, overtime):

    id  position   gender  monthly  FTE  hours  basic     complementary          annual   year's hours
    W1  Professor  K       60 000   1    40     720 000   supplement 60 000      780 000  2 080
    W2  Professor  K       58 000   1    -      696 000   -                      696 000  2 080 (full time: 40 x 52)
    W3  Adjunkt    K       40 000   0.5  20     240 000   on-call 10 400         250 400  1 040
    W4  Adjunkt    K       42 000   1    40     504 000   -                      504 000  2 080
    M1  Professor  M       64 000   1    40     768 000   bonus 20 800           788 800  2 080
    M2  Professor  M       62 000   1    40     744 000   -                      744 000  2 080
    M3  Adjunkt    M       44 000   1    40     528 000   overtime 5 200         533 200  2 080
    M4  Adjunkt    M       41 000   0.8  32     393 600   -                      393 600  1 664
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from helpers import APP, FIXED_KEY, app_test, load
from indicators import catalogue
from indicators.directive import art7, art10, factors
from indicators.present import art9
from indicators.protect import privacy, registry
from indicators.protect.access import hash_passphrase
from indicators.protect.registry import Filters
from indicators.store import check, database, read, schema, writer
from indicators.subgoals.pay import evaluation, quality, worker

registry.load_all()
WEEKS = 52

PEOPLE = [  # id, title, gender, monthly, fte, hours a week, basic, (component, amount) or None
    ("W1", "Professor", "K", 60_000, 1.0, 40, 720_000, ("prefekttillägg", 60_000)),
    ("W2", "Professor", "K", 58_000, 1.0, None, 696_000, None),
    ("W3", "Adjunkt", "K", 40_000, 0.5, 20, 240_000, ("jour", 10_400)),
    ("W4", "Adjunkt", "K", 42_000, 1.0, 40, 504_000, None),
    ("M1", "Professor", "M", 64_000, 1.0, 40, 768_000, ("bonus", 20_800)),
    ("M2", "Professor", "M", 62_000, 1.0, 40, 744_000, None),
    ("M3", "Adjunkt", "M", 44_000, 1.0, 40, 528_000, ("övertid", 5_200)),
    ("M4", "Adjunkt", "M", 41_000, 0.8, 32, 393_600, None),
]
# 2024: the same people; W3 and M4 on parental leave; the salaries a year before.
BEFORE = {
    "W1": 58_000,
    "W2": 58_000,
    "W3": 39_000,
    "W4": 42_000,
    "M1": 62_000,
    "M2": 62_000,
    "M3": 43_000,
    "M4": 41_000,
}
LEAVE_2024 = {"W3": 100, "M4": 50}


def staff(year: int = 2025) -> pd.DataFrame:
    rows = []
    for pid, title, gender, monthly, fte, hours, *_ in PEOPLE:
        rows.append(
            {
                "year": year,
                "person_id": pid,
                "unit": "U",
                "parent_unit": "S",
                "position": title,
                "gender": gender,
                "monthly_salary": monthly if year == 2025 else BEFORE[pid],
                "fte": fte,
                "weekly_hours": hours,
                "parental_leave_days": LEAVE_2024.get(pid, 0) if year == 2024 else 0,
            }
        )
    return pd.DataFrame(rows)


def components() -> pd.DataFrame:
    rows = []
    for pid, *_, basic, extra in PEOPLE:
        rows.append({"year": 2025, "person_id": pid, "component": "grundlön", "amount": basic})
        if extra:
            rows.append({"year": 2025, "person_id": pid, "component": extra[0], "amount": extra[1]})
    return pd.DataFrame(rows)


FACTORS = pd.DataFrame(
    [  # knowledge 60 %, responsibility 20 %, effort 10 %, working conditions 10 %
        {"year": 2025, "criterion": "kunskaper och färdigheter", "subfactor": "utbildning", "weight": 40, "levels": 5},
        {
            "year": 2025,
            "criterion": "kunskaper och färdigheter",
            "subfactor": "problemlösning",
            "weight": 20,
            "levels": 4,
        },
        {"year": 2025, "criterion": "ansvar", "subfactor": "personer", "weight": 20, "levels": 4},
        {"year": 2025, "criterion": "ansträngning", "subfactor": "fysisk", "weight": 10, "levels": 5},
        {"year": 2025, "criterion": "arbetsförhållanden", "subfactor": "miljö", "weight": 10, "levels": 5},
    ]
)
SCORES = pd.DataFrame(
    [
        {"year": 2025, "job": job, "subfactor": s, "level": lvl}
        for job, levels in (
            ("Professor", {"utbildning": 5, "problemlösning": 4, "personer": 3, "fysisk": 1, "miljö": 1}),
            ("adjunkt", {"utbildning": 4, "problemlösning": 3, "personer": 2, "fysisk": 2, "miljö": 3}),
        )
        for s, lvl in levels.items()
    ]
)


@pytest.fixture
def db(keyed):
    """The file above on the fixed key (conftest's keyed), both years and the components."""
    load(keyed, "staff", staff(2024))
    load(keyed, "staff", staff(2025))
    load(keyed, "components", components())
    return keyed


def art9_table(con, measure: str, **kw) -> pd.DataFrame:
    return registry.compute(con, "pay_transparency", Filters(year=2025, pay=measure, **kw), exact=True).set_index(
        ["part", "category"]
    )


# --- (a)-(g) on annual pay --------------------------------------------------------------------------


def test_art9_on_annual_pay_by_hand(db):
    t = art9_table(db, "annual")
    overall, variable = t.loc[("overall", "all")], t.loc[("variable_pay", "all")]
    # (a) women 780 000 + 696 000 + 250 400 + 504 000 = 2 230 400 / 4 = 557 600; men 788 800 + 744 000 +
    # 533 200 + 393 600 = 2 459 600 / 4 = 614 900; (614 900 - 557 600) / 614 900 = 9.3186 %
    assert (overall["mean_women"], overall["mean_men"]) == (557_600, 614_900)
    assert overall["mean_gap_pct"] == pytest.approx(57_300 / 614_900 * 100)
    # (c) medians: women (504 000 + 696 000) / 2 = 600 000, men (533 200 + 744 000) / 2 = 638 600 -> 6.0445 %
    assert (overall["median_women"], overall["median_men"]) == (600_000, 638_600)
    assert overall["median_gap_pct"] == pytest.approx(38_600 / 638_600 * 100)
    # (b) complementary among receivers: women (60 000 + 10 400) / 2 = 35 200, men (20 800 + 5 200) / 2 = 13 000
    # -> (13 000 - 35 200) / 13 000 = -170.77 % (negative: women receive more); (d) the same with two each
    assert (variable["variable_mean_women"], variable["variable_mean_men"]) == (35_200, 13_000)
    assert variable["variable_mean_gap_pct"] == pytest.approx(-22_200 / 13_000 * 100)
    assert variable["variable_median_gap_pct"] == pytest.approx(-22_200 / 13_000 * 100)
    # (e) 2 of 4 women and 2 of 4 men receive complementary pay
    assert (variable["receivers_women"], variable["receivers_men"]) == (2, 2)
    assert (variable["share_receiving_women"], variable["share_receiving_men"]) == (0.5, 0.5)
    # (f) ranked by annual pay: W3 250 400, M4 393 600 | W4 504 000, M3 533 200 | W2 696 000, M2 744 000 |
    # W1 780 000, M1 788 800: one woman and one man in every band
    bands = t.xs("quartile", level="part")
    assert bands["share_women"].tolist() == [0.5] * 4 and bands["women"].tolist() == [1] * 4
    # (g) professors: pay 738 000 against 766 400 (3.71 %, no flag); basic (720 000 + 696 000) / 2 = 708 000
    # against (768 000 + 744 000) / 2 = 756 000: 6.35 %; complementary (60 000 + 0) / 2 = 30 000 against
    # (20 800 + 0) / 2 = 10 400: -188.46 %
    prof = t.loc[("position", "professor")]
    assert prof["mean_gap_pct"] == pytest.approx(28_400 / 766_400 * 100) and not prof["flag"]
    assert (prof["basic_mean_women"], prof["basic_mean_men"]) == (708_000, 756_000)
    assert prof["basic_gap_pct"] == pytest.approx(48_000 / 756_000 * 100)
    assert (prof["complementary_mean_women"], prof["complementary_mean_men"]) == (30_000, 10_400)
    assert prof["complementary_gap_pct"] == pytest.approx(-19_600 / 10_400 * 100)
    # lecturers: (250 400 + 504 000) / 2 = 377 200 against (533 200 + 393 600) / 2 = 463 400: 18.60 %, flagged (>= 5 %)
    lect = t.loc[("position", "lecturer")]
    assert lect["mean_gap_pct"] == pytest.approx(86_200 / 463_400 * 100) and lect["flag"]
    assert lect["basic_gap_pct"] == pytest.approx((460_800 - 372_000) / 460_800 * 100)


def test_hourly_pay_by_hand(db):
    # Hours: W2 has none given and works full time: 40 x 52 = 2 080; W3 20 x 52 = 1 040; M4 32 x 52 = 1 664.
    # Women: (780 000 + 696 000 + 504 000) / 2 080 + 250 400 / 1 040 = 951.923 + 240.769 = 1 192.692 / 4
    # Men: (788 800 + 744 000 + 533 200) / 2 080 + 393 600 / 1 664 = 993.269 + 236.538 = 1 229.808 / 4
    women = (780_000 + 696_000 + 504_000) / 2_080 + 250_400 / 1_040
    men = (788_800 + 744_000 + 533_200) / 2_080 + 393_600 / 1_664
    t = art9_table(db, "hourly")
    overall = t.loc[("overall", "all")]
    assert overall["mean_women"] == pytest.approx(women / 4) and overall["mean_men"] == pytest.approx(men / 4)
    assert overall["mean_gap_pct"] == pytest.approx((men - women) / men * 100)  # 3.018 %
    # M4's hourly pay is 236.54 kr, below W3's 240.77 kr: working time moves annual pay, not hourly pay
    bands = t.xs("quartile", level="part")
    assert bands["women"].tolist() == [1, 1, 1, 1]
    # the monthly salary of the same people: women 50 000, men 52 750 -> 5.21 %, and no components
    monthly = art9_table(db, "monthly")
    assert monthly.loc[("overall", "all"), "mean_gap_pct"] == pytest.approx(2_750 / 52_750 * 100)
    assert monthly.loc[("variable_pay", "all"), "note"] == "monthly_has_no_components"


def test_a_part_time_worker_without_hours_has_no_hourly_pay_and_is_flagged(db):
    # W3 without her 20 hours: part time (0.5) and no working time -> outside hourly pay, never guessed
    rows = staff(2025)
    rows.loc[rows["person_id"] == "W3", "weekly_hours"] = None
    load(db, "staff", rows, replace=True)
    t = art9_table(db, "hourly")
    assert t.loc[("overall", "all"), "women"] == 3
    flags = quality.flags(db.cursor(), 2025).set_index("flag")["people"]
    assert flags["part_time_without_hours"] == 1
    assert quality.confidence(quality.flags(db.cursor(), 2025)) == pytest.approx(7 / 8)


def test_the_uk_bonus_definitions_give_the_same_b_d_e(db):
    # UK SI 2017/172 reg. 10-12, written out on the people of the file: the mean and median bonus pay of
    # the men and the women who were paid bonus pay, (A - B) / A x 100, and the share of each gender's
    # relevant employees who were paid it. Complementary pay plays the bonus's part here.
    people = pd.DataFrame([(g, extra[1] if extra else 0) for _, _, g, *_, extra in PEOPLE], columns=["g", "bonus"])
    paid = people[people["bonus"] > 0]
    mean = paid.groupby("g")["bonus"].mean()
    median = paid.groupby("g")["bonus"].median()
    share = paid.groupby("g").size() / people.groupby("g").size()
    v = art9_table(db, "annual").loc[("variable_pay", "all")]
    assert v["variable_mean_gap_pct"] == pytest.approx((mean["M"] - mean["K"]) / mean["M"] * 100)
    assert v["variable_median_gap_pct"] == pytest.approx((median["M"] - median["K"]) / median["M"] * 100)
    assert (v["share_receiving_women"], v["share_receiving_men"]) == (share["K"], share["M"])


def test_without_components_b_d_e_say_why(tmp_path):
    con = database.connect(tmp_path / "n.duckdb")
    load(con, "staff", staff(2025))
    t = registry.compute(con, "pay_transparency", Filters(year=2025, pay="annual"), exact=True)
    assert t.set_index("part").loc["variable_pay", "note"] == "no_components"
    assert (
        registry.compute(con, "pay_transparency", Filters(year=2025), exact=True)
        .set_index("part")
        .loc["variable_pay", "note"]
        == "monthly_has_no_components"
    )
    assert pd.isna(t.set_index("part").loc["overall", "mean_women"])  # no annual pay without components
    # (a), (c), (f), (g) still work on the full-time monthly salary
    monthly = registry.compute(con, "pay_transparency", Filters(year=2025), exact=True).set_index("part")
    assert monthly.loc["overall", "mean_gap_pct"] == pytest.approx(2_750 / 52_750 * 100)
    con.close()


# --- the job evaluation ------------------------------------------------------------------------------


def test_points_value_groups_and_the_tilt_by_hand(db, goals):
    load(db, "factor_plan", FACTORS)
    load(db, "job_scores", SCORES)
    plan = evaluation.factor_plan(db, 2025)
    # Professor: 40 x 5/5 + 20 x 4/4 + 20 x 3/4 + 10 x 1/5 + 10 x 1/5 = 40 + 20 + 15 + 2 + 2 = 79 -> group 8
    # Adjunkt:   40 x 4/5 + 20 x 3/4 + 20 x 2/4 + 10 x 2/5 + 10 x 3/5 = 32 + 15 + 10 + 4 + 6 = 67 -> group 7
    assert (
        evaluation.points_of(plan, {"utbildning": 5, "problemlösning": 4, "personer": 3, "fysisk": 1, "miljö": 1}) == 79
    )
    values = db.execute(
        f"SELECT job, points, value_group FROM ({evaluation.JOB_VALUES}) ORDER BY job", {"value_width": 10.0}
    ).fetchall()
    assert values == [("adjunkt", 67.0, 7), ("professor", 79.0, 8)]
    # weights: knowledge 60 / working conditions 10 = 6 times: tilted at 3; responsibility 2 times, not
    w = registry.compute(db, "factor_weights", Filters(year=2025)).set_index("criterion")
    assert w["weight_share"].tolist() == [0.6, 0.2, 0.1, 0.1]
    assert w.loc["knowledge", "ratio_to_conditions"] == pytest.approx(6) and w.loc["knowledge", "tilted"]
    assert not w.loc["responsibility", "tilted"]
    # exactly at the ratio: 30 / 10 points is 3 times, tilted at 3 (as shares, 0.3 / 0.1 is
    # 2.9999999999999996 in floating point: shown as 3 and, before the ratio was rounded, not flagged)
    exact = evaluation._tilt(
        pd.DataFrame({"criterion": ["responsibility", "working_conditions"], "weight_share": [0.3, 0.1]}), Filters()
    )
    assert exact["ratio_to_conditions"].tolist() == [3.0, 1.0] and exact["tilted"].tolist() == [True, False]
    # (g) and equal work of equal value now use the value groups: 8 = the professors, 7 = the lecturers
    t = art9_table(db, "annual")
    assert set(t.index.get_level_values("part")) >= {"value_group"} and "job_level" not in set(
        t.index.get_level_values("part")
    )
    assert t.loc[("value_group", "7"), "mean_gap_pct"] == pytest.approx(86_200 / 463_400 * 100)
    goals(privacy={"k": 2})
    ev = registry.compute(db, "equal_value", Filters(year=2025), exact=True)
    assert set(ev["basis"]) == {"evaluation"} and sorted(ev["job_level"]) == [7, 8]
    # pay against job value: two jobs, both 50 % women (not women-dominated): the line runs through both
    jv = registry.compute(db, "job_value", Filters(year=2025, pay="annual"), exact=True).set_index("job")
    assert jv.loc["Professor", "points"] == 79 and jv.loc["Adjunkt", "mean_pay"] == pytest.approx(
        (754_400 + 926_800) / 4
    )
    assert jv["difference_pct"].abs().max() == pytest.approx(0, abs=1e-9)


def test_a_hidden_job_is_left_out_not_listed_by_title(db, goals):
    # An outside attack: a hidden job listed by its title beside empty cells said that somebody in the
    # unit holds it (322 of 322 read right on a demo). Professor: 2 women, 2 men; Adjunkt the same.
    load(db, "factor_plan", FACTORS)
    load(db, "job_scores", SCORES)
    # k = 5: both jobs have 2 women (1 to 4): neither is listed, as if nobody held it
    assert registry.compute(db, "job_value", Filters(year=2025)).empty
    # k = 2: both shown, titles and all
    goals(privacy={"k": 2})
    shown = registry.compute(db, "job_value", Filters(year=2025))
    assert sorted(shown["job"]) == ["Adjunkt", "Professor"] and not shown["suppressed"].any()


def test_a_score_on_a_subfactor_the_plan_lacks_is_refused_by_row(db):
    load(db, "factor_plan", FACTORS)
    bad = pd.concat([SCORES, pd.DataFrame([{"year": 2025, "job": "Professor", "subfactor": "stress", "level": 2}])])
    sheet, problems = check.check_sheet(
        "scores.xlsx", "Arbetsvärdering", read.frame_to_grid(bad), schema.KINDS["job_scores"], 0
    )
    with pytest.raises(database.ImportRefused) as e:
        database.import_sheets(db, [sheet], sha256={})
    [p] = e.value.problems
    assert (p.sheet, p.row, p.column) == ("Arbetsvärdering", 12, "subfactor")
    assert "'stress' is not in the factor plan for 2025" in str(p)
    assert db.execute("SELECT count(*) FROM job_scores").fetchone()[0] == 0


# --- raises after parental leave ----------------------------------------------------------------------


def test_the_raise_after_leave_share_by_hand(db):
    # 2024 -> 2025 (full-time monthly salary): W1 58 -> 60 raised, W2 58 -> 58 not, W3 39 -> 40 raised (back
    # from leave), W4 42 -> 42 not; M1 62 -> 64 raised, M2 62 -> 62 not, M3 43 -> 44 raised, M4 41 -> 41 not
    # (back from leave). Returned: women 1 of 1 raised (100 %), men 0 of 1 (0 %); no leave: women 1 of 3
    # (33.3 %), men 2 of 3 (66.7 %).
    r = registry.compute(db, "raise_after_leave", Filters(year=2025), exact=True).set_index("group")
    assert r.loc["returned", ["women", "raised_women", "men", "raised_men"]].tolist() == [1, 1, 1, 0]
    assert (r.loc["returned", "share_raised_women"], r.loc["returned", "share_raised_men"]) == (1.0, 0.0)
    assert r.loc["no_leave", "share_raised_women"] == pytest.approx(1 / 3)
    assert r.loc["no_leave", "share_raised_men"] == pytest.approx(2 / 3)
    # protected: groups this small (k_care = 10) are hidden whole
    assert registry.compute(db, "raise_after_leave", Filters(year=2025))["suppressed"].all()


# --- the official report, the letter, the assessment ----------------------------------------------------


def test_the_machine_readable_report(db):
    o = art9.official(db, 2025, employer="Universitetet", when=dt.datetime(2026, 5, 1, 9, 0))
    public = art9.to_json(o, "public")
    assert (public["format"], public["format_version"], public["file"]) == ("balans.eu-2023-970.art9", "1.0", "public")
    a = public["measures"]["annual"]["a_mean_gap"]
    assert a["result_pct"] == pytest.approx(57_300 / 614_900 * 100) and a["favoured"] == "men"
    assert public["measures"]["annual"]["b_mean_gap_complementary"]["favoured"] == "women"
    assert public["measures"]["monthly"]["b_mean_gap_complementary"]["not_computable"] == "monthly_has_no_components"
    assert [b["women_pct"] for b in public["measures"]["annual"]["f_quartile_bands"]] == [50.0] * 4
    assert "g_categories" not in public["measures"]["annual"]  # (g) is the internal file's
    internal = art9.to_json(o, "internal")
    lect = next(c for c in internal["measures"]["annual"]["g_categories"] if c["category"] == "lecturer")
    assert lect["art10_flag"] is True and lect["basic"]["gap_pct"] == pytest.approx((460_800 - 372_000) / 460_800 * 100)
    assert "a_mean_gap" not in internal["measures"]["annual"]
    rows = list(csv_rows(art9.to_csv(o, "public")))
    assert rows[0] == list(art9.CSV_FIELDS)
    assert ["balans.eu-2023-970.art9", "1.0", "public", "2025", "*", "annual", "a_mean_gap.favoured", "men"] in rows
    # each file says which it is, in the language
    book = openpyxl.load_workbook(io.BytesIO(art9.to_xlsx(o, "internal", "sv")))
    about = [r for r in book.worksheets[0].iter_rows(values_only=True)]
    assert any("Intern del, (g)" in str(v) for r in about for v in r)
    assert "Offentlig del, (a)–(f)" in art9.to_html(o, "public", "sv")
    assert "Public part, (a)–(f)" in art9.to_html(o, "public", "en")


def csv_rows(data: bytes):
    import csv

    return csv.reader(io.StringIO(data.decode("utf-8-sig")))


def test_the_workers_answer(db, goals):
    key = worker.person_key("W3", 2025, bytes.fromhex(FIXED_KEY))
    ans = worker.answer(db, key, 2025)
    # W3: annual 250 400 (basic 240 000, complementary 10 400), hourly 250 400 / 1 040 = 240.77
    assert ans.own["annual"] == {"pay": 250_400, "basic": 240_000, "complementary": 10_400}
    assert ans.own["hourly"]["pay"] == pytest.approx(250_400 / 1_040)
    assert (ans.category_part, ans.category) == ("position", "lecturer")
    # two women and two men lecturers: an average of two, one of them her own, would be her colleague's pay
    assert ans.withheld and all(g.withheld for g in ans.groups["annual"].values())
    assert "too few" in art7.letter_html(ans, "en", "The University")
    assert "för få" in art7.letter_html(ans, "sv", "Universitetet")
    goals(pay={"art7_min_others": 1})
    ans = worker.answer(db, key, 2025)
    # women lecturers (250 400 + 504 000) / 2 = 377 200, basic 372 000, complementary 5 200; men 463 400
    women, men = ans.groups["annual"]["women"], ans.groups["annual"]["men"]
    assert (women.mean, women.basic, women.complementary, men.mean) == (377_200, 372_000, 5_200, 463_400)
    letter = art7.letter_html(ans, "en", "The University", dt.date(2026, 3, 1))
    assert "377,200 kr" in letter and "250,400 kr" in letter and "within two months" in letter


def test_the_log_of_requests_and_its_deadline(db):
    key = worker.person_key("W1", 2025, bytes.fromhex(FIXED_KEY))
    rid = art7.receive(db, key, 2025, dt.date(2026, 1, 31), who="test")
    # two months after 31 January is 31 March, which February lacks no day of: 2026-03-31
    log = art7.requests(db, today=dt.date(2026, 3, 20)).iloc[0]
    assert (log["deadline"], log["status"], log["days_left"]) == (dt.date(2026, 3, 31), "due_soon", 11)
    assert art7.requests(db, today=dt.date(2026, 4, 1)).iloc[0]["status"] == "overdue"
    art7.answered(db, rid, dt.date(2026, 3, 25), who="test")
    assert art7.requests(db, today=dt.date(2026, 4, 1)).iloc[0]["status"] == "answered"
    # the raw id is never stored: only the pseudonym, and the trail in plan_audit
    assert "W1" not in str(db.execute("SELECT * FROM pay_requests").fetchall())
    assert db.execute("SELECT count(*) FROM plan_audit WHERE table_name = 'pay_requests'").fetchone()[0] == 2


def test_the_joint_assessment_of_a_flagged_category(db):
    flagged = art10.flagged(db, 2025)
    assert ("position", "lecturer", "annual") in set(zip(flagged["part"], flagged["category"], flagged["measure"]))
    parts = art10.sections(db, 2025, "position", "lecturer", "en")
    heads = [h for h, _, _ in parts]
    assert heads[3] == "4. Raises after parental leave"
    leave = parts[3][2]
    # in the category: W3 (back from leave, raised) and M4 (back, not raised); W4 and M3 no leave
    returned = leave[(leave["Where"] == "in the category") & (leave["Group"] == "back from parental leave")].iloc[0]
    assert (returned["Women"], returned["Men"]) == ("1 / 1 (100.0\u00a0%)", "0 / 1 (0.0\u00a0%)")
    html = art10.assessment_html(db, 2025, "position", "lecturer", "sv", "Universitetet")
    assert "Gemensam lönebedömning" in html
    assert (
        openpyxl.load_workbook(io.BytesIO(art10.assessment_xlsx(db, 2025, "position", "lecturer", "en"))).sheetnames[0]
        == "About"
    )


# --- the command line ----------------------------------------------------------------------------------


def run(*args, db) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args, "--db", str(db)], capture_output=True, text=True, timeout=300
    )


def xlsx(path, sheets: dict[str, pd.DataFrame]):
    with pd.ExcelWriter(path) as w:
        for name, df in sheets.items():
            df.to_excel(w, sheet_name=name, index=False)
    return path


def test_the_command_line_does_all_of_it(tmp_path):
    db = tmp_path / "c.duckdb"
    files = xlsx(
        tmp_path / "hr2025.xlsx", {"Personal": pd.concat([staff(2024), staff(2025)]), "Lönearter": components()}
    )
    done = run("import", str(files), db=db)
    assert done.returncode == 0, done.stderr
    assert "components from hr2025.xlsx (sheet Lönearter), 12 rows" in done.stdout
    csv_out = run("export", "pay_transparency", "--year", "2025", "--pay", "annual", "--exact", db=db)
    assert csv_out.returncode == 0 and "variable_pay,all,2025,annual" in csv_out.stdout
    for part in ("art9_public", "art9_internal"):
        assert (
            run("export", part, "--year", "2025", "-o", str(tmp_path / "x.json"), db=db).returncode == 2
        )  # needs --exact
        for suffix in ("xlsx", "html", "json", "csv"):
            out = tmp_path / f"{part}.{suffix}"
            r = run("export", part, "--year", "2025", "--exact", "--lang", "en", "-o", str(out), db=db)
            assert r.returncode == 0 and out.stat().st_size > 0, r.stderr
    assert json.loads((tmp_path / "art9_public.json").read_text())["file"] == "public"
    letter = tmp_path / "letter.html"
    r = run(
        "export", "art7_letter", "--year", "2025", "--exact", "--person", "W3", "--lang", "en", "-o", str(letter), db=db
    )
    assert r.returncode == 0 and "250,400 kr" in letter.read_text() and "too small" in r.stderr
    assert (
        run("export", "art7_letter", "--year", "2025", "--exact", "--person", "X9", "-o", str(letter), db=db).returncode
        == 1
    )
    r = run("request", "receive", "--person", "W3", "--year", "2025", "--on", "2026-03-01", db=db)
    assert r.returncode == 0 and "to be answered by 2026-05-01" in r.stdout
    assert "2026-05-01" in run("request", "list", db=db).stdout
    assert run("request", "answer", "1", "--on", "2026-03-20", db=db).returncode == 0
    out = tmp_path / "a10.html"
    r = run("export", "art10", "--year", "2025", "--exact", "--category", "position:lecturer", "-o", str(out), db=db)
    assert r.returncode == 0 and "Gemensam lönebedömning" in out.read_text()


def test_a_bad_component_file_is_refused_by_file_sheet_row_and_column(tmp_path):
    db = tmp_path / "c.duckdb"
    assert run("import", str(xlsx(tmp_path / "staff.xlsx", {"Personal": staff(2025)})), db=db).returncode == 0
    bad_staff = staff(2025)
    bad_staff.loc[2, "weekly_hours"] = 95  # row 4 of the sheet
    comp = components()
    comp.loc[1, "component"] = "kaffebidrag"  # row 3
    comp.loc[3, "amount"] = -500  # row 5
    bad = xlsx(tmp_path / "bad.xlsx", {"Personal": bad_staff, "Lönearter": comp})
    con = writer.reader(db).connection()
    before = (
        con.execute("SELECT count(*) FROM pay_components").fetchone()[0],
        con.execute("SELECT count(*) FROM staff").fetchone()[0],
    )
    r = run("import", str(bad), "--replace", db=db)
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert any(
        line.startswith("bad.xlsx, sheet Personal, row 4, column weekly_hours: not a number of hours a week")
        for line in lines
    )
    assert any(
        line.startswith("bad.xlsx, sheet Lönearter, row 3, column component: unknown value 'kaffebidrag'")
        for line in lines
    )
    assert any(
        line.startswith("bad.xlsx, sheet Lönearter, row 5, column amount: an amount cannot be negative")
        for line in lines
    )
    # a person the staff sheet does not have: refused by the database check, by row
    stranger = xlsx(
        tmp_path / "stranger.xlsx",
        {
            "Lönearter": pd.concat(
                [
                    components(),
                    pd.DataFrame([{"year": 2025, "person_id": "Z1", "component": "grundlön", "amount": 400_000}]),
                ]
            )
        },
    )
    r = run("import", str(stranger), db=db)
    assert r.returncode == 1
    assert (
        "stranger.xlsx, sheet Lönearter, row 14, column person_id: the person is not in the staff sheet for 2025"
        in r.stderr
    )
    con = writer.reader(db).connection()
    after = (
        con.execute("SELECT count(*) FROM pay_components").fetchone()[0],
        con.execute("SELECT count(*) FROM staff").fetchone()[0],
    )
    assert after == before  # nothing written
    # the page's words: Swedish, the file's own headers
    sheet, problems = check.check_sheet(
        "bad.xlsx",
        "Lönearter",
        read.frame_to_grid(comp.rename(columns={"component": "löneart", "amount": "belopp"})),
        schema.KINDS["components"],
        0,
    )
    said = [p.render("sv", headers=True) for p in problems]
    assert (
        "bad.xlsx, flik Lönearter, rad 3, kolumn löneart: okänt värde 'kaffebidrag' (förväntat ett av: grundlön, "
        "fast tillägg, övertid, jour och beredskap, ob-tillägg, engångsbelopp och bonus, förmån)" in said
    )
    assert any(
        s.startswith("bad.xlsx, flik Lönearter, rad 5, kolumn belopp: ett belopp kan inte vara negativt") for s in said
    )


# --- the page of HR's documents, in the real app ---------------------------------------------------------


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_pay_transparency_page_for_an_administrator(tmp_path, monkeypatch, lang):
    path = tmp_path / "app.duckdb"
    privacy.key_path(path).write_text(FIXED_KEY)
    with writer.writing(path) as con:  # published, as the app reads a snapshot
        load(con, "staff", staff(2024))
        load(con, "staff", staff(2025))
        load(con, "components", components())
        load(con, "factor_plan", FACTORS)
        load(con, "job_scores", SCORES)
    monkeypatch.setenv("BALANS_DB", str(path))
    at = app_test(APP, 180)
    at.secrets["balans"] = {"admin_passphrase": hash_passphrase("correct horse battery staple")}
    at.query_params["lang"], at.query_params["year"] = lang, "2025"
    at.run()
    at.switch_page("views/transparency.py").run()
    assert not at.exception, [e.value for e in at.exception]
    T = lambda key, **kw: catalogue.text("pay", key, lang, **kw)  # noqa: E731
    assert T("tr_admin_only") in [i.value for i in at.info]  # a viewer is told, and sees nothing else
    at.text_input(key="exact_passphrase").input("correct horse battery staple").run()
    at.toggle(key="exact_pick").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    headers = [h.value for h in at.main.header]
    assert headers == [
        T("tr_art9_head", year=2025),
        T("tr_art10_head"),
        T("tr_art7_head"),
        T("tr_factors_head", year=2025),
    ]
    labels = {b.label for b in at.get("download_button")}
    assert {"XLSX", "HTML", "JSON", "CSV", T("tr_art10_xlsx"), T("tr_art10_html")} <= labels
    # the lecturers' category is flagged and offered for its joint assessment; W3's letter in both languages
    assert at.selectbox(key="art10_pick").value == ("position", "lecturer")
    at.text_input(key="art7_person").input("W3").run()
    assert T("tr_withheld") in [w.value for w in at.warning]  # two lecturers of each gender: too few
    assert {T("tr_letter_sv"), T("tr_letter_en")} <= {b.label for b in at.get("download_button")}
    at.button(key="art7_log").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.icon for e in at.error] == [":material/lock:"], [
        e.value for e in at.error
    ]  # the exact figures banner only
    from indicators.present import columns

    logs = [d.value for d in at.dataframe if columns.label("pay_requests", "request_id", lang) in d.value.columns]
    assert len(logs) == 1 and len(logs[0]) == 1  # the log holds the request, by number, never by person
    # the factor plan, its weights editable: knowledge 60 % is flagged on the Pay page, editable here
    assert at.data_editor(key="factors_2025").value["weight"].sum() == 100


def test_an_administrator_edits_the_factor_plan(db):
    load(db, "factor_plan", FACTORS)
    load(db, "job_scores", SCORES)
    plan = evaluation.factor_plan(db, 2025)
    # weights that no longer add up to 100, and levels below a job's score: refused, nothing written
    bad = plan.copy()
    bad.loc[bad["subfactor"] == "utbildning", "weight"] = 30
    bad.loc[bad["subfactor"] == "personer", "levels"] = 2  # the professor is scored 3
    with pytest.raises(factors.FactorsRefused) as e:
        factors.save(db, 2025, bad, who="hr@uni.example", lang="sv")
    assert any("personer: nivån 3 är högre än delfaktorns 2 nivåer" == p for p in e.value.problems), e.value.problems
    assert evaluation.factor_plan(db, 2025).equals(plan)
    # knowledge 40 -> 30 and working conditions 10 -> 20: 50 % against 20 %, 2.5 times, no longer tilted
    good = plan.copy()
    good.loc[good["subfactor"] == "utbildning", "weight"] = 30
    good.loc[good["subfactor"] == "miljö", "weight"] = 20
    assert factors.save(db, 2025, good, who="hr@uni.example") == 2
    w = registry.compute(db, "factor_weights", Filters(year=2025)).set_index("criterion")
    assert w.loc["knowledge", "ratio_to_conditions"] == pytest.approx(2.5) and not w["tilted"].any()
    assert (
        db.execute(
            "SELECT count(*) FROM plan_audit WHERE table_name = 'job_factors' AND who = 'hr@uni.example'"
        ).fetchone()[0]
        == 2
    )
