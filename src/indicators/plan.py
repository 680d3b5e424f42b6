"""The yearly plan and the pay survey's record: measures with owners, deadlines and follow-up.

What a unit's equality group (at KTH the JML group, at Chalmers the local gender equality group) plans
each year and follows up, kept beside the numbers it is about:

* **measures** (`plan_measures`): per unit and year, a title (Swedish, optionally English), the
  sub-goal 1-6, optionally a linked indicator (`PLAN_INDICATORS`) with the unit's own target value and
  target year, the plan's goal area (KTH: samlad organisering, kunskap och medvetenhet, lika villkor,
  inkluderande kultur), the responsible role, start and deadline, the status (planned / in progress /
  done / dropped), the cost, the evidence, and for trainings the participants by gender;
* **the pay survey's record** (`pay_findings`, `pay_consultations`): Diskrimineringslagen (2008:567)
  ch. 3 §§ 8-12 and DO's guidance ask each year for an analysis of every difference in equal work and
  work of equal value (also under 1 %), whether it is explained by the demands of the work, an action
  plan with costs and a schedule of at most three years for the unexplained, an evaluation of last
  year's actions, and the consultation with the unions (ch. 3 § 11-12). The EU Pay Transparency
  Directive (2023/970) art. 10 adds, for a category of workers whose gap is 5 % or more: justify it
  by objective, gender-neutral criteria, correct it within six months (re-measured), or assess it
  jointly with the workers' representatives;
* **the audit trail** (`plan_audit`): every insert, update and delete of those tables, with who,
  when, through what, and the row before and after (JSON). Nothing is changed without a trace.

Every write is a plain function that takes a connection and does one transaction (`store.transaction`),
so that it can move behind a single writer at any time. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from . import settings
from .protect import registry
from .store import database
from .store.schema import fold_accents, norm_header, vocabulary_lookup

# --- vocabularies ----------------------------------------------------------------------------------
# canonical -> words accepted (the first is what the Swedish template's drop-down list offers).

STATUS = {
    "planned": ("planerad", "planned", "planerat", "ej påbörjad", "new", "ny"),
    "in_progress": ("pågår", "in progress", "pågående", "påbörjad", "in_progress", "started"),
    "done": ("genomförd", "done", "klar", "avslutad", "genomfört", "embedded", "completed"),
    "dropped": ("struken", "dropped", "utgår", "avbruten", "stoppad", "cancelled"),
}
SOURCES = {
    "equal_work": ("lika arbete", "equal work", "equal_work"),
    "equal_value": ("likvärdigt arbete", "equal value", "equal_value", "work of equal value"),
    "pay_transparency": ("lönetransparens art. 9", "pay transparency", "pay_transparency", "art. 9", "art 9"),
}
EXPLAINED = {
    True: ("förklarad", "explained", "ja", "yes", "saklig"),
    False: ("ej förklarad", "not explained", "nej", "no", "inte förklarad", "oförklarad"),
}
ART10_PATHS = {
    "justified": ("motiverad", "justified", "sakligt motiverad"),
    "corrected": ("rättad", "corrected", "åtgärdad", "korrigerad"),
    "joint_assessment": ("gemensam lönebedömning", "joint assessment", "joint_assessment", "gemensam bedömning"),
}
CARRIED_OUT = {
    "yes": ("ja", "yes", "genomförd", "done"),
    "partly": ("delvis", "partly", "partially"),
    "no": ("nej", "no", "ej genomförd", "not done"),
}
GOAL_AREAS = ("Samlad organisering", "Kunskap och medvetenhet", "Lika villkor", "Inkluderande kultur")
DEMO_WHO = "demo (synthetic)"
MAX_ACTION_YEARS = 3  # DO: the action plan's schedule reaches at most three years ahead

# A measure may work towards one of these: (registry id, value column, row filter). The scorecard's
# headlines (goals.HEADLINES) and representation by position: "35 % women among professors by 2027".
PLAN_INDICATORS: dict[str, tuple[str, str, dict]] = {
    "share_women": ("representation_trend", "share_women", {"position": "all"}),
    **{f"share_women:{p}": ("representation_trend", "share_women", {"position": p})
       for p in ("phd_student", "postdoc", "researcher", "assistant_professor", "lecturer",
                 "associate_professor", "professor", "non_academic")},
    "managers": ("managers", "share_women", {}),
    "committees": ("committee_summary", "share_women", {"body_type": "all"}),
    "pay_gap": ("pay_gap_trend", "median_gap_pct", {}),
    "students": ("students_trend", "share_women", {"level": "all", "measure": "registered"}),
    "care_leave": ("care_leave", "parity_ratio", {}),
    "sick_leave": ("sick_leave", "ratio_women_men", {}),
    "sexual_harassment": ("incidents", "exposed_share_women", {"category": "sexual_harassment"}),
    # women's share of the newly recruited professors over the period (careers.py; issue 24)
    "new_professors": ("new_professors", "share_women_period", {}),
}


DATE_COLUMNS = {"start_date", "deadline", "action_deadline", "art10_date", "remeasured_on", "held_on"}


class PlanRefused(Exception):
    """A change was refused; nothing was written. `problems` holds (row, column, message) triples."""

    def __init__(self, problems: list[tuple]):
        self.problems = problems
        super().__init__("\n".join(where(r, c) + m for r, c, m in problems))


def where(row, column) -> str:
    """'row 3, column delmål: ' (either may be missing): how a problem says where it is."""
    parts = ([f"row {row}"] if row is not None else []) + ([f"column {column}"] if column else [])
    return (", ".join(parts) + ": ") if parts else ""


# --- fields: one list per sheet, shared by the template, the import, the exports and the editor -----

@dataclass(frozen=True)
class Field:
    name: str  # the column of the table
    sv: str  # the template's (Swedish) header
    en: str  # the English header, also accepted
    type: str  # id, unit, year, text, subgoal, indicator, number, money, date, choice, count, bool
    required: bool = False
    choices: dict | None = None
    width: int = 14

    def headers(self) -> tuple[str, ...]:
        return (self.sv, self.en, self.name)


MEASURE_FIELDS = (
    Field("measure_id", "åtgärds-id", "measure id", "id", width=10),
    Field("unit", "enhet", "unit", "unit", required=True, width=10),
    Field("year", "år", "year", "year", required=True, width=8),
    Field("title_sv", "titel", "title", "text", required=True, width=40),
    Field("title_en", "titel (engelska)", "title (english)", "text", width=40),
    Field("description", "beskrivning", "description", "text", width=50),
    Field("subgoal", "delmål", "sub-goal", "subgoal", required=True, width=8),
    Field("goal_area", "målområde", "goal area", "text", width=24),
    Field("indicator", "indikator", "indicator", "indicator", width=22),
    Field("target_value", "målvärde", "target value", "number", width=10),
    Field("target_year", "målår", "target year", "year", width=8),
    Field("responsible", "ansvarig", "responsible", "text", width=20),
    Field("start_date", "start", "start", "date", width=12),
    Field("deadline", "klart senast", "deadline", "date", width=12),
    Field("status", "status", "status", "choice", choices=STATUS, width=12),
    Field("cost_sek", "kostnad (kr)", "cost (sek)", "money", width=12),
    Field("evidence", "belägg", "evidence", "text", width=40),
    Field("participants_women", "deltagare kvinnor", "participants women", "count", width=10),
    Field("participants_men", "deltagare män", "participants men", "count", width=10),
    Field("participants_other", "deltagare annat/okänt", "participants other", "count", width=10),
)
FINDING_FIELDS = (
    Field("finding_id", "id", "finding id", "id", width=8),
    Field("year", "år", "year", "year", required=True, width=8),
    Field("source", "källa", "source", "choice", required=True, choices=SOURCES, width=22),
    Field("group_key", "grupp", "group", "text", required=True, width=40),
    Field("gap_pct", "skillnad (%)", "gap (%)", "number", width=10),
    Field("explained", "förklarad", "explained", "bool", choices=EXPLAINED, width=14),
    Field("reason", "orsak", "reason", "text", width=50),
    Field("action", "åtgärd", "action", "text", width=40),
    Field("action_cost_sek", "kostnad (kr)", "cost (sek)", "money", width=12),
    Field("action_deadline", "klart senast", "deadline", "date", width=12),
    Field("action_responsible", "ansvarig", "responsible", "text", width=18),
    Field("art10_path", "art. 10-väg", "art. 10 path", "choice", choices=ART10_PATHS, width=22),
    Field("art10_date", "art. 10-datum", "art. 10 date", "date", width=12),
    Field("remeasured_on", "ommätt den", "re-measured on", "date", width=12),
    Field("remeasured_gap_pct", "ommätt skillnad (%)", "re-measured gap (%)", "number", width=12),
    Field("art10_with", "bedömd tillsammans med", "assessed with", "text", width=30),
)
EVALUATION_FIELDS = (
    Field("finding_id", "id", "finding id", "id", required=True, width=8),
    Field("year", "år", "year", "year", width=8),
    Field("group_key", "grupp", "group", "text", width=40),
    Field("action", "åtgärd", "action", "text", width=40),
    Field("carried_out", "genomförd", "carried out", "choice", choices=CARRIED_OUT, width=12),
    Field("evaluation", "utvärdering", "evaluation", "text", width=50),
)
CONSULTATION_FIELDS = (
    Field("year", "år", "year", "year", required=True, width=8),
    Field("held_on", "datum", "date", "date", required=True, width=12),
    Field("participants", "deltagare", "participants", "text", required=True, width=50),
    Field("notes", "anteckningar", "notes", "text", width=60),
)


@dataclass(frozen=True)
class PlanSheet:
    key: str
    title: str  # the template's sheet name
    names: tuple[str, ...]  # accepted sheet names (folded)
    fields: tuple[Field, ...]


SHEETS = (
    PlanSheet("measures", "Åtgärder", ("åtgärder", "atgarder", "measures", "plan", "aktiviteter"), MEASURE_FIELDS),
    PlanSheet("evaluation", "Förra årets åtgärder", ("förra årets åtgärder", "forra arets atgarder",
                                                     "last year", "last years actions", "uppföljning"),
              EVALUATION_FIELDS),
    PlanSheet("findings", "Lönekartläggning", ("lönekartläggning", "lonekartlaggning", "pay survey",
                                               "pay_survey", "skillnader"), FINDING_FIELDS),
    PlanSheet("consultations", "Samverkan", ("samverkan", "consultation", "consultations", "facklig samverkan"),
              CONSULTATION_FIELDS),
)
SHEET_BY_KEY = {s.key: s for s in SHEETS}
TABLES = {"measures": ("plan_measures", "measure_id"), "findings": ("pay_findings", "finding_id"),
          "consultations": ("pay_consultations", "consultation_id")}


def _sheet_for(name: str) -> PlanSheet | None:
    folded = fold_accents(norm_header(name))
    for s in SHEETS:
        if folded in {fold_accents(norm_header(n)) for n in s.names}:
            return s
    return None


# --- reading one value ----------------------------------------------------------------------------

def _empty(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip()) \
        or v is pd.NA or v is pd.NaT


def _number(v) -> float | None:
    """45 000,50 kr -> 45000.5; 35 % -> 35.0; raises ValueError when it is no number."""
    if isinstance(v, bool):
        raise ValueError
    if isinstance(v, (int, float)):
        return float(v)
    text = str(v).replace("\u00a0", "").replace("\u202f", "").replace(" ", "").lower()
    for junk in ("kr", "sek", ":-", "%"):
        text = text.replace(junk, "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    return float(text.replace(",", ".").replace("\u2212", "-"))


def _date(v) -> dt.date:
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    text = str(v).strip()
    return dt.date.fromisoformat(text[:10])


def _choice(v, choices: dict):
    lookup = vocabulary_lookup(choices)
    if isinstance(v, bool) and v in choices:
        return v
    h = norm_header(v)
    found = lookup.get(h, lookup.get(fold_accents(h)))
    if found is None:
        raise ValueError
    return found


def _words(choices: dict) -> str:
    return ", ".join(words[0] for words in choices.values())


def read_value(f: Field, v):
    """A cell as the table stores it; raises ValueError(message) when it cannot be used."""
    if _empty(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)  # Excel keeps 7 as 7.0: messages show what the user typed
    try:
        if f.type in ("text", "unit"):
            return str(v).strip()
        if f.type == "indicator":
            text = str(v).strip()
            if text not in PLAN_INDICATORS:
                raise ValueError(f"unknown indicator '{text}' (expected one of: {', '.join(PLAN_INDICATORS)})")
            return text
        if f.type in ("id", "year", "count", "subgoal"):
            num = _number(v)
            if num is None or not float(num).is_integer():
                raise ValueError
            num = int(num)
            if f.type == "year" and not 1950 <= num <= dt.date.today().year + 30:
                raise ValueError(f"not a year (found '{v}')")
            if f.type == "subgoal" and not 1 <= num <= 6:
                raise ValueError(f"the sub-goal is a number from 1 to 6 (found '{v}')")
            if f.type == "count" and num < 0:
                raise ValueError
            return num
        if f.type in ("number", "money"):
            num = _number(v)
            if f.type == "money" and num < 0:
                raise ValueError(f"a cost cannot be negative (found '{v}')")
            return num
        if f.type == "date":
            return _date(v)
        if f.type in ("choice", "bool"):
            return _choice(v, f.choices)
    except ValueError as e:
        if str(e):
            raise
    expected = {"id": "a whole number", "year": "a year", "count": "a count (a whole number, 0 or more)",
                "subgoal": "a sub-goal from 1 to 6", "number": "a number", "money": "an amount in SEK",
                "date": "a date such as 2026-06-30"}
    if f.type in ("choice", "bool"):
        raise ValueError(f"unknown value '{v}' (expected one of: {_words(f.choices)})")
    raise ValueError(f"not {expected.get(f.type, f.type)} (found '{v}')")


# --- rules for a whole row --------------------------------------------------------------------------

def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day (31 Aug + 6 = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError(day)


def _share_like(indicator: str | None) -> bool:
    if indicator is None:
        return False
    ind = registry.load_all().get(PLAN_INDICATORS[indicator][0])
    return ind is not None and ind.unit_of_measure == "share" and PLAN_INDICATORS[indicator][1].startswith("share")


def check_measure(row: dict, units: set[str] | None) -> list[tuple[str, str]]:
    """Problems (column, message) of one measure; fills status 'planned' when it is empty and turns a
    share target given in percent (35 or 35 %) into a share (0.35), as the indicators count."""
    out = []
    if units is not None and row.get("unit") is not None and row["unit"] not in units:
        out.append(("unit", f"unknown unit '{row['unit']}' (import its staff or units sheet first)"))
    if row.get("status") is None:
        row["status"] = "planned"
    if row.get("target_value") is not None and row.get("indicator") is None:
        out.append(("target_value", "a target value needs the indicator it is measured on"))
    if row.get("target_value") is not None and _share_like(row.get("indicator")):
        if row["target_value"] > 1:
            row["target_value"] = row["target_value"] / 100
        if not 0 <= row["target_value"] <= 1:
            out.append(("target_value", f"a share is between 0 and 100 % (found {row['target_value']:g})"))
    if row.get("target_year") is not None and row.get("year") is not None and row["target_year"] < row["year"]:
        out.append(("target_year", f"the target year {row['target_year']} is before the plan's year {row['year']}"))
    if row.get("start_date") and row.get("deadline") and row["deadline"] < row["start_date"]:
        out.append(("deadline", f"the deadline {row['deadline']} is before the start {row['start_date']}"))
    return out


def check_finding(row: dict) -> list[tuple[str, str]]:
    """Problems (column, message) of one pay-survey finding (DO's guidance and art. 10 of 2023/970)."""
    out = []
    year, deadline = row.get("year"), row.get("action_deadline")
    if deadline is not None and year is not None and deadline.year > year + MAX_ACTION_YEARS:
        out.append(("action_deadline", f"the action plan reaches at most {MAX_ACTION_YEARS} years ahead: "
                                       f"{deadline} is after {year + MAX_ACTION_YEARS}"))
    if row.get("explained") is True and not row.get("reason"):
        out.append(("reason", "an explained difference needs its reason in words"))
    path = row.get("art10_path")
    if path is not None:
        threshold = art10_threshold()
        if row.get("source") != "pay_transparency":
            out.append(("art10_path", "the art. 10 path is for categories of the art. 9 report (source pay_transparency)"))
        elif row.get("gap_pct") is not None and abs(row["gap_pct"]) < threshold:
            out.append(("art10_path", f"the gap {row['gap_pct']:.1f} % is under {threshold:g} %: art. 10 does not apply"))
        if path == "justified" and not row.get("reason"):
            out.append(("reason", "a justified gap needs its objective, gender-neutral criteria in words"))
        if path == "corrected":
            if row.get("art10_date") is None:
                out.append(("art10_date", "a correction needs the date it was made"))
            elif row.get("remeasured_on") is not None and row["remeasured_on"] < add_months(row["art10_date"], 6):
                out.append(("remeasured_on", f"re-measure six months after the correction: not before "
                                             f"{add_months(row['art10_date'], 6)} (found {row['remeasured_on']})"))
            if row.get("remeasured_on") is not None and row.get("remeasured_gap_pct") is None:
                out.append(("remeasured_gap_pct", "a re-measurement needs the gap it found"))
        if path == "joint_assessment" and not row.get("art10_with"):
            out.append(("art10_with", "a joint pay assessment names the workers' representatives it was made with"))
    return out


def art10_threshold() -> float:
    """Art. 10(1)(a) of Directive 2023/970: 5 % (goals.toml [pay] pay_transparency_threshold), in percent."""
    return float(settings.goals()["pay"]["pay_transparency_threshold"]) * 100


def art10_status(gap_pct, path, art10_date, remeasured_on, remeasured_gap_pct, today: dt.date | None = None) -> str:
    """Where a category stands on the art. 10 path.

    not_required (|gap| under 5 %) · open (no path chosen) · justified · corrected_pending (corrected,
    re-measurement not yet due) · remeasure_due (six months have passed: re-measure) · corrected (the
    re-measured gap is under 5 %) · joint_assessment_required (the re-measured gap is still 5 % or more:
    art. 10(1)(c)) · joint_assessment.
    """
    today = today or dt.date.today()
    threshold = art10_threshold()
    if gap_pct is None or _empty(gap_pct) or abs(gap_pct) < threshold:
        return "not_required"
    if _empty(path):
        return "open"
    if path in ("justified", "joint_assessment"):
        return path
    if _empty(remeasured_on):
        return "remeasure_due" if not _empty(art10_date) and today >= add_months(art10_date, 6) else "corrected_pending"
    return "corrected" if abs(remeasured_gap_pct) < threshold else "joint_assessment_required"


# --- writing: one transaction each, every change audited ---------------------------------------------

def _plain(v):
    """A value as DuckDB and JSON take it: numpy scalars as Python ones, Timestamps as datetimes."""
    if _empty(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v.item() if hasattr(v, "item") else v


def _jsonable(row: dict | None) -> str | None:
    if row is None:
        return None
    return json.dumps({k: (None if _empty(v) else v.isoformat() if isinstance(v, (dt.date, dt.datetime))
                           else _plain(v)) for k, v in row.items()}, ensure_ascii=False, default=str)


def _audit(con, who: str, table: str, row_id: int, action: str, before: dict | None, after: dict | None,
           via: str) -> None:
    audit_id = con.execute("SELECT coalesce(max(audit_id), 0) + 1 FROM plan_audit").fetchone()[0]
    con.execute("INSERT INTO plan_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [audit_id, dt.datetime.now(), who, table, row_id, action, _jsonable(before), _jsonable(after), via])


def _row(con, table: str, key: str, row_id) -> dict | None:
    cur = con.execute(f"SELECT * FROM {table} WHERE {key} = ?", [row_id])
    names = [d[0] for d in cur.description]
    found = cur.fetchone()
    return None if found is None else dict(zip(names, found))


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table]).fetchall()]


def _upsert(con, kind: str, values: dict, who: str, via: str, synthetic: bool = False) -> int:
    """Insert (no id, or an id not there) or update (only the columns given) one row; audited."""
    table, key = TABLES[kind]
    columns = _columns(con, table)
    given = {k: _plain(v) for k, v in values.items() if k in columns and k != key}
    for k, v in given.items():  # a date column holds dates, whatever the editor or the sheet gave
        if isinstance(v, dt.datetime) and k in DATE_COLUMNS:
            given[k] = v.date()
    row_id = values.get(key)
    before = _row(con, table, key, row_id) if not _empty(row_id) else None
    now = dt.datetime.now()
    given.update(updated_at=now, updated_by=who)
    if before is None:
        row_id = con.execute(f"SELECT coalesce(max({key}), 0) + 1 FROM {table}").fetchone()[0]
        given.update({key: row_id, "synthetic": synthetic})
        names = list(given)
        con.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                    [given[n] for n in names])
        _audit(con, who, table, row_id, "insert", None, _row(con, table, key, row_id), via)
        return int(row_id)
    changed = {k: v for k, v in given.items() if k not in ("updated_at", "updated_by") and before.get(k) != v}
    if not changed:
        return int(row_id)
    given = {**changed, "updated_at": now, "updated_by": who}
    con.execute(f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in given)} WHERE {key} = ?",
                [*given.values(), row_id])
    _audit(con, who, table, int(row_id), "update", before, _row(con, table, key, row_id), via)
    return int(row_id)


def _delete(con, kind: str, row_id: int, who: str, via: str) -> None:
    table, key = TABLES[kind]
    before = _row(con, table, key, row_id)
    if before is None:
        raise PlanRefused([(None, key, f"there is no {kind[:-1]} {row_id}")])
    con.execute(f"DELETE FROM {table} WHERE {key} = ?", [row_id])
    _audit(con, who, table, row_id, "delete", before, None, via)


@dataclass
class Changes:
    """A set of changes written together or not at all (an import, one save of the data editor)."""

    measures: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    evaluations: list[dict] = field(default_factory=list)  # finding_id, carried_out, evaluation
    consultations: list[dict] = field(default_factory=list)
    delete_measures: list[int] = field(default_factory=list)
    delete_findings: list[int] = field(default_factory=list)
    delete_consultations: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return sum(len(v) for v in vars(self).values())


def _units_of(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT unit FROM units").fetchall()}


def _checked(con, changes: Changes, may_edit_unit: Callable[[str], bool] | None,
             may_edit_survey: bool) -> list[tuple]:
    """Every problem of a set of changes, (row number in the set, column, message); rows count from 1."""
    problems = []
    units = _units_of(con)
    for i, m in enumerate(changes.measures, start=1):
        old = _row(con, "plan_measures", "measure_id", m["measure_id"]) if not _empty(m.get("measure_id")) else None
        if not _empty(m.get("measure_id")) and old is None:
            problems.append((i, "measure_id", f"there is no measure {m['measure_id']}"))
        merged = {**(old or {}), **{k: v for k, v in m.items() if k != "measure_id"}}
        for f in MEASURE_FIELDS:
            if f.required and _empty(merged.get(f.name)):
                problems.append((i, f.name, "empty value in a required column"))
        problems += [(i, c, msg) for c, msg in check_measure(merged, units)]
        m["status"] = merged["status"]
        if "target_value" in m or "indicator" in m:
            m["target_value"] = merged.get("target_value")
        for unit in {merged.get("unit"), (old or {}).get("unit")} - {None}:
            if may_edit_unit is not None and not may_edit_unit(unit):
                problems.append((i, "unit", f"you may not change the plan of unit {unit}"))
    for i in changes.delete_measures:
        old = _row(con, "plan_measures", "measure_id", i)
        if old is not None and may_edit_unit is not None and not may_edit_unit(old["unit"]):
            problems.append((None, "unit", f"you may not delete measure {i} of unit {old['unit']}"))
    survey = changes.findings or changes.evaluations or changes.consultations or changes.delete_findings \
        or changes.delete_consultations
    if survey and not may_edit_survey:
        problems.append((None, None, "only an administrator may change the pay survey's record"))
    for i, fnd in enumerate(changes.findings, start=1):
        old = _row(con, "pay_findings", "finding_id", fnd["finding_id"]) if not _empty(fnd.get("finding_id")) else None
        if not _empty(fnd.get("finding_id")) and old is None:
            problems.append((i, "finding_id", f"there is no finding {fnd['finding_id']}"))
        merged = {**(old or {}), **{k: v for k, v in fnd.items() if k != "finding_id"}}
        for f in FINDING_FIELDS:
            if f.required and _empty(merged.get(f.name)):
                problems.append((i, f.name, "empty value in a required column"))
        problems += [(i, c, msg) for c, msg in check_finding(merged)]
    for i, c in enumerate(changes.consultations, start=1):
        for f in CONSULTATION_FIELDS:
            if f.required and _empty(c.get(f.name)):
                problems.append((i, f.name, "empty value in a required column"))
    for i, ev in enumerate(changes.evaluations, start=1):
        if not _empty(ev.get("carried_out")) and ev["carried_out"] not in CARRIED_OUT:
            problems.append((i, "carried_out", f"unknown value '{ev['carried_out']}' (expected one of: yes, partly, no)"))
        if _row(con, "pay_findings", "finding_id", ev["finding_id"]) is None:
            problems.append((i, "finding_id", f"there is no finding {ev['finding_id']} to evaluate"))
    return problems


def apply_changes(con, changes: Changes, *, who: str, via: str,
                  may_edit_unit: Callable[[str], bool] | None = None, may_edit_survey: bool = True,
                  synthetic: bool = False) -> dict[str, list[int]]:
    """Check every change, then write them all in one transaction, each audited; or raise PlanRefused
    (every problem, nothing written). may_edit_unit(unit) is asked for the old and the new unit of
    every measure (None: everything may be changed, as on the command line on the server)."""
    problems = _checked(con, changes, may_edit_unit, may_edit_survey)
    if problems:
        raise PlanRefused(problems)
    written: dict[str, list[int]] = {"measures": [], "findings": [], "consultations": []}
    try:
        with database.transaction(con):
            for i in changes.delete_measures:
                _delete(con, "measures", int(i), who, via)
            for i in changes.delete_findings:
                _delete(con, "findings", int(i), who, via)
            for i in changes.delete_consultations:
                _delete(con, "consultations", int(i), who, via)
            for m in changes.measures:
                written["measures"].append(_upsert(con, "measures", _match_measure(con, m), who, via, synthetic))
            for fnd in changes.findings:
                written["findings"].append(_upsert(con, "findings", _match_finding(con, fnd), who, via, synthetic))
            for ev in changes.evaluations:
                _upsert(con, "findings", {"finding_id": ev["finding_id"], "carried_out": ev.get("carried_out"),
                                          "evaluation": ev.get("evaluation")}, who, via)
            for c in changes.consultations:
                written["consultations"].append(_upsert(con, "consultations", _match_consultation(con, c), who, via,
                                                        synthetic))
    except database.duckdb.ConstraintException as e:  # e.g. two rows for the same group and year
        raise PlanRefused([(None, None, f"the changes clash with a row already saved ({str(e).splitlines()[0]})")]) from None
    return written


def _match_measure(con, m: dict) -> dict:
    """A measure without an id updates the one of the same unit, year and title (a template imported
    twice is not two plans); with none such, it is new."""
    if not _empty(m.get("measure_id")):
        return m
    found = con.execute("SELECT measure_id FROM plan_measures WHERE unit = ? AND year = ? AND title_sv = ?",
                        [m.get("unit"), m.get("year"), m.get("title_sv")]).fetchone()
    return {**m, "measure_id": found[0] if found else None}


def _match_finding(con, fnd: dict) -> dict:
    if not _empty(fnd.get("finding_id")):
        return fnd
    found = con.execute("SELECT finding_id FROM pay_findings WHERE year = ? AND source = ? AND group_key = ?",
                        [fnd.get("year"), fnd.get("source"), fnd.get("group_key")]).fetchone()
    return {**fnd, "finding_id": found[0] if found else None}


def _match_consultation(con, c: dict) -> dict:
    if not _empty(c.get("consultation_id")):
        return c
    found = con.execute("SELECT consultation_id FROM pay_consultations WHERE year = ? AND held_on = ?",
                        [c.get("year"), c.get("held_on")]).fetchone()
    return {**c, "consultation_id": found[0] if found else None}


def save_measure(con, values: dict, *, who: str, via: str = "app",
                 may_edit_unit: Callable[[str], bool] | None = None) -> int:
    """Insert or update one measure (one transaction, audited); returns its id."""
    return apply_changes(con, Changes(measures=[dict(values)]), who=who, via=via, may_edit_unit=may_edit_unit)["measures"][0]


def delete_measure(con, measure_id: int, *, who: str, via: str = "app",
                   may_edit_unit: Callable[[str], bool] | None = None) -> None:
    apply_changes(con, Changes(delete_measures=[measure_id]), who=who, via=via, may_edit_unit=may_edit_unit)


def save_finding(con, values: dict, *, who: str, via: str = "app") -> int:
    """Insert or update one pay-survey finding (its year, source and group identify it)."""
    return apply_changes(con, Changes(findings=[dict(values)]), who=who, via=via)["findings"][0]


def evaluate_finding(con, finding_id: int, carried_out: str, evaluation: str | None = None, *, who: str,
                     via: str = "app") -> None:
    """Next year's survey: was this finding's action carried out (yes / partly / no), and how did it go."""
    if carried_out not in CARRIED_OUT:
        raise PlanRefused([(None, "carried_out", f"unknown value '{carried_out}' (expected one of: yes, partly, no)")])
    apply_changes(con, Changes(evaluations=[{"finding_id": finding_id, "carried_out": carried_out,
                                             "evaluation": evaluation}]), who=who, via=via)


def save_consultation(con, values: dict, *, who: str, via: str = "app") -> int:
    return apply_changes(con, Changes(consultations=[dict(values)]), who=who, via=via)["consultations"][0]


def carry_over_measures(con, unit: str, from_year: int, *, who: str, via: str = "app",
                        may_edit_unit: Callable[[str], bool] | None = None) -> list[int]:
    """Next year's plan starts with this year's unfinished measures (planned or in progress): each is
    copied to from_year + 1 with carried_from pointing back (once: a measure carried already is not
    copied again). The old row stays as it was, its status the year's record. One transaction."""
    rows = con.execute("""
        SELECT * FROM plan_measures m
        WHERE unit = ? AND year = ? AND status IN ('planned', 'in_progress')
          AND NOT EXISTS (SELECT 1 FROM plan_measures n WHERE n.carried_from = m.measure_id)
        ORDER BY measure_id""", [unit, from_year]).df()
    keep = [f.name for f in MEASURE_FIELDS if f.name not in ("measure_id", "year", "participants_women",
                                                             "participants_men", "participants_other")]
    copies = []
    for _, r in rows.iterrows():
        same = _match_measure(con, {"unit": unit, "year": from_year + 1, "title_sv": r["title_sv"]})["measure_id"]
        if same is not None:  # next year's plan has it already: only the link back is added
            copies.append({"measure_id": same, "carried_from": int(r["measure_id"])})
        else:
            copies.append({**{k: _plain(r[k]) for k in keep}, "year": from_year + 1,
                           "carried_from": int(r["measure_id"])})
    return apply_changes(con, Changes(measures=copies), who=who, via=via, may_edit_unit=may_edit_unit)["measures"]


def carry_over_findings(con, from_year: int, *, who: str, via: str = "app") -> list[int]:
    """This year's unfinished actions (carried out 'no' or 'partly', or not yet evaluated) go on in next
    year's survey: a finding of from_year + 1 for the same source and group gets carried_from (and the
    action, when it has none of its own). One transaction."""
    rows = con.execute("""
        SELECT * FROM pay_findings
        WHERE year = ? AND action IS NOT NULL AND coalesce(carried_out, 'no') <> 'yes'
        ORDER BY finding_id""", [from_year]).df()
    changes = []
    for _, r in rows.iterrows():
        existing = _row(con, "pay_findings", "finding_id", _match_finding(
            con, {"year": from_year + 1, "source": r["source"], "group_key": r["group_key"]})["finding_id"])
        if existing is not None and existing.get("carried_from") is not None:
            continue
        change = {"year": from_year + 1, "source": r["source"], "group_key": r["group_key"],
                  "carried_from": int(r["finding_id"])}
        if existing is None or existing.get("action") is None:
            change.update(action=r["action"], action_cost_sek=None if _empty(r["action_cost_sek"]) else r["action_cost_sek"],
                          action_deadline=None if _empty(r["action_deadline"]) else _date(r["action_deadline"]),
                          action_responsible=None if _empty(r["action_responsible"]) else r["action_responsible"],
                          explained=False)
        if existing is None:
            change["gap_pct"] = None if _empty(r["gap_pct"]) else r["gap_pct"]
        changes.append(change)
    return apply_changes(con, Changes(findings=changes), who=who, via=via)["findings"]


# --- reading -----------------------------------------------------------------------------------------

def measures(con, unit: str | None = None, year: int | None = None, sub_units: bool = False) -> pd.DataFrame:
    """The plan's measures (unit '*' or None: every unit; sub_units: the unit's sub-units too)."""
    return con.execute("""
        SELECT m.* EXCLUDE (synthetic) FROM plan_measures m
        WHERE ($unit IS NULL OR $unit = '*' OR m.unit = $unit
               OR ($sub AND m.unit IN (SELECT descendant FROM unit_tree WHERE ancestor = $unit)))
          AND ($year IS NULL OR m.year = $year)
        ORDER BY m.year, m.unit, m.subgoal, m.measure_id""",
        {"unit": unit, "year": year, "sub": sub_units}).df()


def findings(con, year: int | None = None) -> pd.DataFrame:
    return con.execute("""SELECT * EXCLUDE (synthetic) FROM pay_findings WHERE ($year IS NULL OR year = $year)
                          ORDER BY year, source, group_key""", {"year": year}).df()


def consultations(con, year: int | None = None) -> pd.DataFrame:
    return con.execute("""SELECT * EXCLUDE (synthetic) FROM pay_consultations WHERE ($year IS NULL OR year = $year)
                          ORDER BY year, held_on""", {"year": year}).df()


def audit(con, table: str | None = None, row_id: int | None = None) -> pd.DataFrame:
    """Who changed what and when, the newest first; before and after as JSON text."""
    return con.execute("""
        SELECT audit_id, changed_at, who, via, table_name, row_id, action, before, after FROM plan_audit
        WHERE ($table IS NULL OR table_name = $table) AND ($row_id IS NULL OR row_id = $row_id)
        ORDER BY audit_id DESC""", {"table": table, "row_id": row_id}).df()


def progress(con, unit: str, year: int, sub_units: bool = True) -> pd.DataFrame:
    """Per sub-goal: how many measures, and how many planned / in progress / done / dropped / overdue.

    Overdue: the deadline has passed (before today) and the measure is neither done nor dropped.
    """
    df = con.execute("""
        SELECT subgoal, count(*) AS measures,
               count(*) FILTER (WHERE status = 'planned') AS planned,
               count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
               count(*) FILTER (WHERE status = 'done') AS done,
               count(*) FILTER (WHERE status = 'dropped') AS dropped,
               count(*) FILTER (WHERE deadline < current_date AND status NOT IN ('done', 'dropped')) AS overdue
        FROM plan_measures
        WHERE year = $year AND ($unit = '*' OR unit = $unit
              OR ($sub AND unit IN (SELECT descendant FROM unit_tree WHERE ancestor = $unit)))
        GROUP BY subgoal ORDER BY subgoal""", {"unit": unit, "year": year, "sub": sub_units}).df()
    return df


def indicator_value(con, unit: str, indicator: str, year: int) -> tuple[float | None, float | None]:
    """The linked indicator's value for the unit in `year` and in the year before (None when missing or
    hidden), read from the indicator's own (suppressed) trend table, as the scorecard reads it."""
    ind_id, column, pick = PLAN_INDICATORS[indicator]
    if ind_id not in registry.load_all():
        return None, None
    f = registry.Filters(unit=unit, year=year, year_from=year - 1, year_to=year)
    table = registry.compute(con, ind_id, f)
    out = []
    for y in (year, year - 1):
        rows = table[table["year"] == y] if "year" in table else table
        for c, v in pick.items():
            if c in rows:
                rows = rows[rows[c] == v]
        if "unit" in rows and (rows["unit"] == unit).any():
            rows = rows[rows["unit"] == unit]
        if rows.empty or column not in rows or ("suppressed" in rows and bool(rows["suppressed"].iloc[0])):
            out.append(None)
            continue
        v = rows[column].iloc[0]
        out.append(None if _empty(v) else float(v))
    return out[0], out[1]


def chart_targets(con, unit: str, year: int | None) -> tuple:
    """The unit's own targets for the charts (charts.Target): its measures in the plan for `year` (the
    unit's own, not its sub-units'), not dropped, with a linked indicator, a target value and a target
    year (without a year there is no trajectory to draw), one per distinct target, in one query."""
    from .present.charts import Target
    if year is None or unit is None:
        return ()
    rows = con.execute("""
        SELECT DISTINCT indicator, target_value, target_year FROM plan_measures
        WHERE year = $year AND unit = $unit AND status <> 'dropped' AND indicator IS NOT NULL
          AND target_value IS NOT NULL AND target_year IS NOT NULL ORDER BY indicator, target_year""",
        {"year": year, "unit": unit}).fetchall()
    out = []
    for indicator, value, target_year in rows:
        if indicator not in PLAN_INDICATORS:
            continue
        ind_id, column, pick = PLAN_INDICATORS[indicator]
        out.append(Target(ind_id, column, tuple(pick.items()), int(year), float(value), int(target_year)))
    return tuple(out)


PARTICIPANTS = ("participants_women", "participants_men", "participants_other")


def protect_participants(df: pd.DataFrame) -> pd.DataFrame:
    """A training's participants by gender are counts of persons: hidden as every count is
    (privacy.suppress with goals.toml's k: a count of women or men from 1 to k-1, or fewer than k in
    all, hides the row's counts; a small count of other/unknown hides that count). `participants_hidden`
    says where. Measures without participants are left as they are."""
    from .protect import privacy
    out = df.copy()
    out["participants_hidden"] = False
    given = out[list(PARTICIPANTS)].notna().any(axis=1) if len(out) else pd.Series(dtype=bool)
    if not given.any():
        return out
    part = pd.DataFrame({"women": out.loc[given, "participants_women"], "men": out.loc[given, "participants_men"],
                         "other": out.loc[given, "participants_other"]}).astype("Float64").fillna(0)
    part["total"] = part.sum(axis=1)
    shown = privacy.suppress(part, privacy.Suppression(counts=("women", "men", "other"), total="total"),
                             settings.k_anonymity())
    for name, col in zip(PARTICIPANTS, ("women", "men", "other")):
        hide = shown["suppressed"].to_numpy(dtype=bool) | shown[col].isna().to_numpy()
        out[name] = out[name].astype("Int64")
        out.loc[given[given].index[hide], name] = pd.NA
        out.loc[given[given].index[hide], "participants_hidden"] = True
    return out


def plan_view(con, unit: str, year: int, sub_units: bool = True, today: dt.date | None = None,
              protect: bool = True) -> pd.DataFrame:
    """The Plan page's table: each measure with `overdue` (deadline passed, not done or dropped) and its
    linked indicator's value now and last year beside its target; participants protected (`protect_participants`)."""
    today = today or dt.date.today()
    df = measures(con, unit, year, sub_units=sub_units)
    if protect:
        df = protect_participants(df)
    df["overdue"] = [(not _empty(d)) and _date(d) < today and s not in ("done", "dropped")
                     for d, s in zip(df["deadline"], df["status"])]
    now, before = [], []
    cache: dict = {}
    for u, ind in zip(df["unit"], df["indicator"]):
        if _empty(ind) or ind not in PLAN_INDICATORS:
            now.append(None)
            before.append(None)
            continue
        if (u, ind) not in cache:
            cache[(u, ind)] = indicator_value(con, u, ind, year)
        now.append(cache[(u, ind)][0])
        before.append(cache[(u, ind)][1])
    df["value_now"] = pd.array(now, dtype="Float64")
    df["value_last_year"] = pd.array(before, dtype="Float64")
    return df


# --- the pay survey's record ---------------------------------------------------------------------------

def compute_exact(con, indicator_id: str, filters: registry.Filters) -> pd.DataFrame:
    """The one call site where the pay survey reads indicator tables: exact figures. The written
    survey analyses every difference, small groups too (it is the employer's own record, handed to
    the unions and DO, not a publication), and only administrators see it (README, "Who sees what")."""
    return registry.compute(con, indicator_id, filters, exact=True)


def _level(v) -> str:
    return "–" if _empty(v) else f"{float(v):g}"


def differences(con, year: int) -> pd.DataFrame:
    """Every difference the survey must analyse for the whole organisation in `year`.

    * equal_work: every unit × position and every position across the organisation (group
      'UNIT · position', '* · position') whose women's and men's median differ at all — also under
      1 % (DO); gap = median_gap_pct, (median men − median women) / median men × 100; `flag` where it is
      beyond [pay] equal_work_tolerance;
    * equal_value: every pair of equal_value_pairs (a women-dominated group paid less than a group of
      equal or lower job level; group 'position a @ level < position b @ level'); gap = difference_pct,
      (mean b − mean a) / mean b × 100; all flagged;
    * pay_transparency: each category of the art. 9 report (position, job level) whose mean gap is
      at or beyond the art. 10 threshold (5 %); gap = mean_gap_pct.

    Columns: source, group_key, gap_pct, women, men, flag, hidden (the figures were suppressed).
    """
    registry.load_all()
    f = registry.Filters(unit=database.ALL_UNITS, year=year)
    parts = []
    ew = compute_exact(con, "equal_work", f)
    if not ew.empty:
        hidden = ew["suppressed"].astype(bool) if "suppressed" in ew else pd.Series(False, index=ew.index)
        gap = pd.to_numeric(ew["median_gap_pct"], errors="coerce")
        keep = hidden | (gap.notna() & (gap.abs() > 1e-9))
        ew = ew[keep]
        parts.append(pd.DataFrame({
            "source": "equal_work",
            "group_key": [f"{u} · {p}" for u, p in zip(ew["unit"], ew["position"])],
            "gap_pct": pd.to_numeric(ew["median_gap_pct"], errors="coerce"),
            "women": ew["women"], "men": ew["men"],
            "flag": ew["flag"].astype("boolean"), "hidden": hidden[keep]}))
    ev = compute_exact(con, "equal_value_pairs", f)
    if not ev.empty:
        hidden = ev["suppressed"].astype(bool) if "suppressed" in ev else pd.Series(False, index=ev.index)
        parts.append(pd.DataFrame({
            "source": "equal_value",
            "group_key": [f"{pa} @ {_level(la)} < {pb} @ {_level(lb)}" for pa, la, pb, lb in
                          zip(ev["position_a"], ev["job_level_a"], ev["position_b"], ev["job_level_b"])],
            "gap_pct": pd.to_numeric(ev["difference_pct"], errors="coerce"),
            "women": ev["women_a"], "men": ev["men_a"],
            "flag": pd.array([True] * len(ev), dtype="boolean"), "hidden": hidden}))
    pt = compute_exact(con, "pay_transparency", f)
    if not pt.empty:
        pt = pt[pt["part"].isin(["position", "job_level"])]
        hidden = pt["suppressed"].astype(bool) if "suppressed" in pt else pd.Series(False, index=pt.index)
        flagged = pt["flag"].astype("boolean").fillna(False).astype(bool)
        pt, hidden = pt[flagged | hidden], hidden[flagged | hidden]
        parts.append(pd.DataFrame({
            "source": "pay_transparency",
            "group_key": [f"{part}: {c}" for part, c in zip(pt["part"], pt["category"])],
            "gap_pct": pd.to_numeric(pt["mean_gap_pct"], errors="coerce"),
            "women": pt["women"], "men": pt["men"],
            "flag": pt["flag"].astype("boolean"), "hidden": hidden}))
    columns = ["source", "group_key", "gap_pct", "women", "men", "flag", "hidden"]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)[columns]
    out["gap_pct"] = out["gap_pct"].where(~out["hidden"].astype(bool))
    return out


@dataclass
class PayRecord:
    """The written pay survey for one year: each part a table (see `pay_survey`)."""

    year: int
    last_year: pd.DataFrame
    differences: pd.DataFrame
    art10: pd.DataFrame
    consultations: pd.DataFrame
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # every difference with every saved column (the editor's)

    def sheets(self) -> dict[str, pd.DataFrame]:
        return {"last_year": self.last_year, "differences": self.differences, "art10": self.art10,
                "consultations": self.consultations}


def pay_survey(con, year: int, today: dt.date | None = None) -> PayRecord:
    """The pay survey's record for `year`, in the order DO's guidance writes it:

    1. last_year: the actions decided in last year's survey, with whether each was carried out;
    2. differences: every difference of `differences(year)` with its analysis (explained or not, the
       reason) and its action (cost, deadline, responsible); `status` says what is missing
       (analysis_missing, action_missing, explained, action_planned); a finding saved for a group
       that is not in this year's data is kept, marked not_in_data;
    3. art10: the art. 9 categories at 5 % or more and where each stands on the art. 10 path
       (`art10_status`);
    4. consultations: the consultation with the unions (date, who).
    """
    today = today or dt.date.today()
    saved = findings(con, year)
    computed = differences(con, year)
    keys = ["source", "group_key"]
    merged = computed.merge(saved.drop(columns=["year"]).rename(columns={"gap_pct": "saved_gap_pct"}),
                            on=keys, how="outer", indicator=True)
    merged["in_data"] = merged["_merge"] != "right_only"
    merged["gap_pct"] = merged["gap_pct"].where(merged["in_data"], merged["saved_gap_pct"])
    merged = merged.drop(columns="_merge")

    def status(r) -> str:
        if not r["in_data"]:
            return "not_in_data"
        if _empty(r.get("explained")):
            return "analysis_missing"
        if bool(r["explained"]):
            return "explained"
        return "action_planned" if not _empty(r.get("action")) else "action_missing"
    merged["status"] = [status(r) for _, r in merged.iterrows()] if len(merged) else pd.Series(dtype=object)
    order = {"equal_work": 0, "equal_value": 1, "pay_transparency": 2}
    merged = merged.sort_values(keys, key=lambda s: s.map(order) if s.name == "source" else s).reset_index(drop=True)
    diff_cols = ["finding_id", "source", "group_key", "gap_pct", "women", "men", "flag", "hidden", "in_data",
                 "explained", "reason", "action", "action_cost_sek", "action_deadline", "action_responsible",
                 "carried_from", "status"]
    diffs = merged.reindex(columns=diff_cols)

    art = merged[merged["source"] == "pay_transparency"].copy()
    art["art10_status"] = [art10_status(g, p, None if _empty(d) else _date(d), None if _empty(r) else _date(r),
                                        rg, today)
                           for g, p, d, r, rg in zip(art["gap_pct"], art["art10_path"], art["art10_date"],
                                                      art["remeasured_on"], art["remeasured_gap_pct"])]
    art = art.reindex(columns=["finding_id", "group_key", "gap_pct", "art10_path", "art10_date", "remeasured_on",
                               "remeasured_gap_pct", "art10_with", "reason", "art10_status"]).reset_index(drop=True)

    last = con.execute("""
        SELECT finding_id, source, group_key, gap_pct, action, action_cost_sek, action_deadline,
               action_responsible, carried_out, evaluation
        FROM pay_findings WHERE year = ? AND action IS NOT NULL ORDER BY source, group_key""", [year - 1]).df()
    return PayRecord(year, last, diffs, art, consultations(con, year).drop(columns=["updated_at", "updated_by"]),
                     merged.reindex(columns=["finding_id", "source", "group_key", "gap_pct", "status",
                                             *FINDING_EDITABLE]))


# --- texts (Swedish and English), kept here so that the plan's words live with the plan -----------------

TEXT: dict[str, tuple[str, str]] = {
    "status_planned": ("planerad", "planned"), "status_in_progress": ("pågår", "in progress"),
    "status_done": ("genomförd", "done"), "status_dropped": ("struken", "dropped"),
    "source_equal_work": ("lika arbete", "equal work"), "source_equal_value": ("likvärdigt arbete", "work of equal value"),
    "source_pay_transparency": ("art. 9-rapporten", "art. 9 report"),
    "fs_analysis_missing": ("analys saknas", "analysis missing"), "fs_action_missing": ("åtgärd saknas", "action missing"),
    "fs_explained": ("förklarad", "explained"), "fs_action_planned": ("åtgärd planerad", "action planned"),
    "fs_not_in_data": ("finns inte i årets data", "not in this year's data"),
    "a10_not_required": ("krävs inte", "not required"), "a10_open": ("väg ej vald", "no path chosen"),
    "a10_justified": ("motiverad", "justified"), "a10_corrected_pending": ("rättad, ommätning ej ännu", "corrected, re-measurement not yet due"),
    "a10_remeasure_due": ("dags att mäta om", "re-measurement due"), "a10_corrected": ("rättad och ommätt", "corrected and re-measured"),
    "a10_joint_assessment_required": ("gemensam lönebedömning krävs", "joint pay assessment required"),
    "a10_joint_assessment": ("gemensam lönebedömning", "joint pay assessment"),
    "co_yes": ("ja", "yes"), "co_partly": ("delvis", "partly"), "co_no": ("nej", "no"),
    "record_title": ("Lönekartläggning {year}", "Pay survey {year}"),
    "record_intro": ("Den skriftliga lönekartläggningen enligt diskrimineringslagen 3 kap. 8–12 §§ och "
                     "lönetransparensdirektivet (EU) 2023/970 art. 9–10, för hela organisationen.",
                     "The written pay survey under the Discrimination Act ch. 3 §§ 8–12 and the Pay Transparency "
                     "Directive (EU) 2023/970 art. 9–10, for the whole organisation."),
    "part_last_year": ("1. Förra årets åtgärder och om de genomförts", "1. Last year's actions and whether they were carried out"),
    "part_differences": ("2. Skillnader, analys och åtgärder", "2. Differences, analysis and actions"),
    "part_art10": ("3. Kategorier med minst 5 % skillnad (art. 10)", "3. Categories with a gap of 5 % or more (art. 10)"),
    "part_consultations": ("4. Samverkan med arbetstagarorganisationerna", "4. Consultation with the unions"),
    "none": ("Inga.", "None."),
    # the Plan page
    "plan_intro": ("Åtgärder för {unit}, {year}, per delmål: status, ansvarig, deadline och den kopplade indikatorn "
                   "mot målet. Försenade åtgärder (deadline passerad, inte genomförd) är markerade.",
                   "Measures for {unit}, {year}, by sub-goal: status, who is responsible, the deadline and the linked "
                   "indicator against its target. Overdue measures (deadline passed, not done) are marked."),
    "no_measures": ("Inga åtgärder för {unit} {year} ännu.", "No measures for {unit} in {year} yet."),
    "overdue_mark": ("⚠ försenad", "⚠ overdue"),
    "progress": ("Genomförda {done} av {n} åtgärder · pågår {in_progress} · planerade {planned} · försenade {overdue}",
                 "Done {done} of {n} measures · in progress {in_progress} · planned {planned} · overdue {overdue}"),
    "edit": ("Ändra planen", "Edit the plan"),
    "edit_units": ("Du kan ändra planen för: {units}.", "You may change the plan of: {units}."),
    "edit_hint": ("Ändra i tabellen, lägg till rader längst ned eller ta bort rader; inget sparas förrän du sparar. "
                  "Målvärden för andelar: 35 eller 0,35 betyder 35 %.",
                  "Edit the table, add rows at the bottom or delete rows; nothing is saved until you save. "
                  "Share targets: 35 or 0.35 both mean 35 %."),
    "save": ("Spara ändringarna", "Save the changes"),
    "saved": ("Sparat: {n} ändring(ar).", "Saved: {n} change(s)."),
    "nothing_changed": ("Inget ändrat.", "Nothing changed."),
    "refused": ("Inget sparades:", "Nothing was saved:"),
    "add": ("Ny åtgärd", "New measure"),
    "add_button": ("Lägg till åtgärden", "Add the measure"),
    "carry": ("För över ofullbordade åtgärder till {next}", "Carry unfinished measures over to {next}"),
    "carried": ("{n} åtgärd(er) förda till {next}.", "{n} measure(s) carried over to {next}."),
    "upload": ("Importera en ifylld mall (xlsx)", "Import a filled template (xlsx)"),
    "import_button": ("Importera mallen", "Import the template"),
    "imported": ("Importerat: {m} åtgärd(er), {f} lönekartläggningsrad(er), {c} samverkansmöte(n).",
                 "Imported: {m} measure(s), {f} pay-survey finding(s), {c} consultation(s)."),
    "template": ("Mallen (xlsx)", "The template (xlsx)"),
    "plan_xlsx": ("Planen som xlsx", "The plan as xlsx"),
    "log": ("Ändringslogg", "Change log"),
    "view_only": ("Du kan se planen men inte ändra den: det gör enhetens redaktörer och administratörerna.",
                  "You can see the plan but not change it: the unit's editors and the administrators can."),
    "choose_unit": ("Välj en enhet i sidofältet för att ändra dess plan.", "Choose a unit in the sidebar to edit its plan."),
    "survey": ("Lönekartläggning {year}", "Pay survey {year}"),
    "survey_admin": ("Lönekartläggningen (hela organisationen) visas och ändras av administratörer.",
                     "The pay survey (the whole organisation) is shown to and changed by administrators."),
    "survey_counts": ("{n} skillnader · {missing} utan analys · {action} utan åtgärd · {art10} kategorier över 5 %",
                      "{n} differences · {missing} without analysis · {action} without an action · {art10} categories at 5 % or more"),
    "survey_xlsx": ("Lönekartläggningen (xlsx, att fylla i och importera)", "The pay survey (xlsx, to fill in and import)"),
    "survey_html": ("Lönekartläggningen (HTML, att lämna in)", "The pay survey (HTML, to hand in)"),
    "carry_findings": ("För över ej genomförda åtgärder till {next}", "Carry unfinished actions over to {next}"),
    "plan_file_here": ("Det här är planens mall: importera den under Plan och uppföljning.",
                       "This is the plan's template: import it on the Plan and follow-up page."),
    "add_consultation": ("Spara samverkansmötet", "Save the consultation"),
    "overview_plan": ("Planens åtgärder per delmål", "The plan's measures by sub-goal"),
    "slide_title": ("{unit} {year}: {done} av {n} åtgärder genomförda", "{unit} {year}: {done} of {n} measures done"),
    "hidden_note": ("Dolda grupper (för få kvinnor eller män) visas utan belopp i denna version.",
                    "Hidden groups (too few women or men) are shown without figures in this version."),
}

COLUMN_TEXT: dict[str, tuple[str, str]] = {
    "finding_id": ("id", "id"), "source": ("källa", "source"), "group_key": ("grupp", "group"),
    "gap_pct": ("skillnad (%)", "gap (%)"), "women": ("kvinnor", "women"), "men": ("män", "men"),
    "flag": ("flaggad", "flagged"), "hidden": ("dold", "hidden"), "in_data": ("i årets data", "in this year's data"),
    "explained": ("förklarad", "explained"), "reason": ("orsak", "reason"), "action": ("åtgärd", "action"),
    "action_cost_sek": ("kostnad (kr)", "cost (SEK)"), "action_deadline": ("klart senast", "deadline"),
    "action_responsible": ("ansvarig", "responsible"), "carried_from": ("från förra året", "carried over from"),
    "status": ("status", "status"), "art10_path": ("art. 10-väg", "art. 10 path"),
    "art10_date": ("art. 10-datum", "art. 10 date"), "remeasured_on": ("ommätt den", "re-measured on"),
    "remeasured_gap_pct": ("ommätt skillnad (%)", "re-measured gap (%)"), "art10_with": ("bedömd med", "assessed with"),
    "art10_status": ("läge", "where it stands"), "carried_out": ("genomförd", "carried out"),
    "evaluation": ("utvärdering", "evaluation"), "consultation_id": ("id", "id"), "year": ("år", "year"),
    "held_on": ("datum", "date"), "participants": ("deltagare", "participants"), "notes": ("anteckningar", "notes"),
    "measure_id": ("id", "id"), "unit": ("enhet", "unit"), "title": ("åtgärd", "measure"),
    "subgoal": ("delmål", "sub-goal"), "responsible": ("ansvarig", "responsible"), "deadline": ("klart senast", "deadline"),
    "indicator": ("indikator", "indicator"), "value_now": ("värde i år", "value this year"),
    "value_last_year": ("förra året", "last year"), "target_value": ("målvärde", "target"),
    "target_year": ("målår", "target year"), "overdue": ("försenad", "overdue"), "cost_sek": ("kostnad (kr)", "cost (SEK)"),
    "goal_area": ("målområde", "goal area"), "evidence": ("belägg", "evidence"), "start_date": ("start", "start"),
    "participants_women": ("deltagare kvinnor", "participants women"),
    "participants_men": ("deltagare män", "participants men"),
    "participants_other": ("deltagare annat", "participants other"),
    "measures": ("åtgärder", "measures"), "planned": ("planerade", "planned"), "in_progress": ("pågår", "in progress"),
    "done": ("genomförda", "done"), "dropped": ("strukna", "dropped"),
}


def t(key: str, lang: str = "en", **values) -> str:
    pair = TEXT.get(key)
    text = key if pair is None else pair[0 if lang == "sv" else 1]
    return text.format(**values) if values else text


def column_label(name: str, lang: str = "en") -> str:
    pair = COLUMN_TEXT.get(name)
    return name.replace("_", " ") if pair is None else pair[0 if lang == "sv" else 1]


def _fmt(v, lang: str, col: str = "") -> str:
    from .catalogue import i18n
    if _empty(v):
        return "–"
    if isinstance(v, (bool,)) or (hasattr(v, "dtype") and str(getattr(v, "dtype", "")) == "bool"):
        return ("ja" if v else "nej") if lang == "sv" else ("yes" if v else "no")
    if isinstance(v, (dt.date, dt.datetime, pd.Timestamp)):
        return f"{pd.Timestamp(v):%Y-%m-%d}"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if col.endswith("_pct"):
            return i18n.pct_points(v, lang)
        return i18n.number(v, lang, 0 if float(v).is_integer() else 2)
    return str(v)


def display(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A record table as it is read: codes in words, numbers and dates in the language's format."""
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        s = df[col]
        if col == "source":
            out[col] = s.map(lambda v: t(f"source_{v}", lang))
        elif col == "status" and set(s.dropna()) <= set(STATUS):
            out[col] = s.map(lambda v: t(f"status_{v}", lang))
        elif col == "status":
            out[col] = s.map(lambda v: t(f"fs_{v}", lang))
        elif col == "art10_status":
            out[col] = s.map(lambda v: t(f"a10_{v}", lang))
        elif col == "art10_path":
            out[col] = s.map(lambda v: "–" if _empty(v) else ART10_PATHS[v][0 if lang == "sv" else 1])
        elif col == "carried_out":
            out[col] = s.map(lambda v: "–" if _empty(v) else t(f"co_{v}", lang))
        elif col.endswith("_id") or col in ("year", "carried_from", "subgoal", "target_year"):
            out[col] = s.map(lambda v: "–" if _empty(v) else str(int(v)))
        else:
            out[col] = s.map(lambda v, col=col: _fmt(v, lang, col))
    out.columns = [column_label(c, lang) for c in df.columns]
    return out


# --- the workbook: template, plan export, pay-survey record; one writer, read back by the import ------

def _value_for_cell(f: Field, v):
    if _empty(v):
        return None
    if f.type in ("choice", "bool"):
        return f.choices[v][0] if v in f.choices else v
    if isinstance(v, pd.Timestamp):
        return v.date()
    if hasattr(v, "item"):
        return v.item()
    return v


def _share_as_percent(rows: pd.DataFrame) -> pd.DataFrame:
    """Share targets are written as percent (35, not 0.35): that is how a JML group writes them."""
    rows = rows.copy()
    if "target_value" in rows and "indicator" in rows:
        share = rows["indicator"].map(lambda i: _share_like(i) if isinstance(i, str) else False)
        rows.loc[share, "target_value"] = rows.loc[share, "target_value"].astype(float) * 100
    return rows


def workbook(sheets: dict[str, pd.DataFrame | None], extra: dict[str, pd.DataFrame] | None = None,
             title: str | None = None) -> bytes:
    """An xlsx with the plan sheets (key -> rows; None or empty: headers only), Swedish headers with the
    English one as a cell note, drop-down lists (from a hidden sheet 'Listor'), then `extra` sheets
    (read-only parts of a record, which the import ignores)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    info = wb.active
    info.title = "Om"
    lists = wb.create_sheet("Listor")
    list_cols = {"status": [w[0] for w in STATUS.values()], "source": [w[0] for w in SOURCES.values()],
                 "explained": [w[0] for w in EXPLAINED.values()], "art10_path": [w[0] for w in ART10_PATHS.values()],
                 "carried_out": [w[0] for w in CARRIED_OUT.values()], "subgoal": [1, 2, 3, 4, 5, 6],
                 "indicator": list(PLAN_INDICATORS), "goal_area": list(GOAL_AREAS)}
    ranges = {}
    for c, (name, words) in enumerate(list_cols.items(), start=1):
        lists.cell(row=1, column=c, value=name)
        for r, w in enumerate(words, start=2):
            lists.cell(row=r, column=c, value=w)
        letter = get_column_letter(c)
        ranges[name] = f"Listor!${letter}$2:${letter}${len(words) + 1}"
    lists.sheet_state = "hidden"
    for spec in SHEETS:
        if spec.key not in sheets:
            continue
        ws = wb.create_sheet(spec.title)
        for i, f in enumerate(spec.fields, start=1):
            cell = ws.cell(row=1, column=i, value=f.sv)
            cell.font = Font(bold=True)
            note = f"English: {f.en}" + (" (obligatorisk / required)" if f.required else "")
            cell.comment = Comment(note, "Balans")
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = max(f.width, len(f.sv) + 2)
            source = ranges.get(f.name)
            if source:
                dv = DataValidation(type="list", formula1=source, allow_blank=not f.required)
                if f.name == "goal_area":  # suggestions: a unit's own goal areas are allowed too
                    dv.showErrorMessage = False
                else:
                    dv.error = "Välj ur listan / choose from the list"
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}2000")
        rows = sheets.get(spec.key)
        if rows is not None and not rows.empty:
            rows = _share_as_percent(rows)
            for r, (_, values) in enumerate(rows.iterrows(), start=2):
                for c, f in enumerate(spec.fields, start=1):
                    ws.cell(row=r, column=c, value=_value_for_cell(f, values.get(f.name)))
        ws.freeze_panes = "A2"
    for name, df in (extra or {}).items():
        ws = wb.create_sheet(name[:31])
        for c, col in enumerate(df.columns, start=1):
            ws.cell(row=1, column=c, value=str(col)).font = Font(bold=True)
            ws.column_dimensions[get_column_letter(c)].width = max(12, min(50, len(str(col)) + 4))
        for r, (_, values) in enumerate(df.iterrows(), start=2):
            for c, v in enumerate(values, start=1):
                ws.cell(row=r, column=c, value=None if _empty(v) else (v.item() if hasattr(v, "item") else v))
    info.cell(row=1, column=1, value=title or "Balans – plan och lönekartläggning").font = Font(bold=True, size=14)
    lines = [
        "Fyll i flikarna Åtgärder, Förra årets åtgärder, Lönekartläggning och Samverkan och importera filen:",
        "    python -m indicators import plan.xlsx   (eller under Plan i appen)",
        "Rubrikerna är svenska; engelska rubriker går också. Välj ur listorna där det finns en.",
        "En rad utan id uppdaterar åtgärden med samma enhet, år och titel, annars blir den ny.",
        "Delmål: 1 makt och inflytande, 2 ekonomisk jämställdhet, 3 utbildning, 4 obetalt omsorgsarbete,",
        "5 hälsa, 6 mäns våld mot kvinnor. Målvärde för andelar i procent (35 = 35 %).",
        "Flikar som inte hör till mallen (t.ex. sammanställningar) läses inte vid import.",
    ]
    for r, line in enumerate(lines, start=3):
        info.cell(row=r, column=1, value=line)
    info.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_bytes() -> bytes:
    """The empty template a JML group fills in (every sheet, headers and drop-down lists)."""
    return workbook({s.key: None for s in SHEETS})


def plan_xlsx(con, unit: str, year: int) -> bytes:
    """The unit's plan for the year in the template's form: edit it and import it again."""
    rows = measures(con, unit, year)
    return workbook({"measures": rows}, title=f"Balans – plan {unit} {year}")


def record_tables(con, year: int, lang: str = "sv", today: dt.date | None = None) -> tuple[PayRecord, dict]:
    record = pay_survey(con, year, today)
    return record, {t(f"part_{k}", lang)[:31]: display(v, lang) for k, v in record.sheets().items()}


def pay_survey_xlsx(con, year: int, lang: str = "sv", today: dt.date | None = None) -> bytes:
    """The written pay survey for the year as one workbook: the parts to fill in (last year's actions,
    the differences with their analysis, the consultation) in the template's form, so that the file can
    be completed and imported again; then the art. 10 overview and every part as it reads."""
    record, shown = record_tables(con, year, lang, today)
    diffs = record.differences.assign(year=year)
    last = record.last_year.assign(year=year - 1)
    consult = record.consultations
    return workbook({"evaluation": last, "findings": diffs, "consultations": consult}, extra=shown,
                    title=t("record_title", lang, year=year))


def pay_survey_html(con, year: int, lang: str = "sv", when: dt.datetime | None = None,
                    today: dt.date | None = None, synthetic_note: str | None = None) -> str:
    """The same record as an HTML document that opens offline (document.report_html, no chart)."""
    from .present.document import report_html
    record, _ = record_tables(con, year, lang, today)
    sections = []
    for key, df in record.sheets().items():
        text = t("none", lang) if df.empty else (t("hidden_note", lang) if key == "differences"
                                                 and bool(df["hidden"].fillna(False).astype(bool).any()) else "")
        sections.append((t(f"part_{key}", lang), text, None, None if df.empty else display(df, lang)))
    when = when or dt.datetime.now()
    sub = t("record_intro", lang) + f" · {when:%Y-%m-%d %H:%M}" + (f" · {synthetic_note}" if synthetic_note else "")
    return report_html(t("record_title", lang, year=year), sub, sections, lang)


# --- importing the filled template ----------------------------------------------------------------------

def is_plan_file(path: Path) -> bool:
    """Whether a file is the plan template (a workbook with one of its sheets); never raises."""
    path = Path(path)
    if path.suffix.lower() not in {".xlsx", ".xlsm", ".ods", ".xls"}:
        return False
    try:
        from python_calamine import CalamineWorkbook
        return any(_sheet_for(n) is not None for n in CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception:  # unreadable: the ordinary import reports why
        return False


@dataclass
class PlanChecked:
    file: str
    changes: Changes = field(default_factory=Changes)
    problems: list = field(default_factory=list)  # ingest.Problem

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)


def _header_row(grid: pd.DataFrame, lookup: dict[str, str]) -> tuple[int, dict[str, int], list]:
    """The first of the first ten rows that names at least two of the sheet's columns."""
    for i in range(min(10, len(grid))):
        found = {}
        dupes = []
        for pos, cell in enumerate(grid.iloc[i]):
            if _empty(cell):
                continue
            h = norm_header(cell)
            name = lookup.get(h) or lookup.get(fold_accents(h))
            if name is None:
                continue
            if name in found:
                dupes.append((name, str(cell)))
            found[name] = pos
        if len(found) >= 2:
            return i, found, dupes
    return -1, {}, []


def check_plan_file(con, path: Path, display_name: str | None = None,
                    may_edit_unit: Callable[[str], bool] | None = None, may_edit_survey: bool = True) -> PlanChecked:
    """Read and validate a filled template: every problem named by file, sheet, row and column (a unit
    the importer may not edit, and survey sheets for one who may not change the survey, too); the
    changes it would make. Writes nothing; never raises for anything in the file."""
    from .store.ingest import FileRefused, Problem, read_sheets
    path = Path(path)
    name = display_name or path.name
    out = PlanChecked(name)
    try:
        grids = read_sheets(path)
    except FileRefused as e:
        out.problems.append(Problem(name, None, None, None, str(e)))
        return out
    units = _units_of(con)
    rows_of: dict[str, list[tuple[int, dict]]] = {}
    for sheet_name, grid in grids.items():
        spec = _sheet_for(sheet_name)
        if spec is None or grid.dropna(how="all").empty:
            continue

        def problem(msg, row=None, column=None, level="error", sheet=sheet_name):
            out.problems.append(Problem(name, sheet, row, column, msg, level))
        lookup = {}
        for f in spec.fields:
            for h in f.headers():
                lookup.setdefault(norm_header(h), f.name)
                lookup.setdefault(fold_accents(norm_header(h)), f.name)
        header_idx, columns, dupes = _header_row(grid, lookup)
        if header_idx < 0:
            problem("no header row found: the first row should hold the template's headers ("
                    + ", ".join(f.sv for f in spec.fields[:5]) + ", …)")
            continue
        label = {f.name: str(grid.iloc[header_idx, pos]).strip() for f in spec.fields
                 for n, pos in columns.items() if n == f.name}
        for field_name, text in dupes:
            problem(f"the column {field_name} appears twice", column=text)
        for f in spec.fields:
            if f.required and f.name not in columns:
                problem(f"the required column is missing (its header is '{f.sv}')", column=f.sv)
        for pos, cell in enumerate(grid.iloc[header_idx]):
            if not _empty(cell) and pos not in columns.values():
                problem("unknown column for this sheet: left out", column=str(cell).strip(), level="warning")
        if any(p.level == "error" and p.sheet == sheet_name for p in out.problems):
            continue
        by_name = {f.name: f for f in spec.fields}
        for idx in range(header_idx + 1, len(grid)):
            cells = grid.iloc[idx]
            if all(_empty(cells.iloc[pos]) for pos in columns.values()):
                continue
            rownum = idx + 1  # the spreadsheet's own numbering
            values, bad = {}, False
            for fname, pos in columns.items():
                f = by_name[fname]
                try:
                    values[fname] = read_value(f, cells.iloc[pos])
                except ValueError as e:
                    problem(str(e), row=rownum, column=label[fname])
                    bad = True
            for f in spec.fields:
                if f.required and f.name in columns and _empty(values.get(f.name)) and not bad:
                    problem("empty value in a required column", row=rownum, column=label[f.name])
                    bad = True
            if bad:
                continue
            # A record exported for filling in lists every difference and last year's every action: rows
            # not filled in yet carry nothing to save and are left out.
            if spec.key == "evaluation" and all(_empty(values.get(c)) for c in ("carried_out", "evaluation")):
                continue
            if spec.key == "findings" and _empty(values.get("finding_id")) and all(
                    _empty(values.get(c)) for c in ("explained", "reason", "action", "art10_path")):
                continue
            if spec.key in ("findings", "evaluation", "consultations") and not may_edit_survey:
                problem("only an administrator may change the pay survey's record")
                break
            if spec.key == "measures":
                issues = check_measure(values, units)
                old = _row(con, "plan_measures", "measure_id", values["measure_id"]) \
                    if not _empty(values.get("measure_id")) else None
                if not _empty(values.get("measure_id")) and old is None:
                    issues.append(("measure_id", f"there is no measure {values['measure_id']} "
                                                 "(leave the id empty for a new measure)"))
                for u in {values.get("unit"), (old or {}).get("unit")} - {None}:
                    if may_edit_unit is not None and not may_edit_unit(u):
                        issues.append(("unit", f"you may not change the plan of unit {u}"))
            elif spec.key == "findings":
                issues = check_finding(values)
                if not _empty(values.get("finding_id")) and _row(con, "pay_findings", "finding_id",
                                                                 values["finding_id"]) is None:
                    issues.append(("finding_id", f"there is no finding {values['finding_id']} "
                                                 "(leave the id empty for a new one)"))
            else:
                issues = []
            for column, msg in issues:
                problem(msg, row=rownum, column=label.get(column, by_name[column].sv if column in by_name else column))
            if not issues:
                rows_of.setdefault(spec.key, []).append((rownum, values, sheet_name))
    for key, rows in rows_of.items():
        _check_duplicates(out, key, rows, name)
        target = {"measures": out.changes.measures, "findings": out.changes.findings,
                  "evaluation": out.changes.evaluations, "consultations": out.changes.consultations}[key]
        if key == "evaluation":
            for rownum, values, sheet in rows:
                if _row(con, "pay_findings", "finding_id", values["finding_id"]) is None:
                    out.problems.append(Problem(name, sheet, rownum, "id",
                                                f"there is no finding {values['finding_id']} to evaluate"))
            target += [{"finding_id": v["finding_id"], "carried_out": v.get("carried_out"),
                        "evaluation": v.get("evaluation")} for _, v, _ in rows]
        elif key == "findings":
            # The record's columns that are not the finding's own (women, men, status) are not in the sheet.
            target += [{k: v for k, v in values.items()} for _, values, _ in rows]
        else:
            target += [values for _, values, _ in rows]
    if not any(_sheet_for(n) for n in grids):
        out.problems.append(Problem(name, None, None, None, "no sheet of the plan template (Åtgärder, "
                                                              "Lönekartläggning, Förra årets åtgärder, Samverkan)"))
    elif not len(out.changes) and out.ok:
        out.problems.append(Problem(name, None, None, None, "the file holds no rows to import"))
    return out


def _check_duplicates(out: PlanChecked, key: str, rows: list, file: str) -> None:
    from .store.ingest import Problem
    ident = {"measures": ("unit", "year", "title_sv"), "findings": ("year", "source", "group_key"),
             "evaluation": ("finding_id",), "consultations": ("year", "held_on")}[key]
    seen: dict = {}
    for rownum, values, sheet in rows:
        k = tuple(values.get(c) for c in ident)
        if key == "measures" and not _empty(values.get("measure_id")):
            k = ("id", values["measure_id"])
        if k in seen:
            what = {"measures": "the same measure (unit, year and title) twice",
                    "findings": "the same group twice for one year", "evaluation": "the same finding evaluated twice",
                    "consultations": "the same consultation (year and date) twice"}[key]
            out.problems.append(Problem(file, sheet, rownum, None, f"{what} (rows {seen[k]}, {rownum})"))
        else:
            seen[k] = rownum


@dataclass
class PlanImport:
    checked: list[PlanChecked]
    written: dict[str, list[int]] = field(default_factory=dict)
    refused: str | None = None

    @property
    def problems(self) -> list:
        return [p for c in self.checked for p in c.problems]

    @property
    def ok(self) -> bool:
        return self.refused is None and all(c.ok for c in self.checked)


def import_plan_files(con, paths: Iterable[Path], *, who: str, names: list[str] | None = None,
                      may_edit_unit: Callable[[str], bool] | None = None, may_edit_survey: bool = True) -> PlanImport:
    """Check every file; if all are clean, write all their changes in one transaction (audited, via
    'import <file>'), else nothing."""
    paths = [Path(p) for p in paths]
    names = names or [p.name for p in paths]
    result = PlanImport([check_plan_file(con, p, n, may_edit_unit, may_edit_survey) for p, n in zip(paths, names)])
    if not result.ok:
        result.refused = "the plan was refused: nothing was saved"
        return result
    merged = Changes()
    for c in result.checked:
        for k, v in vars(c.changes).items():
            getattr(merged, k).extend(v)
    try:
        result.written = apply_changes(con, merged, who=who, via="import " + ", ".join(names),
                                       may_edit_unit=may_edit_unit, may_edit_survey=may_edit_survey)
    except PlanRefused as e:
        result.refused = "the plan was refused: nothing was saved\n" + "\n".join(
            f"{', '.join(names)}: {where(None, c)}{m}" for _, c, m in e.problems)
    return result


def remove_synthetic(con) -> int:
    """Delete the demo's plan rows (audited like any deletion); returns how many."""
    n = 0
    with database.transaction(con):
        for kind, (table, key) in TABLES.items():
            for (row_id,) in con.execute(f"SELECT {key} FROM {table} WHERE synthetic ORDER BY {key}").fetchall():
                _delete(con, kind, row_id, DEMO_WHO, "demo")
                n += 1
    return n


# --- the app's data editor -------------------------------------------------------------------------------

EDITOR_COLUMNS = ("measure_id", "unit", "title_sv", "title_en", "subgoal", "goal_area", "responsible",
                  "start_date", "deadline", "status", "indicator", "target_value", "target_year", "cost_sek",
                  "evidence", "participants_women", "participants_men", "participants_other", "description")


def _same(a, b) -> bool:
    if _empty(a) and _empty(b):
        return True
    if _empty(a) or _empty(b):
        return False
    if isinstance(a, (dt.date, pd.Timestamp)) or isinstance(b, (dt.date, pd.Timestamp)):
        return pd.Timestamp(a) == pd.Timestamp(b)
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


FINDING_EDITABLE = ("explained", "reason", "action", "action_cost_sek", "action_deadline", "action_responsible",
                    "art10_path", "art10_date", "remeasured_on", "remeasured_gap_pct", "art10_with")


def finding_changes(original: pd.DataFrame, edited: pd.DataFrame, year: int) -> Changes:
    """The pay survey's editor (one row per difference, `PayRecord.rows`): each row whose analysis,
    action or art. 10 cells differ becomes a finding of `year`, identified by its source and group (a
    difference analysed for the first time becomes a new finding). Rows are neither added nor deleted
    here: the differences come from the data."""
    changes = Changes()
    for (_, old), (_, new) in zip(original.iterrows(), edited.iterrows()):
        diff = {c: _plain(new.get(c)) for c in FINDING_EDITABLE if c in edited and not _same(new.get(c), old.get(c))}
        if diff:
            changes.findings.append({"year": year, "source": old["source"], "group_key": old["group_key"],
                                     "gap_pct": _plain(old.get("gap_pct")), **diff})
    return changes


def evaluation_changes(original: pd.DataFrame, edited: pd.DataFrame) -> Changes:
    """Last year's actions, evaluated: the rows whose `carried_out` or `evaluation` changed."""
    changes = Changes()
    for (_, old), (_, new) in zip(original.iterrows(), edited.iterrows()):
        if not (_same(new.get("carried_out"), old.get("carried_out")) and _same(new.get("evaluation"), old.get("evaluation"))):
            changes.evaluations.append({"finding_id": int(old["finding_id"]), "carried_out": _plain(new.get("carried_out")),
                                        "evaluation": _plain(new.get("evaluation"))})
    return changes


def editor_changes(original: pd.DataFrame, edited: pd.DataFrame, year: int) -> Changes:
    """What st.data_editor's result changes against the rows it was given: a row whose id is gone is
    deleted, a row without an id is new (in `year`), a row with an id saves only the cells that differ."""
    changes = Changes()
    before = {int(r["measure_id"]): r for _, r in original.iterrows()}
    kept = set()
    for _, r in edited.iterrows():
        row_id = r.get("measure_id")
        if _empty(row_id):
            values = {c: _plain(r.get(c)) for c in EDITOR_COLUMNS if c != "measure_id" and not _empty(r.get(c))}
            if values:
                changes.measures.append({**values, "year": year})
            continue
        row_id = int(row_id)
        kept.add(row_id)
        old = before.get(row_id)
        if old is None:
            continue
        diff = {c: _plain(r.get(c)) for c in EDITOR_COLUMNS if c in edited and c != "measure_id"
                and not _same(r.get(c), old.get(c))}
        if diff:
            changes.measures.append({"measure_id": row_id, **diff})
    changes.delete_measures = [i for i in before if i not in kept]
    return changes


def format_target(indicator, value, lang: str = "en") -> str:
    """A linked indicator's value or target as it reads: shares as percent, the pay gap in percent, ratios plain."""
    from .catalogue import i18n
    if _empty(value):
        return "–"
    if not isinstance(indicator, str) or indicator not in PLAN_INDICATORS:
        return i18n.number(value, lang, 2)
    ind = registry.load_all().get(PLAN_INDICATORS[indicator][0])
    if _share_like(indicator) or PLAN_INDICATORS[indicator][1].endswith("_share_women"):
        return i18n.percent(value, lang, 1)
    if ind is not None and ind.unit_of_measure == "percent":
        return i18n.pct_points(value, lang)
    return i18n.number(value, lang, 2)


def progress_figure(progress_table: pd.DataFrame, lang: str, title: str):
    """Presentation mode's slide: per sub-goal, the measures done, in progress, planned and dropped
    (stacked bars; the colours are Okabe-Ito's, as every chart of Balans)."""
    import plotly.graph_objects as go
    fig = go.Figure()
    labels = [f"{s}. {registry.SUBGOALS[int(s)][0 if lang == 'sv' else 1]}" for s in progress_table["subgoal"]]
    colours = {"done": "#009E73", "in_progress": "#56B4E9", "planned": "#E69F00", "dropped": "#BBBBBB"}
    for status, colour in colours.items():
        fig.add_bar(y=labels, x=progress_table[status], name=t(f"status_{status}", lang), orientation="h",
                    marker_color=colour)
    fig.update_layout(barmode="stack", title=title, yaxis={"autorange": "reversed"}, height=520,
                      xaxis_title=column_label("measures", lang), legend={"orientation": "h"})
    return fig
