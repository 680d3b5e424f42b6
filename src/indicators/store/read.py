"""Read a file: every sheet of a spreadsheet as a raw grid of cells, or a refusal that says why not.

A grid is a DataFrame with one row per row of the sheet (index 0 is the sheet's first row) and one
column per column (0 is column A), holding the cells as the reader gives them, an empty cell as
missing; nothing is interpreted yet (headers.py finds the header row, check.py the values). A file
Balans cannot read at all (not a spreadsheet, too large, encrypted, damaged) raises FileRefused.
"""

from __future__ import annotations

import html
import io
import re
import tomllib
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from ..catalogue import i18n

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


class FileRefused(Exception):
    """The file cannot be read at all (not a spreadsheet, too large, encrypted, ...): a problem code
    of i18n.PROBLEMS and its parameters; str() is the command line's English."""

    def __init__(self, code: str, **params):
        super().__init__(i18n.problem_text(code, cli=True, **params))
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


def _read_csv(raw: bytes) -> pd.DataFrame:
    text = _decode_text(raw)
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (";", "\t", ",")}
    sep = max(counts, key=counts.get)
    if counts[sep] == 0:
        raise FileRefused("no_separator")
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=object,
                            keep_default_na=False, skip_blank_lines=False)
    except pd.errors.ParserError as e:
        found = re.search(r"line (\d+), saw (\d+)", str(e))
        if not found:
            raise FileRefused("misaligned_other", detail=str(e)) from None
        # a comma-separated file with decimal commas is the usual cause: say so
        raise FileRefused("misaligned_comma" if sep == "," else "misaligned",
                          line=found.group(1), fields=found.group(2)) from None
    return frame.mask(frame.eq(""))


def read_sheets(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet as a raw grid of cells (no header yet); raises FileRefused when unreadable."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as e:
        raise FileRefused("cannot_open", detail=e.strerror) from None
    _sniff_refusals(path, head, size)
    if path.suffix.lower() in {".csv", ".txt"}:
        return {path.stem: _read_csv(path.read_bytes())}
    try:
        return _read_workbook(path)
    except FileRefused:
        raise
    except Exception as e:  # calamine's errors are plain strings; translate them for the user
        raise FileRefused("unreadable", detail=str(e).splitlines()[0][:200]) from None


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


def _xlsx_unreadable_cells(path: Path, limit: int = 50) -> dict[str, list[tuple[int, int, str, dict]]]:
    """Per sheet name: (row, column, problem code, its parameters) of error cells and of formulas with
    no saved value (row and column 0-based)."""
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
                    what = ("error_cell", {"value": code})
                elif b"<f" in inner and not re.search(rb"<v>[^<]", inner):
                    what = ("formula_no_result", {})
                else:
                    continue
                found.append((int(row) - 1, _column_index(col.decode()), *what))
                if len(found) >= limit:
                    break
            out[html.unescape(name.decode())] = found
    return out


def cell_name(row: int | None, col: int) -> str:
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


def frame_to_grid(df: pd.DataFrame) -> pd.DataFrame:
    """A DataFrame with headers as the raw grid a spreadsheet reader gives (header in the first row)."""
    body = df.astype(object).set_axis(range(df.shape[1]), axis=1)
    return pd.concat([pd.DataFrame([list(df.columns)]), body], ignore_index=True)
