"""Every column of every table Balans shows, declared once, and the one formatter every output uses.

A column's declaration (`Column`, read from columns.toml beside this file) says what it holds (its
kind: count, share, percent, points, SEK, days, ratio, number, year, id, code, flag, text, date, unit,
and the two whose format follows the row: linked and target), its Swedish and English label, its
rounding, for codes the vocabulary that translates them, and what it means (the Method page). A
column shared by name across tables (women, share_women, year ...) is declared once under
[column]; a table overrides what differs for its own column under [table.<id>] (incidents' rate_women
is per 100 persons, sick leave's a share).

Every output formats from the declarations, so a download is exactly what the page shows:

* `shown(df, table, lang, k)`: the page's table (and the HTML report's): text in the language's
  format (catalogue/numbers.py: "55,6 %", "12 345"), codes in words, flags ✓/✗, hidden rows with
  the reason, headers translated;
* export.swedish_csv: Swedish headers and words, ';' and decimal commas, values rounded as shown,
  numbers still numbers a spreadsheet reads (no thousands separator, an ASCII minus, shares in
  percent);
* export.workbook: real numbers with `number_format` (shares as fractions with 0.0%, counts
  #,##0 ...), headers in the language, one sheet per table named by its title, in the order given;
* export.machine_csv: English codes as headers and values, full precision without float noise
  (`plain`: floats rounded to 10 decimals, 103.60000000000001 -> 103.6, 2.8e-17 -> 0), booleans
  true/false: the same table gives the same bytes on every run.

Rounding is half away from zero on the value's decimal digits (Excel's rule, and what a reader
expects: 0.125 -> 13 %), after the float noise is taken off, so the page, the Swedish CSV and the
workbook's displayed cell agree digit for digit. The declarations themselves, and the precision a
protected figure is published with (`published`, which privacy.publish applies), are in
declarations.py, which imports nothing of Balans: the cell-key method reads them without reaching
the formatters' vocabularies.

Every code is said from the catalogue: a column's `vocab` names a vocabulary of a book
(catalogue/vocabularies.toml, or "<book>:<vocabulary>"), and the two made from metadata are the
indicators' titles (registry) and the sub-goals numbered. Nothing here imports from above this floor.

No Streamlit here.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from .. import catalogue as words

# the declarations' names, here too for the readers of columns (export, the tests)
from ..catalogue.declarations import (  # noqa: F401  re-exported: read through columns by pages and tests
    CATALOGUE,
    DECIMALS,
    KINDS,
    NUMBER_KINDS,
    PRECISION,
    ROLES,
    Catalogue,
    Column,
    UndeclaredColumn,
    catalogue,
    declared,
    links,
    published_decimals,
    round_half_up,
    table_id,
)
from ..catalogue.numbers import decimal_commas, number
from ..catalogue.numbers import missing as _number_missing
from ..protect import registry
from ..store.sql import ALL_UNITS

t = words.texts("app")

NOISE_DECIMALS = 10  # what the machine CSV keeps: far below any rounding shown, far above float noise
FLAGS = {True: "✓", False: "✗"}
MISSING = "–"


def missing(df: pd.DataFrame, table: str) -> list[str]:
    """The columns of df that `table` does not declare."""
    out = []
    for name in df.columns:
        try:
            declared(table, name)
        except UndeclaredColumn:
            out.append(name)
    return out


def label(table: str, name: str, lang: str) -> str:
    """A column's heading in the language (what `shown` names it)."""
    return declared(table, name).label(lang)


def describe(table: str, names, lang: str) -> list[tuple[str, str, str]]:
    """(code, label, meaning) of each column in `names`, in the language (the Method page)."""
    return [(n, (c := declared(table, n)).label(lang), c.about(lang)) for n in names]


# --- values ----------------------------------------------------------------------------------------


def is_missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    try:
        return bool(pd.isna(v)) if not (is_list(v) or isinstance(v, str)) else False
    except (TypeError, ValueError):
        return False


def denoised(x) -> Decimal:
    """x without its float noise: rounded to NOISE_DECIMALS, as a decimal ('-0' becomes '0')."""
    d = Decimal(repr(round(float(x), NOISE_DECIMALS)))
    return d + 0 if d else Decimal(0)


def rounded(x, decimals: int) -> float:
    """x rounded half away from zero to `decimals` on its decimal digits (denoised first)."""
    return float(denoised(x).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def plain(x) -> str:
    """A number as the machine CSV writes it: no float noise, no exponent, no trailing zeros."""
    d = denoised(x).normalize()
    text = format(d, "f")
    return "0" if text in ("-0", "0") else text


def _value(c: Column, v) -> float:
    """The number the column's kind shows: shares in percent, everything else as it is."""
    return float(v) * 100 if c.kind == "share" else float(v)


def _page_number(c: Column, v, lang: str) -> str:
    x = rounded(_value(c, v), c.decimals)
    text = number(x, lang, c.decimals)
    if c.kind in ("share", "percent"):
        return f"{text}\u00a0%"
    if c.kind == "points":
        sign = "+" if x > 0 else ""
        return f"{sign}{text}\u00a0{t('points_unit', lang)}"
    return text


def csv_number(c: Column, v) -> str:
    """A number for Swedish Excel: rounded as shown, decimal comma, no grouping, ASCII minus."""
    x = rounded(_value(c, v), c.decimals) or 0.0  # -0.0 is written 0
    return f"{x:.{c.decimals}f}".replace(".", ",")


def _vocab_word(vocab: str, code, lang: str) -> str | None:
    """The word for code in one vocabulary, or None when it does not know the code."""
    pair = _vocab_pair(vocab, code)
    return None if pair is None else words.pick(pair, lang)


def _numbered_subgoal(code) -> tuple[str, str] | None:
    """A sub-goal by number and name: "1. Makt och inflytande" (subgoals.toml)."""
    try:
        n = int(float(code))
    except (ValueError, TypeError):
        return None
    pair = words.pair("subgoals", "subgoal", n)
    return None if pair is None else (f"{n}. {pair[0]}", f"{n}. {pair[1]}")


def _vocab_pair(vocab: str, code) -> tuple[str, str] | None:
    """A code's (Swedish, English) words in the vocabulary a column names: "position" is [vocab.position]
    of catalogue/vocabularies.toml, "subgoals:status" a vocabulary of another book. Two are made from
    metadata: "indicator" (a registry id, by the title in its .meta.toml) and "subgoal" (numbered). A
    bare name is the vocabulary of every book together (catalogue.everywhere)."""
    key = str(code)
    if vocab.startswith("text:"):  # "text:<book>/<key>": the book's sentence with {n} the code ("job level 3")
        name, _, text_key = vocab.removeprefix("text:").partition("/")
        sv, en = words.book(name).text[text_key]
        n = key.removesuffix(".0")
        return sv.format(n=n), en.format(n=n)
    if vocab == "indicator":
        ind = registry.REGISTRY.get(key)
        return None if ind is None else ind.titles
    if vocab == "subgoal":
        return _numbered_subgoal(code)
    book, _, name = vocab.rpartition(":")
    if not book:  # a bare name: the vocabulary as every book declares it (the sheet kinds of careers and pay too)
        every = words.everywhere(name)
        if not every:
            raise ValueError(f"{CATALOGUE.name}: unknown vocabulary {vocab!r}")
        return every.get(words.code_key(code))
    try:
        return words.pair(book, name, code)
    except KeyError:
        raise ValueError(f"{CATALOGUE.name}: unknown vocabulary {vocab!r}") from None


def word(c: Column, code, lang: str, row: pd.Series | None = None) -> str:
    """A code in words: the first of the column's vocabularies that knows it, else the code itself; where
    the column's vocabulary depends on the row (vocab_by), the row's."""
    if c.list:
        return ", ".join(
            word(Column(c.name, "code", c.sv, c.en, vocab=c.vocab), part.strip(), lang)
            for part in str(code).split(",")
            if part.strip()
        )
    vocabs = c.vocab
    if c.vocab_by and row is not None and dict(c.vocab_by).get(str(row.get(c.by))) is not None:
        vocabs = (dict(c.vocab_by)[str(row.get(c.by))],)
    for vocab in vocabs:
        found = _vocab_word(vocab, code, lang)
        if found is not None:
            return found
    return words.code_key(code)


def target_words(text, lang: str):
    """A scorecard target in the page's language, in one pass: a unit's own target's words ("≥ 35 %
    (unit's own target, 2027)", written in English by goals.own_target), "|gap| ≤ 5 %" as "skillnad
    inom ±5 %" / "gap within ±5 %" (|gap| is a formula, not a word), and in Swedish decimal commas
    ("≥ 0,8"). Anything not a string is returned as it is."""
    if not isinstance(text, str):
        return text
    text = text.replace(words.text("subgoals", "own_target", "en"), words.text("subgoals", "own_target", lang))
    text = re.sub(
        r"\|gap\|\s*≤\s*(\S+ %)", lambda m: words.text("subgoals", "gap_within", lang, value=m.group(1)), text
    )
    # a number kept with its unit and its sign ("12,0 %", "±5 %", "≥ 0,8"): no-break spaces, so that a
    # narrow column never leaves "%" or "0,8" alone on a line
    text = re.sub(r"(?<=\d) %", "\u00a0%", text)
    text = re.sub(r"([≥≤]) (?=[\d−-])", "\\1\u00a0", text)
    return decimal_commas(text, lang)


# --- the scorecard's headlines ---------------------------------------------------------------------


def headline_form(indicator: str) -> Column | None:
    """How a sub-goal's headline value is written (columns.toml [headline], by its indicator): the card,
    its downloads and the page's first finding all write it so. None: not a headline declared there."""
    entry = catalogue().headlines.get(indicator)
    if entry is None:
        return None
    kind = entry["kind"]
    return Column(name="value", kind=kind, sv="", en="", decimals=int(entry.get("decimals", DECIMALS.get(kind, 0))))


def headline_value(indicator: str, value, lang: str) -> str:
    """A headline value as the card and the page's headline finding write it ('–' when there is none)."""
    form = headline_form(indicator)
    if form is None:
        raise UndeclaredColumn("[headline]", indicator)
    return cell(form, value, lang)


def headline_name(indicator: str, lang: str) -> str:
    """A sub-goal's headline by name (subgoals.toml [vocab.headline]), else its indicator's title."""
    found = _vocab_word("subgoals:headline", indicator, lang) or _vocab_word("indicator", indicator, lang)
    return found if found is not None else indicator


def linked(c: Column, row: pd.Series, table: str) -> Column | None:
    """The declaration that formats a linked cell: that of the column its row's indicator names."""
    ref = row.get(c.by)
    if not isinstance(ref, str):
        return None
    if c.via == "plan":  # a measure's linked indicator: columns.toml [link.plan]
        if ref not in links("plan"):
            return None
        indicator, column, _ = links("plan")[ref]
    else:  # the scorecard: the value as its headline reads (columns.toml [headline])
        return headline_form(ref)
    try:
        return declared(indicator, column)
    except UndeclaredColumn:
        return None


def _unit_name(code, lang: str, names: dict | None) -> str:
    if names and code in names:
        return names[code]
    return t("whole_org", lang) if code == ALL_UNITS else str(code)


def date_text(v) -> str:
    ts = pd.Timestamp(v)
    return f"{ts:%Y-%m-%d}" if ts == ts.normalize() else f"{ts:%Y-%m-%d %H:%M}"


def _text(v) -> str:
    return ", ".join(map(str, as_list(v))) if is_list(v) else str(v)


def is_list(v) -> bool:
    """A list cell: DuckDB gives a LIST column (the years of an import) as numpy arrays."""
    return isinstance(v, (list, tuple)) or (hasattr(v, "ndim") and getattr(v, "ndim", 0) == 1)


def as_list(v) -> list:
    return v.tolist() if hasattr(v, "tolist") else list(v)


def cell(c: Column, v, lang: str, row: pd.Series | None = None, table: str = "", names: dict | None = None) -> str:
    """One value as the page shows it."""
    if is_missing(v):
        return MISSING
    kind = c.kind
    if kind == "linked":
        via = linked(c, row if row is not None else pd.Series(dtype=object), table)
        if via is None:
            return _text(v) if isinstance(v, str) else number(rounded(v, 2), lang, 2)
        return cell(via, v, lang)
    if kind in NUMBER_KINDS:
        return _page_number(c, v, lang)
    if kind in ("year", "id"):
        return str(int(float(v))) if not isinstance(v, str) else v
    if kind == "flag":
        return FLAGS[bool(v)]
    if kind == "code":
        return word(c, v, lang, row)
    if kind == "unit":
        return _unit_name(v, lang, names)
    if kind == "date":
        return date_text(v)
    if kind == "target":
        return target_words(str(v), lang)
    return _text(v)


# --- the page --------------------------------------------------------------------------------------


def split_hidden(row) -> bool:
    """A hidden row that still shows its total while women and men are left out: what is hidden is
    the split, not the group (representation's rule: one gender has 1..k-1, the total rests on k)."""
    total = row.get("total")
    return (
        "women" in row
        and "men" in row
        and _number_missing(row.get("women"))
        and _number_missing(row.get("men"))
        and not _number_missing(total)
        and float(total) > 0
    )


def hidden_reason(row, k: int, lang: str = "en") -> str:
    """Why a hidden row is hidden, as the chart and the table beside it both say it: the split (the
    total is shown), the figures (women and men are shown, too few of one for pay: the art. 9
    report's 0 women and 12 men) or the whole group."""
    if split_hidden(row):
        return t("hidden_split", lang, k=k, total=number(row.get("total"), lang))
    if (
        "women" in row
        and "men" in row
        and not _number_missing(row.get("women"))
        and not _number_missing(row.get("men"))
    ):
        return t("hidden_figures", lang, k=k)
    return t("hidden_reason", lang, k=k)


def hidden_rows(df: pd.DataFrame) -> pd.Series:
    return df["suppressed"].fillna(False).astype(bool) if "suppressed" in df else pd.Series(False, index=df.index)


def visible(df: pd.DataFrame, table: str, lang: str) -> list[Column]:
    """The columns a reader sees, in the table's order (the suppressed flag becomes the reason)."""
    cols = [declared(table, n) for n in df.columns]
    return [c for c in cols if c.name != "suppressed" and c.shown_in(lang)]


def page_order(cols: list[Column]) -> list[Column]:
    """The columns in a page's order (columns.toml `role`): labels, findings, the rest, technical
    last; within each, the table's own order (a stable sort)."""
    return sorted(cols, key=lambda c: ROLES.index(c.role))


def pinned(table: str, lang: str, headers) -> list[str]:
    """The headers of `headers` (a table as `shown(page=True)` names its columns) that label a row
    (role "label"): what the page's grid pins at its left edge, so that scrolling right keeps them."""
    labels = {declared(table, n).label(lang) for n in _declared_names(table) if declared(table, n).role == "label"}
    return [h for h in headers if h in labels]


def _declared_names(table: str) -> set[str]:
    cat = catalogue()
    return set(cat.columns) | set(cat.tables.get(table_id(table), {}))


def shown(
    df: pd.DataFrame, table: str, lang: str, k: int = 5, names: dict | None = None, page: bool = False
) -> pd.DataFrame:
    """The table as the page and the HTML report show it: every cell text in the language's format,
    codes in words, hidden (suppressed) rows saying why, headers translated.

    table: an indicator id, a table of goals.py or of the plan as columns.toml names it ("scorecard",
    "plan", "plan_progress", ...), or a section source ("goals.scorecard_overview"). k: the k of
    the hidden reason (pages.k_of). names: unit code -> name in the language (unit columns).
    page: in the page's order of columns (`page_order`: labels, findings, ..., technical last).
    Raises UndeclaredColumn for a column columns.toml does not declare.
    """
    hidden = hidden_rows(df)
    cols = visible(df, table, lang)
    if page:  # the page's order (`page_order`); the HTML report and the downloads keep the table's
        cols = page_order(cols)
    out = pd.DataFrame(index=df.index)
    for c in cols:
        if c.kind == "linked" or c.vocab_by:
            out[c.label(lang)] = [cell(c, v, lang, r, table, names) for (_, r), v in zip(df.iterrows(), df[c.name])]
        else:
            out[c.label(lang)] = [cell(c, v, lang, None, table, names) for v in df[c.name]]
    if hidden.any():
        # the chart's words for the same row (hidden_reason): the split, where the total is shown
        out[t("hidden", lang)] = [hidden_reason(r, k, lang) if h else "" for h, (_, r) in zip(hidden, df.iterrows())]
    return out


# --- the workbook's number formats ----------------------------------------------------------------


def number_format(c: Column, lang: str) -> str | None:
    """The xlsx number format of a column's numbers (None: the cell is text)."""
    d = c.decimals
    digits = "0" + ("." + "0" * d if d else "")
    grouped = "#,##" + digits  # Excel shows the reader's own grouping: 12 345 in Swedish, 12,345 in English
    if c.kind == "share":
        return digits + "%"
    if c.kind == "percent":
        return f'{digits}" %"'
    if c.kind == "points":
        pp = t("points_unit", lang)
        return f'+{digits}" {pp}";-{digits}" {pp}";{digits}" {pp}"'
    if c.kind in ("count", "sek", "days"):
        return grouped
    if c.kind in ("ratio", "number"):
        return digits
    if c.kind in ("year", "id"):
        return "0"
    if c.kind == "date":
        return "yyyy-mm-dd"
    return None
