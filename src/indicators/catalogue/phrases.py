"""Sentences put together from the books' words: a problem found in a file, a sheet kind with its
years, and the demo banner. Code, not words: every word is in a book (problems.toml, app.toml,
vocabularies.toml). Imports nothing of Balans above the catalogue.
"""

from __future__ import annotations

from . import code_key, everywhere, pick, text, vocabulary, word
from .numbers import year_span


def kind_name(code, lang: str = "en") -> str:
    """A sheet kind as a page names it ("personal" / "staff"): vocabularies.toml's, or an area's own book's
    (careers.toml names the career kinds)."""
    found = everywhere("kind").get(code_key(code))
    return code_key(code) if found is None else pick(found, lang)


def choice(code, lang: str = "en") -> str:
    """A choice a column takes (a yes/no, an employment type, a pay component's kind) in words: every
    book's [vocab.choice] together (vocabularies.toml's, pay.toml's)."""
    found = everywhere("choice").get(code_key(code))
    return code_key(code) if found is None else pick(found, lang)


def _listed(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value


def problem_text(code: str, lang: str = "en", cli: bool = False, **params) -> str:
    """A problem's message. cli=True: the command line's English, which names Balans' column names
    ([vocab.problem_cli] where it has the code); otherwise the page's words in lang, which name the
    file's own headers (params *_in_file), with kinds and choices in words. A problem code is looked
    up in every book's [vocab.problem] (catalogue.everywhere); an unknown code is said as it is."""
    if cli:
        words = vocabulary("problems", "problem_cli").get(code) or everywhere("problem").get(code)
        return code if words is None else words[1].format(**{k: _listed(v) for k, v in params.items()})
    values = dict(params)
    if "kind" in values:
        values["kind"] = kind_name(values["kind"], lang)
    if "kinds" in values:
        values["kinds"] = ", ".join(kind_name(k, lang) for k in values["kinds"])
    if "choices" in values:
        values["choices"] = ", ".join(choice(c, lang) for c in values["choices"])
    words = everywhere("problem").get(code)
    return code if words is None else pick(words, lang).format(**{k: _listed(v) for k, v in values.items()})


def where(part: str, lang: str = "en") -> str:
    """The word of a problem's place or level: "flik"/"sheet", "rad"/"row", "varning"/"warning" ..."""
    return word("problems", "where", part, lang)


def kind_years(kind: str, years, lang: str = "en") -> str:
    """'staff for 2015–2025' (personal för 2015–2025); a kind without years (units) alone."""
    span = year_span(years if years is not None else [])
    return text("app", "kind_years", lang, kind=kind_name(kind, lang), years=span) if span else kind_name(kind, lang)


def synthetic_note(years_by_kind: dict, lang: str = "en") -> str | None:
    """Which kinds and years are demo data (database.synthetic_years), as the banner says it: "Demo data —
    synthetic, not real people: staff for 2015–2025, …"; None when nothing is."""
    if not years_by_kind:
        return None
    by_span: dict[str, list[str]] = {}  # kinds of the same years said together
    for kind, years in years_by_kind.items():
        by_span.setdefault(year_span(years), []).append(kind_name(kind, lang))
    last = text("app", "and", lang)
    what = "; ".join(
        text(
            "app",
            "kind_years",
            lang,
            years=span,
            kind=last.join((", ".join(kinds[:-1]), kinds[-1])) if len(kinds) > 1 else kinds[0],
        )
        for span, kinds in by_span.items()
    )
    return text("app", "demo_banner_what", lang, what=what)
