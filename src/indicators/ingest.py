"""Read a spreadsheet and validate it: file -> sheets -> canonical, checked DataFrames.

Nothing here writes to the database. `check_file` returns every problem it finds (not just the
first), each naming file, sheet, row (as the spreadsheet numbers it) and column, so that HR can
fix a file in one pass. Values are read column by column with pandas, never row by row, so a
100 000-row sheet is checked in well under a second.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import tomllib
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from . import schema
from .schema import KINDS, SheetKind, fold_accents, norm_header

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}
MAX_UNZIPPED_MB = 1000  # a workbook that says it inflates to more is refused unopened
TOTAL_WORDS = {"total", "totalt", "summa", "sum", "totals", "s:a", "sa"}


def max_file_mb() -> int:
    """The upload limit: server.maxUploadSize in .streamlit/config.toml, so the app and the CLI agree."""
    config = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
    try:
        with open(config, "rb") as f:
            return int(tomllib.load(f).get("server", {}).get("maxUploadSize", 200))
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        return 200
HEADER_SEARCH_ROWS = 10


@dataclass
class Problem:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    level: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        prefix = "" if self.level == "error" else "warning: "
        return f"{prefix}{', '.join(where)}: {self.message}"


@dataclass
class Sheet:
    """One validated sheet: canonical columns, one row per data row of the file."""

    file: str
    name: str
    kind: SheetKind
    frame: pd.DataFrame
    header_row: int  # as the spreadsheet numbers it

    @property
    def years(self) -> list[int]:
        if "year" not in self.frame:
            return []
        return sorted(int(y) for y in self.frame["year"].dropna().unique())


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


class FileRefused(Exception):
    """The file cannot be read at all (not a spreadsheet, too large, encrypted, ...)."""


# --- reading ------------------------------------------------------------------------------------

def _sniff_refusals(path: Path, data_head: bytes, size: int) -> None:
    if size == 0:
        raise FileRefused("the file is empty")
    limit = max_file_mb()
    if size > limit * 1024 * 1024:
        raise FileRefused(f"the file is {size / 2**20:.0f} MB, over the limit of {limit} MB")
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise FileRefused(f"'{suffix or path.name}' is not a spreadsheet type Balans reads "
                          "(xlsx, xls, ods or csv)")
    if data_head.startswith(b"\xd0\xcf\x11\xe0") and suffix in {".xlsx", ".xlsm", ".ods"}:
        # An encrypted OOXML file is an OLE container with an EncryptedPackage stream.
        raise FileRefused("the workbook is password-protected: save it without a password and try again")
    if suffix in {".xlsx", ".xlsm", ".ods"}:
        if not data_head.startswith(b"PK"):
            raise FileRefused(f"the file is not a real {suffix} workbook (was it renamed?)")
        try:
            with zipfile.ZipFile(path) as zf:
                declared = sum(i.file_size for i in zf.infolist())
        except zipfile.BadZipFile:
            raise FileRefused("the workbook is damaged or truncated and cannot be opened") from None
        if declared > MAX_UNZIPPED_MB * 1024 * 1024:
            raise FileRefused(f"the workbook says it unpacks to {declared / 2**20:.0f} MB, "
                              f"over the limit of {MAX_UNZIPPED_MB} MB (a compressed bomb?)")
    if suffix == ".xls" and not data_head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("the file is not a real .xls workbook (was it renamed?)")


def _decode_text(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Swedish Windows saves "CSV" in cp1252; å, ä, ö are unambiguous there.
        return raw.decode("cp1252")


def _read_csv(raw: bytes) -> pd.DataFrame:
    text = _decode_text(raw)
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (";", "\t", ",")}
    sep = max(counts, key=counts.get)
    if counts[sep] == 0:
        raise FileRefused("no column separator (; , or tab) found in the first line")
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=object,
                            keep_default_na=False, skip_blank_lines=False)
    except pd.errors.ParserError as e:
        found = re.search(r"line (\d+), saw (\d+)", str(e))
        where = f"row {found.group(1)} has {found.group(2)} fields, more than the header" if found else str(e)
        hint = (" (decimal commas in a comma-separated file? save it with semicolons)" if sep == "," else "")
        raise FileRefused(f"the columns do not line up: {where}{hint}") from None
    return frame.mask(frame.eq(""))


def read_sheets(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet as a raw grid of cells (no header yet); raises FileRefused when unreadable."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as e:
        raise FileRefused(f"cannot open the file: {e.strerror}") from None
    _sniff_refusals(path, head, size)
    if path.suffix.lower() in {".csv", ".txt"}:
        return {path.stem: _read_csv(path.read_bytes())}
    try:
        return _read_workbook(path)
    except FileRefused:
        raise
    except Exception as e:  # calamine's errors are plain strings; translate them for the user
        raise FileRefused(f"the workbook cannot be read ({str(e).splitlines()[0][:200]})") from None


def _read_workbook(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet through calamine (the Rust reader), keeping the sheet's own row numbers.

    python-calamine directly rather than pandas.read_excel: the same reader, without pandas'
    per-cell conversion, which was most of the time on a 100 000-row sheet.
    """
    book = CalamineWorkbook.from_path(str(path))
    # calamine reads error cells (#N/A) and formulas without a saved result as empty: find them, in a
    # thread of its own while calamine (which lets go of Python's lock) parses the cells.
    with ThreadPoolExecutor(max_workers=1) as pool:
        scan = pool.submit(_xlsx_unreadable_cells, path) if path.suffix.lower() in {".xlsx", ".xlsm"} else None
        sheets = _calamine_sheets(book)
        unreadable = scan.result() if scan is not None else {}
    for name, frame in sheets.items():
        frame.attrs["unreadable"] = unreadable.get(name, [])
    return sheets


def _calamine_sheets(book: CalamineWorkbook) -> dict[str, pd.DataFrame]:
    sheets = {}
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
        frame = frame.mask(frame.eq(""))
        try:
            frame.attrs["merged"] = list(sheet.merged_cell_ranges or [])
        except Exception:  # not every format records merged cells
            frame.attrs["merged"] = []
        sheets[str(name)] = frame
    return sheets


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def _xlsx_unreadable_cells(path: Path, limit: int = 50) -> dict[str, list[tuple[int, int, str]]]:
    """Per sheet name: (row, column, what) of error cells and of formulas with no saved value (0-based)."""
    out: dict[str, list] = {}
    with zipfile.ZipFile(path) as zf:
        try:
            workbook = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
        except KeyError:
            return out
        targets = dict(re.findall(rb'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
        targets.update({k: v for v, k in re.findall(rb'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
        for name, rid in re.findall(rb'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
            target = targets.get(rid, b"").decode().lstrip("/")
            member = target if target.startswith("xl/") else f"xl/{target}"
            try:
                xml = zf.read(member)
            except KeyError:
                continue
            if b't="e"' not in xml and b"<f" not in xml:
                continue
            found = []
            for col, row, attrs, inner in _CELL.findall(xml):
                inner = inner or b""
                if b't="e"' in attrs:
                    code = re.sub(rb".*<v>(.*?)</v>.*", rb"\1", inner, flags=re.S).decode(errors="replace")
                    what = f"an error cell ({code}): correct it or empty the cell"
                elif b"<f" in inner and not re.search(rb"<v>[^<]", inner):
                    what = ("a formula with no saved result: type the value in, or open and save the file in "
                            "Excel so that its formulas have results")
                else:
                    continue
                found.append((int(row) - 1, _column_index(col.decode()), what))
                if len(found) >= limit:
                    break
            out[html.unescape(name.decode())] = found
    return out


def _cell_name(row: int | None, col: int) -> str:
    """0-based (row, column) -> 'B3', or the column letter alone when row is None."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters if row is None else f"{letters}{row + 1}"


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


# --- headers and kinds -----------------------------------------------------------------------------

def _lookup_header(cell: object, lookup: dict[str, str]) -> str | None:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return None
    h = norm_header(cell)
    return lookup.get(h) or lookup.get(fold_accents(h))


def _find_header_row(grid: pd.DataFrame) -> tuple[int, SheetKind | None, int]:
    """The row (0-based) among the first few whose cells name the most known columns."""
    best = (0, None, 0)
    for i in range(min(HEADER_SEARCH_ROWS, len(grid))):
        cells = list(grid.iloc[i])
        for kind in KINDS.values():
            lookup = schema.header_lookup(kind)
            found = {_lookup_header(c, lookup) for c in cells} - {None}
            score = len(found) + (10 if set(kind.required) <= found else 0)
            if score > best[2]:
                best = (i, kind, score)
    return best


def detect_kind(sheet_name: str, grid: pd.DataFrame) -> tuple[SheetKind | None, int]:
    """A sheet's kind from its name or, failing that, its headers; and its header row."""
    header_idx, by_headers, _ = _find_header_row(grid)
    folded = fold_accents(norm_header(sheet_name))
    for kind in KINDS.values():
        names = {fold_accents(norm_header(n)) for n in kind.sheet_names}
        if folded in names or any(folded.startswith(n + " ") for n in names):
            return kind, header_idx
    return by_headers, header_idx


# --- values ------------------------------------------------------------------------------------------

def _as_text(s: pd.Series) -> pd.Series:
    """Cells as trimmed text; whole floats lose their '.0' (Excel stores 2024 as 2024.0).

    Vectorised by the column's inferred type: a 100 000-row sheet must not cost a Python call per cell.
    """
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind == "string":
        # Arrow-backed text: strip and the checks below run in C++, not once per cell in Python.
        return s.astype("str").fillna("").str.strip()
    if kind in ("integer", "floating", "mixed-integer-float", "empty"):
        num = pd.to_numeric(s, errors="coerce").astype("float64")
        text = num.astype(str)
        whole = num.notna() & (num % 1 == 0) & (num.abs() < 1e15)
        text[whole] = num[whole].astype("int64").astype(str)
        text[num.isna()] = ""
        return text.astype(object)

    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()
    return s.map(one).astype(object)


def _is_date(s: pd.Series) -> pd.Series:
    if pd.api.types.infer_dtype(s, skipna=True) in ("integer", "floating", "string", "mixed-integer-float", "empty"):
        return pd.Series(False, index=s.index)
    return s.map(lambda v: isinstance(v, (dt.date, dt.datetime, pd.Timestamp))).astype(bool)


_MONEY_JUNK = re.compile(r"(?i)\s|\u00a0|\u202f|kr\.?|sek|:-")
NUMERIC_KINDS = ("integer", "floating", "mixed-integer-float", "empty")
NUMERIC_TYPES = {"year", "birth_year", "fte", "money", "number", "days", "count"}


def _parse_number_text(text: pd.Series) -> pd.Series:
    """Text with decimal commas, spaces as thousands separators, 'kr' or '%' -> float (NaN if not)."""
    t = text.str.replace(_MONEY_JUNK, "", regex=True).str.rstrip("%")
    both = t.str.contains(",", regex=False) & t.str.contains(".", regex=False)
    # "45.000,50" (Swedish) or "45,000.50" (English): the later mark is the decimal one.
    comma_last = t.str.rfind(",") > t.str.rfind(".")
    t = t.where(~(both & comma_last), t.str.replace(".", "", regex=False))
    t = t.where(~(both & ~comma_last), t.str.replace(",", "", regex=False))
    t = t.str.replace(",", ".", regex=False)
    return pd.to_numeric(t, errors="coerce")


def _to_number(raw: pd.Series, text: pd.Series) -> pd.Series:
    """Numbers as floats. Cells that already are numbers (or plain numeric text, as in a CSV) take
    pandas' C parser; only the rest ('45 000,50 kr') go through the slower text clean-up."""
    kind = pd.api.types.infer_dtype(raw, skipna=True)
    if kind in NUMERIC_KINDS:
        return pd.to_numeric(raw, errors="coerce").astype("float64")
    if kind != "string":  # dates and times are not numbers, whatever pandas would make of them
        raw = raw.where(~raw.map(_is_temporal, na_action="ignore").astype(bool))
    num = pd.to_numeric(raw, errors="coerce")
    num = pd.Series(num, index=raw.index, dtype="float64")
    rest = num.isna() & text.ne("")
    if rest.any():
        num[rest] = _parse_number_text(text[rest])
    return num


def _is_temporal(v) -> bool:
    return isinstance(v, (dt.date, dt.datetime, dt.time, dt.timedelta, pd.Timestamp))


def _map_words(text: pd.Series, lookup: dict) -> pd.Series:
    """Vocabulary words -> canonical values, folding each distinct word once (not once per row)."""
    codes, uniques = pd.factorize(text)
    canon = [lookup.get(norm_header(u), lookup.get(fold_accents(norm_header(u)))) for u in uniques]
    mapped = np.array(canon + [None], dtype=object)[codes]  # code -1 (missing) -> None
    return pd.Series(mapped, index=text.index, dtype=object)


@dataclass
class ColumnResult:
    values: pd.Series
    bad: pd.Series  # bool mask of rows with an unusable value
    message: str | pd.Series  # a template with {} for the value found, or one per row


def read_year(raw: pd.Series, text: pd.Series) -> ColumnResult:
    num = _to_number(raw, text)
    this_year = dt.date.today().year
    dates = _is_date(raw)
    ok = num.notna() & (num % 1 == 0) & num.between(1950, this_year + 1) & ~dates
    msg = pd.Series(f"not a year between 1950 and {this_year + 1} (found '{{}}')", index=raw.index, dtype=object)
    msg[dates] = "a date where a year belongs: write the year alone, e.g. 2024 (found '{}')"
    return ColumnResult(num.where(ok).astype("Int64"), ~ok, msg)


def read_birth_year(raw, text):
    num = _to_number(raw, text)
    ok = num.notna() & (num % 1 == 0) & num.between(1900, dt.date.today().year)
    return ColumnResult(num.where(ok).astype("Int64"), ~ok, "not a birth year (found '{}')")


def read_text(raw, text):
    return ColumnResult(text, pd.Series(False, index=raw.index), "")


read_id = read_text


def read_gender(raw, text):
    # Anything else that is not empty is kept as "other": counted, but outside the two-gender shares.
    values = _map_words(text, schema.vocabulary_lookup(schema.GENDER_WORDS)).fillna("other")
    return ColumnResult(values, pd.Series(False, index=raw.index), "")


def read_fte(raw, text):
    num = _to_number(raw, text)
    percent_cells = text.str.endswith("%")
    # A column is in percent when any value is over 1 (e.g. 100 or "80 %"); 0-1 is a fraction.
    if bool(((num > 1) | percent_cells).any()):
        num = num / 100
    ok = num.notna() & (num > 0) & (num <= 1)
    return ColumnResult(num.where(ok), ~ok, "FTE must be above 0 and at most 100 % (found '{}')")


def read_money(raw, text):
    num = _to_number(raw, text)
    ok = num.notna() & num.between(1000, 1_000_000)
    return ColumnResult(num.where(ok), ~ok,
                        "not a monthly salary in SEK between 1 000 and 1 000 000 (found '{}')")


def read_number(raw, text):
    num = _to_number(raw, text)
    return ColumnResult(num, num.isna(), "not a number (found '{}')")


def read_days(raw, text):
    num = _to_number(raw, text)
    ok = num.notna() & (num >= 0) & (num <= 366)
    return ColumnResult(num.where(ok), ~ok, "not a number of days from 0 to 366 (found '{}')")


def read_count(raw, text):
    num = _to_number(raw, text)
    ok = num.notna() & (num >= 0) & (num % 1 == 0)
    return ColumnResult(num.where(ok).astype("Int64"), ~ok, "not a count (a whole number, 0 or more) (found '{}')")


def read_bool(raw, text):
    values = _map_words(text, schema.vocabulary_lookup(schema.BOOL_WORDS))
    return ColumnResult(values, values.isna(), "not yes/no (ja/nej) (found '{}')")


VALUE_READERS = {"year": read_year, "birth_year": read_birth_year, "text": read_text, "id": read_id,
                 "gender": read_gender, "fte": read_fte, "money": read_money, "number": read_number,
                 "days": read_days, "bool": read_bool, "count": read_count}


def read_choice(raw, text, choices):
    values = _map_words(text, schema.vocabulary_lookup(choices))
    return ColumnResult(values, values.isna(), "unknown value '{}' (expected one of: " + ", ".join(choices) + ")")


# Personnummer: YYMMDD-NNNN, YYMMDD+NNNN (100 years or older) or YYYYMMDDNNNN.
PNR = re.compile(r"^(?:(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d))$")


def split_personnummer(ids: pd.Series, years: pd.Series) -> pd.DataFrame:
    """Birth year and legal gender from personnummer-shaped ids (the 9th digit: odd man, even woman).

    Returns columns is_pnr, birth_year, gender and key (the ten digits, so that 19YYMMDD-NNNN and
    YYMMDDNNNN pseudonymise to the same person).
    """
    compact = ids.str.replace(" ", "", regex=False)
    # Extracting the parts is the slow step: do it only for ids of the personnummer shape (none, in
    # a file of employee numbers), found with one vectorised match.
    shaped = compact.str.match(PNR).fillna(False).astype(bool)
    parts = compact[shaped].str.extract(PNR).reindex(ids.index)
    is_pnr = parts[1].notna()
    yy = pd.to_numeric(parts[1], errors="coerce")
    century = pd.to_numeric(parts[0], errors="coerce")
    ref = years.astype("float").fillna(dt.date.today().year)
    guess = 2000 + yy
    guess = guess.where(guess <= ref, guess - 100)
    guess = guess.where(parts[4] != "+", guess - 100)
    birth = (century * 100 + yy).where(century.notna(), guess)
    digit = pd.to_numeric(parts[5].str[-1], errors="coerce")
    gender = pd.Series(np.where(digit % 2 == 1, "man", "woman"), index=ids.index).where(is_pnr)
    key = (parts[1] + parts[2] + parts[3] + parts[5] + parts[6]).where(is_pnr)
    return pd.DataFrame({"is_pnr": is_pnr, "birth_year": birth.where(is_pnr),
                         "gender": gender, "key": key})


# --- a sheet -----------------------------------------------------------------------------------------

def check_sheet(file: str, sheet_name: str, grid: pd.DataFrame, kind: SheetKind, header_idx: int,
                position_titles: dict[str, str] | None = None) -> tuple[Sheet | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(msg, row=None, column=None, level="error"):
        problems.append(Problem(file, sheet_name, row, column, msg, level))

    lookup = schema.header_lookup(kind)
    headers = list(grid.iloc[header_idx]) if len(grid) else []
    columns: dict[str, int] = {}
    for pos, cell in enumerate(headers):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            continue
        label = str(cell).strip()
        canonical = _lookup_header(cell, lookup)
        if canonical is None:
            if norm_header(cell) in schema.NAME_HEADERS:
                problem("a column of names is never stored: it was dropped", column=label, level="warning")
            else:
                problem(f"unknown column for a {kind.name} sheet: left out", column=label, level="warning")
        elif canonical in columns:
            problem(f"the column {canonical} appears twice", column=label)
        else:
            columns[canonical] = pos
    pnr_can_fill = {"birth_year", "gender"} if "person_id" in columns else set()
    for name in kind.required:
        if name not in columns and name not in pnr_can_fill:
            col = kind.column(name)
            problem(f"the required column is missing (also accepted: {', '.join(col.aliases[:4])})",
                    column=name)
    for (r0, c0), (r1, c1) in grid.attrs.get("merged", []):
        if r0 <= header_idx <= r1:
            problem(f"merged header cells {_cell_name(r0, c0)}:{_cell_name(r1, c1)}: unmerge them so that "
                    "every column has a header of its own", row=r0 + 1, column=str(headers[c0]))
    if any(p.level == "error" for p in problems):
        return None, problems

    body = grid.iloc[header_idx + 1:]
    body = body[~body.isna().all(axis=1)]
    for pos, cell in enumerate(headers):
        if (cell is None or (isinstance(cell, float) and np.isnan(cell))) and body.iloc[:, pos].notna().any():
            problem("a column with values but no header: left out", column=_cell_name(None, pos), level="warning")
    columns_by_pos = {pos: name for name, pos in columns.items()}
    flagged = set()  # cells already explained: not reported again as empty
    for r0, c0, what in grid.attrs.get("unreadable", []):
        if r0 > header_idx:
            problem(what, row=r0 + 1, column=columns_by_pos.get(c0, _cell_name(None, c0)))
            flagged.add((r0 + 1, columns_by_pos.get(c0)))
    # A totals row says so in the table's first column ("Totalt", "Summa").
    first = body.iloc[:, min(columns.values())]
    totals = first.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False).astype(bool)
    totals[totals] = first[totals].str.strip().str.lower().isin(TOTAL_WORDS)
    for idx in body.index[totals]:
        problem("a totals row: remove it (Balans adds up by itself, and a total would count everyone twice)",
                row=int(idx) + 1)
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
            text = pd.Series("", index=raw.index, dtype=object)
        else:
            text = _as_text(raw)
            blank = text.eq("")
        texts[name] = text
        if col.type == "choice":
            res = read_choice(raw, text, col.choices)
        else:
            res = VALUE_READERS[col.type](raw, text)
        out[name] = res.values
        if (col.required or col.type == "gender") and len(body) and blank.all():
            problem("the column is empty in every row", column=name)
        elif col.required or col.type == "gender":
            for r in rownum[blank]:
                if (int(r), name) not in flagged:
                    problem("empty value in a required column", row=int(r), column=name)
        bad = res.bad & ~blank
        if bad.any():
            text = _as_text(raw[bad]).reindex(raw.index, fill_value="")
            msgs = res.message[bad] if isinstance(res.message, pd.Series) else [res.message] * int(bad.sum())
            for r, m, found in zip(rownum[bad], msgs, text[bad]):
                problem(m.format(found), row=int(r), column=name)
        out.loc[blank, name] = None

    if "person_id" in out:
        _derive_from_personnummer(out, columns)
    if "position" in texts:
        _map_positions(out, texts["position"], problem, position_titles)
    if kind.name == "staff":
        _check_unit_parents(out, rownum, problem)
    _check_duplicates(out, kind, rownum, problem)

    out.insert(0, "source_row", rownum.astype("int64"))
    return Sheet(file, sheet_name, kind, out.reset_index(drop=True), header_idx + 1), problems


def _derive_from_personnummer(out: pd.DataFrame, columns: dict[str, int]) -> None:
    years = out["year"] if "year" in out else pd.Series(np.nan, index=out.index)
    pnr = split_personnummer(out["person_id"].fillna(""), years)
    if not pnr["is_pnr"].any():
        return
    for derived in ("birth_year", "gender"):
        if derived not in columns:
            out[derived] = pnr[derived].where(pnr["is_pnr"])
    out["person_id"] = pnr["key"].where(pnr["is_pnr"], out["person_id"])


def _map_positions(out, titles, problem, position_titles):
    mapping = position_titles if position_titles is not None else schema.position_map()
    cat = _map_words(titles, mapping)
    unmapped = sorted(set(titles[cat.isna() & titles.ne("")]))
    if unmapped:
        problem(f"{len(unmapped)} job title(s) not in data/positions.csv, counted as 'other': "
                + ", ".join(unmapped[:10]) + (" …" if len(unmapped) > 10 else ""),
                column="position", level="warning")
    out["position_category"] = cat.fillna("other")


def _check_unit_parents(out, rownum, problem):
    if "parent_unit" not in out:
        return
    pairs = out[["unit", "parent_unit"]].dropna().drop_duplicates()
    twice = pairs[pairs["unit"].duplicated(keep=False)]
    for unit, group in twice.groupby("unit"):
        parents = sorted(group["parent_unit"])
        first = rownum[(out["unit"] == unit) & (out["parent_unit"] == parents[1])].iloc[0]
        problem(f"unit {unit} appears with two parent units ({' and '.join(parents)})",
                row=int(first), column="parent_unit")


def _check_duplicates(out, kind, rownum, problem):
    keys = [c for c in kind.unique if c in out]
    if len(keys) != len(kind.unique):
        return
    present = out[keys].notna().all(axis=1)
    dup = out[keys][present].duplicated(keep=False)
    if not dup.any():
        return
    dups = out[keys][present][dup]
    for _, group in dups.groupby(keys, sort=False):
        rows = rownum[group.index].tolist()
        what = "the same person twice in one year" if kind.name == "staff" else \
            f"the same {', '.join(keys)} twice"
        problem(f"{what} (rows {', '.join(map(str, rows))})", row=int(rows[-1]), column=keys[-1])


def frame_to_grid(df: pd.DataFrame) -> pd.DataFrame:
    """A DataFrame with headers as the raw grid a spreadsheet reader gives (header in the first row)."""
    body = df.astype(object).set_axis(range(df.shape[1]), axis=1)
    return pd.concat([pd.DataFrame([list(df.columns)]), body], ignore_index=True)


# --- a file ------------------------------------------------------------------------------------------

def check_file(path: str | Path, kind: str | None = None, display_name: str | None = None) -> Checked:
    """Read and validate every sheet of a file. Never raises for anything a user can cause."""
    path = Path(path)
    name = display_name or path.name
    checked = Checked(name)
    try:
        grids = read_sheets(path)
    except FileRefused as e:
        checked.problems.append(Problem(name, None, None, None, str(e)))
        return checked
    forced = KINDS.get(kind) if kind else None
    for sheet_name, grid in grids.items():
        if grid.dropna(how="all").empty:
            continue
        detected, header_idx = detect_kind(sheet_name, grid)
        use = forced or detected
        if use is None:
            checked.problems.append(Problem(
                name, sheet_name, None, None,
                "cannot tell what this sheet holds: name it after its kind ("
                + ", ".join(KINDS) + ") or give headers such as year, person_id, unit, position, gender",
                level="warning" if len(grids) > 1 else "error"))
            continue
        sheet, problems = check_sheet(name, sheet_name, grid, use, header_idx)
        checked.problems.extend(problems)
        if sheet is not None:
            checked.sheets.append(sheet)
    if not checked.sheets and checked.ok:
        checked.problems.append(Problem(name, None, None, None, "the file holds no data rows"))
    return checked
