"""Tables out: CSV (UTF-8 with BOM, or semicolons and decimal commas for Swedish Excel) and xlsx.

Every exported text cell that begins with = + - @, a tab or a carriage return gets a leading
apostrophe (OWASP's rule against CSV injection), so a unit called "=HYPERLINK(...)" is shown as text
and never run as a formula. Numbers stay numbers: a gap of -3.2 is still -3.2.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    out.columns = [("'" + c) if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in out.columns]
    return out


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Hidden (suppressed) cells export as empty cells; lists (e.g. years) as text."""
    out = df.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return neutralise(out)


def to_csv(df: pd.DataFrame, swedish: bool = False) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads å, ä, ö; Swedish: ';' and decimal comma."""
    # CRLF rows, as Excel writes them; it also makes the csv module quote cells holding a bare \r.
    text = _plain(df).to_csv(index=False, sep=";" if swedish else ",", decimal="," if swedish else ".",
                             lineterminator="\r\n")
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
            name = base[:SHEET_MAX - len(suffix)].rstrip() + suffix
        taken.add(name.lower())
        out.append(name)
    return out


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            _plain(df).to_excel(writer, sheet_name=name[:31] or "table", index=False)
    return buf.getvalue()
