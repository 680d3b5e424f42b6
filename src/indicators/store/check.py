"""Check a sheet: its grid -> a canonical, validated DataFrame and every problem found, by row.

Nothing here writes to the database. `check_file` reads a file (read.py), finds each sheet's header
row and kind (headers.py), reads each column's values (readings.py) and returns every problem it
finds (not just the first), each naming file, sheet, row (as the spreadsheet numbers it) and
column, so that HR can fix a file in one pass. Values are read column by column, never row by
row, so a 100 000-row sheet is checked in well under a second. `check_together` holds sheets of one
kind imported together to being one table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..catalogue import word
from ..catalogue.numbers import number, percent
from ..catalogue.phrases import problem_text
from ..catalogue.phrases import where as where_word
from . import read, schema
from .headers import detect_kind, header_and_unit
from .readings import (
    HEADER_UNIT_CODES,
    NUMERIC_KINDS,
    NUMERIC_TYPES,
    VALUE_READERS,
    as_text,
    distinct,
    map_words,
    read_choice,
    read_fte,
    spaced,
    split_personnummer,
)
from .schema import KINDS, SheetKind, norm_header

TOTAL_WORDS = {"total", "totalt", "summa", "sum", "totals", "s:a", "sa"}


@dataclass
class Problem:
    """One thing wrong with a file, in parts: where (file, sheet, row, column), what (a message code
    of problems.toml and its parameters) and how bad (error or warning).

    `column` is what the command line prints: Balans' column name (monthly_salary), or the file's
    header for a column Balans does not know. `header` is the file's own header for that column
    (månadslön), when the file has one. `message` is the command line's English. `render(lang,
    headers=True)` gives a page's line: its language and the file's headers. Problems made without a
    code (older callers, tests) keep their message in every language.
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    level: str = "error"  # or "warning"
    code: str | None = None
    params: dict = field(default_factory=dict)
    header: str | None = None

    @classmethod
    def of(
        cls,
        file: str,
        sheet: str | None,
        row: int | None,
        column: str | None,
        code: str,
        level: str = "error",
        header: str | None = None,
        **params,
    ) -> "Problem":
        return cls(file, sheet, row, column, problem_text(code, cli=True, **params), level, code, params, header)

    def text(self, lang: str = "en") -> str:
        """The message in the page's language, naming the file's headers."""
        return self.message if self.code is None else problem_text(self.code, lang, **self.params)

    def column_label(self, lang: str = "en") -> str | None:
        """The column as the file names it; a column the file lacks by the header a template gives it."""
        if self.header is not None:
            return self.header
        if lang == "sv" and self.params.get("column_sv"):
            return self.params["column_sv"]
        return self.column

    def render(self, lang: str = "en", headers: bool = False) -> str:
        """The whole line. render() is the command line's (== str(self)); render(lang, headers=True) a page's."""
        column = self.column_label(lang) if headers else self.column
        where = [self.file]
        if self.sheet is not None:
            where.append(f"{where_word('sheet', lang)} {self.sheet}")
        if self.row is not None:
            where.append(f"{where_word('row', lang)} {self.row}")
        if column is not None:
            where.append(f"{where_word('column', lang)} {column}")
        prefix = "" if self.level == "error" else f"{where_word('warning', lang)}: "
        message = self.text(lang) if headers else self.message
        return f"{prefix}{', '.join(where)}: {message}"

    def __str__(self) -> str:
        return self.render()


@dataclass
class Sheet:
    """One validated sheet: canonical columns, one row per data row of the file."""

    file: str
    name: str
    kind: SheetKind
    frame: pd.DataFrame
    header_row: int  # as the spreadsheet numbers it
    headers: dict[str, str] = field(default_factory=dict)  # canonical column -> the file's own header

    @property
    def years(self) -> list[int]:
        if "year" not in self.frame:
            return []
        return sorted(int(y) for y in self.frame["year"].dropna().unique())

    def preview(self, lang: str = "en", rows: int = 20) -> pd.DataFrame:
        """The first rows as a page shows them before import: the file's own headers (a column Balans
        derived, such as the position category, by its label in lang), values in lang (kvinna/woman,
        tillsvidare/permanent, the position category's name, numbers in the language's format) and an
        empty cell where a value is missing. Raw person ids stay out: they are pseudonymised on import."""
        frame = self.frame.drop(columns=["person_id"], errors="ignore").head(rows)
        out = pd.DataFrame(index=frame.index)
        for name in frame.columns:
            col = next((c for c in self.kind.columns if c.name == name), None)
            kind = col.type if col is not None else name
            out[_preview_label(name, self.headers, lang)] = [
                "" if _missing(v) else _preview_value(v, kind, lang) for v in frame[name]
            ]
        return out


@dataclass
class Checked:
    file: str
    sheets: list[Sheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def _preview_label(name: str, headers: dict[str, str], lang: str) -> str:
    if name == "source_row":
        return word("vocabularies", "column", "row", lang)
    return headers.get(name) or word("vocabularies", "column", name, lang)


def _preview_value(v, kind: str, lang: str) -> str:
    """One cell of the preview in lang; kind is the column's type (schema.Column.type) or name."""
    if kind == "gender":
        return word("vocabularies", "gender", v, lang)
    if kind == "position_category":
        return word("vocabularies", "position", v, lang)
    if kind == "choice":
        return word("vocabularies", "choice", v, lang)
    if kind == "bool":
        return word("vocabularies", "yes_no", str(bool(v)).lower(), lang)
    if kind in ("year", "birth_year", "source_row"):
        return str(int(v))
    if kind == "fte":
        return percent(v, lang)
    if isinstance(v, (int, float, np.number)):
        return number(v, lang, 0 if float(v).is_integer() else 2)
    return str(v)


# --- a sheet -----------------------------------------------------------------------------------------


def check_sheet(
    file: str,
    sheet_name: str,
    grid: read.Grid,
    kind: SheetKind,
    header_idx: int,
    position_titles: dict[str, str] | None = None,
) -> tuple[Sheet | None, list[Problem]]:
    problems: list[Problem] = []

    # The file's own header of each column Balans knows: what a page's messages and preview name.
    in_file: dict[str, str] = {}

    def problem(code, row=None, column=None, level="error", header=None, **params):
        problems.append(
            Problem.of(
                file,
                sheet_name,
                row,
                column,
                code,
                level,
                header if header is not None else in_file.get(column),
                **params,
            )
        )

    lookup = schema.header_lookup(kind)
    headers = grid.header_cells(header_idx)
    columns: dict[str, int] = {}
    units: dict[str, str] = {}  # column -> the unit its header gives (schema.HEADER_UNITS)
    for pos, cell in enumerate(headers):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            continue
        label = str(cell).strip()
        canonical, unit = header_and_unit(cell, lookup)
        if canonical is None:
            if norm_header(cell) in schema.NAME_HEADERS:
                problem("names_dropped", column=label, level="warning", header=label)
            else:
                problem("unknown_column", column=label, level="warning", header=label, kind=kind.name)
        elif canonical in columns:
            problem(
                "duplicate_column", column=label, header=label, column_name=canonical, first_in_file=in_file[canonical]
            )
        else:
            columns[canonical] = pos
            in_file[canonical] = label
            if unit is not None:
                units[canonical] = unit[0]
                if unit[0] not in schema.TYPE_UNITS.get(kind.column(canonical).type, ()):
                    # a column written in a unit Balans does not read it in: refused, never converted
                    problem(HEADER_UNIT_CODES.get(unit[0], "header_unit"), column=canonical, unit=unit[1])
    pnr_can_fill = {"birth_year", "gender"} if "person_id" in columns else set()
    for name in kind.required:
        if name not in columns and name not in pnr_can_fill:
            col = kind.column(name)
            problem("missing_column", column=name, aliases=", ".join(col.aliases[:4]), column_sv=col.sv or name)
    for (r0, c0), (r1, c1) in grid.merged:
        if r0 <= header_idx <= r1:
            problem(
                "merged_header",
                row=r0 + 1,
                column=str(headers[c0]),
                header=str(headers[c0]),
                cells=f"{read.cell_name(r0, c0)}:{read.cell_name(r1, c1)}",
            )
    if any(p.level == "error" for p in problems):
        return None, problems

    body = grid.rows_below(header_idx)
    body = body[~body.isna().all(axis=1)]
    for pos, cell in enumerate(headers):
        if (cell is None or (isinstance(cell, float) and np.isnan(cell))) and body.iloc[:, pos].notna().any():
            problem("no_header", column=read.cell_name(None, pos), level="warning")
    columns_by_pos = {pos: name for name, pos in columns.items()}
    flagged = set()  # cells already explained: not reported again as empty
    for r0, c0, code, params in grid.unreadable:
        if r0 > header_idx:
            header = headers[c0] if c0 < len(headers) and isinstance(headers[c0], str) else None
            problem(
                code,
                row=r0 + 1,
                column=columns_by_pos.get(c0, read.cell_name(None, c0)),
                header=header and header.strip(),
                **params,
            )
            flagged.add((r0 + 1, columns_by_pos.get(c0)))
    # A totals row says so in the table's first column ("Totalt", "Summa").
    first = body.iloc[:, min(columns.values())]
    if first.dtype == "str" or pd.api.types.is_numeric_dtype(first.dtype):  # a typed column: text or none
        totals = first.notna() if first.dtype == "str" else pd.Series(False, index=first.index)
    else:
        totals = first.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False).astype(bool)
    if totals.any():  # (a column of numbers has no text to look at)
        totals[totals] = first[totals].str.strip().str.lower().isin(TOTAL_WORDS)
    for idx in body.index[totals]:
        problem("totals_row", row=int(idx) + 1)
    body = body[~totals]
    # As the spreadsheet numbers rows: header_idx is 0-based, the sheet's first row is 1.
    rownum = pd.Series(body.index + 1, index=body.index)
    out = pd.DataFrame(index=body.index)
    texts: dict[str, pd.Series] = {}
    for name, pos in columns.items():
        col = kind.column(name)
        raw = body.iloc[:, pos]
        if col.type in NUMERIC_TYPES and pd.api.types.infer_dtype(raw, skipna=True) in NUMERIC_KINDS:
            # Cells that are numbers already: their text is only needed for the messages below.
            blank = raw.isna()
            text = pd.Series("", index=raw.index, dtype="str")
            res = _read_column(col, raw, text, units.get(name))
        elif (d := distinct(raw)) is not None:
            # Arrow text (a CSV): each distinct value read once and the result spread over its rows.
            text = as_text(d.cells)
            res = d.spread_result(_read_column(col, d.cells, text, units.get(name), d.counts))
            text, blank = d.spread(text), d.spread(text.eq(""))
        else:
            text = as_text(raw)
            blank = text.eq("")
            res = _read_column(col, raw, text, units.get(name))
        texts[name] = text
        out[name] = res.values
        if (col.required or col.type == "gender") and len(body) and blank.all():
            problem("column_empty", column=name)
        elif col.required or col.type == "gender":
            for r in rownum[blank]:
                if (int(r), name) not in flagged:
                    problem("empty_required", row=int(r), column=name)
        bad = res.bad & ~blank
        if bad.any():
            text = as_text(raw[bad]).reindex(raw.index, fill_value="")
            codes = res.code[bad] if isinstance(res.code, pd.Series) else [res.code] * int(bad.sum())
            for idx, r, code, found in zip(rownum.index[bad], rownum[bad], codes, text[bad]):
                problem(
                    code,
                    row=int(r),
                    column=name,
                    found=found,
                    **res.params,
                    **{k: v[idx] for k, v in res.row_params.items()},
                )
        if blank.any():  # (setting no cell still rebuilds an Arrow text column: 0.1 s a million rows)
            out.loc[blank, name] = None

    if "person_id" in out:
        _derive_from_personnummer(out, columns, {c.name for c in kind.columns})
    for name in sorted(pnr_can_fill & set(kind.required) - set(columns)):
        # A required column the file leaves to the personnummer: every row must have got its value.
        got = out[name] if name in out else pd.Series(None, index=out.index, dtype=object)
        has_id = out["person_id"].notna()
        if len(out) and got[has_id].isna().all():
            col = kind.column(name)
            problem("missing_derivable", column=name, aliases=", ".join(col.aliases[:4]), column_sv=col.sv or name)
        else:
            for r in rownum[got.isna() & has_id]:
                problem("not_derived", row=int(r), column=name, column_sv=kind.column(name).sv or name)
    if "position" in texts:
        _map_positions(out, texts["position"], problem, position_titles)
    if kind.name == "staff":
        _check_unit_parents(out, rownum, problem)
    if kind.name == "leave":
        _check_days_within_available(out, rownum, problem, texts)
    _check_duplicates(out, kind, rownum, problem, in_file)

    out.insert(0, "source_row", rownum.astype("int64"))
    return Sheet(file, sheet_name, kind, out.reset_index(drop=True), header_idx + 1, in_file), problems


def _read_column(col: schema.Column, raw: pd.Series, text: pd.Series, unit: str | None, counts=None):
    """The column's reader (readings.py) on its cells; counts: how many rows each cell stands for."""
    if col.type == "choice":
        return read_choice(raw, text, col.choices)
    if col.type == "fte":
        return read_fte(raw, text, unit, counts)
    return VALUE_READERS[col.type](raw, text)


def _derive_from_personnummer(out: pd.DataFrame, columns: dict[str, int], known: set[str]) -> None:
    years = out["year"] if "year" in out else pd.Series(np.nan, index=out.index)
    pnr = split_personnummer(out["person_id"].fillna(""), years)
    if not pnr["is_pnr"].any():
        return
    for derived in ("birth_year", "gender"):
        if derived not in columns and derived in known:  # a pay component's sheet has neither
            out[derived] = pnr[derived].where(pnr["is_pnr"])
    out["person_id"] = pnr["key"].where(pnr["is_pnr"], out["person_id"])


def _check_days_within_available(out, rownum, problem, texts) -> None:
    """A leave row's days of absence cannot exceed the days its staff had: the available days when
    given, else 366 for each person. More is a column in hours (or a typing error), never read as days."""
    limit = out["staff"].astype("float64") * 366
    if "available_days" in out:
        limit = out["available_days"].astype("float64").where(out["available_days"].notna(), limit)
    for name in ("parental_leave_days", "care_of_child_days", "sick_leave_days"):
        if name not in out:
            continue
        over = out[name].astype("float64") > limit
        for idx in out.index[over.fillna(False)]:
            problem(
                "days_over_available",
                row=int(rownum[idx]),
                column=name,
                found=texts[name][idx] or spaced(out.at[idx, name]),
                available=spaced(limit[idx]),
            )
        out.loc[over.fillna(False), name] = None


def _map_positions(out, titles, problem, position_titles):
    mapping = position_titles if position_titles is not None else schema.position_map()
    cat = map_words(titles, mapping)
    unmapped = sorted(set(titles[cat.isna() & titles.ne("")]))
    if unmapped:
        problem(
            "unmapped_titles",
            column="position",
            level="warning",
            n=len(unmapped),
            titles=", ".join(unmapped[:10]) + (" …" if len(unmapped) > 10 else ""),
        )
    out["position_category"] = cat.fillna("other")


def _check_unit_parents(out, rownum, problem):
    if "parent_unit" not in out:
        return
    pairs = out[["unit", "parent_unit"]].dropna().drop_duplicates()
    twice = pairs[pairs["unit"].duplicated(keep=False)]
    for unit, group in twice.groupby("unit"):
        parents = sorted(group["parent_unit"])
        first = rownum[(out["unit"] == unit) & (out["parent_unit"] == parents[1])].iloc[0]
        problem("two_parents", row=int(first), column="parent_unit", unit=unit, first=parents[0], second=parents[1])


def _check_duplicates(out, kind, rownum, problem, in_file):
    keys = [c for c in kind.unique if c in out]
    if len(keys) != len(kind.unique):
        return
    present = out[keys].notna().all(axis=1)
    dup = out[keys][present].duplicated(keep=False)
    if not dup.any():
        return
    dups = out[keys][present][dup]
    for _, group in dups.groupby(keys, sort=False):
        rows = ", ".join(map(str, rownum[group.index].tolist()))
        last = int(rownum[group.index].iloc[-1])
        if kind.name == "staff":
            problem("duplicate_person", row=last, column=keys[-1], rows=rows)
        else:
            problem(
                "duplicate_key",
                row=last,
                column=keys[-1],
                rows=rows,
                keys=keys,
                keys_in_file=[in_file.get(k, k) for k in keys],
            )


# --- a file ------------------------------------------------------------------------------------------


def check_file(path: str | Path, kind: str | None = None, display_name: str | None = None) -> Checked:
    """Read and validate every sheet of a file. Never raises for anything a user can cause."""
    path = Path(path)
    name = display_name or path.name
    checked = Checked(name)
    try:
        grids = read.read_grids(path)
    except read.FileRefused as e:
        checked.problems.append(Problem.of(name, None, None, None, e.code, **e.params))
        return checked
    forced = KINDS.get(kind) if kind else None
    for sheet_name, grid in grids.items():
        if grid.empty:
            continue
        detected, header_idx = detect_kind(sheet_name, grid.top)
        use = forced or detected
        if use is None:
            checked.problems.append(
                Problem.of(
                    name,
                    sheet_name,
                    None,
                    None,
                    "unknown_sheet",
                    level="warning" if len(grids) > 1 else "error",
                    kinds=list(KINDS),
                )
            )
            continue
        sheet, problems = check_sheet(name, sheet_name, grid, use, header_idx)
        checked.problems.extend(problems)
        if sheet is not None:
            checked.sheets.append(sheet)
    if not checked.sheets and checked.ok:
        checked.problems.append(Problem.of(name, None, None, None, "no_data_rows"))
    check_together([checked])
    return checked


def check_together(checked: list[Checked], across_files: bool = False) -> None:
    """Sheets of one kind imported together, in one workbook or in several files, are one table
    (docs/data-formats.md, "Data formats"): they are stored side by side, each sheet its own batch, so a row they
    share is refused (the same person twice in one year, by sheet and row, at the later one), and so
    is a unit given two parents. Problems go to the Checked holding the later row.

    across_files: compare only sheets of different files (check_file has compared each file's own)."""
    sheets = [(c, s) for c in checked for s in c.sheets]
    for kind in dict.fromkeys(s.kind.name for _, s in sheets):
        group = [(c, s) for c, s in sheets if s.kind.name == kind]
        if len(group) < 2:
            continue

        def compared(a: int, b: int, group=group) -> bool:
            return (group[a][0] is not group[b][0]) if across_files else (a != b)

        def problem(i: int, row, column: str, code: str, group=group, **params) -> None:
            c, s = group[i]
            c.problems.append(
                Problem.of(c.file, s.name, int(row), column, code, header=s.headers.get(column), **params)
            )

        keys = list(group[0][1].kind.unique)
        frames = [
            s.frame.loc[s.frame[keys].notna().all(axis=1), [*keys, "source_row"]].assign(_sheet=i)
            for i, (_, s) in enumerate(group)
            if set(keys) <= set(s.frame.columns)
        ]
        rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        twice = rows[rows.duplicated(keys, keep=False)] if len(rows) else rows
        for _, same in twice.groupby(keys, sort=False) if len(twice) else ():
            first = same.iloc[0]
            for _, later in same.iloc[1:].iterrows():
                if not compared(int(first["_sheet"]), int(later["_sheet"])):
                    continue
                (fc, fs), (lc, ls) = group[int(first["_sheet"])], group[int(later["_sheet"])]
                where = {"first_file": fc.file, "first_sheet": fs.name, "first_row": int(first["source_row"])}
                code = ("duplicate_person" if kind == "staff" else "duplicate_key") + (
                    "_across_sheets" if fc is lc else "_across_files"
                )  # the other file named only when it is one
                extra = {} if kind == "staff" else {"keys": keys, "keys_in_file": [ls.headers.get(k, k) for k in keys]}
                problem(int(later["_sheet"]), later["source_row"], keys[-1], code, **extra, **where)
        if kind == "staff":
            _check_parents_together(group, compared, problem)


def _check_parents_together(group, compared, problem) -> None:
    """A unit under one parent in one sheet and under another in a second sheet imported with it."""
    pairs = [
        s.frame.loc[
            s.frame["unit"].notna() & s.frame["parent_unit"].notna(), ["unit", "parent_unit", "source_row"]
        ].assign(_sheet=i)
        for i, (_, s) in enumerate(group)
        if "parent_unit" in s.frame
    ]
    if len(pairs) < 2:
        return
    rows = pd.concat(pairs, ignore_index=True)
    for unit, same in rows.groupby("unit", sort=False):
        first = same.iloc[0]
        other = same[(same["parent_unit"] != first["parent_unit"]) & (same["_sheet"] != first["_sheet"])]
        other = other[[compared(int(first["_sheet"]), int(i)) for i in other["_sheet"]]]
        if len(other):
            later = other.iloc[0]
            problem(
                int(later["_sheet"]),
                later["source_row"],
                "parent_unit",
                "two_parents",
                unit=unit,
                first=first["parent_unit"],
                second=later["parent_unit"],
            )
