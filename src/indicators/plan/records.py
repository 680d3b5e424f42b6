"""The plan's records: its three tables read, and every change checked, written in one transaction
and audited.

* measures (`plan_measures`), the pay survey's findings (`pay_findings`) and its consultations
  (`pay_consultations`);
* the audit trail (`plan_audit`): every insert, update and delete of those tables, with who, when,
  through what, and the row before and after (JSON). Nothing is changed without a trace.

Every write is a plain function that takes a connection and does one transaction (`store.transaction`),
so that it can move behind a single writer at any time. `apply_changes` checks a whole set first (the
rules, and who may change what) and writes all of it or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from ..store import database
from .fields import CONSULTATION_FIELDS, DATE_COLUMNS, FINDING_FIELDS, MEASURE_FIELDS, TABLES
from .fields import choices as vocabulary_choices
from .rules import Issue, PlanRefused, as_date, check_finding, check_measure, empty

DEMO_WHO = "demo (synthetic)"  # the demo's changes in the audit trail (a value kept, not a word shown)


# --- reading ---------------------------------------------------------------------------------------


def measures(con, unit: str | None = None, year: int | None = None, sub_units: bool = False) -> pd.DataFrame:
    """The plan's measures (unit '*' or None: every unit; sub_units: the unit's sub-units too)."""
    return con.execute(
        """
        SELECT m.* EXCLUDE (synthetic) FROM plan_measures m
        WHERE ($unit IS NULL OR $unit = '*' OR m.unit = $unit
               OR ($sub AND m.unit IN (SELECT descendant FROM unit_tree WHERE ancestor = $unit)))
          AND ($year IS NULL OR m.year = $year)
        ORDER BY m.year, m.unit, m.subgoal, m.measure_id""",
        {"unit": unit, "year": year, "sub": sub_units},
    ).df()


def findings(con, year: int | None = None) -> pd.DataFrame:
    return con.execute(
        """SELECT * EXCLUDE (synthetic) FROM pay_findings WHERE ($year IS NULL OR year = $year)
                          ORDER BY year, source, group_key""",
        {"year": year},
    ).df()


def consultations(con, year: int | None = None) -> pd.DataFrame:
    return con.execute(
        """SELECT * EXCLUDE (synthetic) FROM pay_consultations WHERE ($year IS NULL OR year = $year)
                          ORDER BY year, held_on""",
        {"year": year},
    ).df()


def audit(con, table: str | None = None, row_id: int | None = None) -> pd.DataFrame:
    """Who changed what and when, the newest first; before and after as JSON text."""
    return con.execute(
        """
        SELECT audit_id, changed_at, who, via, table_name, row_id, action, before, after FROM plan_audit
        WHERE ($table IS NULL OR table_name = $table) AND ($row_id IS NULL OR row_id = $row_id)
        ORDER BY audit_id DESC""",
        {"table": table, "row_id": row_id},
    ).df()


def row(con, table: str, key: str, row_id) -> dict | None:
    cur = con.execute(f"SELECT * FROM {table} WHERE {key} = ?", [row_id])
    names = [d[0] for d in cur.description]
    found = cur.fetchone()
    return None if found is None else dict(zip(names, found))


def units_of(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT unit FROM units").fetchall()}


# --- writing: one transaction each, every change audited ---------------------------------------------


def plain(v):
    """A value as DuckDB and JSON take it: numpy scalars as Python ones, Timestamps as datetimes."""
    if empty(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v.item() if hasattr(v, "item") else v


def _jsonable(values: dict | None) -> str | None:
    if values is None:
        return None
    return json.dumps(
        {
            k: (None if empty(v) else v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else plain(v))
            for k, v in values.items()
        },
        ensure_ascii=False,
        default=str,
    )


def _audit(
    con, who: str, table: str, row_id: int, action: str, before: dict | None, after: dict | None, via: str
) -> None:
    audit_id = con.execute("SELECT coalesce(max(audit_id), 0) + 1 FROM plan_audit").fetchone()[0]
    con.execute(
        "INSERT INTO plan_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [audit_id, dt.datetime.now(), who, table, row_id, action, _jsonable(before), _jsonable(after), via],
    )


def _columns(con, table: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]
        ).fetchall()
    ]


def _upsert(con, kind: str, values: dict, who: str, via: str, synthetic: bool = False) -> int:
    """Insert (no id, or an id not there) or update (only the columns given) one row; audited."""
    table, key = TABLES[kind]
    columns = _columns(con, table)
    given = {k: plain(v) for k, v in values.items() if k in columns and k != key}
    for k, v in given.items():  # a date column holds dates, whatever the editor or the sheet gave
        if isinstance(v, dt.datetime) and k in DATE_COLUMNS:
            given[k] = v.date()
    row_id = values.get(key)
    before = row(con, table, key, row_id) if not empty(row_id) else None
    now = dt.datetime.now()
    given.update(updated_at=now, updated_by=who)
    if before is None:
        row_id = con.execute(f"SELECT coalesce(max({key}), 0) + 1 FROM {table}").fetchone()[0]
        given.update({key: row_id, "synthetic": synthetic})
        names = list(given)
        con.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [given[n] for n in names],
        )
        _audit(con, who, table, row_id, "insert", None, row(con, table, key, row_id), via)
        return int(row_id)
    changed = {k: v for k, v in given.items() if k not in ("updated_at", "updated_by") and before.get(k) != v}
    if not changed:
        return int(row_id)
    given = {**changed, "updated_at": now, "updated_by": who}
    con.execute(f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in given)} WHERE {key} = ?", [*given.values(), row_id])
    _audit(con, who, table, int(row_id), "update", before, row(con, table, key, row_id), via)
    return int(row_id)


NO_ROW = {"measures": "plan_no_measure", "findings": "plan_no_finding", "consultations": "plan_no_consultation"}


def _delete(con, kind: str, row_id: int, who: str, via: str) -> None:
    table, key = TABLES[kind]
    before = row(con, table, key, row_id)
    if before is None:
        raise PlanRefused([Issue(None, key, NO_ROW[kind], {"id": row_id})])
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


def _required(i: int, fields, values: dict, table: str) -> list[Issue]:
    return [Issue(i, f.name, "empty_required", table=table) for f in fields if f.required and empty(values.get(f.name))]


def _checked(con, changes: Changes, may_edit_unit: Callable[[str], bool] | None, may_edit_survey: bool) -> list[Issue]:
    """Every problem of a set of changes; rows count from 1 within their kind."""
    problems = []
    units = units_of(con)
    for i, m in enumerate(changes.measures, start=1):
        old = row(con, "plan_measures", "measure_id", m["measure_id"]) if not empty(m.get("measure_id")) else None
        if not empty(m.get("measure_id")) and old is None:
            problems.append(Issue(i, "measure_id", "plan_no_measure", {"id": m["measure_id"]}))
        merged = {**(old or {}), **{k: v for k, v in m.items() if k != "measure_id"}}
        problems += _required(i, MEASURE_FIELDS, merged, "plan")
        problems += [Issue(i, c, code, params) for c, code, params in check_measure(merged, units)]
        m["status"] = merged["status"]
        if "target_value" in m or "indicator" in m:
            m["target_value"] = merged.get("target_value")
        for unit in {merged.get("unit"), (old or {}).get("unit")} - {None}:
            if may_edit_unit is not None and not may_edit_unit(unit):
                problems.append(Issue(i, "unit", "plan_not_your_unit", {"unit": unit}))
    for i in changes.delete_measures:
        old = row(con, "plan_measures", "measure_id", i)
        if old is not None and may_edit_unit is not None and not may_edit_unit(old["unit"]):
            problems.append(Issue(None, "unit", "plan_not_your_delete", {"id": i, "unit": old["unit"]}))
    survey = (
        changes.findings
        or changes.evaluations
        or changes.consultations
        or changes.delete_findings
        or changes.delete_consultations
    )
    if survey and not may_edit_survey:
        problems.append(Issue(None, None, "plan_admin_only"))
    finding = "pay_survey.differences"
    for i, fnd in enumerate(changes.findings, start=1):
        old = row(con, "pay_findings", "finding_id", fnd["finding_id"]) if not empty(fnd.get("finding_id")) else None
        if not empty(fnd.get("finding_id")) and old is None:
            problems.append(Issue(i, "finding_id", "plan_no_finding", {"id": fnd["finding_id"]}, finding))
        merged = {**(old or {}), **{k: v for k, v in fnd.items() if k != "finding_id"}}
        problems += _required(i, FINDING_FIELDS, merged, finding)
        problems += [Issue(i, c, code, params, finding) for c, code, params in check_finding(merged)]
    for i, c in enumerate(changes.consultations, start=1):
        problems += _required(i, CONSULTATION_FIELDS, c, "pay_survey.consultations")
    for i, ev in enumerate(changes.evaluations, start=1):
        if not empty(ev.get("carried_out")) and ev["carried_out"] not in vocabulary_choices("carried_out"):
            problems.append(
                Issue(
                    i,
                    "carried_out",
                    "unknown_value",
                    {"found": ev["carried_out"], "choices": list(vocabulary_choices("carried_out"))},
                    "pay_survey.last_year",
                )
            )
        if row(con, "pay_findings", "finding_id", ev["finding_id"]) is None:
            problems.append(
                Issue(i, "finding_id", "plan_no_finding_to_evaluate", {"id": ev["finding_id"]}, "pay_survey.last_year")
            )
    return problems


def apply_changes(
    con,
    changes: Changes,
    *,
    who: str,
    via: str,
    may_edit_unit: Callable[[str], bool] | None = None,
    may_edit_survey: bool = True,
    synthetic: bool = False,
) -> dict[str, list[int]]:
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
                _upsert(
                    con,
                    "findings",
                    {
                        "finding_id": ev["finding_id"],
                        "carried_out": ev.get("carried_out"),
                        "evaluation": ev.get("evaluation"),
                    },
                    who,
                    via,
                )
            for c in changes.consultations:
                written["consultations"].append(
                    _upsert(con, "consultations", _match_consultation(con, c), who, via, synthetic)
                )
    except database.duckdb.ConstraintException as e:  # e.g. two rows for the same group and year
        raise PlanRefused([Issue(None, None, "plan_clash", {"detail": str(e).splitlines()[0]})]) from None
    return written


def _match_measure(con, m: dict) -> dict:
    """A measure without an id updates the one of the same unit, year and title (a template imported
    twice is not two plans); with none such, it is new."""
    if not empty(m.get("measure_id")):
        return m
    found = con.execute(
        "SELECT measure_id FROM plan_measures WHERE unit = ? AND year = ? AND title_sv = ?",
        [m.get("unit"), m.get("year"), m.get("title_sv")],
    ).fetchone()
    return {**m, "measure_id": found[0] if found else None}


def _match_finding(con, fnd: dict) -> dict:
    if not empty(fnd.get("finding_id")):
        return fnd
    found = con.execute(
        "SELECT finding_id FROM pay_findings WHERE year = ? AND source = ? AND group_key = ?",
        [fnd.get("year"), fnd.get("source"), fnd.get("group_key")],
    ).fetchone()
    return {**fnd, "finding_id": found[0] if found else None}


def _match_consultation(con, c: dict) -> dict:
    if not empty(c.get("consultation_id")):
        return c
    found = con.execute(
        "SELECT consultation_id FROM pay_consultations WHERE year = ? AND held_on = ?",
        [c.get("year"), c.get("held_on")],
    ).fetchone()
    return {**c, "consultation_id": found[0] if found else None}


def save_measure(
    con, values: dict, *, who: str, via: str = "app", may_edit_unit: Callable[[str], bool] | None = None
) -> int:
    """Insert or update one measure (one transaction, audited); returns its id."""
    return apply_changes(con, Changes(measures=[dict(values)]), who=who, via=via, may_edit_unit=may_edit_unit)[
        "measures"
    ][0]


def delete_measure(
    con, measure_id: int, *, who: str, via: str = "app", may_edit_unit: Callable[[str], bool] | None = None
) -> None:
    apply_changes(con, Changes(delete_measures=[measure_id]), who=who, via=via, may_edit_unit=may_edit_unit)


def save_finding(con, values: dict, *, who: str, via: str = "app") -> int:
    """Insert or update one pay-survey finding (its year, source and group identify it)."""
    return apply_changes(con, Changes(findings=[dict(values)]), who=who, via=via)["findings"][0]


def evaluate_finding(
    con, finding_id: int, carried_out: str, evaluation: str | None = None, *, who: str, via: str = "app"
) -> None:
    """Next year's survey: was this finding's action carried out (yes / partly / no), and how did it go."""
    apply_changes(
        con,
        Changes(evaluations=[{"finding_id": finding_id, "carried_out": carried_out, "evaluation": evaluation}]),
        who=who,
        via=via,
    )


def save_consultation(con, values: dict, *, who: str, via: str = "app") -> int:
    return apply_changes(con, Changes(consultations=[dict(values)]), who=who, via=via)["consultations"][0]


def carry_over_measures(
    con, unit: str, from_year: int, *, who: str, via: str = "app", may_edit_unit: Callable[[str], bool] | None = None
) -> list[int]:
    """Next year's plan starts with this year's unfinished measures (planned or in progress): each is
    copied to from_year + 1 with carried_from pointing back (once: a measure carried already is not
    copied again). The old row stays as it was, its status the year's record. One transaction."""
    rows = con.execute(
        """
        SELECT * FROM plan_measures m
        WHERE unit = ? AND year = ? AND status IN ('planned', 'in_progress')
          AND NOT EXISTS (SELECT 1 FROM plan_measures n WHERE n.carried_from = m.measure_id)
        ORDER BY measure_id""",
        [unit, from_year],
    ).df()
    keep = [
        f.name
        for f in MEASURE_FIELDS
        if f.name not in ("measure_id", "year", "participants_women", "participants_men", "participants_other")
    ]
    copies = []
    for _, r in rows.iterrows():
        same = _match_measure(con, {"unit": unit, "year": from_year + 1, "title_sv": r["title_sv"]})["measure_id"]
        if same is not None:  # next year's plan has it already: only the link back is added
            copies.append({"measure_id": same, "carried_from": int(r["measure_id"])})
        else:
            copies.append(
                {**{k: plain(r[k]) for k in keep}, "year": from_year + 1, "carried_from": int(r["measure_id"])}
            )
    return apply_changes(con, Changes(measures=copies), who=who, via=via, may_edit_unit=may_edit_unit)["measures"]


def carry_over_findings(con, from_year: int, *, who: str, via: str = "app") -> list[int]:
    """This year's unfinished actions (carried out 'no' or 'partly', or not yet evaluated) go on in next
    year's survey: a finding of from_year + 1 for the same source and group gets carried_from (and the
    action, when it has none of its own). One transaction."""
    rows = con.execute(
        """
        SELECT * FROM pay_findings
        WHERE year = ? AND action IS NOT NULL AND coalesce(carried_out, 'no') <> 'yes'
        ORDER BY finding_id""",
        [from_year],
    ).df()
    changes = []
    for _, r in rows.iterrows():
        existing = row(
            con,
            "pay_findings",
            "finding_id",
            _match_finding(con, {"year": from_year + 1, "source": r["source"], "group_key": r["group_key"]})[
                "finding_id"
            ],
        )
        if existing is not None and existing.get("carried_from") is not None:
            continue
        change = {
            "year": from_year + 1,
            "source": r["source"],
            "group_key": r["group_key"],
            "carried_from": int(r["finding_id"]),
        }
        if existing is None or existing.get("action") is None:
            change.update(
                action=r["action"],
                action_cost_sek=None if empty(r["action_cost_sek"]) else r["action_cost_sek"],
                action_deadline=None if empty(r["action_deadline"]) else as_date(r["action_deadline"]),
                action_responsible=None if empty(r["action_responsible"]) else r["action_responsible"],
                explained=False,
            )
        if existing is None:
            change["gap_pct"] = None if empty(r["gap_pct"]) else r["gap_pct"]
        changes.append(change)
    return apply_changes(con, Changes(findings=changes), who=who, via=via)["findings"]


def remove_synthetic(con) -> int:
    """Delete the demo's plan rows (audited like any deletion); returns how many."""
    n = 0
    with database.transaction(con):
        for kind, (table, key) in TABLES.items():
            for (row_id,) in con.execute(f"SELECT {key} FROM {table} WHERE synthetic ORDER BY {key}").fetchall():
                _delete(con, kind, row_id, DEMO_WHO, "demo")
                n += 1
    return n
