"""The catalogue: every word Balans shows, in Swedish and English, as data on the lowest floor.

Each *book* is a TOML file beside this module (`plan.toml`, ...). Its `[text]` table holds labels and
sentences by key, and each `[vocab.<name>]` table the words of one vocabulary by code, every entry a
pair `["svenska", "English"]`; a sentence may hold `{placeholders}`. TOML, because Python reads it
without a dependency (tomllib) and a translator can edit it without reading code; a book per area,
as Datasette's metadata.yaml and the `.meta.yml` files beside each step of Our World in Data's etl keep
their words beside what they describe. Imports nothing of Balans.
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
            raise ValueError(f"{where}.{key}: an entry is a pair [\"svenska\", \"English\"], not {value!r}")
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
    return Book(name=name, text=_pairs(data.get("text", {}), f"{path.name} [text]"),
                vocab={v: _pairs(entries, f"{path.name} [vocab.{v}]") for v, entries in data.get("vocab", {}).items()})


# columns.toml beside the books declares every column of every table (declarations.py reads it): not a book.
DECLARATIONS = "columns"


def books() -> list[str]:
    """The names of every book in the catalogue."""
    return sorted(p.stem for p in HERE.glob("*.toml") if p.stem != DECLARATIONS)


def pick(pair: Pair, lang: str) -> str:
    """The pair's word in the language (Swedish for "sv", English otherwise)."""
    return pair[0 if lang == "sv" else 1]


def text(name: str, key: str, lang: str = "en", **values) -> str:
    """The text of `key` in book `name`, in the language, with its {placeholders} filled. An unknown
    key is an error (KeyError): a word missing from the catalogue is found by the tests, not shown."""
    words = pick(book(name).text[key], lang)
    return words.format(**values) if values else words


def vocabulary(name: str, vocab: str) -> dict[str, Pair]:
    """One vocabulary of a book: code -> (Swedish, English)."""
    return book(name).vocab[vocab]


def word(name: str, vocab: str, code, lang: str = "en") -> str:
    """The word for a code of a vocabulary; a code the vocabulary does not hold is shown as it is."""
    pair = book(name).vocab[vocab].get(str(code))
    return str(code) if pair is None else pick(pair, lang)


def named(key: str) -> Pair | None:
    """The pair of a key written "<book>:<key>" (the careers book's "careers:page_careers"), for the callers
    that name a word by one key (the old tables' t(), a page's title): None when it names no book's word."""
    name, sep, rest = key.partition(":")
    if not sep or name not in books():
        return None
    return book(name).text.get(rest)


def in_any(vocab: str, code) -> Pair | None:
    """The pair of `code` in a vocabulary of that name in any book, or None (a new sheet kind's name is in
    the careers book's [vocab.kind], read where the old tables name kinds)."""
    for name in books():
        pair = book(name).vocab.get(vocab, {}).get(str(code))
        if pair is not None:
            return pair
    return None
