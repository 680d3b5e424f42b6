"""Importing a filled template: every sheet of the plan read and checked, every problem named by file,
sheet, row and column (check.Problem, with a problem code of a catalogue book, so a page says it in its
language), and, when every file is clean, everything written in one transaction (records.apply_changes).
Nothing is saved from a file with a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd
from python_calamine import CalamineWorkbook

from ..catalogue import text
from ..store.check import Problem
from ..store.read import FileRefused, read_sheets
from ..store.schema import fold_accents, norm_header
from .fields import EVALUATION_FIELDS, SHEET_BY_KEY, SHEETS, sheet_for
from .records import Changes, apply_changes, row, units_of
from .rules import Bad, PlanRefused, check_finding, check_measure, empty, read_value

FINDING_ID = EVALUATION_FIELDS[0]
# The columns that say two rows of a sheet are the same (a measure with an id: its id).
SAME = {
    "measures": (("unit", "year", "title_sv"), "plan_same_measure"),
    "findings": (("year", "source", "group_key"), "plan_same_finding"),
    "evaluation": (("finding_id",), "plan_same_evaluation"),
    "consultations": (("year", "held_on"), "plan_same_consultation"),
}


def is_plan_file(path: Path) -> bool:
    """Whether a file is the plan template (a workbook with one of its sheets); never raises."""
    path = Path(path)
    if path.suffix.lower() not in {".xlsx", ".xlsm", ".ods", ".xls"}:
        return False
    try:
        return any(sheet_for(n) is not None for n in CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception:  # unreadable: the ordinary import reports why
        return False


@dataclass
class PlanChecked:
    file: str
    changes: Changes = field(default_factory=Changes)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)


def _header_row(grid: pd.DataFrame, lookup: dict[str, str]) -> tuple[int, dict[str, int], list]:
    """The first of the first ten rows that names at least two of the sheet's columns."""
    for i in range(min(10, len(grid))):
        found = {}
        dupes = []
        for pos, cell in enumerate(grid.iloc[i]):
            if empty(cell):
                continue
            h = norm_header(cell)
            name = lookup.get(h) or lookup.get(fold_accents(h))
            if name is None:
                continue
            if name in found:
                dupes.append((name, str(cell), str(grid.iloc[i, found[name]])))
            found[name] = pos
        if len(found) >= 2:
            return i, found, dupes
    return -1, {}, []


def check_plan_file(
    con,
    path: Path,
    display_name: str | None = None,
    may_edit_unit: Callable[[str], bool] | None = None,
    may_edit_survey: bool = True,
) -> PlanChecked:
    """Read and validate a filled template: every problem named by file, sheet, row and column (a unit
    the importer may not edit, and survey sheets for one who may not change the survey, too); the
    changes it would make. Writes nothing; never raises for anything in the file."""
    path = Path(path)
    name = display_name or path.name
    out = PlanChecked(name)
    try:
        grids = read_sheets(path)
    except FileRefused as e:
        out.problems.append(Problem.of(name, None, None, None, e.code, **e.params))
        return out
    units = units_of(con)
    rows_of: dict[str, list[tuple[int, dict, str]]] = {}
    for sheet_name, grid in grids.items():
        spec = sheet_for(sheet_name)
        if spec is None or grid.dropna(how="all").empty:
            continue

        def problem(code, row=None, column=None, level="error", sheet=sheet_name, **params):
            out.problems.append(Problem.of(name, sheet, row, column, code, level, header=column, **params))

        lookup = {}
        for f in spec.fields:
            for h in spec.headers(f):
                lookup.setdefault(norm_header(h), f.name)
                lookup.setdefault(fold_accents(norm_header(h)), f.name)
        header_idx, columns, dupes = _header_row(grid, lookup)
        if header_idx < 0:
            problem("plan_no_header", headers=", ".join(spec.header(f) for f in spec.fields[:5]))
            continue
        label = {n: str(grid.iloc[header_idx, pos]).strip() for n, pos in columns.items()}
        for field_name, header, first in dupes:
            problem("duplicate_column", column=header, column_name=field_name, first_in_file=first)
        for f in spec.fields:
            if f.required and f.name not in columns:
                problem("plan_missing_column", column=spec.header(f), expected=spec.header(f))
        for pos, cell in enumerate(grid.iloc[header_idx]):
            if not empty(cell) and pos not in columns.values():
                problem("plan_unknown_column", column=str(cell).strip(), level="warning")
        if any(p.level == "error" and p.sheet == sheet_name for p in out.problems):
            continue
        by_name = {f.name: f for f in spec.fields}
        for idx in range(header_idx + 1, len(grid)):
            cells = grid.iloc[idx]
            if all(empty(cells.iloc[pos]) for pos in columns.values()):
                continue
            rownum = idx + 1  # the spreadsheet's own numbering
            values, bad = {}, False
            for fname, pos in columns.items():
                try:
                    values[fname] = read_value(by_name[fname], cells.iloc[pos])
                except Bad as e:
                    problem(e.code, row=rownum, column=label[fname], **e.params)
                    bad = True
            for f in spec.fields:
                if f.required and f.name in columns and empty(values.get(f.name)) and not bad:
                    problem("empty_required", row=rownum, column=label[f.name])
                    bad = True
            if bad:
                continue
            # A record exported for filling in lists every difference and last year's every action: rows
            # not filled in yet carry nothing to save and are left out.
            if spec.key == "evaluation" and all(empty(values.get(c)) for c in ("carried_out", "evaluation")):
                continue
            if (
                spec.key == "findings"
                and empty(values.get("finding_id"))
                and all(empty(values.get(c)) for c in ("explained", "reason", "action", "art10_path"))
            ):
                continue
            if spec.key in ("findings", "evaluation", "consultations") and not may_edit_survey:
                problem("plan_admin_only")
                break
            if spec.key == "measures":
                issues = check_measure(values, units)
                old = (
                    row(con, "plan_measures", "measure_id", values["measure_id"])
                    if not empty(values.get("measure_id"))
                    else None
                )
                if not empty(values.get("measure_id")) and old is None:
                    issues.append(("measure_id", "plan_no_measure_new", {"id": values["measure_id"]}))
                for u in {values.get("unit"), (old or {}).get("unit")} - {None}:
                    if may_edit_unit is not None and not may_edit_unit(u):
                        issues.append(("unit", "plan_not_your_unit", {"unit": u}))
            elif spec.key == "findings":
                issues = check_finding(values)
                if (
                    not empty(values.get("finding_id"))
                    and row(con, "pay_findings", "finding_id", values["finding_id"]) is None
                ):
                    issues.append(("finding_id", "plan_no_finding_new", {"id": values["finding_id"]}))
            else:
                issues = []
            for column, code, params in issues:
                problem(code, row=rownum, column=label.get(column, spec.header(by_name[column])), **params)
            if not issues:
                rows_of.setdefault(spec.key, []).append((rownum, values, sheet_name))
    for key, rows in rows_of.items():
        _check_duplicates(out, key, rows, name)
        target = {
            "measures": out.changes.measures,
            "findings": out.changes.findings,
            "evaluation": out.changes.evaluations,
            "consultations": out.changes.consultations,
        }[key]
        if key == "evaluation":
            for rownum, values, sheet in rows:
                if row(con, "pay_findings", "finding_id", values["finding_id"]) is None:
                    header = SHEET_BY_KEY["evaluation"].header(FINDING_ID)
                    out.problems.append(
                        Problem.of(
                            name,
                            sheet,
                            rownum,
                            header,
                            "plan_no_finding_to_evaluate",
                            header=header,
                            id=values["finding_id"],
                        )
                    )
            target += [
                {"finding_id": v["finding_id"], "carried_out": v.get("carried_out"), "evaluation": v.get("evaluation")}
                for _, v, _ in rows
            ]
        else:
            target += [values for _, values, _ in rows]
    if not any(sheet_for(n) for n in grids):
        out.problems.append(
            Problem.of(name, None, None, None, "plan_no_sheet", sheets=", ".join(s.title("sv") for s in SHEETS))
        )
    elif not len(out.changes) and out.ok:
        out.problems.append(Problem.of(name, None, None, None, "plan_no_rows"))
    return out


def _check_duplicates(out: PlanChecked, key: str, rows: list, file: str) -> None:
    columns, code = SAME[key]
    seen: dict = {}
    for rownum, values, sheet in rows:
        k = tuple(values.get(c) for c in columns)
        if key == "measures" and not empty(values.get("measure_id")):
            k = ("id", values["measure_id"])
        if k in seen:
            out.problems.append(Problem.of(file, sheet, rownum, None, code, rows=f"{seen[k]}, {rownum}"))
        else:
            seen[k] = rownum


@dataclass
class PlanImport:
    checked: list[PlanChecked]
    written: dict[str, list[int]] = field(default_factory=dict)
    refused: PlanRefused | bool = False  # True: a file had a problem; a PlanRefused: the writing refused

    @property
    def problems(self) -> list[Problem]:
        return [p for c in self.checked for p in c.problems]

    @property
    def ok(self) -> bool:
        return not self.refused and all(c.ok for c in self.checked)

    def refusal(self, lang: str | None = None) -> str:
        """Why nothing was saved: the command line's English (lang None) or a page's words."""
        lines = [text("plan", "refused_import", lang or "en")]
        if isinstance(self.refused, PlanRefused):
            names = ", ".join(c.file for c in self.checked)
            lines += [
                f"{names}: {line}" for line in (self.refused.lines(lang) if lang else str(self.refused).splitlines())
            ]
        return "\n".join(lines)


def import_plan_files(
    con,
    paths: Iterable[Path],
    *,
    who: str,
    names: list[str] | None = None,
    may_edit_unit: Callable[[str], bool] | None = None,
    may_edit_survey: bool = True,
) -> PlanImport:
    """Check every file; if all are clean, write all their changes in one transaction (audited, via
    'import <file>'), else nothing."""
    paths = [Path(p) for p in paths]
    names = names or [p.name for p in paths]
    result = PlanImport([check_plan_file(con, p, n, may_edit_unit, may_edit_survey) for p, n in zip(paths, names)])
    if not result.ok:
        result.refused = True
        return result
    merged = Changes()
    for c in result.checked:
        for k, v in vars(c.changes).items():
            getattr(merged, k).extend(v)
    try:
        result.written = apply_changes(
            con,
            merged,
            who=who,
            via="import " + ", ".join(names),
            may_edit_unit=may_edit_unit,
            may_edit_survey=may_edit_survey,
        )
    except PlanRefused as e:
        result.refused = e
    return result
