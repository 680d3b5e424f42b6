"""Sub-goal 2, pay: the gap by position, its trend, the salary distribution."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ... import catalogue
from ...catalogue import vocabulary
from ...catalogue.numbers import number, pct_points
from .common import (
    MEN,
    WOMEN,
    Context,
    _gapped,
    _hidden,
    _is_now,
    _layout,
    _mark_hidden_years,
    _named,
    _num,
    _targets,
    _until,
    _visible,
    app,
    position,
    t,
)


def pay_axis(df: pd.DataFrame, lang: str) -> str:
    """The axis of a pay chart: the measure of pay its table shows (pay_measure, issue 21), in SEK."""
    measure = str(df["pay_measure"].iloc[0]) if "pay_measure" in df and len(df) else "monthly"
    if measure == "monthly":
        return t("monthly_salary", lang)
    return f"{catalogue.word('pay', 'pay_measure', measure, lang).capitalize()} (kr)"


def pay_gap_finding(row, ctx: Context) -> str:
    """'Women's median salary is 11.3 % lower than men's ... (the unadjusted median pay gap)': the
    gap in percent of men's pay, positive when women are paid less; a negative gap is said as women's
    pay above men's with the signed gap beside it (the figure the overview's card shows)."""
    gap = row.get("median_gap_pct")
    if gap is None or pd.isna(gap):
        return _named("gap_pct", ctx)
    return t(
        "finding_gap" if gap >= 0 else "finding_gap_neg",
        ctx.lang,
        value=pct_points(abs(gap), ctx.lang),
        gap=pct_points(gap, ctx.lang),
        unit=ctx.unit,
        year=ctx.shown_year,
    )


def pay_gap(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Women's and men's mean and median full-time monthly salary (`pay_gap`); the title states the median gap."""
    if df.empty or not {"mean_women", "mean_men", "median_women", "median_men"} <= set(df.columns):
        return None
    vis = _visible(df).dropna(subset=["median_women", "median_men"])
    if vis.empty:
        return None
    r = vis.iloc[0]
    lang = ctx.lang
    stats = [t("median", lang), t("mean", lang)]
    fig = go.Figure()
    for name, colour, cols in (
        (t("men", lang), MEN, ("median_men", "mean_men")),
        (t("women", lang), WOMEN, ("median_women", "mean_women")),
    ):
        vals = [_num(r[c]) for c in cols]
        fig.add_bar(
            y=stats,
            x=vals,
            orientation="h",
            name=name,
            marker_color=colour,
            text=[number(v, lang, 0) + " kr" for v in vals],
            textposition="inside",
            hovertemplate="%{y}: %{x:,.0f} kr<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="group", legend={"traceorder": "reversed"})
    _layout(fig, pay_gap_finding(r, ctx), lang, percent_axis=None, height=300)
    fig.update_xaxes(title=pay_axis(df, lang), rangemode="tozero")
    return fig


def pay_trend(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """The mean and median gap over the years (`pay_gap_trend`), zero marked."""
    if df.empty or not {"year", "median_gap_pct", "mean_gap_pct"} <= set(df.columns):
        return None
    lang, unit, k = ctx.lang, ctx.unit, ctx.k
    df = _until(df, ctx)
    vis = _visible(df).sort_values("year").dropna(subset=["median_gap_pct"])
    if vis.empty:
        return None
    fig = go.Figure()
    drawn = _gapped(df, ["median_gap_pct", "mean_gap_pct"])
    for col, dash in (("median_gap_pct", "solid"), ("mean_gap_pct", "dot")):
        name = t("median_gap", lang) if col.startswith("median") else t("mean_gap", lang)
        fig.add_scatter(
            x=drawn["year"],
            y=drawn[col],
            mode="lines+markers",
            name=name,
            line={"color": WOMEN, "dash": dash, "width": 3},
            hovertemplate="%{x}: %{y:.1f} %<extra>" + name + "</extra>",
        )
    fig.add_hline(y=0, line_color="#555", line_width=1)
    _targets(fig, vis, ctx, "pay_gap_trend")
    _mark_hidden_years(fig, df, lang, k)
    fig.update_xaxes(dtick=1)
    last, first = vis.iloc[-1], vis.iloc[0]
    title = (
        t(
            "finding_gap_trend",
            lang,
            value=pct_points(last["median_gap_pct"], lang),
            unit=unit,
            year=int(last["year"]),
            then=pct_points(first["median_gap_pct"], lang),
            first=int(first["year"]),
        )
        if _is_now(last, ctx)
        else _named("gap_pct", ctx)
    )
    _layout(fig, title, lang, percent_axis=None)
    fig.update_yaxes(ticksuffix=" %", title=t("gap_pct", lang))
    return fig


def salary_distribution(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Box plots from the percentiles (10, 25, 50, 75, 90) of women and men per position (`salary_distribution`)."""
    lang, unit, year, k = ctx.lang, ctx.unit, ctx.year, ctx.k
    if df.empty or not {"position", "gender", "p25", "median", "p75"} <= set(df.columns):
        return None
    vis = _visible(df).dropna(subset=["p25", "median", "p75"])
    if vis.empty:
        return None
    order = [
        p
        for p in (*[c for c in vocabulary("vocabularies", "position") if c != "all"], "all")
        if p in set(vis["position"])
    ]
    fig = go.Figure()
    for gender, name, colour in (("woman", t("women", lang), WOMEN), ("man", t("men", lang), MEN)):
        g = vis[vis["gender"] == gender].set_index("position").reindex(order)
        fig.add_box(
            x=[position(p, lang) for p in order],
            q1=g["p25"],
            median=g["median"],
            q3=g["p75"],
            lowerfence=g["p10"].fillna(g["p25"]),
            upperfence=g["p90"].fillna(g["p75"]),
            name=name,
            marker_color=colour,
            line={"color": colour},
            fillcolor=colour,
            opacity=0.75,
        )
    fig.update_layout(boxmode="group")
    hidden = df[_hidden(df)]["position"].unique() if "suppressed" in df else []
    title = t("salary_spread", lang) + f" – {unit}, {year}"
    med = vis[vis["position"] != "all"].pivot_table(index="position", columns="gender", values="median")
    if {"woman", "man"} <= set(med.columns):
        med = med.dropna(subset=["woman", "man"])
        if len(med):
            title = t(
                "finding_spread", lang, n=int((med["woman"] < med["man"]).sum()), total=len(med), unit=unit, year=year
            )
    if len(hidden):
        # a position is hidden with fewer than k women or k men (salary_distribution's rule)
        title += (
            "<br><sup>"
            + app("hidden_figures", lang, k=k)
            + ": "
            + ", ".join(position(p, lang) for p in hidden)
            + "</sup>"
        )
    _layout(fig, title, lang, percent_axis=None, height=480)
    fig.update_yaxes(title=pay_axis(df, lang))
    return fig
