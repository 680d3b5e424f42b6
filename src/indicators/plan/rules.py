"""The plan's rules: a cell read as its column stores it, a measure or a finding checked as a whole,
and where a category stands on the art. 10 path.

A problem is a code of a book's [vocab.problem] (the plan's words in catalogue/plan.toml) and its
values, never a sentence: a page says it in its language, the command line in English. The rules
for a finding are DO's guidance on the pay survey (Diskrimineringslagen 2008:567 ch. 3 §§ 8-12: an
action plan at most three years ahead, an explained difference explained in words) and art. 10 of
the Pay Transparency Directive (EU) 2023/970 (a category at 5 % or more is justified, corrected
and re-measured six months later, or jointly assessed).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from .. import settings
from ..catalogue.declarations import UndeclaredColumn, declared
from ..catalogue.phrases import problem_text
from ..catalogue.phrases import where as where_word
from ..store.schema import fold_accents, norm_header, vocabulary_lookup
from .fields import Field
from .links import share_like

MAX_ACTION_YEARS = 3  # DO: the action plan's schedule reaches at most three years ahead


class Bad(ValueError):
    """A value or a change that cannot be used: a problem code and its values; str() is the English."""

    def __init__(self, code: str, **params):
        super().__init__(problem_text(code, cli=True, **params))
        self.code, self.params = code, params


def where(row, column, lang: str = "en") -> str:
    """'row 3, column delmål: ' (either may be missing): how a problem says where it is."""
    parts = ([f"{where_word('row', lang)} {row}"] if row is not None else []) + (
        [f"{where_word('column', lang)} {column}"] if column else []
    )
    return (", ".join(parts) + ": ") if parts else ""


def label(table: str, column: str | None, lang: str) -> str | None:
    """A column as a page names it (its columns.toml label); one no table declares, by its name."""
    if column is None:
        return None
    try:
        return declared(table, column).label(lang)
    except UndeclaredColumn:
        return column


@dataclass(frozen=True)
class Issue:
    """One problem of a set of changes: the row of the set (from 1), the column, and what is wrong."""

    row: int | None
    column: str | None
    code: str
    params: dict = field(default_factory=dict)
    table: str = "plan"  # the columns.toml table that names the column

    def render(self, lang: str | None = None) -> str:
        """The command line's English line (lang None), or a page's in its language and labels."""
        if lang is None:
            return where(self.row, self.column) + problem_text(self.code, cli=True, **self.params)
        return where(self.row, label(self.table, self.column, lang), lang) + problem_text(
            self.code, lang, **self.params
        )


class PlanRefused(Exception):
    """A change was refused; nothing was written. `problems` holds every Issue."""

    def __init__(self, problems: list[Issue]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))

    def lines(self, lang: str) -> list[str]:
        return [p.render(lang) for p in self.problems]


# --- one value ---------------------------------------------------------------------------------------


def empty(v) -> bool:
    return (
        v is None
        or (isinstance(v, float) and math.isnan(v))
        or (isinstance(v, str) and not v.strip())
        or v is pd.NA
        or v is pd.NaT
    )


def _number(v) -> float:
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


def as_date(v) -> dt.date:
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v).strip()[:10])


def _choice(v, choices: dict):
    if isinstance(v, bool) and v in choices:
        return v
    lookup = vocabulary_lookup(choices)
    h = norm_header(v)
    found = lookup.get(h, lookup.get(fold_accents(h)))
    if found is None:
        raise ValueError
    return found


# The problem of a value of each type that is not one, where no rule says more.
NOT_A = {
    "id": "plan_not_whole",
    "year": "not_year",
    "count": "bad_count",
    "subgoal": "plan_subgoal",
    "number": "not_number",
    "money": "plan_not_amount",
    "date": "plan_not_date",
}


def read_value(f: Field, v):
    """A cell as the table stores it; raises Bad when it cannot be used."""
    if empty(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)  # Excel keeps 7 as 7.0: messages show what the user typed
    last_year = dt.date.today().year + 30
    try:
        if f.type in ("text", "unit"):
            return str(v).strip()
        if f.type == "indicator":
            try:
                return _choice(v, f.choices)
            except ValueError:
                raise Bad("plan_unknown_indicator", found=str(v).strip()) from None
        if f.type in ("choice", "bool"):
            try:
                return _choice(v, f.choices)
            except ValueError:
                raise Bad("unknown_value", found=v, choices=[w[0] for w in f.choices.values()]) from None
        if f.type in ("id", "year", "count", "subgoal"):
            num = _number(v)
            if not float(num).is_integer():
                raise ValueError
            num = int(num)
            if f.type == "year" and not 1950 <= num <= last_year:
                raise ValueError
            if (f.type == "subgoal" and not 1 <= num <= 6) or (f.type == "count" and num < 0):
                raise ValueError
            return num
        if f.type in ("number", "money"):
            num = _number(v)
            if f.type == "money" and num < 0:
                raise Bad("plan_negative_cost", found=v)
            return num
        if f.type == "date":
            return as_date(v)
    except Bad:
        raise
    except ValueError:
        pass
    raise Bad(NOT_A.get(f.type, "not_number"), found=v, last=last_year)


# --- a whole row ---------------------------------------------------------------------------------------


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


Found = tuple[str, str, dict]  # (column, problem code, its values)


def check_measure(row: dict, units: set[str] | None) -> list[Found]:
    """Problems of one measure; fills status 'planned' when it is empty and turns a share target given
    in percent (35 or 35 %) into a share (0.35), as the indicators count."""
    out = []
    if units is not None and row.get("unit") is not None and row["unit"] not in units:
        out.append(("unit", "plan_unknown_unit", {"unit": row["unit"]}))
    if row.get("status") is None:
        row["status"] = "planned"
    if row.get("target_value") is not None and row.get("indicator") is None:
        out.append(("target_value", "plan_target_without_indicator", {}))
    if row.get("target_value") is not None and share_like(row.get("indicator")):
        if row["target_value"] > 1:
            row["target_value"] = row["target_value"] / 100
        if not 0 <= row["target_value"] <= 1:
            out.append(("target_value", "plan_share_range", {"found": f"{row['target_value']:g}"}))
    if row.get("target_year") is not None and row.get("year") is not None and row["target_year"] < row["year"]:
        out.append(("target_year", "plan_target_year", {"target_year": row["target_year"], "year": row["year"]}))
    if row.get("start_date") and row.get("deadline") and row["deadline"] < row["start_date"]:
        out.append(("deadline", "plan_deadline", {"deadline": row["deadline"], "start": row["start_date"]}))
    return out


def check_finding(row: dict) -> list[Found]:
    """Problems of one pay-survey finding (DO's guidance and art. 10 of 2023/970)."""
    out = []
    year, deadline = row.get("year"), row.get("action_deadline")
    if deadline is not None and year is not None and deadline.year > year + MAX_ACTION_YEARS:
        out.append(
            (
                "action_deadline",
                "plan_action_years",
                {"years": MAX_ACTION_YEARS, "deadline": deadline, "last": year + MAX_ACTION_YEARS},
            )
        )
    if row.get("explained") is True and not row.get("reason"):
        out.append(("reason", "plan_reason", {}))
    path = row.get("art10_path")
    if path is not None:
        threshold = art10_threshold()
        if row.get("source") != "pay_transparency":
            out.append(("art10_path", "plan_art10_source", {}))
        elif row.get("gap_pct") is not None and abs(row["gap_pct"]) < threshold:
            out.append(
                ("art10_path", "plan_art10_under", {"gap": f"{row['gap_pct']:.1f}", "threshold": f"{threshold:g}"})
            )
        if path == "justified" and not row.get("reason"):
            out.append(("reason", "plan_justified", {}))
        if path == "corrected":
            if row.get("art10_date") is None:
                out.append(("art10_date", "plan_correction_date", {}))
            elif row.get("remeasured_on") is not None and row["remeasured_on"] < add_months(row["art10_date"], 6):
                out.append(
                    (
                        "remeasured_on",
                        "plan_remeasure_early",
                        {"earliest": add_months(row["art10_date"], 6), "found": row["remeasured_on"]},
                    )
                )
            if row.get("remeasured_on") is not None and row.get("remeasured_gap_pct") is None:
                out.append(("remeasured_gap_pct", "plan_remeasure_gap", {}))
        if path == "joint_assessment" and not row.get("art10_with"):
            out.append(("art10_with", "plan_joint_with", {}))
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
    if gap_pct is None or empty(gap_pct) or abs(gap_pct) < threshold:
        return "not_required"
    if empty(path):
        return "open"
    if path in ("justified", "joint_assessment"):
        return path
    if empty(remeasured_on):
        return "remeasure_due" if not empty(art10_date) and today >= add_months(art10_date, 6) else "corrected_pending"
    return "corrected" if abs(remeasured_gap_pct) < threshold else "joint_assessment_required"
