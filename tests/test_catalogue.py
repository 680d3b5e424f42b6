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
    (shelf / "t.toml").write_text('[text]\ngreet = ["Hej {who}", "Hello {who}"]\n'
                                  '[vocab.status]\ndone = ["klar", "done"]\n', encoding="utf-8")
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
