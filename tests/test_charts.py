"""charts/: what a chart says is what its table says, on the hand-built school (conftest's
keyed_school): a hidden split's grey bar and reason, and a title that counts only what is shown."""

from __future__ import annotations

import pandas as pd

from helpers import row
from indicators.present import charts, columns, pages
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.subgoals import representation  # noqa: F401  (registers representation and representation_units)


def _hidden_bars(fig) -> dict[str, dict[str, str]]:
    """legend name -> {bar label: the reason written on it} of a share chart's grey bars."""
    return {tr.name: dict(zip(tr.y, tr.text)) for tr in fig.data if tr.name not in ("Women", "Men", "Kvinnor", "Män")}


def test_the_chart_says_the_split_is_hidden_where_the_table_shows_the_total(keyed_school):
    df = registry.compute(keyed_school, "representation", Filters(unit="D1"))
    prof = row(df, position="professor")
    # D1's professors: 2 W (1..k-1) and 8 M, so women and men are hidden; the total 2 + 8 = 10 rests on
    # k = 5 or more and stays (published 12: this key's noise for the 2024 cell is +2)
    assert prof["suppressed"] and pd.isna(prof["women"]) and prof["total"] == 12
    for lang, legend, reason in (
        ("en", "women/men hidden", "women/men hidden: fewer than 5 of one gender (total 12)"),
        ("sv", "kvinnor/män dolda", "kvinnor/män dolda: färre än 5 av ett kön (totalt 12)"),
    ):
        fig = charts.representation.representation(df, charts.common.Context(lang=lang, unit="Dept 1", year=2024, k=5))
        professors = "professors" if lang == "en" else "professorer"
        assert _hidden_bars(fig) == {legend: {professors: reason}}
        table = columns.shown(df, "representation", lang, 5).set_index("Position" if lang == "en" else "Befattning")
        assert table.loc[professors, "hidden" if lang == "en" else "dolt"] == reason  # the table says the same
        assert table.loc[professors, "Total" if lang == "en" else "Totalt"] == "12"
    # D3: lecturers 3 W, 1 M, 4 in all (< k): the whole group is hidden, its total too
    d3 = registry.compute(keyed_school, "representation", Filters(unit="D3"))
    assert pd.isna(row(d3, position="lecturer")["total"])
    fig = charts.representation.representation(d3, charts.common.Context(lang="en", unit="Dept 3", year=2024, k=5))
    assert _hidden_bars(fig) == {"hidden": {"lecturers": "hidden: fewer than 5 persons"}}


def test_the_sub_units_title_counts_only_the_sub_units_shown(keyed_school):
    ctx = charts.common.Context(lang="en", unit="School", year=2024, k=5)
    df = registry.compute(keyed_school, "representation_units", Filters(unit="S"))
    # D1 31 W / 30 M (50.8 %) published, within 40-60; D2's 9 / 11 published as 7 / 11 (38.9 %), not
    # (this key's noise: -2 and 0); D3 (3 W, 1 M) hidden: it is neither balanced nor not, so it is not
    # among the 2 counted
    assert df["suppressed"].tolist() == [False, False, False, True]
    assert df["women"].tolist()[1:3] == [31, 7] and df["men"].tolist()[1:3] == [30, 11]
    assert (
        charts.representation.units(df, ctx).layout.title.text
        == "1 of 2 shown sub-units of School are balanced in 2024; 1 hidden"
    )
    sv = charts.representation.units(df, ctx.with_(lang="sv", unit="Skolan")).layout.title.text
    assert sv == "1 av 2 visade underenheter i Skolan har en jämn fördelning 2024; dolda: 1"
    # exact figures hide nothing: D1 31 / 30 (51 %) and D2 9 / 11 (45 %) balanced, D3 3 / 1 (75 %) not
    exact = registry.compute(keyed_school, "representation_units", Filters(unit="S", exact=True))
    assert (
        charts.representation.units(exact, ctx).layout.title.text == "2 of 3 sub-units of School are balanced in 2024"
    )


# --- words that explain themselves (issue 22) ---------------------------------------------------------

CTX = charts.common.Context(lang="en", unit="ELE", year=2025, k=5)


def test_duncan_with_one_position_draws_nothing_and_the_page_says_why():
    one = pd.DataFrame({"year": [2024, 2025], "duncan": [0.0, 0.0], "categories": [1, 1], "suppressed": [False, False]})
    assert charts.representation.segregation(one, CTX) is None  # D is 0 by construction over one category
    section = next(s for s in pages.page("representation").sections if s.source == "segregation")
    assert section.why(one, CTX) == "segregation_one_position"
    two = one.assign(duncan=[0.31, 0.29], categories=[8, 8])
    assert charts.representation.segregation(two, CTX) is not None and section.why(two, CTX) is None


def test_a_hidden_year_is_said_once_in_the_legend():
    df = pd.DataFrame(
        {"year": [2024, 2025], "rate_women": [0.012, None], "rate_men": [0.009, None], "suppressed": [False, True]}
    )
    fig = charts.common.women_men_lines(df, "en", "t", "rate_women", "rate_men", k=5)
    assert [d.name for d in fig.data][-1] == "hidden: fewer than 5 persons"  # not "hidden (hidden: ...)"


def test_the_health_title_says_its_ratio_is_of_the_unrounded_rates_when_the_rounded_ones_disagree():
    # 1.24 % / 0.87 % = 1.43, but as shown 1.2 % / 0.9 % = 1.33: the title says the ratio is of the unrounded rates
    df = pd.DataFrame(
        {
            "year": [2025],
            "rate_women": [0.0124],
            "rate_men": [0.0087],
            "ratio_women_men": [0.0124 / 0.0087],
            "suppressed": [False],
        }
    )
    title = charts.care_health_safety.sick_leave(df, CTX).layout.title.text
    assert "1.43" in title and "1.2\u00a0%" in title and "computed from the unrounded rates" in title
    # 1.20 % / 0.80 % = 1.50, and 1.2 / 0.8 = 1.50 as shown: nothing to explain
    even = df.assign(rate_women=0.012, rate_men=0.008, ratio_women_men=1.5)
    assert "unrounded" not in charts.care_health_safety.sick_leave(even, CTX).layout.title.text


def test_recruitment_per_sub_unit_says_when_the_unit_records_none():
    stages = ["applicants", "appointed"]
    df = pd.DataFrame(
        {
            "level": ["unit"] * 2 + ["rollup"] * 2,
            "unit": ["ELE"] * 4,
            "stage": stages * 2,
            "women": [10, 3] * 2,
            "men": [30, 7] * 2,
            "share_women": [0.25, 0.3] * 2,
            "suppressed": False,
        }
    )
    fig = charts.recruitment.funnel(df, CTX)
    said = [a.text.replace("<br>", " ") for a in fig.layout.annotations if a.name == "per_unit_none"]
    assert said == ["ELE's recruitment is not recorded by sub-unit"]
    assert len(fig.data) == 1  # the roll-up alone, not the same line twice


def test_the_transitions_draw_a_link_whose_total_is_hidden_by_its_women_and_men():
    # An administration with only entrants and leavers of one position, each link with 1 to k-1 people
    # of other or unknown gender: the total is hidden (it would count them), women and men are shown.
    # The links are drawn as wide as women + men: 599 + 308 = 907 and 506 + 287 = 793; the hover gives no
    # total. A third link with its total shown (nobody of other gender) is drawn by it, and says it: 12,
    # not 5 + 6 = 11, since the total is a count with its own noise (columns.toml: "may differ from women
    # + men by the adjustment").
    df = pd.DataFrame(
        {
            "year": [2025, 2025, 2025],
            "from_position": ["entrant", "non_academic", "lecturer"],
            "to_position": ["non_academic", "leaver", "professor"],
            "women": [599, 506, 5],
            "men": [308, 287, 6],
            "other": pd.array([None, None, 0], dtype="Int64"),
            "total": pd.array([None, None, 12], dtype="Int64"),
            "share_women": [0.660, 0.638, 0.417],
            "suppressed": [False, False, False],
        }
    )
    fig = charts.careers.transitions(df, charts.common.Context(lang="en", unit="Administration", year=2025, k=5))
    assert fig is not None
    [sankey] = fig.data
    assert list(sankey.link.value) == [907.0, 793.0, 12.0]
    assert "Total" not in sankey.link.customdata[0] and sankey.link.customdata[0].startswith("Women: 599")
    assert sankey.link.customdata[2].startswith("Total: 12<br>")


def test_a_unit_that_recruited_no_professor_is_told_so_not_too_few():
    # Every year's published total 0 and none hidden: nobody was recruited, which "too few persons to
    # show anything" would deny. One hidden year (1 to k-1 recruits) and the general reason stands.
    ctx = charts.common.Context(lang="en", unit="Administration", year=2025, k=5)
    none = pd.DataFrame(
        {
            "year": [2024, 2025],
            "share_women": [None, None],
            "share_women_period": [None, None],
            "women": [0, 0],
            "men": [0, 0],
            "total": pd.array([0, 0], dtype="Int64"),
            "suppressed": [False, False],
        }
    )
    assert charts.careers.new_professors(none, ctx) is None
    section = next(s for s in pages.page("careers").sections if s.source == "new_professors")
    assert section.why(none, ctx) == "careers:no_new_professors"
    hidden = none.assign(total=pd.array([0, None], dtype="Int64"), suppressed=[False, True])
    assert section.why(hidden, ctx) is None


def test_an_undefined_glass_ceiling_index_and_no_promotion_shown_are_said_as_such():
    # The HR office has no woman among its professors (none at all): its index is undefined, which the
    # table's note says, and the chart's place says so too. A shown index leaves the general reason.
    gci = pd.DataFrame(
        {
            "year": [2025],
            "unit": ["ADM-1"],
            "gci": [None],
            "note": ["undefined: no women in grade A"],
            "suppressed": [False],
        }
    )
    section = {s.source: s for p in pages.PAGES for s in p.sections}
    assert charts.representation.gci(gci, CTX) is None
    assert section["glass_ceiling"].why(gci, CTX) == "gci_no_index"
    assert section["glass_ceiling"].why(gci.assign(gci=[1.2], note=[None]), CTX) is None
    # No promotion shown in 2025 (0 women promoted, the men hidden): the table still shows who waits.
    waiting = pd.DataFrame(
        {
            "year": [2025, 2025],
            "position": ["phd_student", "lecturer"],
            "promoted_women": pd.array([0, 0], dtype="Int64"),
            "promoted_men": pd.array([None, 0], dtype="Int64"),
            "promoted_years_women": [None, None],
            "promoted_years_men": [None, None],
            "waiting_women": [47, 9],
            "waiting_men": [72, 9],
            "suppressed": [False, False],
        }
    )
    assert section["promotion_waiting"].why(waiting, CTX) == "careers:nobody_promoted_shown"
    assert section["promotion_waiting"].why(waiting.assign(promoted_years_men=[None, 4.5]), CTX) is None
