"""An xlsx file's XML, read by hand for what the cell readers do not give: where each sheet is, its
error cells and formulas without a saved value, its merged cells, and its first rows' text.

The first rows are read without parsing the rest of the sheet, so that the header row can be found
before the typed reader (read.py) parses the whole sheet once, from that row on. A cell that is not
text there (a number, a date, yes/no) is NOT_TEXT: it names no column. Anything this module cannot
follow (a cell without its reference, a sheet it cannot find) makes it return None, and the file is
then read the general way (python-calamine).
"""

from __future__ import annotations

import html
import re
import zipfile

import numpy as np
import pandas as pd


class _NotText:
    """A cell in the first rows that holds something other than text."""

    def __repr__(self) -> str:
        return "NOT_TEXT"

    def __str__(self) -> str:  # no header, folded or not, is this
        return "\x00"


NOT_TEXT = _NotText()

_SHEET = re.compile(rb'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"')
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_ANY_CELL = re.compile(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
_ROW_START = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_MERGED = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_T = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>|<t(?:\s[^>]*)?/>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def sheet_members(zf: zipfile.ZipFile) -> dict[str, str] | None:
    """Sheet name -> the zip member holding its XML, in the workbook's order; None when unreadable."""
    try:
        workbook = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    targets = dict(re.findall(rb'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(rb'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    out = {}
    for name, rid in _SHEET.findall(workbook):
        target = targets.get(rid, b"").decode().lstrip("/")
        out[html.unescape(name.decode())] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def unreadable_and_merged(path, limit: int = 50) -> tuple[dict[str, list], dict[str, list]]:
    """Per sheet name: (row, column, problem code, its parameters) of error cells and of formulas with
    no saved value, which calamine reads as empty; and the merged ranges ((r0, c0), (r1, c1)). All
    0-based."""
    unreadable: dict[str, list] = {}
    merged: dict[str, list] = {}
    with zipfile.ZipFile(path) as zf:
        for name, member in (sheet_members(zf) or {}).items():
            try:
                tail = _tail_unless_unreadable(zf, member)
                xml = zf.read(member) if tail is None else tail
            except KeyError:
                continue
            end = xml.rfind(b"</sheetData>")
            merged[name] = [
                ((int(r0) - 1, column_index(c0.decode())), (int(r1) - 1, column_index(c1.decode())))
                for c0, r0, c1, r1 in _MERGED.findall(xml, max(end, 0))
            ]
            if tail is not None or (b't="e"' not in xml and b"<f" not in xml):
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
                found.append((int(row) - 1, column_index(col.decode()), *what))
                if len(found) >= limit:
                    break
            unreadable[name] = found
    return unreadable, merged


_SHEET_DATA_END = b"</sheetData>"
_CHUNK = 1 << 18  # a chunk of 1 MB was mapped and unmapped anew each time (malloc), and cost a fifth more


def _tail_unless_unreadable(zf: zipfile.ZipFile, member: str) -> bytes | None:
    """The sheet's XML from its last </sheetData> on (where the merged cells are), read a chunk at a
    time; None when the XML holds an error cell's or a formula's mark (t="e", <f) anywhere, or no
    </sheetData>, for the whole XML to be read and its cells looked at. A 100 000-row sheet is 68 MB
    of XML: held whole only to find that neither mark is there, it cost a quarter more CPU and 130 MB
    more memory (docs/performance.md, "The import on both cores")."""
    with zf.open(member) as f:
        carry, tail = b"", None
        while chunk := f.read(_CHUNK):
            data = carry + chunk  # a mark cut by the chunk's edge is whole here
            if b't="e"' in data or b"<f" in data:
                return None
            end = data.rfind(_SHEET_DATA_END)
            if end >= 0:
                tail = data[end:]
            elif tail is not None:
                tail += chunk
            carry = data[-(len(_SHEET_DATA_END) - 1) :]
    return tail


def first_rows(zf: zipfile.ZipFile, member: str, n: int) -> pd.DataFrame | None:
    """The sheet's first n rows as a grid: text cells as text, other cells NOT_TEXT, empty cells
    (an empty text, an error, a formula without a saved value) missing, as calamine reads them.
    None when the XML holds something this reader does not follow."""
    xml = _head(zf, member, n)
    if xml is None:
        return None
    cells: list[tuple[int, int, object]] = []
    shared: dict[int, tuple[int, int]] = {}  # shared string index -> where it goes
    for attrs, _close, inner in _ANY_CELL.findall(xml):
        ref = re.search(rb'\br="([A-Z]+)(\d+)"', attrs)
        if ref is None:
            return None
        row, col = int(ref.group(2)) - 1, column_index(ref.group(1).decode())
        if row >= n:
            break
        kind = re.search(rb'\bt="(\w+)"', attrs)
        kind = kind.group(1) if kind else b"n"
        inner = inner or b""
        value = re.search(rb"<v>(.*?)</v>", inner, re.S)
        if kind == b"inlineStr":
            text = _text(inner)
            if text:
                cells.append((row, col, text))
        elif kind == b"s" and value:
            shared[int(value.group(1))] = (row, col)
            cells.append((row, col, None))
        elif kind == b"str" and value and value.group(1):
            cells.append((row, col, _unescape(value.group(1))))
        elif kind in (b"n", b"b", b"d") and value and value.group(1):
            cells.append((row, col, NOT_TEXT))
        elif kind not in (b"n", b"b", b"d", b"e", b"s", b"str", b"inlineStr"):
            return None
    strings = _shared_strings(zf, max(shared) + 1) if shared else []
    if len(strings) <= max(shared, default=-1):
        return None
    at = {where: strings[i] for i, where in shared.items()}
    cells = [(r, c, at.get((r, c)) if v is None else v) for r, c, v in cells]
    cells = [(r, c, v) for r, c, v in cells if v is not None and v != ""]
    rows = 1 + max((r for r, _, _ in cells), default=-1)
    cols = 1 + max((c for _, c, _ in cells), default=-1)
    grid = np.full((rows, cols), np.nan, dtype=object)
    for r, c, v in cells:
        grid[r, c] = v
    return pd.DataFrame(grid)


def _head(zf: zipfile.ZipFile, member: str, n: int) -> bytes | None:
    """The sheet's XML up to the end of its nth row (or of its data), decompressed no further."""
    try:
        f = zf.open(member)
    except KeyError:
        return None
    with f:
        xml = b""
        while True:
            chunk = f.read(1 << 16)
            xml += chunk
            start = xml.find(b"<sheetData")
            end = xml.find(b"</sheetData>")
            if end >= 0:
                return xml[start:end]
            past = [m for m in _ROW_START.finditer(xml, max(start, 0)) if int(m.group(1)) > n]
            if past:
                return xml[start : past[0].start()]
            if not chunk:
                return xml[start:] if start >= 0 else None


def _shared_strings(zf: zipfile.ZipFile, count: int) -> list[str]:
    """The first `count` shared strings (fewer if the table is shorter), decompressed no further."""
    try:
        f = zf.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    out: list[str] = []
    with f:
        buffer = b""
        while len(out) < count:
            chunk = f.read(1 << 16)
            buffer += chunk
            pos = 0
            for m in _SI.finditer(buffer):  # whole items only: one cut by the chunk waits for the next
                out.append(_text(m.group(1) or b""))
                pos = m.end()
                if len(out) >= count:
                    break
            buffer = buffer[pos:]
            if not chunk:
                break
    return out


def _text(inner: bytes) -> str:
    """A string item's text: its <t> runs joined, phonetic guides left out, XML escapes undone."""
    inner = _PHONETIC.sub(b"", inner)
    return "".join(_unescape(m.group(1) or b"") for m in _T.finditer(inner))


def _unescape(raw: bytes) -> str:
    text = html.unescape(raw.decode("utf-8"))
    # Excel's own escape for characters XML cannot hold: _x000D_ is a carriage return
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text
