"""The yearly plan and the pay survey's record (issue 14): real DuckDB files, real xlsx, the real CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from helpers import app_test, load
from indicators import catalogue
from indicators.plan import editor, fields, followup, records, rules, survey, workbook
from indicators.plan.importer import import_plan_files
from indicators.present import export
from indicators.protect import access, registry
from indicators.store import database

ROOT = Path(__file__).resolve().parents[1]
D = dt.date


def survey_staff(year: int) -> pd.DataFrame:
    """Unit U1 (in school S1) in `year`, worked so that every figure below can be followed by hand:

    professors, job level 5: 5 women at 50 000, 5 men at 55 000 -> median and mean gap
        (55 000 − 50 000) / 55 000 × 100 = 9.0909 %; equal work flags it (50 000 < 0.95 × 55 000 = 52 250);
    lecturers, job level 6: 15 women and 5 men, all at 40 000 -> no difference (not listed); women are
        75 % >= 60 %: women-dominated, mean 40 000, while the professors (50 %, level 5 <= 6) have mean
        52 500 -> an equal-value pair, (52 500 − 40 000) / 52 500 × 100 = 23.8095 %;
    art. 9 categories: position professor and job level 5 (the same people) at 9.0909 % >= 5 %.
    """
    rows = []
    for _ in range(5):
        rows.append(("Professor", "K", 50000, 5))
        rows.append(("Professor", "M", 55000, 5))
    rows += [("Universitetsadjunkt", "K", 40000, 6)] * 15 + [("Universitetsadjunkt", "M", 40000, 6)] * 5
    df = pd.DataFrame(rows, columns=["position", "gender", "monthly_salary", "job_level"])
    df.insert(0, "year", year)
    df.insert(1, "person_id", [f"P{i}" for i in range(len(df))])
    df.insert(2, "unit", "U1")
    df["parent_unit"] = "S1"
    return df


@pytest.fixture
def survey_db(db):
    load(db, "staff", survey_staff(2024))
    load(db, "staff", survey_staff(2025))
    return db


def counts(con) -> tuple:
    return tuple(
        con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("plan_measures", "pay_findings", "pay_consultations", "plan_audit")
    )


# --- storage -----------------------------------------------------------------------------------------


def test_migration_6_makes_the_plan_tables(db):
    names = {r[0] for r in db.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"plan_measures", "pay_findings", "pay_consultations", "plan_audit"} <= names
    assert database.schema_version(db) == database.SCHEMA_VERSION >= 6


def test_a_measure_across_two_years_with_its_audit_trail(survey_db):
    con = survey_db
    mid = records.save_measure(
        con,
        {
            "unit": "U1",
            "year": 2024,
            "title_sv": "Utbildning för JML-gruppen",
            "title_en": "Training for the JML group",
            "subgoal": 1,
            "indicator": "share_women:professor",
            "target_value": 35,
            "target_year": 2027,
            "responsible": "prefekt",
            "start_date": D(2024, 2, 1),
            "deadline": D(2024, 11, 30),
        },
        who="jml@uni.example",
    )
    row = records.measures(con, "U1", 2024).iloc[0]
    # 35 for a share is read as 35 %: stored as 0.35; an empty status is 'planned'.
    assert row["target_value"] == 0.35 and row["status"] == "planned"
    view = followup.plan_view(con, "U1", 2024, today=D(2024, 12, 1))
    # Women professors in U1: 5 of 10 -> 0.5, published as the Representation page publishes it
    # (5 W and 5 M each within +2, never below k: between 5/12 and 7/12); no 2023 data: None.
    trend = registry.compute(con, "representation_trend", registry.Filters(unit="U1", year_from=2024, year_to=2024))
    shown = trend[(trend["position"] == "professor") & (trend["year"] == 2024)]["share_women"].iloc[0]
    assert view.iloc[0]["value_now"] == pytest.approx(shown) and 5 / 12 <= shown <= 7 / 12
    assert pd.isna(view.iloc[0]["value_last_year"])
    assert bool(view.iloc[0]["overdue"])  # deadline 30 Nov passed on 1 Dec, status planned
    records.save_measure(con, {"measure_id": mid, "status": "in_progress"}, who="jml@uni.example")
    # The year ends unfinished: next year's plan starts with it, linked back; carrying twice copies once.
    new = records.carry_over_measures(con, "U1", 2024, who="jml@uni.example")
    assert records.carry_over_measures(con, "U1", 2024, who="jml@uni.example") == []
    nxt = records.measures(con, "U1", 2025).iloc[0]
    assert nxt["measure_id"] == new[0] and nxt["carried_from"] == mid and nxt["status"] == "in_progress"
    assert nxt["title_en"] == "Training for the JML group"
    records.save_measure(
        con,
        {
            "measure_id": new[0],
            "status": "done",
            "evidence": "två workshoppar",
            "participants_women": 6,
            "participants_men": 4,
        },
        who="jml@uni.example",
    )
    assert records.measures(con, "U1", 2024).iloc[0]["status"] == "in_progress"  # last year's record is kept
    assert not followup.plan_view(con, "U1", 2025, today=D(2026, 1, 1)).iloc[0]["overdue"]  # done is never overdue
    # Audit: insert, update (status), insert (the copy), update (done). Nothing without a trace.
    trail = records.audit(con, "plan_measures").sort_values("audit_id")
    assert list(trail["action"]) == ["insert", "update", "insert", "update"]
    before, after = json.loads(trail.iloc[1]["before"]), json.loads(trail.iloc[1]["after"])
    assert (before["status"], after["status"]) == ("planned", "in_progress")
    assert set(trail["who"]) == {"jml@uni.example"}
    # Saving the same values again changes nothing, and writes no audit row.
    records.save_measure(con, {"measure_id": mid, "status": "in_progress"}, who="x")
    assert len(records.audit(con, "plan_measures")) == 4
    records.delete_measure(con, mid, who="admin@uni.example")
    last = records.audit(con, "plan_measures", mid).iloc[0]
    assert last["action"] == "delete" and json.loads(last["before"])["title_sv"] == "Utbildning för JML-gruppen"
    assert pd.isna(last["after"]) and last["who"] == "admin@uni.example"


# --- the pay survey ---------------------------------------------------------------------------------


def test_the_differences_of_a_year(survey_db):
    d = survey.differences(survey_db, 2024).set_index(["source", "group_key"])
    assert sorted(d.index) == [
        ("equal_value", "lecturer @ 6 < professor @ 5"),
        ("equal_work", "* · professor"),
        ("equal_work", "U1 · professor"),
        ("pay_transparency", "job_level: 5"),
        ("pay_transparency", "position: professor"),
    ]
    assert d.loc[("equal_work", "U1 · professor"), "gap_pct"] == pytest.approx(9.0909, abs=1e-4)
    assert bool(d.loc[("equal_work", "U1 · professor"), "flag"])
    assert d.loc[("equal_value", "lecturer @ 6 < professor @ 5"), "gap_pct"] == pytest.approx(23.8095, abs=1e-4)
    assert d.loc[("pay_transparency", "position: professor"), "gap_pct"] == pytest.approx(9.0909, abs=1e-4)


def test_a_finding_across_two_years_carried_over_and_evaluated(survey_db):
    con = survey_db
    fid = records.save_finding(
        con,
        {
            "year": 2024,
            "source": "equal_work",
            "group_key": "U1 · professor",
            "gap_pct": 9.09,
            "explained": False,
            "action": "Lönelyft för kvinnliga professorer",
            "action_cost_sek": 180000,
            "action_deadline": D(2025, 6, 30),
            "action_responsible": "HR-chef",
        },
        who="hr@uni.example",
    )
    records.save_finding(
        con,
        {
            "year": 2024,
            "source": "equal_work",
            "group_key": "* · professor",
            "explained": True,
            "reason": "samma grupp som U1 · professor",
        },
        who="hr@uni.example",
    )
    records.save_consultation(
        con, {"year": 2024, "held_on": D(2024, 11, 12), "participants": "SACO-S, OFR/S, Seko; HR"}, who="hr@uni.example"
    )
    rec = survey.pay_survey(con, 2024).differences.set_index("group_key")
    assert rec.loc["U1 · professor", "status"] == "action_planned"
    assert rec.loc["* · professor", "status"] == "explained"
    assert rec.loc["lecturer @ 6 < professor @ 5", "status"] == "analysis_missing"
    # 2025: the action goes on (not yet evaluated), then last year's action is evaluated.
    new = records.carry_over_findings(con, 2024, who="hr@uni.example")
    assert records.carry_over_findings(con, 2024, who="hr@uni.example") == []
    row = records.findings(con, 2025).set_index("group_key").loc["U1 · professor"]
    assert row["finding_id"] == new[0] and row["carried_from"] == fid
    assert row["action"] == "Lönelyft för kvinnliga professorer" and not row["explained"]
    records.evaluate_finding(con, fid, "partly", "hälften genomförd i lönerevisionen", who="hr@uni.example")
    record = survey.pay_survey(con, 2025)
    top = record.last_year.set_index("group_key").loc["U1 · professor"]
    assert (top["carried_out"], top["evaluation"]) == ("partly", "hälften genomförd i lönerevisionen")
    assert record.differences.set_index("group_key").loc["U1 · professor", "carried_from"] == fid
    assert record.consultations.empty  # the consultation belongs to 2024
    with pytest.raises(rules.PlanRefused, match="expected one of: yes, partly, no"):
        records.evaluate_finding(con, fid, "kanske", who="hr@uni.example")


def test_the_art_10_path(survey_db):
    # Six months after 1 Oct 2024 is 1 Apr 2025; after 31 Aug, the last day of February.
    assert rules.add_months(D(2024, 10, 1), 6) == D(2025, 4, 1)
    assert rules.add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)
    status = rules.art10_status
    assert status(4.99, None, None, None, None) == "not_required"
    assert status(-9.1, None, None, None, None) == "open"  # either direction counts
    assert status(9.1, "corrected", D(2024, 10, 1), None, None, today=D(2025, 3, 31)) == "corrected_pending"
    assert status(9.1, "corrected", D(2024, 10, 1), None, None, today=D(2025, 4, 1)) == "remeasure_due"
    assert status(9.1, "corrected", D(2024, 10, 1), D(2025, 4, 1), 3.0) == "corrected"
    assert status(9.1, "corrected", D(2024, 10, 1), D(2025, 4, 1), 5.5) == "joint_assessment_required"
    con = survey_db
    base = {
        "year": 2024,
        "source": "pay_transparency",
        "group_key": "position: professor",
        "gap_pct": 9.09,
        "explained": False,
        "action": "höj",
        "art10_path": "corrected",
        "art10_date": D(2024, 10, 1),
    }
    with pytest.raises(rules.PlanRefused) as e:
        records.save_finding(con, {**base, "remeasured_on": D(2025, 3, 15), "remeasured_gap_pct": 2.0}, who="hr")
    assert str(e.value) == (
        "row 1, column remeasured_on: re-measure six months after the correction: not before "
        "2025-04-01 (found 2025-03-15)"
    )
    # a page says it in its language, naming the column as the page does (columns.toml)
    assert e.value.lines("sv") == [
        "rad 1, kolumn Ommätt den: mät om sex månader efter rättningen: inte före 2025-04-01 (i filen: 2025-03-15)"
    ]
    with pytest.raises(rules.PlanRefused, match="art. 10 does not apply"):
        records.save_finding(con, {**base, "gap_pct": 4.0}, who="hr")
    with pytest.raises(rules.PlanRefused, match="names the workers' representatives"):
        records.save_finding(con, {**base, "art10_path": "joint_assessment"}, who="hr")
    assert counts(con) == (0, 0, 0, 0)
    records.save_finding(con, {**base, "remeasured_on": D(2025, 4, 1), "remeasured_gap_pct": 6.0}, who="hr")
    art = survey.pay_survey(con, 2024, today=D(2025, 5, 1)).art10.set_index("group_key")
    assert art.loc["position: professor", "art10_status"] == "joint_assessment_required"
    assert art.loc["job_level: 5", "art10_status"] == "open"


# --- edit rights --------------------------------------------------------------------------------------


def test_a_units_editor_cannot_change_another_unit(survey_db):
    con = survey_db
    load(con, "units", pd.DataFrame({"unit": ["U2"], "parent_unit": ["S1"]}))
    policy = access.policy_from(
        {
            "auth": {"redirect_uri": "x"},
            "balans": {
                "admins": ["hr@uni.example"],
                "editors": {"U1": ["JML.U1@uni.example"], "U2": "jml.u2@uni.example"},
            },
        }
    )
    u1 = lambda unit: policy.may_edit_plan(unit, email="jml.u1@uni.example")  # noqa: E731
    assert policy.may_edit_plan("U2", email="hr@uni.example") and not u1("U2") and u1("U1")
    assert not policy.may_change(email="jml.u1@uni.example")  # an editor is no administrator
    assert policy.plan_units(email="jml.u1@uni.example") == {"U1"}
    theirs = records.save_measure(
        con,
        {"unit": "U2", "year": 2024, "title_sv": "Mentorprogram", "subgoal": 1},
        who="jml.u2@uni.example",
        may_edit_unit=lambda u: policy.may_edit_plan(u, email="jml.u2@uni.example"),
    )
    mine = records.save_measure(
        con,
        {"unit": "U1", "year": 2024, "title_sv": "Rekryteringsutbildning", "subgoal": 2},
        who="jml.u1@uni.example",
        may_edit_unit=u1,
    )
    before = counts(con)
    for attempt in (
        {"unit": "U2", "year": 2024, "title_sv": "Ny", "subgoal": 1},  # a new measure of U2
        {"measure_id": theirs, "status": "done"},  # U2's measure
        {"measure_id": mine, "unit": "U2"},
    ):  # moving U1's measure to U2
        with pytest.raises(rules.PlanRefused, match="you may not change the plan of unit U2"):
            records.save_measure(con, attempt, who="jml.u1@uni.example", may_edit_unit=u1)
    with pytest.raises(rules.PlanRefused, match="you may not delete measure"):
        records.delete_measure(con, theirs, who="jml.u1@uni.example", may_edit_unit=u1)
    with pytest.raises(rules.PlanRefused, match="only an administrator"):
        records.apply_changes(
            con,
            records.Changes(findings=[{"year": 2024, "source": "equal_work", "group_key": "x"}]),
            who="jml.u1@uni.example",
            via="app",
            may_edit_unit=u1,
            may_edit_survey=False,
        )
    assert counts(con) == before
    # Editors exist only with sign-in: a passphrase identifies nobody.
    assert (
        access.policy_from({"balans": {"admin_passphrase": "x", "editors": {"U1": ["a@b"]}}}).plan_units(email="a@b")
        == set()
    )


# --- the template and its import ----------------------------------------------------------------------


def run(*args, db):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "indicators", *map(str, args), "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def filled(path: Path, measures: list[list] = (), findings: list[list] = (), consultations: list[list] = ()) -> Path:
    """The real template with rows typed into its sheets, in its column order."""
    wb = openpyxl.load_workbook(io.BytesIO(workbook.template_bytes()))
    for name, rows in (("Åtgärder", measures), ("Lönekartläggning", findings), ("Samverkan", consultations)):
        for r in rows:
            wb[name].append(list(r))
    wb.save(path)
    return path


def measure_row(**v) -> list:
    return [v.get(f.name) for f in fields.MEASURE_FIELDS]


def finding_row(**v) -> list:
    return [v.get(f.name) for f in fields.FINDING_FIELDS]


def test_the_template_has_swedish_headers_and_drop_down_lists():
    wb = openpyxl.load_workbook(io.BytesIO(workbook.template_bytes()))
    ws = wb["Åtgärder"]
    # the headers are the columns' Swedish labels (columns.toml), as the page and every download name them
    assert [c.value for c in ws[1]][:7] == [
        "Åtgärds-id",
        "Enhet",
        "År",
        "Titel",
        "Titel (engelska)",
        "Beskrivning",
        "Delmål",
    ]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    status_col = openpyxl.utils.get_column_letter([f.name for f in fields.MEASURE_FIELDS].index("status") + 1)
    assert lists[f"{status_col}2"] == "Listor!$A$2:$A$5"
    assert [wb["Listor"].cell(row=r, column=1).value for r in range(2, 6)] == [
        "planerad",
        "pågår",
        "genomförd",
        "struken",
    ]
    assert wb["Listor"].sheet_state == "hidden"
    assert {"Om", "Åtgärder", "Förra årets åtgärder", "Lönekartläggning", "Samverkan"} <= set(wb.sheetnames)


def test_an_import_refused_names_every_problem_and_saves_nothing(survey_db, tmp_path):
    path = filled(
        tmp_path / "plan.xlsx",
        measures=[
            measure_row(unit="U1", year=2025, title_sv="A", subgoal=7),
            measure_row(unit="XYZ", year=2025, title_sv="B", subgoal=1),
            measure_row(unit="U1", year=2025, title_sv="C", subgoal=1, status="kanske"),
            measure_row(
                unit="U1", year=2025, title_sv="D", subgoal=1, start_date=D(2025, 5, 1), deadline=D(2025, 4, 1)
            ),
            measure_row(unit="U1", year=2025, subgoal=1),
            measure_row(unit="U1", year=2025, title_sv="F", subgoal=1, target_value=35),
            measure_row(unit="U1", year=2025, title_sv="G", subgoal=2),
            measure_row(unit="U1", year=2025, title_sv="G", subgoal=2),
        ],
        findings=[
            finding_row(
                year=2024,
                source="lika arbete",
                group_key="U1 · professor",
                explained="ej förklarad",
                action="höj",
                action_deadline=D(2028, 1, 1),
            ),
        ],
    )
    survey_db.close()
    db = tmp_path / "t.duckdb"
    r = run("import", path, db=db)
    assert r.returncode == 1
    f = "plan.xlsx, sheet Åtgärder"
    assert r.stderr.splitlines() == [
        f"{f}, row 2, column Delmål: the sub-goal is a number from 1 to 6 (found '7')",
        f"{f}, row 3, column Enhet: unknown unit 'XYZ' (import its staff or units sheet first)",
        f"{f}, row 4, column Status: unknown value 'kanske' (expected one of: planerad, pågår, genomförd, struken)",
        f"{f}, row 5, column Klart senast: the deadline 2025-04-01 is before the start 2025-05-01",
        f"{f}, row 6, column Titel: empty value in a required column",
        f"{f}, row 7, column Målvärde: a target value needs the indicator it is measured on",
        "plan.xlsx, sheet Lönekartläggning, row 2, column Klart senast: the action plan reaches at most 3 years "
        "ahead: 2028-01-01 is after 2027",
        f"{f}, row 9: the same measure (unit, year and title) twice (rows 8, 9)",
        "the plan was refused: nothing was saved",
    ]
    con = duckdb.connect(str(db), read_only=True)
    assert counts(con) == (0, 0, 0, 0)
    con.close()


def test_an_import_and_a_second_import_of_the_same_file(survey_db, tmp_path):
    path = filled(
        tmp_path / "plan.xlsx",
        measures=[
            measure_row(
                unit="U1",
                year=2025,
                title_sv="Utbildning för rekryteringskommittéer",
                subgoal=2,
                goal_area="Lika villkor",
                indicator="share_women:professor",
                target_value="35 %",
                target_year=2027,
                status="pågår",
                deadline=D(2025, 12, 31),
                cost_sek="45 000 kr",
                participants_women=7,
                participants_men=5,
            ),
        ],
        findings=[
            finding_row(
                year=2025,
                source="likvärdigt arbete",
                group_key="lecturer @ 6 < professor @ 5",
                explained="förklarad",
                reason="professorernas krav på vetenskaplig skicklighet",
            ),
        ],
        consultations=[[2025, D(2025, 11, 20), "SACO-S och OFR/S", "protokoll 2025:14"]],
    )
    db = tmp_path / "t.duckdb"
    survey_db.close()
    r = run("check", path, db=db)  # validated, nothing saved
    assert (r.returncode, r.stdout) == (0, "plan.xlsx: plan, 3 change(s)\n"), r.stderr
    r = run("import", path, db=db)
    assert r.returncode == 0, r.stderr
    assert "1 measure(s), 1 pay-survey finding(s), 1 consultation(s) saved" in r.stdout
    r = run("import", path, db=db)  # the same file again: the same rows are found, nothing changes
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert counts(con) == (1, 1, 1, 3)
    m = con.execute(
        "SELECT status, target_value, cost_sek, participants_women, goal_area FROM plan_measures"
    ).fetchone()
    assert m == ("in_progress", 0.35, 45000.0, 7, "Lika villkor")
    assert con.execute("SELECT DISTINCT via FROM plan_audit").fetchall() == [("import plan.xlsx",)]
    assert con.execute("SELECT DISTINCT who FROM plan_audit").fetchone()[0].startswith("cli")
    con.close()


# --- the exports --------------------------------------------------------------------------------------


def test_exports_of_the_plan_and_of_the_pay_survey(survey_db, tmp_path):
    con = survey_db
    records.save_measure(
        con,
        {
            "unit": "U1",
            "year": 2025,
            "title_sv": "Mentorprogram",
            "subgoal": 1,
            "indicator": "share_women:professor",
            "target_value": 0.4,
        },
        who="a",
    )
    records.save_finding(
        con,
        {
            "year": 2024,
            "source": "equal_work",
            "group_key": "U1 · professor",
            "explained": False,
            "action": "Lönelyft",
            "action_deadline": D(2025, 6, 30),
        },
        who="hr",
    )
    records.save_finding(
        con,
        {
            "year": 2025,
            "source": "pay_transparency",
            "group_key": "position: professor",
            "gap_pct": 9.09,
            "explained": True,
            "reason": "marknadslöner",
            "art10_path": "justified",
        },
        who="hr",
    )
    con.close()
    db = tmp_path / "t.duckdb"
    assert run("export", "plan", "--unit", "U1", "--year", "2025", "-o", tmp_path / "p.xlsx", db=db).returncode == 0
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["Åtgärder"]
    assert ws["D2"].value == "Mentorprogram" and ws["J2"].value == 40  # the target back in percent
    r = run("import", tmp_path / "p.xlsx", db=db)  # exported, edited elsewhere, imported: unchanged
    assert r.returncode == 0, r.stderr
    # The written pay survey rests on exact figures: only with --exact (exit 2 naming it, nothing
    # written), and then stderr says they are confidential.
    refused = run("export", "pay_survey", "--year", "2025", "-o", tmp_path / "ls.xlsx", db=db)
    assert refused.returncode == 2 and "--exact" in refused.stderr and not (tmp_path / "ls.xlsx").exists()
    done = run("export", "pay_survey", "--year", "2025", "--exact", "-o", tmp_path / "ls.xlsx", db=db)
    assert done.returncode == 0 and "confidential" in done.stderr
    wb = openpyxl.load_workbook(tmp_path / "ls.xlsx")
    last = wb["Förra årets åtgärder"]
    assert [c.value for c in last[2]][2:4] == ["U1 · professor", "Lönelyft"]
    rows = {r[3]: r for r in wb["Lönekartläggning"].iter_rows(min_row=2, values_only=True)}
    # one word per code, the page's and the template's list alike (catalogue/plan.toml)
    assert rows["position: professor"][2] == "art. 9-rapporten" and rows["position: professor"][5] == "förklarad"
    assert round(rows["U1 · professor"][4], 4) == 9.0909
    art = wb[catalogue.text("plan", "part_art10", "sv")[:31]]
    assert [c.value for c in art[1]][-1] == "Läge"
    assert {r[-1] for r in art.iter_rows(min_row=2, values_only=True)} == {"motiverad", "väg ej vald"}
    r = run("export", "pay_survey", "--year", "2025", "--exact", "-o", tmp_path / "ls.html", db=db)
    page = (tmp_path / "ls.html").read_text(encoding="utf-8")
    assert "<h1>Lönekartläggning 2025</h1>" in page and "Lönelyft" in page and "http" not in page.split("<body>")[1]
    r = run("export", "pay_survey", "--year", "2025", "--exact", db=db)
    assert "confidential" in r.stderr and "confidential" not in r.stdout
    table = pd.read_csv(io.StringIO(r.stdout.lstrip("\ufeff")))
    assert len(table) == 5 and set(table["status"]) == {"analysis_missing", "explained"}
    assert run("export", "plan", "--year", "2025", db=db).returncode == 2  # a plan is a unit's
    assert "unknown unit 'NOPE'" in run("export", "plan", "--unit", "NOPE", "--year", "2025", db=db).stderr


# --- the data editor's changes ------------------------------------------------------------------------


def test_the_data_editors_result_becomes_changes():
    original = pd.DataFrame(
        {
            "measure_id": [1, 2],
            "unit": ["U1", "U1"],
            "title_sv": ["A", "B"],
            "subgoal": [1, 2],
            "status": ["planned", "planned"],
            "deadline": [pd.Timestamp("2025-06-30"), pd.NaT],
        }
    )
    edited = original.copy()
    edited.loc[0, "status"] = "done"  # row 1: one cell changed
    edited = edited[edited["measure_id"] != 2]  # row 2 deleted
    edited = pd.concat(
        [
            edited,
            pd.DataFrame(
                {
                    "measure_id": [None],
                    "unit": ["U1"],
                    "title_sv": ["C"],
                    "subgoal": [3],
                    "status": [None],
                    "deadline": [pd.NaT],
                }
            ),
        ]
    )
    c = editor.editor_changes(original, edited, 2025)
    assert c.measures == [
        {"measure_id": 1, "status": "done"},
        {"unit": "U1", "title_sv": "C", "subgoal": 3, "year": 2025},
    ]
    assert c.delete_measures == [2]
    assert len(editor.editor_changes(original, original.copy(), 2025)) == 0


# --- the Plan page --------------------------------------------------------------------------------------

APP = str(ROOT / "app.py")


@pytest.fixture
def page_db(survey_db, monkeypatch):
    con = survey_db
    load(
        con,
        "units",
        pd.DataFrame(
            {
                "unit": ["U1", "U2", "S1"],
                "parent_unit": ["S1", "S1", None],
                "name_sv": ["Institution 1", "Institution 2", "Skolan"],
                "name_en": ["Department 1", "Department 2", "The School"],
            }
        ),
    )
    records.save_measure(
        con,
        {
            "unit": "U1",
            "year": 2025,
            "title_sv": "Mentorprogram",
            "title_en": "Mentoring programme",
            "subgoal": 1,
            "indicator": "share_women:professor",
            "target_value": 0.4,
            "target_year": 2027,
            "deadline": D(2025, 3, 31),
            "status": "in_progress",
            "responsible": "prefekt",
        },
        who="seed",
    )
    records.save_measure(
        con,
        {"unit": "U2", "year": 2025, "title_sv": "Lönekartläggning av adjunkter", "subgoal": 2, "status": "planned"},
        who="seed",
    )
    path = database.db_path_of(con)
    con.close()
    monkeypatch.setenv("BALANS_DB", str(path))
    return path


def plan_page(unit: str, secrets: dict | None = None, user: dict | None = None, lang: str = "en", **params):
    at = app_test(APP, 120)
    for k, val in (secrets or {}).items():
        at.secrets[k] = val
    if user is not None:
        at.user = user
    at.query_params["unit"], at.query_params["year"], at.query_params["lang"] = unit, "2025", lang
    for k, val in params.items():
        at.query_params[k] = val
    at.run()
    at.switch_page("views/plan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_plan_page_for_a_viewer(page_db):
    at = plan_page("S1")
    assert at.title[0].value == "Plan and follow-up – The School, 2025"
    assert [s.value for s in at.subheader] == ["1. Power and influence", "2. Economic equality"]
    first = at.dataframe[0].value
    row = first.iloc[0]
    # Deadline 31 March 2025 has passed (today is later) and the measure is not done: marked overdue.
    assert (row["Measure"], row["Deadline"], row["Overdue"]) == ("Mentoring programme", "2025-03-31", "✓")
    assert row["Indicator"] == "Share of women, professors"  # in words, not share_women:professor
    # 5 women among 10 professors in U1 both years, the same people; each year a cell of its own (the
    # record keys include the year, docs/privacy.md, "Privacy"), so each year's share has its own noise: 5 W and
    # 5 M each moved by at most +2 (never below k = 5), between 5/12 = 41.7 % and 7/12 = 58.3 %.
    # The target 40 % by 2027.
    for column in ("Value this year", "Last year"):
        assert 41.6 <= float(row[column].replace("\u00a0%", "")) <= 58.4, row[column]
    assert (row["Target value"], row["Target year"]) == ("40.0\u00a0%", "2027")
    assert not at.data_editor
    assert "You can see the plan but not change it" in at.info[0].value
    assert "pay survey" in at.info[1].value  # the record is for administrators only


def test_the_plan_page_in_swedish_shows_words_and_downloads_what_it_shows(page_db):
    at = plan_page("S1", lang="sv")
    assert [s.value for s in at.subheader] == ["1. Makt och inflytande", "2. Ekonomisk jämställdhet"]
    first = at.dataframe[0].value
    # columns.toml's labels (table "plan"); the sub-goal is the heading above; placed by role (issue 22):
    # the measure and its unit pinned, status, indicator and target value next, so that they are on
    # screen at 1280 px
    assert list(first.columns) == [
        "Åtgärd",
        "Enhet",
        "Status",
        "Indikator",
        "Målvärde",
        "Ansvarig",
        "Klart senast",
        "Försenad",
        "Värde i år",
        "Förra året",
        "Målår",
    ]
    row = first.iloc[0]
    assert (row["Åtgärd"], row["Enhet"], row["Status"], row["Indikator"], row["Målvärde"]) == (
        "Mentorprogram",
        "Institution 1",
        "pågår",
        "Andel kvinnor, professorer",
        "40,0\u00a0%",
    )
    # The Swedish CSV is the table shown: its columns in the table's own order (docs/decisions.md: the
    # downloads keep it, scripts rely on it), and the sub-goal of the headings.
    con = duckdb.connect(str(page_db), read_only=True)
    table = followup.page_table(followup.plan_view(con, "S1", 2025), "sv")
    names = database.unit_names(con, "sv")
    con.close()
    lines = export.swedish_csv(table, "plan", 5, names).decode("utf-8-sig").splitlines()
    assert lines[0].split(";") == [
        "Delmål",
        "Åtgärd",
        "Enhet",
        "Ansvarig",
        "Klart senast",
        "Försenad",
        "Status",
        "Indikator",
        "Värde i år",
        "Förra året",
        "Målvärde",
        "Målår",
    ]
    assert sorted(lines[0].split(";")[1:]) == sorted(first.columns)
    assert lines[1].split(";")[:7] == [
        "1. Makt och inflytande",
        "Mentorprogram",
        "Institution 1",
        "prefekt",
        "2025-03-31",
        "✓",
        "pågår",
    ]


def test_a_units_editor_edits_only_that_unit_on_the_page(page_db):
    secrets = {
        "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"},
        "balans": {"admins": ["hr@uni.example"], "editors": {"U1": ["jml@uni.example"]}},
    }
    user = {"email": "jml@uni.example", "is_logged_in": True}
    at = plan_page("U1", secrets, user)
    assert len(at.data_editor) == 1 and at.data_editor[0].value["title_sv"].tolist() == ["Mentorprogram"]
    assert at.selectbox(key="add_unit").options == ["Department 1"]  # only the editor's own unit, by its name
    at.text_input(key="add_title").input("Utbildning för rekryteringskommittén")
    at.selectbox(key="add_subgoal").select(2)
    at.button[[b.label for b in at.button].index("Add the measure")].click().run()
    assert not at.exception
    con = duckdb.connect(str(page_db))  # the app's process holds the file: the same configuration
    saved = con.execute(
        "SELECT unit, year, subgoal, status, updated_by FROM plan_measures "
        "WHERE title_sv = 'Utbildning för rekryteringskommittén'"
    ).fetchall()
    assert saved == [("U1", 2025, 2, "planned", "jml@uni.example")]
    assert con.execute("SELECT who, via FROM plan_audit ORDER BY audit_id DESC LIMIT 1").fetchone() == (
        "jml@uni.example",
        "app",
    )
    con.close()
    # The same editor on the school: sees both units' measures, may edit only U1's.
    at = plan_page("S1", secrets, user)
    assert at.data_editor[0].value["unit"].tolist() == ["U1", "U1"]
    assert (
        "Department 1"
        in at.caption[
            [c.value for c in at.caption].index(
                next(c.value for c in at.caption if c.value.startswith("You may change"))
            )
        ].value
    )


def test_the_pay_survey_on_the_page_for_an_administrator(page_db):
    from indicators.protect.access import hash_passphrase

    at = plan_page("S1", {"balans": {"admin_passphrase": hash_passphrase("correct horse battery staple")}})
    at.text_input(key="passphrase").input("correct horse battery staple").run()
    assert not at.exception
    assert at.main.header[-1].value == "Pay survey 2025"
    # The five differences worked out in survey_staff, none analysed yet; two art. 9 categories at >= 5 %.
    assert "5 differences · 5 without analysis · 0 without an action · 2 categories at 5 % or more" in [
        m.value for m in at.markdown
    ]
    assert {b.label for b in at.get("download_button")} >= {
        "The pay survey (xlsx, to fill in and import)",
        "The pay survey (HTML, to hand in)",
    }
    # The administrator edits every unit's plan and the survey's differences (no actions of 2024 to evaluate).
    assert [e.key for e in at.data_editor] == ["plan_editor_S1_2025", "survey_rows_2025"]
    # each difference's group in words (its key, '* · professor' ..., stays what a finding is found by)
    assert at.data_editor(key="survey_rows_2025").value["group_key"].tolist() == [
        "The whole organisation · professors",
        "Department 1 · professors",
        "lecturers, level 6 < professors, level 5",
        "job level 5",
        "position (g): professors",
    ]
    at.date_input(key="consult_date").set_value(D(2025, 11, 20))
    at.text_input(key="consult_who").input("SACO-S, OFR/S")
    at.button[[b.label for b in at.button].index("Save the consultation")].click().run()
    assert not at.exception
    con = duckdb.connect(str(page_db))
    assert con.execute("SELECT year, held_on, participants, updated_by FROM pay_consultations").fetchall() == [
        (2025, D(2025, 11, 20), "SACO-S, OFR/S", "administrator (passphrase)")
    ]
    con.close()


def test_the_overview_lists_the_plan_and_presentation_mode_shows_its_slide(page_db):
    import json as _json

    at = app_test(APP, 120)
    at.query_params["unit"], at.query_params["year"], at.query_params["lang"] = "S1", "2025", "en"
    at.run()
    assert not at.exception
    assert "The plan's measures by sub-goal" in [s.value for s in at.main.subheader]
    # U1's mentoring programme (in progress, overdue) and U2's planned pay survey of lecturers.
    # (columns.toml, table plan_progress: its labels, counts as whole numbers in text cells), as a Markdown
    # table (views/_draw.markdown_table): no JavaScript of its own on the overview's first screen.
    progress = [m.value for m in at.markdown if m.value.startswith("| Sub-goal | Measures |")]
    assert progress == [
        "| Sub-goal | Measures | Planned | In progress | Done | Dropped | Overdue |\n"
        "|---|---:|---:|---:|---:|---:|---:|\n"  # the counts at the right, as numbers stand
        "| 1. Power and influence | 1 | 0 | 1 | 0 | 0 | 1 |\n"
        "| 2. Economic equality | 1 | 1 | 0 | 0 | 0 | 0 |"
    ]
    at = plan_page("S1", present="1")
    titles = [_json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert titles == ["The School 2025: 0 of 2 measures done"]


def test_participants_are_counts_of_persons_and_protected(goals):
    goals(privacy={"k": 5})
    df = pd.DataFrame(
        {
            "measure_id": [1, 2, 3, 4],
            "participants_women": [6, 7, 6, None],
            "participants_men": [4, 5, 5, None],
            "participants_other": [None, None, 1, None],
        }
    )
    out = followup.protect_participants(df)
    # 4 men < k = 5: the row's counts hide; 7 and 5: shown; one person of other gender hides only that
    # count; a measure without participants is left alone.
    assert out["participants_women"].tolist() == [pd.NA, 7, 6, pd.NA]
    assert out["participants_men"].tolist()[1:3] == [5, 5] and pd.isna(out["participants_men"][0])
    assert pd.isna(out["participants_other"][2])
    assert out["participants_hidden"].tolist() == [True, False, True, False]


def test_the_pay_surveys_editors_become_findings_and_evaluations(survey_db):
    con = survey_db
    record = survey.pay_survey(con, 2024)
    rows = record.rows.reset_index(drop=True)
    edited = rows.copy()
    i = rows.index[rows["group_key"] == "U1 · professor"][0]
    edited.loc[i, "explained"], edited.loc[i, "action"] = False, "Lönelyft"
    changes = editor.finding_changes(rows, edited, 2024)
    assert changes.findings == [
        {
            "year": 2024,
            "source": "equal_work",
            "group_key": "U1 · professor",
            "gap_pct": pytest.approx(9.0909, abs=1e-4),
            "explained": False,
            "action": "Lönelyft",
        }
    ]
    records.apply_changes(con, changes, who="hr", via="app")
    assert (
        survey.pay_survey(con, 2024).differences.set_index("group_key").loc["U1 · professor", "status"]
        == "action_planned"
    )
    last = survey.pay_survey(con, 2025).last_year
    done = last.assign(carried_out="yes")
    records.apply_changes(con, editor.evaluation_changes(last, done), who="hr", via="app")
    assert records.findings(con, 2024).set_index("group_key").loc["U1 · professor", "carried_out"] == "yes"
    with pytest.raises(rules.PlanRefused) as e:
        records.apply_changes(
            con, records.Changes(consultations=[{"year": 2025, "held_on": D(2025, 10, 1)}]), who="hr", via="app"
        )
    assert [(p.row, p.column, p.code) for p in e.value.problems] == [(1, "participants", "empty_required")]
    assert e.value.lines("sv") == ["rad 1, kolumn Deltagare: tomt värde i en obligatorisk kolumn"]


def test_a_filled_template_uploaded_on_the_plan_page_and_pointed_to_from_import(page_db, tmp_path):
    from indicators.protect.access import hash_passphrase

    secrets = {"balans": {"admin_passphrase": hash_passphrase("correct horse battery staple")}}
    path = filled(
        tmp_path / "jml.xlsx",
        measures=[
            measure_row(
                unit="U2",
                year=2025,
                title_sv="Workshop om lika villkor",
                subgoal=1,
                status="genomförd",
                participants_women=8,
                participants_men=6,
            )
        ],
    )
    at = plan_page("U2", secrets)
    at.text_input(key="passphrase").input("correct horse battery staple").run()
    at.file_uploader(key="plan_upload_0").set_value(("jml.xlsx", path.read_bytes(), "application/octet-stream")).run()
    at.button(key="plan_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value == "Imported: 1 measure(s), 0 pay-survey finding(s), 0 consultation(s)."
    con = duckdb.connect(str(page_db))
    assert con.execute(
        "SELECT status, participants_women, updated_by FROM plan_measures WHERE title_sv = 'Workshop om lika villkor'"
    ).fetchone() == ("done", 8, "administrator (passphrase)")
    assert con.execute("SELECT via FROM plan_audit ORDER BY audit_id DESC LIMIT 1").fetchone() == ("import jml.xlsx",)
    con.close()
    # The same file on the Import page: told where it belongs, nothing imported there.
    at.switch_page("views/import.py").run()
    at.file_uploader[0].set_value(("jml.xlsx", path.read_bytes(), "application/octet-stream")).run()
    assert not at.exception
    assert "This is the plan's template: import it on the Plan and follow-up page." in [i.value for i in at.info]
    assert not [b for b in at.button if b.key == "confirm_import"]


def test_an_editors_import_names_the_rows_of_other_units(survey_db, tmp_path):
    con = survey_db
    load(con, "units", pd.DataFrame({"unit": ["U2"], "parent_unit": ["S1"]}))
    path = filled(
        tmp_path / "jml.xlsx",
        measures=[
            measure_row(unit="U1", year=2025, title_sv="Egen åtgärd", subgoal=1),
            measure_row(unit="U2", year=2025, title_sv="Grannens åtgärd", subgoal=1),
            measure_row(measure_id=99, unit="U1", year=2025, title_sv="Gammal", subgoal=1),
        ],
        consultations=[[2025, D(2025, 11, 20), "SACO-S", None]],
    )
    result = import_plan_files(
        con, [path], who="jml.u1@uni.example", may_edit_unit=lambda u: u == "U1", may_edit_survey=False
    )
    assert not result.ok and [str(p) for p in result.problems] == [
        "jml.xlsx, sheet Åtgärder, row 3, column Enhet: you may not change the plan of unit U2",
        "jml.xlsx, sheet Åtgärder, row 4, column Åtgärds-id: there is no measure 99 (leave the id empty for a new measure)",
        "jml.xlsx, sheet Samverkan: only an administrator may change the pay survey's record",
    ]
    assert counts(con) == (0, 0, 0, 0)


# --- the plan's words and links, as data ------------------------------------------------------------------


def test_every_linked_indicator_is_named_and_reads_a_declared_column():
    from indicators.plan.links import PLAN_INDICATORS, share_like
    from indicators.present import columns

    registered = registry.load_all()
    assert set(PLAN_INDICATORS) == set(catalogue.vocabulary("plan", "indicator"))
    for key, (table, column, _where) in PLAN_INDICATORS.items():
        assert table in registered, key
        columns.declared(table, column)  # raises when columns.toml does not declare it
    # a share's target typed as 35 is 35 %: women's shares and the exposed share; not the pay gap nor a ratio
    assert [k for k in ("share_women:professor", "sexual_harassment", "pay_gap", "care_leave") if share_like(k)] == [
        "share_women:professor",
        "sexual_harassment",
    ]
    # every plan vocabulary columns.toml names is a vocabulary of the book
    named = {
        v
        for entry in [
            *columns.catalogue().columns.values(),
            *(c for t in columns.catalogue().tables.values() for c in t.values()),
        ]
        for v in ([entry["vocab"]] if isinstance(entry.get("vocab"), str) else entry.get("vocab", []))
        if v.startswith("plan:")
    }
    assert named and all(v.removeprefix("plan:") in catalogue.book("plan").vocab for v in named), named


def test_an_older_templates_headers_and_words_are_still_read(survey_db, tmp_path):
    # The template before its headers became columns.toml's labels: lower case, 'åtgärds-id', an English
    # 'title' for the Swedish title, 'deltagare annat/okänt'; the status and indicator as codes.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "åtgärder"
    ws.append(["åtgärds-id", "enhet", "år", "title", "delmål", "indikator", "målvärde", "status", "deltagare annat"])
    ws.append([None, "U1", 2025, "Mentorprogram", 1, "share_women:professor", "35 %", "in_progress", 2])
    wb.save(tmp_path / "old.xlsx")
    result = import_plan_files(survey_db, [tmp_path / "old.xlsx"], who="hr")
    assert result.ok, [str(p) for p in result.problems]
    assert survey_db.execute(
        "SELECT title_sv, indicator, target_value, status, participants_other FROM plan_measures"
    ).fetchall() == [("Mentorprogram", "share_women:professor", 0.35, "in_progress", 2)]


def test_a_refused_file_speaks_the_pages_language(survey_db, tmp_path):
    path = filled(
        tmp_path / "plan.xlsx",
        measures=[measure_row(unit="U1", year=2025, title_sv="A", subgoal=7, indicator="andel katter")],
    )
    result = import_plan_files(survey_db, [path], who="hr")
    assert not result.ok
    assert [p.render("sv", headers=True) for p in result.problems] == [
        "plan.xlsx, flik Åtgärder, rad 2, kolumn Delmål: delmålet är ett tal från 1 till 6 (i filen: '7')",
        "plan.xlsx, flik Åtgärder, rad 2, kolumn Indikator: okänd indikator 'andel katter': välj en ur mallens lista",
    ]
    assert result.refusal("sv") == "Planen avvisades: inget sparades"
    assert [str(p) for p in result.problems][1] == (
        "plan.xlsx, sheet Åtgärder, row 2, column Indikator: unknown "
        "indicator 'andel katter': choose one from the template's list"
    )


def test_the_change_log_says_what_changed_in_words():
    # plan_audit keeps a row's before and after as JSON; the Plan page's log shows them under the plan
    # table's headings, values as that table writes them, of an update only what changed, and the
    # demo and the passphrase's administrator in the page's language.
    before = {
        "measure_id": 16,
        "unit": "ELE-1",
        "status": "in_progress",
        "deadline": "2025-06-30",
        "title_sv": "Mentorprogram",
        "updated_by": "x@kth.se",
    }
    after = {**before, "status": "done", "updated_by": "y@kth.se"}
    assert followup.readable_change(json.dumps(before), json.dumps(after), "sv") == (
        "Status: pågår",
        "Status: genomförd",
    )
    assert followup.readable_change(json.dumps(before), json.dumps(after), "en") == (
        "Status: in progress",
        "Status: done",
    )
    added = followup.readable_change(
        None, json.dumps({"measure_id": 3, "unit": "ELE-1", "subgoal": 2}), "sv", {"ELE-1": "Elektroteknik 1"}
    )
    assert added == ("", "Åtgärds-id: 3 · Enhet: Elektroteknik 1 · Delmål: 2. Ekonomisk jämställdhet")
    log = pd.DataFrame(
        {
            "who": ["demo (synthetic)", "a@kth.se"],
            "via": ["demo", "import plan.xlsx"],
            "before": [None, None],
            "after": [None, None],
        }
    )
    shown = followup.audit_table(log, "sv")
    assert shown["who"].tolist() == ["demon (syntetiska data)", "a@kth.se"]
    assert shown["via"].tolist() == ["demon", "import plan.xlsx"]
