"""The demo's plan of measures and its pay survey's record, for the last two years of the demo's
staff: synthetic, written through the plan's own rules and audit trail as an editor's would be."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..plan.records import DEMO_WHO, Changes, apply_changes, carry_over_findings, carry_over_measures, evaluate_finding
from ..plan.survey import differences

# The demo's plans: (unit, sub-goal, goal area, Swedish title, English title, responsible, indicator, target
# (share or ratio), target year, cost SEK, trainings' participants (women, men) or None). Synthetic, modelled
# on the kind of activity KTH's plan lists (trainings for JML groups and recruitment committees, a mentoring
# programme, Equality Forum) and Chalmers' departments' yearly plans.
DEMO_MEASURES = [
    (
        "ELE",
        1,
        "Kunskap och medvetenhet",
        "Utbildning i jämställdhet för skolans JML-grupp",
        "Gender equality training for the school's JML group",
        "JMLA (vice skolchef)",
        None,
        None,
        None,
        25000,
        (6, 4),
    ),
    (
        "ELE",
        2,
        "Lika villkor",
        "JML i utbildningen för rekryteringskommittéer",
        "Gender equality in the training of recruitment committees",
        "Prefekt",
        "share_women:professor",
        0.20,
        2028,
        60000,
        (5, 11),
    ),
    (
        "ELE",
        1,
        "Lika villkor",
        "Mentorprogram för biträdande lektorer (Partners in Learning)",
        "Mentoring programme for assistant professors (Partners in Learning)",
        "Fakultetsråd",
        "share_women:associate_professor",
        0.25,
        2027,
        120000,
        (9, 7),
    ),
    (
        "ELE",
        1,
        "Samlad organisering",
        "Jämn representation i skolans beredande organ",
        "Balanced representation in the school's preparatory bodies",
        "Skolchef",
        "committees",
        0.40,
        2026,
        None,
        None,
    ),
    (
        "ELE-1",
        4,
        "Inkluderande kultur",
        "Föräldraledighet tas upp i varje medarbetarsamtal",
        "Parental leave raised in every appraisal talk",
        "Prefekt",
        "care_leave",
        0.8,
        2027,
        None,
        None,
    ),
    (
        "BIO",
        6,
        "Inkluderande kultur",
        "Rutin mot sexuella trakasserier i forskarutbildningen",
        "Procedure against sexual harassment in doctoral education",
        "Forskarutbildningsansvarig",
        "sexual_harassment",
        0.03,
        2026,
        15000,
        None,
    ),
    (
        "BIO",
        3,
        "Kunskap och medvetenhet",
        "JML integrerat i tio utbildningsprogram",
        "Gender equality integrated in ten degree programmes",
        "Grundutbildningsansvarig",
        "students",
        0.5,
        2027,
        40000,
        None,
    ),
    (
        "BIO",
        1,
        "Kunskap och medvetenhet",
        "Equality Forum: öppna seminarier varje termin",
        "Equality Forum: open seminars every term",
        "JML-gruppen",
        None,
        None,
        None,
        30000,
        (41, 18),
    ),
    (
        "ADM",
        2,
        "Lika villkor",
        "Översyn av lönesättningen för administratörer",
        "Review of pay setting for administrative staff",
        "HR-chef",
        "pay_gap",
        5.0,
        2026,
        250000,
        None,
    ),
    (
        "ADM",
        5,
        "Inkluderande kultur",
        "Förebyggande hälsoinsatser för grupper med hög sjukfrånvaro",
        "Preventive health measures for groups with high sick leave",
        "Arbetsmiljösamordnare",
        "sick_leave",
        1.2,
        2027,
        80000,
        None,
    ),
]
DEMO_STATUS = {  # last year's and this year's status, by the measure's place in DEMO_MEASURES
    0: ("done", None),
    1: ("in_progress", "in_progress"),
    2: ("in_progress", "in_progress"),
    3: ("done", None),
    4: ("planned", "in_progress"),
    5: ("in_progress", "done"),
    6: ("planned", "planned"),
    7: ("done", None),
    8: ("in_progress", "in_progress"),
    9: ("dropped", None),
}


def load_plan(con) -> None:
    """The demo's plan for the last two years, and its pay survey's record: last year's survey complete
    (every difference analysed, actions with cost and deadline, the art. 10 path, the consultation),
    this year's half-way (the flagged differences analysed, last year's actions evaluated). Synthetic."""
    years = [r[0] for r in con.execute("SELECT DISTINCT year FROM staff ORDER BY year DESC LIMIT 2").fetchall()]
    if len(years) < 2:
        return
    now, last = years
    who, via = DEMO_WHO, "demo"
    known = {r[0] for r in con.execute("SELECT unit FROM units").fetchall()}
    measures = []
    for i, (unit, sub, area, sv, en, resp, ind, target, target_year, cost, people) in enumerate(DEMO_MEASURES):
        if unit not in known:
            continue
        status = DEMO_STATUS[i][0]
        measures.append(
            {
                "unit": unit,
                "year": last,
                "title_sv": sv,
                "title_en": en,
                "subgoal": sub,
                "goal_area": area,
                "responsible": resp,
                "indicator": ind,
                "target_value": target,
                "target_year": target_year,
                "start_date": dt.date(last, 2, 1),
                "deadline": dt.date(last, 11 if i % 2 else 6, 30),
                "status": status,
                "cost_sek": cost,
                "evidence": ("Deltagarlista och utvärdering i diariet" if status == "done" else None),
                "participants_women": people[0] if people and status == "done" else None,
                "participants_men": people[1] if people and status == "done" else None,
            }
        )
    apply_changes(con, Changes(measures=measures), who=who, via=via, synthetic=True)
    for unit in sorted({m["unit"] for m in measures}):
        carry_over_measures(con, unit, last, who=who, via=via)
    updates = []
    for i, (unit, *_rest) in enumerate(DEMO_MEASURES):
        status = DEMO_STATUS[i][1]
        row = con.execute(
            "SELECT measure_id FROM plan_measures WHERE unit = ? AND year = ? AND title_sv = ?",
            [unit, now, DEMO_MEASURES[i][3]],
        ).fetchone()
        if row and status:
            updates.append({"measure_id": row[0], "status": status, "deadline": dt.date(now, 11, 30)})
    apply_changes(con, Changes(measures=updates), who=who, via=via)
    con.execute("UPDATE plan_measures SET synthetic = true WHERE updated_by = ?", [who])

    findings = []
    for year, complete in ((last, True), (now, False)):
        # the year's art. 9 categories at 5 % or more take the art. 10 paths in turn (whatever the categories
        # are called: job levels, or the job evaluation's value groups): last year's first one justified,
        # this year's first one corrected (its re-measurement due), the rest assessed jointly
        paths = iter(("justified", "corrected") if complete else ("corrected", "justified"))
        for _, d in differences(con, year).iterrows():
            flagged = bool(d["flag"]) if not pd.isna(d["flag"]) else False
            row = {
                "year": year,
                "source": d["source"],
                "group_key": d["group_key"],
                "gap_pct": None if pd.isna(d["gap_pct"]) else float(d["gap_pct"]),
            }
            if d["source"] == "pay_transparency":
                path = next(paths, "joint_assessment")
                row.update(
                    explained=path == "justified",
                    art10_path=path,
                    reason=(
                        "Kategorin omfattar chefer med chefstillägg enligt lönepolicyn, könsneutralt och dokumenterat"
                        if path == "justified"
                        else None
                    ),
                    action=None if path == "justified" else "Lönejustering i lönerevisionen",
                    action_cost_sek=None if path == "justified" else 300000.0,
                    action_deadline=None if path == "justified" else dt.date(year + 1, 3, 31),
                    action_responsible=None if path == "justified" else "HR-chef",
                    art10_date=dt.date(year, 10, 1) if path != "joint_assessment" else dt.date(year, 12, 5),
                    art10_with="SACO-S, OFR/S och Seko" if path == "joint_assessment" else None,
                )
                if path == "corrected" and complete:
                    row.update(remeasured_on=dt.date(year + 1, 4, 15), remeasured_gap_pct=3.1)
            elif flagged:
                row.update(
                    explained=False,
                    action="Lönejustering för kvinnor i gruppen i nästa lönerevision",
                    action_cost_sek=round(abs(row["gap_pct"] or 5) * 12000, -3),
                    action_deadline=dt.date(year + 1, 6, 30),
                    action_responsible="Prefekt och HR",
                )
            elif complete:
                row.update(
                    explained=True,
                    reason="Förklaras av erfarenhet och ansvar enligt lönekriterierna (individuell lönesättning)",
                )
            else:
                continue
            findings.append(row)
    apply_changes(con, Changes(findings=findings), who=who, via=via, synthetic=True)
    for fid, n in con.execute(
        "SELECT finding_id, row_number() OVER (ORDER BY finding_id) FROM pay_findings "
        "WHERE year = ? AND action IS NOT NULL",
        [last],
    ).fetchall():
        evaluate_finding(
            con,
            fid,
            ("yes", "partly", "no")[n % 3],
            ("Genomförd i lönerevisionen", "Hälften av justeringen gjord", "Skjuten till nästa år")[n % 3],
            who=who,
            via=via,
        )
    carry_over_findings(con, last, who=who, via=via)
    apply_changes(
        con,
        Changes(
            consultations=[
                {
                    "year": last,
                    "held_on": dt.date(last, 11, 14),
                    "participants": "SACO-S, OFR/S, Seko; HR-chef, lönespecialist",
                    "notes": "Analysen och handlingsplanen genomgångna; inga invändningar",
                },
                {
                    "year": now,
                    "held_on": dt.date(now, 10, 9),
                    "participants": "SACO-S, OFR/S; HR-chef",
                    "notes": "Förra årets åtgärder utvärderade",
                },
            ]
        ),
        who=who,
        via=via,
        synthetic=True,
    )
    con.execute("UPDATE pay_findings SET synthetic = true WHERE updated_by = ?", [who])
