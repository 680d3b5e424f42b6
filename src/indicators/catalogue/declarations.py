"""columns.toml, read and checked: each column's declaration (`declared`), and the precision a
protected figure is published with (`published`, applied by privacy.publish).

Apart from columns.py (the formatters every output uses), so that the cell-key method can round what
it publishes from the same declarations without importing the formatters and their vocabularies
(goals, registry, the catalogue). Imports nothing of Balans.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

CATALOGUE = Path(__file__).with_name("columns.toml")
NUMBER_KINDS = ("count", "share", "percent", "points", "sek", "days", "ratio", "number")
KINDS = (*NUMBER_KINDS, "year", "id", "code", "flag", "text", "date", "unit", "linked", "target")
ROLES = ("label", "finding", "", "technical")  # a page's table's order of columns (Column.role)
DECIMALS = {"count": 0, "share": 1, "percent": 1, "points": 1, "sek": 0, "days": 0, "ratio": 2, "number": 1}
# The digits a protected figure is published with, where they differ from the digits shown (a column's
# `precision` in columns.toml overrides both): kronor in whole hundreds. Every other kind is published
# as it is shown, so the machine CSV carries no digit the page does not (`published`).
PRECISION = {"sek": -2}
# A pay table in gross hourly pay (its pay_measure column, issue 21) publishes kronor whole: an hourly
# wage of some 300 SEK in whole hundreds would say nothing, and whole kronor of it are as coarse (0.3 %)
# as whole hundreds of a monthly salary (0.2 %).
PRECISION_BY_MEASURE = {"hourly": {"sek": 0}}


class UndeclaredColumn(KeyError):
    """A table has a column that columns.toml does not declare (tests/test_columns.py finds them all)."""

    def __str__(self) -> str:
        table, column = self.args
        return f"column {column!r} of table {table!r} is not declared in {CATALOGUE.name}"


@dataclass(frozen=True)
class Column:
    """One column's declaration (columns.toml).

    kind: see KINDS. decimals: digits shown (NUMBER_KINDS; a share's are of its percent).
    precision: digits a protected figure is published with, as decimals (-2: whole hundreds); by
    default PRECISION's for its kind, else its decimals (`published_decimals`).
    vocab: for codes, the catalogue's vocabularies that translate them, tried in order (a code none
    knows is shown as it is; columns.py resolves them). list: the value is a comma-separated list of codes, each translated.
    only: "sv" or "en": shown only in that language (name_sv beside name_en). show: False keeps the
    column out of the page and the human files (the machine CSV has every column).
    by, via: for kind "linked", the column naming the row's indicator and how it names it
    ("goals": a registry id whose scorecard headline gives the column; "plan": a key of columns.toml's
    [link.plan]), whose declaration formats the value.
    """

    name: str
    kind: str
    sv: str
    en: str
    decimals: int = 0
    precision: int | None = None
    vocab: tuple[str, ...] = ()
    list: bool = False
    only: str | None = None
    show: bool = True
    by: str = "indicator"
    via: str = "goals"
    # For a code column whose codes mean different things by row: the column `by` names (e.g. the art. 9
    # table's part) -> the vocabulary of that row's code (a quartile "2" and a job level "2").
    vocab_by: tuple[tuple[str, str], ...] = ()
    about_sv: str = ""
    about_en: str = ""
    # Where a page's table puts it (columns.toml `role`; the downloads keep the table's own order):
    # "label" first and pinned (what a row is about), "finding" next, then the rest, "technical" last
    # (interval bounds, flags, what a model held equal): at 1280 px the finding is on screen.
    role: str = ""

    def label(self, lang: str) -> str:
        return self.sv if lang == "sv" else self.en

    def about(self, lang: str) -> str:
        return self.about_sv if lang == "sv" else self.about_en

    def shown_in(self, lang: str) -> bool:
        return self.show and (self.only is None or self.only == lang)


@dataclass(frozen=True)
class Catalogue:
    columns: dict[str, dict]  # shared declarations by column name
    tables: dict[str, dict[str, dict]]  # table id -> column -> what it overrides
    aliases: dict[str, str]  # another name of a table (goals.scorecard_units -> scorecard)
    headlines: dict[str, dict]  # [headline]: a sub-goal's headline indicator -> how its value is written
    links: dict[str, dict[str, dict]] = field(default_factory=dict)  # [link.<via>]: key -> table, column, where


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """columns.toml, read once and checked: every kind known, every entry with its labels."""
    with open(CATALOGUE, "rb") as f:
        data = tomllib.load(f)
    unknown = set(data) - {"column", "table", "alias", "headline", "link"}
    if unknown:  # the words of a vocabulary are the catalogue's books (vocabularies.toml), not here
        raise ValueError(f"{CATALOGUE.name}: unknown tables {sorted(unknown)}")
    cat = Catalogue(
        data.get("column", {}),
        data.get("table", {}),
        data.get("alias", {}),
        data.get("headline", {}),
        data.get("link", {}),
    )
    for name, entry in cat.columns.items():
        _check(None, name, entry)
    for table, cols in cat.tables.items():
        for name, entry in cols.items():
            _check(table, name, {**cat.columns.get(name, {}), **entry})
    for indicator, entry in cat.headlines.items():
        if entry.get("kind") not in NUMBER_KINDS:
            raise ValueError(f"{CATALOGUE.name}: [headline] {indicator}: kind {entry.get('kind')!r} is not a number's")
    return cat


def _check(table, name, entry) -> None:
    where = f"{CATALOGUE.name}: {'[table.' + table + '] ' if table else '[column] '}{name}"
    if entry.get("kind") not in KINDS:
        raise ValueError(f"{where}: kind {entry.get('kind')!r} is not one of {', '.join(KINDS)}")
    if entry.get("role", "") not in ROLES:
        raise ValueError(f"{where}: role {entry.get('role')!r} is not one of {', '.join(r for r in ROLES if r)}")
    if not entry.get("sv") or not entry.get("en"):
        raise ValueError(f"{where}: a Swedish (sv) and an English (en) label are both needed")


def links(via: str) -> dict[str, tuple[str, str, dict]]:
    """[link.<via>] of columns.toml: what a linked column's row names (a plan's measure: "share_women:professor")
    -> (the registry table its value is read from, the column, the row as column -> value)."""
    return {
        key: (entry["table"], entry["column"], dict(entry.get("where", {})))
        for key, entry in catalogue().links.get(via, {}).items()
    }


def table_id(source: str) -> str:
    """The table a page section's source shows: its own id, or the one it is an alias of."""
    return catalogue().aliases.get(source, source)


def declared(table: str, name: str) -> Column:
    """The declaration of `name` in `table` (the table's override over the shared one); raises
    UndeclaredColumn when there is none."""
    cat = catalogue()
    table = table_id(table)
    entry = {**cat.columns.get(name, {}), **cat.tables.get(table, {}).get(name, {})}
    if not entry:
        raise UndeclaredColumn(table, name)
    vocab = entry.get("vocab", ())
    return Column(
        name=name,
        kind=entry["kind"],
        sv=entry["sv"],
        en=entry["en"],
        decimals=int(entry.get("decimals", DECIMALS.get(entry["kind"], 0))),
        precision=int(entry["precision"]) if "precision" in entry else None,
        vocab=(vocab,) if isinstance(vocab, str) else tuple(vocab),
        list=bool(entry.get("list", False)),
        only=entry.get("only"),
        show=bool(entry.get("show", True)),
        by=entry.get("by", "indicator"),
        via=entry.get("via", "goals"),
        vocab_by=tuple(entry.get("vocab_by", {}).items()),
        about_sv=entry.get("about_sv", ""),
        about_en=entry.get("about_en", ""),
        role=entry.get("role", ""),
    )


def published_decimals(c: Column) -> int | None:
    """The decimals of the value as stored of a protected figure of column c (a share's are of the
    fraction: 0.1 percentage point is 3), or None when c holds no number."""
    if c.kind not in NUMBER_KINDS:
        return None
    digits = c.precision if c.precision is not None else PRECISION.get(c.kind, c.decimals)
    return digits + 2 if c.kind == "share" else digits


def round_half_up(values, decimals: int) -> np.ndarray:
    """`rounded` over an array (NaN stays NaN): half away from zero on the decimal digits, the float
    noise taken off first (2.675 -> 2.68, as Excel and the page round it); negative decimals round to
    tens, hundreds (50 744.12 -> 50 700 with -2)."""
    x = np.asarray(values, dtype=float)
    scaled = np.round(x * 10.0**decimals, 6)  # 267.49999999999997 -> 267.5: the float noise off
    whole = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    out = whole / 10.0**decimals if decimals >= 0 else whole * 10.0**-decimals
    return out + 0.0  # -0.0 -> 0.0


# (the catalogue they were read from, table -> column -> decimals): `decimals_published` runs for
# every column of every protected table twice a publish, and `declared` builds a Column each time.
_MEMO: list = [None, {}]


def decimals_published(table: str, name: str, by_measure: dict[str, int] | None = None) -> int | None:
    """`published_decimals` of column `name` in `table`, None also where the table does not declare
    it; remembered per catalogue read. `by_measure` (kind -> decimals, PRECISION_BY_MEASURE of the table's
    measure of pay) replaces the kind's default for a column without a precision of its own."""
    cat = catalogue()
    if _MEMO[0] is not cat:
        _MEMO[:] = [cat, {}]
    memo = _MEMO[1]
    if (table, name) not in memo:
        try:
            c = declared(table, name)
            memo[(table, name)] = (published_decimals(c), c.kind if c.precision is None else None)
        except UndeclaredColumn:
            memo[(table, name)] = (None, None)
    decimals, kind = memo[(table, name)]
    return by_measure[kind] if by_measure and kind in by_measure else decimals


def precision_by_measure(measures) -> dict[str, int]:
    """PRECISION_BY_MEASURE of a pay table's one measure of pay (its pay_measure column), else none."""
    if measures is None:
        return {}
    # as a list of objects first: iterating pandas' Arrow string array makes each value on its own,
    # three times as slow (publish asks two or three times a table)
    found = {m for m in np.asarray(measures, dtype=object).tolist() if isinstance(m, str)}
    return PRECISION_BY_MEASURE.get(next(iter(found)), {}) if len(found) == 1 else {}
