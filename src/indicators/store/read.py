"""Read a file: every sheet of a spreadsheet as a raw grid of cells, or a refusal that says why not.

A grid is a DataFrame with one row per row of the sheet (index 0 is the sheet's first row) and one
column per column (0 is column A), holding the cells as the reader gives them, an empty cell as
missing; nothing is interpreted yet (headers.py finds the header row, check.py the values). A file
Balans cannot read at all (not a spreadsheet, too large, encrypted, damaged) raises FileRefused.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import tomllib
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import fastexcel
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import CalamineWorkbook

from ..catalogue.phrases import problem_text
from . import xlsx
from .headers import HEADER_SEARCH_ROWS, find_header_row

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}
MAX_UNZIPPED_MB = 1000  # a workbook that says it inflates to more is refused unopened


def max_file_mb() -> int:
    """The upload limit: server.maxUploadSize in .streamlit/config.toml, so the app and the CLI agree."""
    config = Path(__file__).resolve().parents[3] / ".streamlit" / "config.toml"
    try:
        with open(config, "rb") as f:
            return int(tomllib.load(f).get("server", {}).get("maxUploadSize", 200))
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        return 200


@dataclass
class Grid:
    """One sheet's cells. `top`: the sheet's rows from its first (index 0 is row 1, column 0 is A), a
    Python object a cell, missing where empty: every row, or (typed) the first rows only, enough to
    find the header row. `below`: for a typed sheet, every row after row `header`, each column of one
    type (float64, Arrow text, objects), its index the rows' places in the sheet. `merged`: merged
    ranges ((r0, c0), (r1, c1)); `unreadable`: (row, column, problem code, parameters) of cells the
    reader gives as empty (error cells, formulas without a saved value). All 0-based."""

    top: pd.DataFrame
    header: int | None = None
    below: pd.DataFrame | None = None
    merged: list = field(default_factory=list)
    unreadable: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.top.dropna(how="all").empty and (self.below is None or self.below.dropna(how="all").empty)

    def header_cells(self, header: int) -> list:
        """Row `header`'s cells, as many as the sheet has columns."""
        cells = list(self.top.iloc[header]) if header < len(self.top) else []
        width = len(cells) if self.below is None else max(len(cells), self.below.shape[1])
        return cells + [np.nan] * (width - len(cells))

    def rows_below(self, header: int) -> pd.DataFrame:
        """Every row after row `header` (index: its place in the sheet; columns 0, 1, ...)."""
        if self.below is None:
            return self.top.iloc[header + 1 :]
        if header != self.header:
            raise ValueError(f"this sheet was read typed below row {self.header}, not {header}")
        return self.below


class FileRefused(Exception):
    """The file cannot be read at all (not a spreadsheet, too large, encrypted, ...): a problem code
    of problems.toml and its parameters; str() is the command line's English."""

    def __init__(self, code: str, **params):
        super().__init__(problem_text(code, cli=True, **params))
        self.code, self.params = code, params


def _sniff_refusals(path: Path, data_head: bytes, size: int) -> None:
    if size == 0:
        raise FileRefused("empty_file")
    limit = max_file_mb()
    if size > limit * 1024 * 1024:
        raise FileRefused("too_large", size=f"{size / 2**20:.0f}", limit=limit)
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise FileRefused("not_spreadsheet", suffix=suffix or path.name)
    if data_head.startswith(b"\xd0\xcf\x11\xe0") and suffix in {".xlsx", ".xlsm", ".ods"}:
        # An encrypted OOXML file is an OLE container with an EncryptedPackage stream.
        raise FileRefused("password")
    if suffix in {".xlsx", ".xlsm", ".ods"}:
        if not data_head.startswith(b"PK"):
            raise FileRefused("renamed", suffix=suffix)
        try:
            with zipfile.ZipFile(path) as zf:
                declared = sum(i.file_size for i in zf.infolist())
        except zipfile.BadZipFile:
            raise FileRefused("damaged") from None
        if declared > MAX_UNZIPPED_MB * 1024 * 1024:
            raise FileRefused("bomb", size=f"{declared / 2**20:.0f}", limit=MAX_UNZIPPED_MB)
    if suffix == ".xls" and not data_head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("renamed", suffix=".xls")


def _decode_text(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Swedish Windows saves "CSV" in cp1252; å, ä, ö are unambiguous there.
        return raw.decode("cp1252")


def _separator(first: str) -> str:
    """The separator the file's first line holds most of (a semicolon, a tab or a comma)."""
    counts = {sep: first.count(sep) for sep in (";", "\t", ",")}
    sep = max(counts, key=counts.get)
    if counts[sep] == 0:
        raise FileRefused("no_separator")
    return sep


def _read_csv(raw: bytes) -> pd.DataFrame:
    text = _decode_text(raw)
    sep = _separator(next((line for line in text.splitlines() if line.strip()), ""))
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, header=None, dtype=object, keep_default_na=False, skip_blank_lines=False
        )
    except pd.errors.ParserError as e:
        found = re.search(r"line (\d+), saw (\d+)", str(e))
        if not found:
            raise FileRefused("misaligned_other", detail=str(e)) from None
        # a comma-separated file with decimal commas is the usual cause: say so
        raise FileRefused(
            "misaligned_comma" if sep == "," else "misaligned", line=found.group(1), fields=found.group(2)
        ) from None
    return frame.mask(frame.eq(""))


def read_sheets(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet as a whole raw grid of cells, each a Python object (no header yet), the general way
    (python-calamine, pandas' CSV parser); raises FileRefused when unreadable. The plan's importer
    reads its files so; `read_grids` is what the checker reads."""
    path = _sniffed(path)
    if path.suffix.lower() in {".csv", ".txt"}:
        return {path.stem: _read_csv(path.read_bytes())}
    return {name: grid.top for name, grid in _read_workbook(path).items()}


def read_grids(path: Path, typed: bool = True) -> dict[str, Grid]:
    """Every sheet as a Grid; raises FileRefused when unreadable.

    typed: an xlsx sheet whose columns each hold one type of cell is read typed, straight into Arrow
    (fastexcel), below the header row found in its first rows (xlsx.first_rows); a CSV file through
    DuckDB's reader, as text. Anything else, and anything these readers cannot read exactly as the
    general way does, is read the general way (python-calamine, pandas). typed=False: always the
    general way (the reference tests/test_read_paths.py holds the typed readers to).
    """
    path = _sniffed(path)
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        raw = path.read_bytes()
        frame = _csv_typed(path, raw) if typed else None
        return {path.stem: Grid(frame if frame is not None else _read_csv(raw))}
    if typed and suffix in {".xlsx", ".xlsm"}:
        try:
            grids = _xlsx_typed(path)
        except Exception:  # whatever fastexcel cannot read, calamine reads or refuses in its own words
            grids = None
        if grids is not None:
            return grids
    return _read_workbook(path)


def _sniffed(path) -> Path:
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as e:
        raise FileRefused("cannot_open", detail=e.strerror) from None
    _sniff_refusals(path, head, size)
    return path


def _read_workbook(path: Path) -> dict[str, Grid]:
    """Every sheet through python-calamine, keeping the sheet's own row numbers; FileRefused when it
    cannot.

    python-calamine directly rather than pandas.read_excel: the same reader, without pandas'
    per-cell conversion, which was most of the time on a 100 000-row sheet.
    """
    try:
        book = CalamineWorkbook.from_path(str(path))
        # calamine reads error cells (#N/A) and formulas without a saved result as empty: find them, in
        # a thread of its own while calamine (which lets go of Python's lock) parses the cells.
        with ThreadPoolExecutor(max_workers=1) as pool:
            scan = pool.submit(xlsx.unreadable_and_merged, path) if path.suffix.lower() in {".xlsx", ".xlsm"} else None
            sheets = {str(name): _calamine_grid(book.get_sheet_by_name(name)) for name in book.sheet_names}
            unreadable = scan.result()[0] if scan is not None else {}
    except FileRefused:
        raise
    except Exception as e:  # calamine's errors are plain strings; translate them for the user
        raise FileRefused("unreadable", detail=str(e).splitlines()[0][:200]) from None
    for name, grid in sheets.items():
        grid.unreadable = unreadable.get(name, [])
    return sheets


def _calamine_grid(sheet) -> Grid:
    rows = sheet.to_python(skip_empty_area=False)
    frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
    try:
        merged = list(sheet.merged_cell_ranges or [])
    except Exception:  # not every format records merged cells
        merged = []
    return Grid(frame.mask(frame.eq("")), merged=merged)


# --- the typed readers --------------------------------------------------------------------------

# fastexcel logs a column without a value below its header ("falling back to string") as a warning,
# which Python would print on the command line: Balans reads such a column as empty, and says so itself.
logging.getLogger("fastexcel").setLevel(logging.ERROR)


def _xlsx_typed(path: Path) -> dict[str, Grid] | None:
    """Every sheet of an xlsx file, typed where it can be (see read_grids); None when the file's XML
    is not what xlsx.py follows, so that calamine reads the whole file."""
    with zipfile.ZipFile(path) as zf:
        members = xlsx.sheet_members(zf)
        if not members:
            return None
        tops = {name: xlsx.first_rows(zf, member, HEADER_SEARCH_ROWS) for name, member in members.items()}
    if any(top is None for top in tops.values()):
        return None
    with ThreadPoolExecutor(max_workers=1) as pool:
        scan = pool.submit(xlsx.unreadable_and_merged, path)
        reader = fastexcel.read_excel(str(path))
        if list(reader.sheet_names) != list(tops):
            return None
        grids = {name: _typed_sheet(reader, name, top, find_header_row(top)[0]) for name, top in tops.items()}
        unreadable, merged = scan.result()
    book = None
    for name, grid in grids.items():
        if grid is None:  # a column of several types, or one fastexcel reads otherwise than calamine
            book = book or CalamineWorkbook.from_path(str(path))
            grids[name] = grid = _calamine_grid(book.get_sheet_by_name(name))
        else:
            grid.merged = merged.get(name, [])
        grid.unreadable = unreadable.get(name, [])
    return grids


def _typed_sheet(reader, name: str, top: pd.DataFrame, header: int) -> Grid | None:
    """The sheet's rows below `header`, each column typed by fastexcel; None unless every column holds
    one type Balans reads exactly as calamine gives it (numbers, text, yes/no, nothing) and fastexcel
    found the header row's text where xlsx.first_rows did."""
    if top.empty:
        return None
    head = list(top.iloc[header]) if header < len(top) else []
    if any(cell is xlsx.NOT_TEXT for cell in head):
        return None  # a number or a date among the headers: its label is calamine's to give
    try:
        sheet = reader.load_sheet(name, header_row=header, schema_sample_rows=None, dtype_coercion="strict")
    except fastexcel.UnsupportedColumnTypeCombinationError:
        return None
    columns = sheet.available_columns()
    labels = [c for c in head if isinstance(c, str)]
    for info in columns:
        cell = head[info.absolute_index] if info.absolute_index < len(head) else None
        if isinstance(cell, str):
            same = info.name == cell or (labels.count(cell) > 1 and info.name.startswith(cell))
            if info.column_name_from != "looked_up" or not same:
                return None
        elif info.column_name_from == "looked_up":
            return None
        if info.dtype not in _TYPED:
            return None
    batch = sheet.to_arrow()
    width = max([len(head), *(c.absolute_index + 1 for c in columns)])
    index = pd.RangeIndex(header + 1, header + 1 + batch.num_rows)
    body = {pos: pd.Series(np.nan, index=index, dtype=object) for pos in range(width)}
    for info, values in zip(columns, batch.columns):
        body[info.absolute_index] = _typed_column(values, info.dtype, index)
    return Grid(top, header=header, below=pd.DataFrame(body, index=index))


# fastexcel's column types that hold exactly what calamine gives (dates and durations do not: calamine
# gives a date or a datetime by the cell's format, fastexcel one type for the column).
_TYPED = {"float", "string", "boolean", "null"}


def _typed_column(values: pa.Array, dtype: str, index: pd.Index) -> pd.Series:
    """An Arrow column as the checker takes it: numbers as float64, text as Arrow-backed str (an
    empty text missing, as calamine's empty cell), yes/no and nothing as objects."""
    if values.null_count == len(values):
        return pd.Series(np.nan, index=index, dtype=object)
    if dtype == "float":
        return pd.Series(values.to_numpy(zero_copy_only=False), index=index, dtype="float64")
    if dtype == "string":
        values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
        return pd.Series(pd.array(values, dtype="str"), index=index)
    if dtype == "text":  # Arrow text without an empty text (DuckDB's CSV reader gives a missing cell)
        return pd.Series(pd.array(values, dtype="str"), index=index)
    cells = values.to_numpy(zero_copy_only=False).astype(object)
    cells[pd.isna(cells)] = np.nan
    return pd.Series(cells, index=index, dtype=object)


def _csv_typed(path: Path, raw: bytes) -> pd.DataFrame | None:
    """A CSV file through DuckDB's reader, every cell as text, exactly as _read_csv reads it; None for
    a file that reader would read otherwise (not UTF-8, a blank line or a quoted line break, whose
    lines DuckDB numbers otherwise; a line of more fields than the first, which _read_csv refuses in
    its own words), so that _read_csv reads it or refuses it."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    first = raw[: raw.find(b"\n")] if b"\n" in raw else raw
    try:
        first = first.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        return None
    if not first.strip() or any(c in first for c in "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"):
        return None  # a line break of Python's own (str.splitlines, which _read_csv reads the first line by)
    sep = _separator(first)
    try:
        fields = len(next(csv.reader([first], delimiter=sep, quotechar='"', doublequote=True)))
    except csv.Error:  # a NUL, say: pandas' parser reads or refuses it
        return None
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(fields)) + "}"
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        # Large strings are pandas' own Arrow text type: the columns become the checker's without a cast.
        con.execute("SET arrow_large_buffer_size = true")
        # An empty field, quoted or not, is missing (nullstr '', allow_quoted_nulls), never an empty
        # text: the columns need no pass that turns "" into missing (_typed_column's "text").
        table = con.sql(
            f"SELECT * FROM read_csv(?, delim = ?, quote = '\"', escape = '\"', header = false, "
            f"auto_detect = false, columns = {columns}, null_padding = true, nullstr = '', "
            f"allow_quoted_nulls = true)",
            params=[str(path), sep],
        ).to_arrow_table()
    except duckdb.Error:
        return None
    finally:
        con.close()
    # pandas keeps a blank line as an empty row and DuckDB skips it: one row a line, or pandas reads it
    if table.num_rows != raw.count(b"\n") + (not raw.endswith(b"\n")):
        return None
    index = pd.RangeIndex(table.num_rows)
    return pd.DataFrame({i: _typed_column(table.column(i), "text", index) for i in range(fields)}, index=index)


def cell_name(row: int | None, col: int) -> str:
    """0-based (row, column) -> 'B3', or the column letter alone when row is None."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters if row is None else f"{letters}{row + 1}"


def frame_to_grid(df: pd.DataFrame) -> Grid:
    """A DataFrame with headers as the grid a spreadsheet reader gives (header in the first row)."""
    body = df.astype(object).set_axis(range(df.shape[1]), axis=1)
    return Grid(pd.concat([pd.DataFrame([list(df.columns)]), body], ignore_index=True))
