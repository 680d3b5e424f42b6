"""privacy.suppress (primary suppression) on hand-made tables, k = 5 throughout (Statistics Sweden's
convention). The cell-key method itself and the attacks it stops: tests/test_disclosure.py."""

from __future__ import annotations

import pandas as pd

from indicators.protect.privacy import Suppression, suppress

K = 5
SPEC = Suppression(hide=("share_women",))


def table(rows, columns=("year", "position", "women", "men", "other")) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(columns))
    if {"women", "men"} <= set(df):
        df["total"] = df[[c for c in ("women", "men", "other") if c in df]].sum(axis=1)
        df["share_women"] = df["women"] / (df["women"] + df["men"])
    return df


def test_primary_suppression_hides_the_counts_and_shares_but_keeps_a_large_total():
    # 3 women is below k: the row's counts and share go. The total 13 rests on 13 persons and stays,
    # and because it stays the men's count must go too, or women = 13 - 10 would come back.
    out = suppress(table([(2024, "professor", 3, 10, 0)]), SPEC, K)
    row = out.iloc[0]
    assert row["suppressed"]
    assert pd.isna(row["women"]) and pd.isna(row["men"]) and pd.isna(row["other"]) and pd.isna(row["share_women"])
    assert row["total"] == 13


def test_a_total_below_k_is_hidden_as_well():
    out = suppress(table([(2024, "professor", 2, 2, 0)]), SPEC, K)
    assert out.iloc[0]["suppressed"] and pd.isna(out.iloc[0]["total"])


def test_exactly_k_is_shown_and_k_minus_one_is_hidden():
    out = suppress(table([(2024, "a", 5, 5, 0), (2025, "a", 4, 5, 0), (2026, "a", 5, 4, 0)]), SPEC, K)
    assert out["suppressed"].tolist() == [False, True, True]
    assert out.iloc[0]["women"] == 5 and out.iloc[0]["share_women"] == 0.5


def test_zero_is_not_a_small_group():
    # "No women among 8 professors" rests on 8 persons and is what the table is for.
    out = suppress(table([(2024, "professor", 0, 8, 0)]), SPEC, K)
    assert not out.iloc[0]["suppressed"] and out.iloc[0]["women"] == 0 and out.iloc[0]["share_women"] == 0


def test_a_few_people_of_other_or_unknown_gender_hide_their_count_and_the_total():
    # Two people recorded as other: a count of 2 is as identifying as 2 women, so it goes, and so
    # does the total (22 - 10 - 10 would give it back). Women, men and the share rest on 10 each.
    out = suppress(table([(2024, "lecturer", 10, 10, 2)]), SPEC, K)
    row = out.iloc[0]
    assert pd.isna(row["other"]) and pd.isna(row["total"])
    assert (row["women"], row["men"], row["share_women"]) == (10, 10, 0.5)
    assert not row["suppressed"]


def test_total_beside_one_genders_count():
    # Women and total only: men = total - women = 12 - 10 = 2, fewer than k, so the row is hidden
    # even though no column shown is below k. (This failed before privacy.suppress checked the
    # total minus the counts shown.)
    df = pd.DataFrame({"year": [2024, 2024], "women": [10, 10], "total": [12, 20]})
    out = suppress(df, Suppression(counts=("women",), hide=()), K)
    assert out["suppressed"].tolist() == [True, False]
    assert pd.isna(out.iloc[0]["women"]) and out.iloc[1]["women"] == 10


# Complementary suppression (hiding a second row so that a hidden one cannot be worked out from the
# margin) went with the cell-key method: published counts do not add up to their margins, so the
# 'all' row minus the others gives noise, not the hidden row. tests/test_disclosure.py runs the attacks.


def test_every_gender_needs_k_women_and_k_men():
    # Pay figures: zero women is as small as one (no comparison can be made, and the men's mean is
    # then one group's pay that the table would label by gender).
    df = pd.DataFrame({"women": [0, 5, 4], "men": [9, 5, 9], "gap": [1.0, 2.0, 3.0]})
    out = suppress(df, Suppression(counts=("women", "men"), total=None, hide=("gap",), every_gender=True), K)
    assert out["suppressed"].tolist() == [True, False, True]
    assert out["gap"].isna().tolist() == [True, False, True]


def test_suppressing_twice_changes_nothing():
    df = table([(2024, "professor", 3, 10, 0), (2024, "lecturer", 20, 30, 0), (2024, "all", 23, 40, 0)])
    spec = Suppression(hide=("share_women",))
    once = suppress(df, spec, K)
    pd.testing.assert_frame_equal(suppress(once, spec, K), once)


def test_empty_table():
    out = suppress(table([]), SPEC, K)
    assert out.empty and "suppressed" in out
