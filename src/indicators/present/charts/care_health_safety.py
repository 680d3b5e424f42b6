"""Sub-goals 4 to 6: parental leave and care of a sick child, sick leave, incidents."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ...catalogue.numbers import number, percent
from ...subgoals.safety import TARGET_CATEGORY
from .common import (
    MEN,
    WOMEN,
    Context,
    _gapped,
    _headline,
    _is_now,
    _last_visible,
    _layout,
    _mark_hidden_years,
    _named,
    _until,
    _visible,
    t,
    women_men_lines,
)


def care_shares(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Men's share of parental-leave days against men's share of staff, over the years (`care_leave`)."""
    if df.empty or not {"year", "men_share_parental", "men_share_staff"} <= set(df.columns):
        return None
    lang, unit, k = ctx.lang, ctx.unit, ctx.k
    df = _until(df, ctx)
    vis = _visible(df).sort_values("year").dropna(subset=["men_share_parental"])
    if vis.empty:
        return None
    fig = go.Figure()
    drawn = _gapped(df, ["men_share_parental", "men_share_staff"])
    fig.add_scatter(
        x=drawn["year"],
        y=drawn["men_share_parental"],
        mode="lines+markers",
        name=t("men_share_parental", lang),
        line={"color": MEN, "width": 3},
        hovertemplate="%{x}: %{y:.0%}<extra></extra>",
    )
    fig.add_scatter(
        x=drawn["year"],
        y=drawn["men_share_staff"],
        mode="lines",
        name=t("men_share_staff", lang),
        line={"color": MEN, "dash": "dash", "width": 2},
        hovertemplate="%{x}: %{y:.0%}<extra></extra>",
    )
    _mark_hidden_years(fig, df, lang, k)
    fig.update_xaxes(dtick=1)
    last = vis.iloc[-1]
    title = _named("men_share_parental", ctx)
    if _is_now(last, ctx):
        name, ratio = _headline("care_leave", last.get("parity_ratio"), lang)
        title = t(
            "finding_care",
            lang,
            name=name,
            ratio=ratio,
            parental=percent(last["men_share_parental"], lang),
            staff=percent(last["men_share_staff"], lang),
            unit=unit,
            year=int(last["year"]),
        )
    return _layout(fig, title, lang, percent_axis="y")


def care_days(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Parental-leave and care-of-child days per woman and per man over the years (`care_leave`)."""
    if df.empty or not {"parental_per_woman", "parental_per_man"} <= set(df.columns):
        return None
    lang, unit, k = ctx.lang, ctx.unit, ctx.k
    df = _until(df, ctx)
    last = _last_visible(df, "parental_per_woman")
    title = (
        _named("days_per_person", ctx)
        if last is None or not _is_now(last, ctx)
        else t(
            "finding_care_days",
            lang,
            women=number(last["parental_per_woman"], lang, 1),
            men=number(last["parental_per_man"], lang, 1),
            unit=unit,
            year=int(last["year"]),
        )
    )
    extra = [("care_per_woman", t("care_per_woman", lang), WOMEN), ("care_per_man", t("care_per_man", lang), MEN)]
    fig = women_men_lines(
        df, lang, title, "parental_per_woman", "parental_per_man", k=k, percent_axis=False, extra=extra
    )
    if fig is not None:
        fig.data[0].name, fig.data[1].name = t("parental_per_woman", lang), t("parental_per_man", lang)
    return fig


def sick_leave(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Sick-leave rate of women and of men over the years (`sick_leave`)."""
    lang, unit, k = ctx.lang, ctx.unit, ctx.k
    df = _until(df, ctx)
    last = _last_visible(df, "rate_women") if not df.empty and "rate_women" in df else None
    title = _named("sick_rate", ctx)
    if last is not None and _is_now(last, ctx):
        name, ratio = _headline("sick_leave", last.get("ratio_women_men"), lang)
        title = t(
            "finding_sick",
            lang,
            name=name,
            ratio=ratio,
            women=percent(last["rate_women"], lang, 1),
            men=percent(last["rate_men"], lang, 1),
            unit=unit,
            year=int(last["year"]),
        )
        # 1,2 % / 0,9 % reads as 1,33, the ratio of the unrounded rates may be 1,43: said, not left to puzzle
        w, m = round(float(last["rate_women"]) * 100, 1), round(float(last["rate_men"]) * 100, 1)
        if m and pd.notna(last.get("ratio_women_men")) and round(w / m, 2) != round(float(last["ratio_women_men"]), 2):
            title += "<br><sup>" + t("ratio_unrounded", lang) + "</sup>"
    return women_men_lines(df, lang, title, "rate_women", "rate_men", k=k)


def incidents(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Reported cases per 100 women and per 100 men, every category together, over the years (`incidents`)."""
    if df.empty or "category" not in df:
        return None
    lang, unit, k = ctx.lang, ctx.unit, ctx.k
    df = _until(df, ctx)
    rows = df[df["category"] == "all"]
    last = _last_visible(rows, "rate_women")
    population = t("pop_" + str(last["population"]), lang) if last is not None and "population" in last else ""
    cases = last is not None and _is_now(last, ctx)
    rates = (
        {
            "women": number(last["rate_women"], lang, 1),
            "men": number(last["rate_men"], lang, 1),
            "population": population,
        }
        if cases
        else {}
    )
    # The sub-goal's headline first: the survey's share of women exposed in the target category, the
    # figure the overview's card shows (the case counts are no target: more reports can mean more trust).
    exposed = (
        _last_visible(df[df["category"] == TARGET_CATEGORY], "exposed_share_women")
        if "exposed_share_women" in df
        else None
    )
    if exposed is not None and _is_now(exposed, ctx):
        name, share = _headline("incidents", exposed["exposed_share_women"], lang)
        title = t(
            "finding_exposed_cases" if cases else "finding_exposed",
            lang,
            name=name,
            share=share,
            unit=unit,
            year=int(exposed["year"]),
            **rates,
        )
    elif cases:
        title = t("finding_incidents", lang, unit=unit, year=int(last["year"]), **rates)
    else:
        title = _named("incidents", ctx)
    fig = women_men_lines(rows, lang, title, "rate_women", "rate_men", k=k, percent_axis=False)
    if fig is not None:
        fig.update_yaxes(title=t("per_100", lang))
    return fig
