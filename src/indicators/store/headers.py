"""A sheet's header row, the columns its headers name (with the unit a header gives) and its kind.

The header row is whichever of the first HEADER_SEARCH_ROWS rows names the most columns Balans
knows; a header names a column by any of its aliases (schema.header_lookup), in any case, with or
without accents, and may carry a unit ("lön (kr/mån)", "sysselsättningsgrad %"). The sheet's kind
comes from its name ("Personal", "staff 2024") or, failing that, from its headers.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import schema
from .schema import KINDS, SheetKind, fold_accents, norm_header

HEADER_SEARCH_ROWS = 10


def lookup_header(cell: object, lookup: dict[str, str]) -> str | None:
    return header_and_unit(cell, lookup)[0]


def _unit_pattern() -> re.Pattern:
    words = sorted(((w, unit) for unit, ws in schema.HEADER_UNITS.items() for w in ws), key=lambda p: -len(p[0]))
    alternatives = "|".join(re.escape(w) for w, _ in words)
    # the unit last, after a space or comma, bare or in brackets: "lön (kr/mån)", "fte %", "lön, sek"
    return re.compile(
        rf"^(?P<base>.+?)[\s,]*(?:\((?P<a>{alternatives})\)|\[(?P<b>{alternatives})\]|(?<=[\s,])(?P<c>{alternatives})|(?P<d>%))$"
    )


_UNIT = _unit_pattern()
_UNIT_OF = {w: unit for unit, ws in schema.HEADER_UNITS.items() for w in ws}


def header_and_unit(cell: object, lookup: dict[str, str]) -> tuple[str | None, tuple[str, str] | None]:
    """The column a header names and the unit it gives, if any: (canonical, (unit, as written)).

    "Sysselsättningsgrad (%)" is fte in percent; "föräldraledighet dagar" parental_leave_days in days;
    "Årslön" monthly_salary, per year (which the reader then refuses). A header whose name without the
    unit is not a column is looked up whole (the aliases "tillgängliga dagar", "fte %").
    """
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return None, None
    h = norm_header(cell)
    for folded in (h, fold_accents(h)):
        if folded in schema.UNIT_HEADERS:
            name, unit = schema.UNIT_HEADERS[folded]
            if name in lookup.values():
                return name, (unit, str(cell).strip())
    found = _UNIT.match(h)
    if found:
        base = found.group("base").strip(" ,")
        written = next(g for g in found.group("a", "b", "c", "d") if g)
        name = lookup.get(base) or lookup.get(fold_accents(base))
        if name is not None:
            return name, (_UNIT_OF.get(written, "percent"), written)
    return lookup.get(h) or lookup.get(fold_accents(h)), None


def find_header_row(grid: pd.DataFrame) -> tuple[int, SheetKind | None, int]:
    """The row (0-based) among the first few whose cells name the most known columns."""
    best = (0, None, 0)
    lookups = [(kind, schema.header_lookup(kind)) for kind in KINDS.values()]
    for i in range(min(HEADER_SEARCH_ROWS, len(grid))):
        cells = list(grid.iloc[i])
        for kind, lookup in lookups:
            found = {lookup_header(c, lookup) for c in cells} - {None}
            score = len(found) + (10 if set(kind.required) <= found else 0)
            if score > best[2]:
                best = (i, kind, score)
    return best


def detect_kind(sheet_name: str, grid: pd.DataFrame) -> tuple[SheetKind | None, int]:
    """A sheet's kind from its name or, failing that, its headers; and its header row."""
    header_idx, by_headers, _ = find_header_row(grid)
    folded = fold_accents(norm_header(sheet_name))
    for kind in KINDS.values():
        names = {fold_accents(norm_header(n)) for n in kind.sheet_names}
        if folded in names or any(folded.startswith(n + " ") for n in names):
            return kind, header_idx
    return by_headers, header_idx
