"""The catalogue's books: every entry a pair of words, an unknown key an error, placeholders filled."""

from __future__ import annotations

import pytest

from indicators import catalogue


@pytest.fixture
def shelf(tmp_path, monkeypatch):
    """A catalogue folder of the test's own, the cache emptied before and after."""
    monkeypatch.setattr(catalogue, "HERE", tmp_path)
    catalogue.book.cache_clear()
    yield tmp_path
    catalogue.book.cache_clear()


def test_every_book_of_the_package_loads():
    for name in catalogue.books():
        assert catalogue.book(name).name == name


def test_text_and_vocabulary(shelf):
    (shelf / "t.toml").write_text(
        '[text]\ngreet = ["Hej {who}", "Hello {who}"]\n[vocab.status]\ndone = ["klar", "done"]\n', encoding="utf-8"
    )
    assert catalogue.text("t", "greet", "sv", who="Lena") == "Hej Lena"
    assert catalogue.text("t", "greet", "en", who="Lena") == "Hello Lena"
    assert catalogue.word("t", "status", "done", "sv") == "klar"
    assert catalogue.word("t", "status", "unknown_code", "sv") == "unknown_code"
    with pytest.raises(KeyError):
        catalogue.text("t", "missing", "sv")


def test_an_entry_that_is_not_a_pair_is_refused(shelf):
    (shelf / "bad.toml").write_text('[text]\nhalf = ["bara svenska"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.toml \\[text\\].half"):
        catalogue.book("bad")
    (shelf / "odd.toml").write_text('[words]\nx = ["a", "b"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown tables"):
        catalogue.book("odd")


def test_a_books_text_by_its_own_short_name_and_placeholders_named_as_anything(shelf):
    (shelf / "t.toml").write_text('[text]\nseats = ["{name}: {share}", "{name}: {share} of seats"]\n', encoding="utf-8")
    t = catalogue.texts("t")
    # the book, key and language are positional: a placeholder may be called name (or key, or lang)
    assert t("seats", "sv", name="Styrelsen", share="40 %") == "Styrelsen: 40 %"
    assert catalogue.text("t", "seats", "en", name="The board", share="40 %") == "The board: 40 % of seats"


def test_a_whole_float_code_is_the_integer_it_is(shelf):
    (shelf / "q.toml").write_text('[vocab.quartile]\n1 = ["lägsta kvartilen", "lowest quartile"]\n', encoding="utf-8")
    # a quartile read from a float column (1.0) is the code "1"; a code the vocabulary lacks shows itself
    assert (
        catalogue.word("q", "quartile", 1.0, "sv") == catalogue.word("q", "quartile", "1", "sv") == "lägsta kvartilen"
    )
    assert catalogue.word("q", "quartile", 2.0, "sv") == "2" and catalogue.pair("q", "quartile", 2) is None


def test_a_vocabulary_across_books_and_a_code_declared_twice(shelf):
    catalogue.everywhere.cache_clear()
    (shelf / "a.toml").write_text('[vocab.problem]\nempty = ["tom", "empty"]\n', encoding="utf-8")
    (shelf / "b.toml").write_text('[vocab.problem]\nlate = ["sen", "late"]\n', encoding="utf-8")
    assert catalogue.everywhere("problem") == {"empty": ("tom", "empty"), "late": ("sen", "late")}
    catalogue.everywhere.cache_clear()
    (shelf / "c.toml").write_text('[vocab.problem]\nlate = ["försenad", "late"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="c.toml \\[vocab.problem\\].late: declared in another book too"):
        catalogue.everywhere("problem")
    catalogue.everywhere.cache_clear()


def test_problems_are_said_from_the_book_with_their_words_filled():
    from indicators.catalogue.phrases import problem_text

    # the page's words name kinds and choices in the language; the command line's name Balans' columns
    assert problem_text("unknown_column", "sv", kind="staff") == "okänd kolumn för en flik med personal: utelämnad"
    assert problem_text("unknown_value", "sv", found="X", choices=["permanent", "temporary"]) == (
        "okänt värde 'X' (förväntat ett av: tillsvidare, visstid)"
    )
    assert problem_text("duplicate_key", cli=True, keys=["year", "unit"], rows=[3, 4]) == (
        "the same year, unit twice (rows 3, 4)"
    )
    assert (
        problem_text("duplicate_key", "sv", keys_in_file="år, enhet", rows="3, 4")
        == "samma år, enhet två gånger (rad 3, 4)"
    )


def test_every_vocabulary_a_column_names_is_in_the_catalogue():
    from indicators.catalogue.declarations import catalogue as declarations
    from indicators.present import columns

    cat = declarations()
    named = {
        v
        for entry in [*cat.columns.values(), *(e for t in cat.tables.values() for e in t.values())]
        for v in ([entry["vocab"]] if isinstance(entry.get("vocab"), str) else entry.get("vocab", []))
    }
    # made from metadata (columns.py), or the plan's own until the plan branch moves them into plan.toml
    made = {"indicator", "subgoal", "plan_indicator", "art10_path"}
    for vocab in sorted(named - made):
        if vocab.startswith("plan:"):
            continue
        book, _, name = vocab.rpartition(":")
        assert name in catalogue.book(book or "vocabularies").vocab, vocab
        columns._vocab_pair(vocab, "a code no vocabulary has")  # resolves, without an error


def test_the_demos_batches_and_the_headlines_have_their_words():
    from indicators import demo
    from indicators.subgoals import goals

    assert demo.university.DEMO_FILE in catalogue.vocabulary("vocabularies", "demo_file")
    assert {h.indicator for h in goals.HEADLINES.values()} <= set(catalogue.vocabulary("subgoals", "headline"))
    assert {str(s) for s in goals.SUBGOALS} == set(catalogue.vocabulary("subgoals", "subgoal"))


def test_no_module_chooses_a_word_by_language():
    # every word is in a book: no `"svenska" if lang == "sv" else "English"` left in the package or the pages
    # (a pair's side is chosen by catalogue.pick; numbers.py writes numbers; plan.py and views/plan.py are the
    # plan branch's, i23plan, which moves their words into plan.toml)
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    choice = re.compile(r"""["'][^"'\n]*["']\s+if\s+\w+\s*==\s*["']sv["']\s+else\s+["'][^"'\n]*["']""")
    found = [
        f"{p.relative_to(root)}:{n}"
        for p in [*root.glob("src/indicators/**/*.py"), *root.glob("views/*.py"), root / "app.py"]
        if p.name not in ("plan.py", "numbers.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if choice.search(line) and "_sv" not in line
    ]
    assert not found, found
