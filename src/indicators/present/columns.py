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
  format (i18n.number/percent: "55,6 %", "12 345"), codes in words, flags ✓/✗, hidden rows with
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

No Streamlit here.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ..catalogue import i18n
from ..catalogue import book as catalogue_book
from ..catalogue import vocabulary as book_vocabulary
from ..catalogue.declarations import CATALOGUE, DECIMALS, KINDS, NUMBER_KINDS, PRECISION, Catalogue, Column, UndeclaredColumn, catalogue, declared, links, published, published_decimals, round_half_up, table_id  # noqa: F401 (re-exported: the declarations every output formats from)
from ..catalogue.i18n import t

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
    text = i18n.number(x, lang, c.decimals)
    if c.kind in ("share", "percent"):
        return f"{text}\u00a0%"
    if c.kind == "points":
        sign = "+" if x > 0 else ""
        return f"{sign}{text}\u00a0{'p.e.' if lang == 'sv' else 'pp'}"
    return text


def csv_number(c: Column, v) -> str:
    """A number for Swedish Excel: rounded as shown, decimal comma, no grouping, ASCII minus."""
    x = rounded(_value(c, v), c.decimals) or 0.0  # -0.0 is written 0
    return f"{x:.{c.decimals}f}".replace(".", ",")


def _vocab_word(vocab: str, code, lang: str) -> str | None:
    """The word for code in one vocabulary, or None when it does not know the code."""
    pair = _vocab_pair(vocab, code)
    return None if pair is None else pair[0 if lang == "sv" else 1]


def _vocab_pair(vocab: str, code) -> tuple[str, str] | None:
    key = str(code)
    own = catalogue().vocab.get(vocab)
    if own is not None:
        return own.get(key)
    if vocab.startswith("text:"):  # "text:<book>/<key>": the book's sentence with {n} the code ("job level 3")
        name, _, text_key = vocab.removeprefix("text:").partition("/")
        sv, en = catalogue_book(name).text[text_key]
        n = key.removesuffix(".0")
        return sv.format(n=n), en.format(n=n)
    book, colon, name = vocab.partition(":")
    if colon:  # a vocabulary of a catalogue book ("plan:status")
        return book_vocabulary(book, name).get(key)
    if vocab == "headline":  # the scorecard's indicator: named as its page's first finding names it
        from ..subgoals import goals
        h = next((h for h in goals.HEADLINES.values() if h.indicator == key), None)
        if h is not None:
            return goals.headline_name(h, "sv"), goals.headline_name(h, "en")
        vocab = "indicator"
    if vocab == "indicator":
        from ..protect import registry
        ind = registry.REGISTRY.get(key)
        return None if ind is None else ind.titles
    if vocab == "subgoal":
        from ..protect import registry
        try:
            sv, en = registry.SUBGOALS[int(float(code))]
        except (KeyError, ValueError, TypeError):
            return None
        n = int(float(code))
        return f"{n}. {sv}", f"{n}. {en}"
    if vocab == "quartile":
        return i18n.TEXT.get(f"quartile_{key.removesuffix('.0')}")
    if vocab == "status":
        return i18n.TEXT.get(f"status_{key}")
    builtin = {"position": i18n.POSITIONS, "stage": i18n.STAGES, "level": i18n.LEVELS, "measure": i18n.MEASURES,
               "category": i18n.CATEGORIES, "body_type": i18n.BODY_TYPES, "gender": i18n.GENDERS}.get(vocab)
    if builtin is None:
        raise ValueError(f"{CATALOGUE.name}: unknown vocabulary {vocab!r}")
    return builtin.get(key)


def word(c: Column, code, lang: str, row: pd.Series | None = None) -> str:
    """A code in words: the first of the column's vocabularies that knows it, else the code itself; where
    the column's vocabulary depends on the row (vocab_by), the row's."""
    if c.list:
        return ", ".join(word(Column(c.name, "code", c.sv, c.en, vocab=c.vocab), part.strip(), lang)
                         for part in str(code).split(",") if part.strip())
    vocabs = c.vocab
    if c.vocab_by and row is not None and dict(c.vocab_by).get(str(row.get(c.by))) is not None:
        vocabs = (dict(c.vocab_by)[str(row.get(c.by))],)
    for vocab in vocabs:
        found = _vocab_word(vocab, code, lang)
        if found is not None:
            return found
    return str(code)




def target_words(text: str, lang: str) -> str:
    """A scorecard target ("|gap| ≤ 5 %", "≥ 0.8 (unit's own target, 2027)") in the language
    (goals.target_text for the unit's own target, i18n.target_words for the symbols and decimals)."""
    from ..subgoals import goals
    return i18n.target_words(goals.target_text(text, lang), lang)


def linked(c: Column, row: pd.Series, table: str) -> Column | None:
    """The declaration that formats a linked cell: that of the column its row's indicator names."""
    ref = row.get(c.by)
    if not isinstance(ref, str):
        return None
    if c.via == "plan":  # a measure's linked indicator: columns.toml [link.plan]
        if ref not in links("plan"):
            return None
        indicator, column, _ = links("plan")[ref]
    else:  # the scorecard: the value as its sub-goal's headline reads (goals.Headline.form)
        from ..subgoals import goals
        headline = goals.HEADLINES.get(int(row["subgoal"])) if _known(row.get("subgoal")) else None
        if headline is None:
            headline = next((h for h in goals.HEADLINES.values() if h.indicator == ref), None)
        if headline is None:
            return None
        kind, decimals = FORMS[headline.form]
        return Column(name=c.name, kind=kind, sv=c.sv, en=c.en, decimals=decimals)
    try:
        return declared(indicator, column)
    except UndeclaredColumn:
        return None


# A headline's form (goals.Headline.form) as a column's kind and decimals: the card, its downloads and
# the page's first finding (goals.headline_value) all write the value this way.
FORMS = {"share": ("share", 0), "pct": ("percent", 1), "ratio": ("ratio", 2)}


def _known(v) -> bool:
    return not is_missing(v)


def headline_text(form: str, value, lang: str) -> str:
    """A headline value written as its form says (goals.headline_value)."""
    kind, decimals = FORMS[form]
    return cell(Column(name="value", kind=kind, sv="", en="", decimals=decimals), value, lang)


def _unit_name(code, lang: str, names: dict | None) -> str:
    from ..store.database import ALL_UNITS
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
            return _text(v) if isinstance(v, str) else i18n.number(rounded(v, 2), lang, 2)
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

def hidden_rows(df: pd.DataFrame) -> pd.Series:
    return df["suppressed"].fillna(False).astype(bool) if "suppressed" in df else pd.Series(False, index=df.index)


def visible(df: pd.DataFrame, table: str, lang: str) -> list[Column]:
    """The columns a reader sees, in the table's order (the suppressed flag becomes the reason)."""
    cols = [declared(table, n) for n in df.columns]
    return [c for c in cols if c.name != "suppressed" and c.shown_in(lang)]


def shown(df: pd.DataFrame, table: str, lang: str, k: int = 5, names: dict | None = None) -> pd.DataFrame:
    """The table as the page and the HTML report show it: every cell text in the language's format,
    codes in words, hidden (suppressed) rows saying why, headers translated.

    table: an indicator id, a table of goals.py or of the plan as columns.toml names it ("scorecard",
    "plan", "plan_progress", ...), or a section source ("goals.scorecard_overview"). k: the k of
    the hidden reason (pages.k_of). names: unit code -> name in the language (unit columns).
    Raises UndeclaredColumn for a column columns.toml does not declare.
    """
    hidden = hidden_rows(df)
    cols = visible(df, table, lang)
    out = pd.DataFrame(index=df.index)
    for c in cols:
        if c.kind == "linked" or c.vocab_by:
            out[c.label(lang)] = [cell(c, v, lang, r, table, names) for (_, r), v in zip(df.iterrows(), df[c.name])]
        else:
            out[c.label(lang)] = [cell(c, v, lang, None, table, names) for v in df[c.name]]
    if hidden.any():
        # the chart's words for the same row (i18n.hidden_reason): the split, where the total is shown
        out[t("hidden", lang)] = [i18n.hidden_reason(r, k, lang) if h else "" for h, (_, r) in zip(hidden, df.iterrows())]
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
        pp = "p.e." if lang == "sv" else "pp"
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
