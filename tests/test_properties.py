"""Property-based tests (hypothesis): value normalisation and suppression hold for any input."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.protect.privacy import Suppression, suppress
from indicators.store import headers, readings, schema

K = 5


# --- normalisation ---------------------------------------------------------------------------------


def _swedish(value: float) -> str:
    """45000.5 -> '45 000,50' as Swedish Excel prints it."""
    whole, frac = f"{value:,.2f}".split(".")
    return whole.replace(",", " ") + "," + frac


@settings(deadline=None)  # no time limit: the machine is shared
@given(
    st.floats(min_value=1000, max_value=250_000, allow_nan=False).map(lambda v: round(v, 2)),
    st.sampled_from(["", " kr", " SEK", ":-", " kr."]),
)
def test_salaries_written_the_swedish_way_read_back(value, suffix):
    text = pd.Series([_swedish(value) + suffix], dtype=object)
    res = readings.read_money(text, text)
    assert not res.bad[0]
    assert abs(res.values[0] - value) < 0.005


@settings(deadline=None)
@given(st.floats(min_value=1000, max_value=250_000, allow_nan=False).map(lambda v: round(v, 2)))
def test_english_thousands_separators_read_back(value):
    text = pd.Series([f"{value:,.2f}"], dtype=object)
    assert abs(readings.read_money(text, text).values[0] - value) < 0.005


def _respell(word: str, data) -> str:
    cased = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in word)
    return data.draw(st.sampled_from(["", " ", "  "])) + cased + data.draw(st.sampled_from(["", " ", "\t"]))


@given(st.data())
def test_every_header_alias_in_any_case_and_spacing_finds_its_column(data):
    kind = data.draw(st.sampled_from(list(schema.KINDS.values())))
    col = data.draw(st.sampled_from(kind.columns))
    alias = data.draw(st.sampled_from(col.all_names()))
    assert headers.lookup_header(_respell(alias, data), schema.header_lookup(kind)) == col.name


@given(st.data())
def test_gender_words_in_any_case(data):
    canonical = data.draw(st.sampled_from(["woman", "man"]))
    word = data.draw(st.sampled_from(schema.GENDER_WORDS[canonical]))
    text = pd.Series([_respell(word, data).strip()], dtype=object)
    assert readings.read_gender(text, text).values[0] == canonical


@given(st.text(min_size=1).filter(lambda s: s.strip() != ""))
def test_any_other_non_empty_gender_is_kept_as_other(word):
    words = schema.vocabulary_lookup(schema.GENDER_WORDS)
    text = pd.Series([word.strip()], dtype=object)
    expected = (
        words.get(schema.norm_header(word)) or words.get(schema.fold_accents(schema.norm_header(word))) or "other"
    )
    assert readings.read_gender(text, text).values[0] == expected


@given(st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=20))
def test_fte_columns_in_percent_become_fractions(percents):
    text = pd.Series([f"{p} %" for p in percents], dtype=object)
    res = readings.read_fte(text, text)
    assert not res.bad.any()
    assert [round(v * 100) for v in res.values] == percents


# --- suppression -----------------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=30)
tables = st.lists(st.tuples(st.sampled_from(["a", "b"]), counts, counts, st.integers(0, 2)), min_size=1, max_size=12)


def _frame(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["group", "women", "men", "other"])
    df["total"] = df[["women", "men", "other"]].sum(axis=1)
    df["share_women"] = (df["women"] / (df["women"] + df["men"])).where(df["women"] + df["men"] > 0)
    return df


@settings(max_examples=200, deadline=None)  # no time limit: the machine is shared
@given(tables)
def test_no_shown_count_rests_on_fewer_than_k_persons(rows):
    out = suppress(_frame(rows), Suppression(hide=("share_women",)), K)
    shown = out[~out["suppressed"]]
    for col in ("women", "men", "other"):
        assert not ((shown[col] > 0) & (shown[col] < K)).any()
    assert not ((out["total"].notna()) & (out["total"] > 0) & (out["total"] < K)).any()
    # hidden rows show no gender figure at all
    assert out.loc[out["suppressed"], ["women", "men", "other", "share_women"]].isna().all().all()


@settings(max_examples=200, deadline=None)  # no time limit: the machine is shared
@given(tables)
def test_pay_rows_need_k_women_and_k_men(rows):
    df = _frame(rows)
    df["median_gap_pct"] = 1.0
    out = suppress(df, Suppression(hide=("median_gap_pct",), every_gender=True), K)
    shown = out[~out["suppressed"]]
    assert (shown["women"] >= K).all() and (shown["men"] >= K).all()
    assert out.loc[out["suppressed"], "median_gap_pct"].isna().all()
