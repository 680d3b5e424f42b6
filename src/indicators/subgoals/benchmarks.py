"""National benchmarks beside the unit (issue 24): women and men in a position category in the country.

Two sources, one table:

* the figures Balans ships, `data/benchmarks.csv` (in the import template's columns), each row naming
  the published document it comes from: UKÄ's and SCB's counts of professors, lektorer and adjunkter by
  gender that the README cites ("Data formats", benchmarks). A figure that could not be read from a
  published source is not shipped;
* a user's own, imported as the sheet kind `benchmarks` (store/schema.py; year, category, women, men,
  source, optionally a subject area), for the figures Balans does not ship (a subject area, the newly
  recruited professors, a newer year). An imported row replaces a shipped one of the same year,
  category and subject area.

National figures are public statistics about groups of thousands: nothing here is perturbed or hidden.
The unit's own figures beside them are the published ones (`representation`, protected as ever).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..protect import arrays, privacy
from ..protect.privacy import Protection
from ..protect.registry import REGISTRY, Filters, base_table, register
from ..store import cells, sql
from ..store.schema import BENCHMARK_CATEGORIES, DATA_DIR

SHIPPED = DATA_DIR / "benchmarks.csv"
COLUMNS = ["year", "category", "women", "men", "source", "subject_area"]


@cache
def shipped(path: Path = SHIPPED) -> pd.DataFrame:
    """The national figures Balans ships (data/benchmarks.csv), checked: a known category, whole counts,
    a source on every row."""
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for i, r in enumerate(rows, start=2):
        if r["category"] not in BENCHMARK_CATEGORIES or not r["source"].strip():
            raise ValueError(f"{path.name}, row {i}: unknown category {r['category']!r} or no source")
        out.append(
            {
                "year": int(r["year"]),
                "category": r["category"],
                "women": int(r["women"]),
                "men": int(r["men"]),
                "source": r["source"].strip(),
                "subject_area": r.get("subject_area") or None,
            }
        )
    return pd.DataFrame(out, columns=COLUMNS)


def national(cur) -> pd.DataFrame:
    """Every national figure: the imported rows, and the shipped ones that no imported row replaces (same
    year, category and subject area), with `origin` "imported" or "shipped" and women's share."""
    return national_of(cur.execute(cells.IMPORTED_BENCHMARKS).df())


def national_of(imported: pd.DataFrame) -> pd.DataFrame:
    """`national` from the imported rows (cells.IMPORTED_BENCHMARKS, as queried or held in memory)."""
    imported = imported.assign(origin="imported")
    ships = shipped().assign(origin="shipped")
    key = ["year", "category", "subject_area"]
    both = pd.concat([imported, ships], ignore_index=True)
    both["_area"] = both["subject_area"].fillna("")
    both = both.drop_duplicates(["year", "category", "_area"], keep="first").drop(columns="_area")
    both["women"], both["men"] = both["women"].astype("int64"), both["men"].astype("int64")
    two = both["women"] + both["men"]
    both["share_women"] = (both["women"] / two).where(two > 0)
    return both.sort_values(key, na_position="first").reset_index(drop=True)


def short_source(source: str) -> str:
    """A source as a chart's label names it: its publisher, the text before the first comma ("UKÄ/SCB")."""
    return str(source).split(",", 1)[0].strip()


@dataclass(frozen=True)
class Reference:
    """One national figure to draw beside the unit's: women's share in `category` in `year`."""

    category: str
    year: int
    share: float
    source: str  # the publisher (`short_source`); the document is in the table

    def label(self, words: str) -> str:
        """'<words> 2020 (UKÄ/SCB)': words say what it is ("Riket, professorer")."""
        return f"{words} {self.year} ({self.source})"


def references(cur, year: int | None) -> dict[str, Reference]:
    """For each category, the newest national figure of the whole country (no subject area) from `year`
    or before (national statistics come a year or two after the year they describe, so the newest
    is often older than the page's year; the label says which year it is)."""
    return references_in(national(cur), year)


def references_in(df: pd.DataFrame, year: int | None) -> dict[str, Reference]:
    """`references` among the national figures `df` (`national`)."""
    df = df[df["subject_area"].isna() & df["share_women"].notna()]
    if year is not None:
        df = df[df["year"] <= year]
    out = {}
    for category, rows in df.groupby("category"):
        r = rows.sort_values("year").iloc[-1]
        out[str(category)] = Reference(
            str(category), int(r["year"]), float(r["share_women"]), short_source(r["source"])
        )
    return out


def reference(cur, categories: tuple[str, ...], year: int | None) -> Reference | None:
    """The first of `categories` with a national figure from `year` or before (`references`)."""
    return first_reference(references(cur, year), categories)


def first_reference(found: dict[str, Reference], categories: tuple[str, ...]) -> Reference | None:
    return next((found[c] for c in categories if c in found), None)


# --- the table: the country beside the unit ---------------------------------------------------------------


def _unit(base: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The unit's women and men per position in f.year, as `representation` publishes them (protected, or
    exact for those allowed), from its base table."""
    published = privacy.publish(base, REGISTRY["representation"].protection, f, f.exact)
    return published[["position", "women", "men", "share_women", "suppressed"]]


def _from_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """national_benchmarks from the snapshot in memory: the imported national figures held with its cells
    and the unit's `representation` summed from them."""
    careers = held.careers()  # the national figures are held with the career cells
    if careers is None or careers.benchmarks is None:
        return None
    year = f.year if f.year is not None else held.latest_year()
    unit = REGISTRY["representation"].from_cells
    return _beside(held_national(held), f, year, lambda g: unit(held, g))


def held_national(held: cells.Cells) -> pd.DataFrame:
    """`national` of a snapshot whose cells are held, made once per snapshot (read-only)."""
    return held.once("national", lambda: national_of(held.careers().benchmarks))


@register(id="national_benchmarks", protection=Protection(inherited=True, rows=None), cells=_from_cells)
def national_benchmarks(cur, f: Filters) -> pd.DataFrame:
    """Each national figure of the chosen positions (every one, each subject area, up to f.year), with the
    unit's women, men and women's share in f.year beside it (as `representation` publishes them) and
    the difference in percentage points, unit minus country. Rows of the country's newly recruited
    professors have no unit figure here (new_professors has it). national_share = W / (W + M) of the
    national counts; their source names the document.
    """
    return _beside(
        national(cur), f, sql.year_or_latest(cur, f.year), lambda g: base_table(cur, REGISTRY["representation"], g)
    )


def _beside(df: pd.DataFrame, f: Filters, year: int | None, base) -> pd.DataFrame:
    """national_benchmarks from the national figures `df` (`national`), the year and `base`, the unit's
    representation base table for some filters: each national row of the year or before (of the
    positions chosen), the unit's published row of its category beside it (a left join on the
    category; `representation` has one row per position in a year), on arrays (protect/arrays.py:
    a merge and a dozen column operations in pandas cost ten times the numbers)."""
    cols = arrays.columns_of(df)
    keep = np.ones(arrays.length(cols), dtype=bool)
    if year is not None:
        keep &= np.asarray(cols["year"]) <= year
    if f.positions:
        keep &= np.array([c in f.positions for c in cols["category"]], dtype=bool)
    rows = np.flatnonzero(keep)
    national = {name: a[rows] for name, a in cols.items()}
    g = f.with_(year=year)
    unit = arrays.columns_of(_unit(base(g), g)) if year is not None else {"position": []}
    at = {p: i for i, p in enumerate(unit["position"])}
    match = np.array([at.get(c, -1) for c in national["category"]], dtype=np.int64)

    def beside(name: str) -> np.ndarray:
        # the unit's column in each national row's order, NaN where its category has no unit row
        return np.append(arrays.values(unit, name), np.nan)[match]

    women, men, share = beside("women"), beside("men"), beside("share_women")
    suppressed = np.append(np.asarray(unit.get("suppressed", []), dtype=bool), False)[match]
    n = len(rows)
    out = {
        "year": np.full(n, year, dtype=np.int64 if year is not None else object),
        "category": national["category"],
        "subject_area": national["subject_area"],
        "national_year": national["year"],
        "national_women": national["women"],
        "national_men": national["men"],
        "national_share": national["share_women"],
        "women": arrays.nullable_ints(np.nan_to_num(women), np.isnan(women)),
        "men": arrays.nullable_ints(np.nan_to_num(men), np.isnan(men)),
        "share_women": share,
        "difference_pp": (share - arrays.values(national, "share_women")) * 100,
        "source": national["source"],
        "origin": national["origin"],
        "suppressed": suppressed,
    }
    return arrays.frame(out)
