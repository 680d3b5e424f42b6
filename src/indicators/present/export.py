"""Tables out: CSV (UTF-8 with BOM) and xlsx, as columns.py formats them from columns.toml.

The declared writers, which the downloads, the workbook and `python -m indicators export` use:

* `machine_csv(df, table)`: English column codes, codes as values, every column (the suppressed
  flag too), numbers at full precision without float noise, true/false, ',': for scripts, and the
  same bytes on every run;
* `swedish_csv(df, table, k)`: the page's table for Swedish Excel: Swedish headers and words, ';',
  decimal commas, values rounded as shown, hidden rows saying why;
* `workbook(sheets, lang, k)`: one sheet per table, named by its title, in the order given, numbers
  as real numbers with number formats.

`to_csv` and `to_xlsx` write a frame as it is (the EU art. 9 report's own workbook, tables without
a declaration).

Every exported text cell that begins with = + - @, a tab or a carriage return gets a leading
apostrophe (OWASP's rule against CSV injection), so a unit called "=HYPERLINK(...)" is shown as text
and never run as a formula. Numbers stay numbers: a gap of -3.2 is still -3.2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd

from ..catalogue import text
from . import columns
from .columns import (
    NUMBER_KINDS,
    cell,
    csv_number,
    date_text,
    declared,
    denoised,
    hidden_reason,
    hidden_rows,
    is_missing,
    linked,
    number_format,
    plain,
    visible,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    out.columns = [("'" + c) if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in out.columns]
    return out


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Hidden (suppressed) cells export as empty cells; lists (e.g. years) as text."""
    out = df.copy()
    for col in out.columns:
        # only a column of Python objects can hold lists (a datetime column's map() stays datetime)
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return neutralise(out)


def to_csv(df: pd.DataFrame, swedish: bool = False) -> bytes:
    """A frame as it is: UTF-8 with a byte-order mark, so that Excel reads å, ä, ö; Swedish: ';' and
    decimal comma. (The declared tables use machine_csv and swedish_csv.)"""
    # CRLF rows, as Excel writes them; it also makes the csv module quote cells holding a bare \r.
    text = _plain(df).to_csv(
        index=False, sep=";" if swedish else ",", decimal="," if swedish else ".", lineterminator="\r\n"
    )
    return ("\ufeff" + text).encode("utf-8")


# Excel refuses these in a sheet's name, and names longer than 31 characters.
SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
SHEET_MAX = 31


def sheet_names(titles: list[str]) -> list[str]:
    """Sheet names from titles, as Excel allows them: the forbidden characters []:*?/\\ become
    spaces, at most 31 characters, and unique regardless of case (a repeat gets " (2)", " (3)" ...)."""
    out, taken = [], set()
    for title in titles:
        base = " ".join(str(title).translate(SHEET_FORBIDDEN).split())[:SHEET_MAX].strip() or "table"
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: SHEET_MAX - len(suffix)].rstrip() + suffix
        taken.add(name.lower())
        out.append(name)
    return out


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Frames as they are, one sheet each (the declared tables use `workbook`)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            _plain(df).to_excel(writer, sheet_name=name[:31] or "table", index=False)
    return buf.getvalue()


# --- the declared tables ---------------------------------------------------------------------------


def _safe(text: str) -> str:
    """OWASP's rule against CSV injection: text that a spreadsheet would run as a formula gets a
    leading apostrophe (numbers are written as numbers and never need it)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(rows: list[list[str]], sep: str) -> bytes:
    # UTF-8 with a byte-order mark so that Excel reads å, ä, ö; CRLF rows, as Excel writes them
    # (it also makes the csv module quote cells holding a bare \r).
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _machine(c: columns.Column, v) -> str:
    if is_missing(v):
        return ""
    if isinstance(v, (bool,)) or type(v).__name__ == "bool_":
        return "true" if v else "false"
    if c.kind == "flag":
        return "true" if bool(v) else "false"
    if isinstance(v, (dt.date, dt.datetime, pd.Timestamp)):
        return date_text(v)
    if isinstance(v, str):
        return _safe(v)
    if columns.is_list(v):
        return _safe(", ".join(map(str, columns.as_list(v))))
    if isinstance(v, int) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iu"):
        return str(int(v))  # exact, however large (a float would round above 2**53)
    try:
        return plain(v)
    except (TypeError, ValueError, ArithmeticError):
        return _safe(str(v))


def machine_csv(df: pd.DataFrame, table: str) -> bytes:
    """The machine-readable CSV: English column codes as headers, codes as values, every column
    (the suppressed flag too), numbers at full precision without float noise, true/false, ','."""
    cols = [declared(table, n) for n in df.columns]
    rows = [[_safe(str(c.name)) for c in cols]]
    for values in df.itertuples(index=False, name=None):
        rows.append([_machine(c, v) for c, v in zip(cols, values)])
    return _csv(rows, ",")


UNIT_SUFFIX = {"share": "%", "percent": "%", "points": text("app", "points_unit", "sv"), "sek": "kr"}


def _csv_header(c: columns.Column) -> str:
    """The Swedish CSV's header: the label, with the unit its bare numbers are in when it does not say."""
    label = c.label("sv")
    unit = UNIT_SUFFIX.get(c.kind)
    return label if unit is None or unit in label else f"{label} ({unit})"


def _swedish(c: columns.Column, v, row: pd.Series, table: str, k: int, names: dict | None) -> str:
    if is_missing(v):
        return ""
    if c.kind in NUMBER_KINDS:
        return csv_number(c, v)
    if c.kind in ("year", "id"):
        return cell(c, v, "sv")
    if c.kind == "linked":  # a column of several units (a share beside a ratio): as the page says it
        return cell(c, v, "sv", row, table).replace("\u00a0", " ").replace("\u2212", "-")
    return _safe(cell(c, v, "sv", row, table, names))


def swedish_csv(df: pd.DataFrame, table: str, k: int = 5, names: dict | None = None) -> bytes:
    """The Swedish Excel CSV: the page's Swedish table with bare numbers (';', decimal comma,
    rounded as shown, shares in percent, the unit in the header), hidden rows saying why."""
    hidden = hidden_rows(df)
    cols = visible(df, table, "sv")
    rows = [[_safe(_csv_header(c)) for c in cols] + ([text("app", "hidden", "sv")] if hidden.any() else [])]
    for (_, r), h in zip(df.iterrows(), hidden):
        line = [_swedish(c, r[c.name], r, table, k, names) for c in cols]
        if hidden.any():
            line.append(hidden_reason(r, k, "sv") if h else "")
        rows.append(line)
    return _csv(rows, ";")


def _xlsx_value(c: columns.Column, v, row: pd.Series, table: str, lang: str, names: dict | None):
    """(value, number format) of one cell: numbers as numbers (shares as fractions), the rest as shown."""
    if is_missing(v):
        return None, None
    if c.kind == "linked":
        via = linked(c, row, table)
        return _xlsx_value(via, v, row, table, lang, names) if via is not None else (cell(c, v, lang, row, table), None)
    if c.kind in NUMBER_KINDS:
        return float(denoised(v)), number_format(c, lang)
    if c.kind in ("year", "id") and not isinstance(v, str):
        return int(float(v)), "0"
    if c.kind == "date":
        ts = pd.Timestamp(v)
        return ts.to_pydatetime(), "yyyy-mm-dd" if ts == ts.normalize() else "yyyy-mm-dd hh:mm"
    return _safe(cell(c, v, lang, row, table, names)), None


def workbook(
    sheets: list[tuple[str, pd.DataFrame, str | None]], lang: str, k: int | dict = 5, names: dict | None = None
) -> bytes:
    """A workbook of (title, table, table id) in the order given, each sheet named by its title
    (export.sheet_names: Excel's rules). A declared table's numbers are real numbers with their
    number formats, its headers and words in `lang`, hidden rows with the reason; a sheet whose id
    is None is written as it is (a note). k: one k, or table id -> k."""
    # here, not at the top: openpyxl takes over half a second to import, and only a workbook needs it
    from openpyxl import Workbook
    from openpyxl.styles import Font  # (the same)
    from openpyxl.utils import get_column_letter  # (the same)

    wb = Workbook()
    wb.remove(wb.active)
    for name, (_, df, table) in zip(sheet_names([s[0] for s in sheets]), sheets):
        ws = wb.create_sheet(name)
        kk = k.get(table, 5) if isinstance(k, dict) else k
        if table is None:
            ws.append([_safe(str(c)) for c in df.columns])
            for values in df.itertuples(index=False, name=None):
                ws.append([None if is_missing(v) else _safe(str(v)) if isinstance(v, str) else v for v in values])
            continue
        hidden = hidden_rows(df)
        cols = visible(df, table, lang)
        heads = [c.label(lang) for c in cols] + ([text("app", "hidden", lang)] if hidden.any() else [])
        for j, head in enumerate(heads, start=1):
            ws.cell(row=1, column=j, value=_safe(head)).font = Font(bold=True)
            ws.column_dimensions[get_column_letter(j)].width = max(10, min(45, len(head) + 3))
        for i, ((_, r), h) in enumerate(zip(df.iterrows(), hidden), start=2):
            for j, c in enumerate(cols, start=1):
                value, fmt = _xlsx_value(c, r[c.name], r, table, lang, names)
                target = ws.cell(row=i, column=j, value=value)
                if fmt is not None:
                    target.number_format = fmt
            if hidden.any() and h:
                ws.cell(row=i, column=len(cols) + 1, value=hidden_reason(r, kk, lang))
        ws.freeze_panes = "A2"
    if not wb.sheetnames:
        wb.create_sheet("Balans")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
