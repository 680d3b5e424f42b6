"""The catalogue: every word Balans shows, in Swedish and English, as data on the lowest floor.

Each *book* is a TOML file beside this module. Its `[text]` table holds labels and sentences by key,
and each `[vocab.<name>]` table the words of one vocabulary by code, every entry a pair
`["svenska", "English"]`; a sentence may hold `{placeholders}`. TOML, because Python reads it
without a dependency (tomllib) and a translator can edit it without reading code; a book per area,
as Datasette's metadata.yaml and the `.meta.yml` files beside each step of Our World in Data's etl keep
their words beside what they describe.

The books are cut by who reads a word, so that whoever changes a page, a chart or a check finds its
words in one file and a translator reads one subject at a time:

* `app.toml`: the app's frame, the pages' titles, headings, intros and messages, the Import, Export
  and Method pages, and why a row is hidden (the tables and the charts say it alike);
* `charts.toml`: what the charts say (findings as titles, legends, axes);
* `subgoals.toml`: the six sub-goals, the GEP areas, each sub-goal's headline name, a card's status
  and how a target reads;
* `vocabularies.toml`: the words of the data's codes (positions, levels, genders, sheet kinds ...),
  every vocabulary a column of columns.toml may name;
* `problems.toml`: what is wrong with an imported file, by problem code, and the words of its place;
* `plan.toml`: the plan and the pay survey's record (src/indicators/plan/);
* `careers.toml`: the careers page, its flows and national context, and its import kinds.

columns.toml beside them is no book: it declares every column (declarations.py). Each indicator's
title and description are in the `.meta.toml` beside its module, which the registry reads. The code
that writes numbers per language is numbers.py, the code that puts sentences together from these
words phrases.py. Imports nothing of Balans.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LANGS = ("sv", "en")
HERE = Path(__file__).parent

Pair = tuple[str, str]


@dataclass(frozen=True)
class Book:
    name: str
    text: dict[str, Pair]
    vocab: dict[str, dict[str, Pair]]


def _pairs(entries: dict, where: str) -> dict[str, Pair]:
    out = {}
    for key, value in entries.items():
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
            raise ValueError(f'{where}.{key}: an entry is a pair ["svenska", "English"], not {value!r}')
        out[str(key)] = (value[0], value[1])
    return out


@cache
def book(name: str) -> Book:
    """The book `<name>.toml` beside this module, read once and checked (every entry a pair of strings)."""
    path = HERE / f"{name}.toml"
    with open(path, "rb") as f:
        data = tomllib.load(f)
    unknown = set(data) - {"text", "vocab"}
    if unknown:
        raise ValueError(f"{path.name}: unknown tables {sorted(unknown)} (a book has [text] and [vocab.*])")
    return Book(
        name=name,
        text=_pairs(data.get("text", {}), f"{path.name} [text]"),
        vocab={v: _pairs(entries, f"{path.name} [vocab.{v}]") for v, entries in data.get("vocab", {}).items()},
    )


# columns.toml beside the books declares every column of every table (declarations.py reads it): not a book.
DECLARATIONS = "columns"


def books() -> list[str]:
    """The names of every book in the catalogue."""
    return sorted(p.stem for p in HERE.glob("*.toml") if p.stem != DECLARATIONS)


def pick(pair: Pair, lang: str) -> str:
    """The pair's word in the language (Swedish for "sv", English otherwise)."""
    return pair[0 if lang == "sv" else 1]


def texts(name: str):
    """`text` of one book, for a module that says most of its words from it: `t = texts("charts")`,
    then `t("band", lang)`."""

    def t(key: str, lang: str = "en", /, **values) -> str:
        return text(name, key, lang, **values)

    return t


def text(name: str, key: str, lang: str = "en", /, **values) -> str:
    """The text of `key` in book `name`, in the language, with its {placeholders} filled. An unknown
    key is an error (KeyError): a word missing from the catalogue is found by the tests, not shown.
    A key written "<book>:<key>" is that other book's (a page of the careers area declares its title
    "careers:page_careers", from careers.toml, where the app's pages are app.toml's).
    The book, key and language are positional, so that a placeholder may be called {name} or {key}."""
    other, sep, rest = key.partition(":")
    if sep:
        name, key = other, rest
    words = pick(book(name).text[key], lang)
    return words.format(**values) if values else words


def vocabulary(name: str, vocab: str) -> dict[str, Pair]:
    """One vocabulary of a book: code -> (Swedish, English)."""
    return book(name).vocab[vocab]


def code_key(code) -> str:
    """A code as a vocabulary's key: a whole float as the integer it is (a quartile of 1.0 is "1")."""
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code)


def pair(name: str, vocab: str, code) -> Pair | None:
    """The (Swedish, English) words of a code, or None when the vocabulary does not hold it."""
    return book(name).vocab[vocab].get(code_key(code))


def word(name: str, vocab: str, code, lang: str = "en") -> str:
    """The word for a code of a vocabulary; a code the vocabulary does not hold is shown as it is."""
    found = pair(name, vocab, code)
    return code_key(code) if found is None else pick(found, lang)


@cache
def everywhere(vocab: str) -> dict[str, Pair]:
    """One vocabulary as every book declares it, together (an area's problems in its own book, the
    plan's in plan.toml); a code declared by two books is an error."""
    out: dict[str, Pair] = {}
    for name in books():
        for code, words in book(name).vocab.get(vocab, {}).items():
            if code in out:
                raise ValueError(f"{name}.toml [vocab.{vocab}].{code}: declared in another book too")
            out[code] = words
    return out
