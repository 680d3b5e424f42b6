"""demo/university.py: the synthetic data set, reproducible, well-formed, and showing the trends the pages
should find; its aggregated sheets (issue 6) valid through the real import and shaped like the brief."""

import numpy as np
import pandas as pd
import pytest

from indicators import demo
from indicators.demo import careers
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.store import database

YEARS = list(range(2015, 2026))
TITLES = {
    "Doktorand",
    "Postdoktor",
    "Forskare",
    "Biträdande lektor",
    "Adjunkt",
    "Universitetslektor",
    "Professor",
    "Administratör",
    "Tekniker",
    "Gästprofessor",
    "Adjungerad professor",
}  # careers (demo/careers.py): visiting and adjunct professors


@pytest.fixture(scope="module")
def data():
    return demo.generate(seed=0)


def departments(units: pd.DataFrame) -> set[str]:
    return set(units.loc[units["parent_unit"].notna() & (units["parent_unit"] != "UNI"), "unit"])


def women_share(df: pd.DataFrame) -> float:
    return (df["gender"] == "K").sum() / df["gender"].isin(["K", "M"]).sum()


def within_position_gap(staff: pd.DataFrame, year: int) -> float:
    """Headcount-weighted mean over positions of 1 - women's mean pay / men's mean pay."""
    s = staff[(staff["year"] == year) & staff["gender"].isin(["K", "M"])]
    g = s.groupby(["position", "gender"])["monthly_salary"].agg(["mean", "size"]).unstack()
    gap = 1 - g[("mean", "K")] / g[("mean", "M")]
    weight = g["size"].sum(axis=1)
    return float((gap * weight).sum() / weight.sum())


def test_same_seed_same_frames():
    a, b = demo.generate(seed=3), demo.generate(seed=3)
    assert (
        a.keys()
        == b.keys()
        == {
            "units",
            "staff",
            "committees",
            "students",
            "leave",
            "incidents",
            "recruitment",
            "components",
            "factor_plan",
            "job_scores",
        }
    )
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])


def test_different_seeds_differ(data):
    other = demo.generate(seed=1)
    assert not other["staff"].equals(data["staff"])
    assert not other["committees"].equals(data["committees"])


def test_units_hierarchy(data):
    units = data["units"]
    assert list(units.columns) == ["unit", "name_sv", "name_en", "parent_unit"]
    assert units["unit"].is_unique
    assert units.loc[units["unit"] == "UNI", "parent_unit"].isna().all()
    schools = set(units.loc[units["parent_unit"] == "UNI", "unit"])
    assert schools == {"ARK", "BIO", "ELE", "IND", "NAT", "ADM"}
    for school in schools:
        assert 4 <= (units["parent_unit"] == school).sum() <= 6


def test_staff_columns_and_values(data):
    staff = data["staff"]
    assert list(staff.columns) == [
        "year",
        "person_id",
        "unit",
        "parent_unit",
        "position",
        "gender",
        "fte",
        "monthly_salary",
        "job_level",
        "manager",
        "employment_type",
        "birth_year",
        "parental_leave_days",
        "care_of_child_days",
        "sick_leave_days",
        "weekly_hours",
    ]
    assert sorted(staff["year"].unique()) == YEARS
    assert set(staff["position"]) == TITLES
    assert set(staff["gender"]) <= {"K", "M", "X"}
    assert staff["fte"].between(0.2, 1.0).all()
    assert staff["job_level"].between(1, 10).all()
    assert staff["manager"].dtype == bool and 0.03 < staff["manager"].mean() < 0.08
    assert set(staff["employment_type"]) == {"permanent", "temporary"}
    assert (staff.loc[staff["position"] == "Doktorand", "employment_type"] == "temporary").all()
    age = staff["year"] - staff["birth_year"]
    assert age.between(20, 67).all()
    days = staff[["parental_leave_days", "care_of_child_days", "sick_leave_days"]]
    assert (days >= 0).all().all() and (days == 0).mean().min() > 0.3
    # The parent is the school of the department the person sits in.
    parent = data["units"].set_index("unit")["parent_unit"]
    assert (staff["unit"].map(parent) == staff["parent_unit"]).all()


def test_every_department_has_staff_and_a_manager_each_year(data):
    staff = data["staff"]
    depts = departments(data["units"])
    assert set(staff["unit"]) == depts  # never directly in a school
    present = staff.groupby("year")["unit"].agg(set)
    assert all(present[y] == depts for y in YEARS)
    assert staff.groupby(["year", "unit"])["manager"].any().all()


def test_one_row_per_person_and_year(data):
    staff = data["staff"]
    assert not staff.duplicated(["year", "person_id"]).any()
    # People are followed across years under one id, in one unit; a position changes only up the ladder
    # (careers.RUNGS: some are promoted), and the visiting and adjunct titles are professors'.
    assert staff["person_id"].nunique() < len(staff) / 2
    assert (staff.groupby("person_id")[["unit", "gender", "birth_year"]].nunique() == 1).all().all()
    steps = {(lower, higher) for lower, higher, _ in careers.RUNGS}
    ordered = staff.sort_values(["person_id", "year"])
    moved = ordered[
        ordered["person_id"].eq(ordered["person_id"].shift()) & ordered["position"].ne(ordered["position"].shift())
    ]
    before = ordered["position"].shift()[moved.index]
    assert len(moved) > 50 and set(zip(before, moved["position"])) <= steps


def test_women_among_professors_rise(data):
    prof = data["staff"][data["staff"]["position"] == "Professor"]
    early, late = women_share(prof[prof["year"] == 2015]), women_share(prof[prof["year"] == 2025])
    assert late > early
    assert 0.08 < early < 0.25 and 0.14 < late < 0.32


def test_school_gender_mix(data):
    staff = data["staff"]
    share = {school: women_share(g) for school, g in staff.groupby("parent_unit")}
    academic = {k: v for k, v in share.items() if k != "ADM"}
    assert max(academic, key=academic.get) == "BIO"
    assert min(academic, key=academic.get) == "ELE"


def test_pay_gap_within_positions_narrows(data):
    staff = data["staff"]
    early, late = within_position_gap(staff, 2015), within_position_gap(staff, 2025)
    assert 0 < late < early


def test_committee_roles(data):
    c = data["committees"]
    assert list(c.columns) == ["year", "body", "body_type", "unit", "role", "member_category", "gender", "person_id"]
    assert sorted(c["year"].unique()) == YEARS
    assert set(c["body_type"]) == {"decision-making", "preparatory", "other"}
    assert set(c["role"]) <= {"chair", "vice_chair", "member", "deputy", "secretary"}
    assert set(c["member_category"]) <= {"teacher", "student", "external", "staff"}
    assert set(c["gender"]) <= {"K", "M"}
    assert set(c["unit"]) <= {"UNI"} | set(data["units"].loc[data["units"]["parent_unit"] == "UNI", "unit"])
    roles = c.groupby(["year", "body"])["role"]
    assert (roles.apply(lambda r: (r == "chair").sum()) == 1).all()
    assert (roles.apply(lambda r: (r == "secretary").sum()) <= 1).all()
    assert roles.size().between(6, 15).all()
    chairs = c[c["role"] == "chair"].set_index(["year", "body"])["person_id"]
    secretaries = c[c["role"] == "secretary"].set_index(["year", "body"])["person_id"]
    assert not (chairs.reindex(secretaries.index) == secretaries).any()
    assert not c.duplicated(["year", "body", "person_id"]).any()


def test_small_scale_still_staffs_every_department():
    d = demo.generate(seed=5, scale=0.1)
    staff = d["staff"]
    depts = departments(d["units"])
    assert staff.groupby("year")["unit"].agg(set).map(lambda s: s == depts).all()
    assert not staff.duplicated(["year", "person_id"]).any()
    # Committees do not shrink with the staff: the same 26 bodies sit every year, as at scale 1.
    assert d["committees"].groupby("year")["body"].nunique().to_dict() == {y: 26 for y in YEARS}


def test_scale_multiplies_rows(data):
    # Scale 5 (it was 20: four times the generation for the same multiplication, ids still wide enough
    # either way, _ids widening them with n): staff within a fifth of 5 times, seats within 30 %.
    big = demo.generate(seed=0, scale=5)
    ratio = len(big["staff"]) / len(data["staff"])
    assert 4 < ratio < 6
    seats = len(big["committees"]) / len(data["committees"])
    assert 3.5 < seats < 6.5
    assert not big["staff"].duplicated(["year", "person_id"]).any()
    assert big["committees"]["body"].str.fullmatch(r"Anställningsnämnden \d+").any()


@pytest.mark.parametrize("scale", [0, -1, np.nan])
def test_bad_scale_refused(scale):
    with pytest.raises(ValueError):
        demo.generate(scale=scale)


def test_pay_components_working_time_and_a_job_evaluation(data):
    # Issue 21: the demo's payroll. Synthetic and plausible: every person paid basic pay each year, heads
    # a supplement, on-call and unsocial hours for technical staff only, a factor plan of 100 points
    # tilted as municipal plans were, and every title scored on every sub-factor.
    staff, comp = data["staff"], data["components"]
    assert (comp["amount"] > 0).all()
    basic = comp[comp["component"] == "grundlön"]
    assert len(basic) == len(staff) and not basic.duplicated(["year", "person_id"]).any()
    titles = staff.set_index(["year", "person_id"])["position"]
    on_call = comp[comp["component"].isin(["jour", "ob-tillägg"])].set_index(["year", "person_id"]).index
    assert set(titles.loc[on_call]) == {"Tekniker"}
    heads = staff[staff["manager"]].set_index(["year", "person_id"]).index
    supplement = comp[comp["component"] == "prefekttillägg"].set_index(["year", "person_id"]).index
    assert set(supplement) == set(heads)
    assert (staff["weekly_hours"].dropna() == (40 * staff["fte"]).round(1)[staff["weekly_hours"].notna()]).all()
    plan = data["factor_plan"]
    assert (plan.groupby("year")["weight"].sum() == 100).all()
    scores = data["job_scores"]
    assert set(scores["job"]) == set(staff["position"])
    assert (scores.groupby(["year", "job"]).size() == plan.groupby("year").size().iloc[0]).all()


# --- the aggregated sheets, imported (conftest's demo_db: seed 0, scale 1) ---------------------------


@pytest.fixture(scope="module")
def con(demo_db):
    c = database.connect(demo_db)
    registry.load_all()
    yield c
    c.close()


def test_every_kind_imported(con):
    # Every row demo.generate(seed=0) makes arrives, none dropped by the import's checks: 440 students
    # rows (20 programmes x 2 genders x 11 years), 687 leave, 528 incidents and 550 recruitment rows.
    counts = {
        table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("students", "leave", "incidents", "recruitment")
    }
    assert counts == {"students": 440, "leave": 687, "incidents": 528, "recruitment": 550}


def test_engineering_about_a_quarter_women_architecture_and_biotech_more(con):
    share = {}
    for programme in ("Datateknik", "Maskinteknik", "Arkitektur", "Bioteknik"):
        w, t = con.execute(
            "SELECT sum(registered) FILTER (WHERE gender = 'woman'), sum(registered) FROM students "
            "WHERE programme = $p",
            {"p": programme},
        ).fetchone()
        share[programme] = w / t
    assert 0.15 < share["Datateknik"] < 0.35 and 0.15 < share["Maskinteknik"] < 0.35
    assert 0.5 < share["Arkitektur"] < 0.75 and 0.5 < share["Bioteknik"] < 0.75


def test_women_apply_less_but_pass_more_often(con):
    up = registry.compute(con, "recruitment_funnel", Filters(unit="UNI", year=2020))
    up = up[up["level"] == "rollup"].set_index("stage")
    assert up.loc["applicants", "share_women"] < 0.4
    # across 11 years, the chance from applicant to appointed is higher for women
    w, wa, m, ma = con.execute("""
        SELECT sum(appointed) FILTER (WHERE gender = 'woman'), sum(applicants) FILTER (WHERE gender = 'woman'),
               sum(appointed) FILTER (WHERE gender = 'man'), sum(applicants) FILTER (WHERE gender = 'man')
        FROM recruitment""").fetchone()
    assert w / wa > m / ma


def test_incident_counts_are_small(con):
    assert con.execute("SELECT max(count) FROM incidents").fetchone()[0] < 30
