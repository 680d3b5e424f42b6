"""Recruitment and promotion: the funnel from applicants to hired (Simpson's paradox said where it occurs), promotions."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ... import settings
from ...catalogue import vocabulary
from ...catalogue.numbers import percent
from .common import (
    BAND,
    SERIES,
    SERIES_ALL,
    Context,
    _hidden,
    _hover_counts,
    _layout,
    _named,
    _num,
    _visible,
    app,
    position,
    stage,
    t,
    women_men_bars,
    wrap,
)


def simpson(df: pd.DataFrame) -> bool:
    """True when the roll-up reverses the per-unit picture (Simpson's paradox) from applicants to appointed:
    women's success rate beats men's in every visible unit while the roll-up says the opposite, or the
    other way round."""
    if df.empty or not {"level", "stage", "women", "men"} <= set(df.columns):
        return False
    vis = _visible(df)

    def ratio(g):
        a = g[g["stage"] == "applicants"]
        z = g[g["stage"] == "appointed"]
        if a.empty or z.empty:
            return None
        aw, am, zw, zm = (
            _num(a["women"].iloc[0]),
            _num(a["men"].iloc[0]),
            _num(z["women"].iloc[0]),
            _num(z["men"].iloc[0]),
        )
        if not (aw > 0 and am > 0) or zw != zw or zm != zm:
            return None
        return zw / aw - zm / am

    units = [r for _, g in vis[vis["level"] == "unit"].groupby("unit") if (r := ratio(g)) is not None]
    roll = ratio(vis[vis["level"] == "rollup"])
    if roll is None or len(units) < 2:
        return False
    return (all(u > 0 for u in units) and roll < 0) or (all(u < 0 for u in units) and roll > 0)


def funnel(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Women's share at each stage: per sub-unit (left) and the roll-up (right), side by side (`recruitment_funnel`)."""
    from plotly.subplots import make_subplots  # here, not at the top: Plotly's subplots, for this chart only

    lang, unit, year, names = ctx.lang, ctx.unit, ctx.year, ctx.names
    if df.empty or not {"level", "stage", "share_women"} <= set(df.columns):
        return None
    order = list(vocabulary("vocabularies", "stage"))
    per_unit = df[df["level"] == "unit"]
    # A unit whose recruitment rows name no sub-unit (a school whose recruitment is recorded at the school)
    # has only itself "per sub-unit", the same line as rolled up: the panel says so instead of repeating it.
    alone = set(per_unit["unit"]) <= set(df.loc[df["level"] == "rollup", "unit"]) if "unit" in df else False
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.06,
        subplot_titles=(t("per_unit", lang), t("rollup", lang)),
    )
    if alone:
        per_unit = per_unit.iloc[0:0]
        fig.add_annotation(
            x=0.235,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            name="per_unit_none",
            text=wrap(t("per_unit_none", lang, unit=unit), 34),
            font={"color": "#555"},
        )
    colours = iter(SERIES * 3)
    for u, g in per_unit.groupby("unit", sort=True):
        colour = next(colours)
        g = g.set_index("stage").reindex([s for s in order if s in set(g["stage"])])
        hidden = _hidden(g.reset_index()).to_numpy()
        label = names.get(u, str(u)) + (f" ({app('hidden', lang)})" if hidden.all() else "")
        fig.add_scatter(
            x=[stage(s, lang) for s in g.index],
            y=g["share_women"].where(~hidden),
            mode="lines+markers",
            name=label,
            line={"color": colour, "width": 2},
            legendgroup=u,
            row=1,
            col=1,
            hovertemplate="%{x}: %{y:.0%}<extra>" + label + "</extra>",
        )
    roll = _visible(df[df["level"] == "rollup"]).set_index("stage")
    roll = roll.reindex([s for s in order if s in roll.index])
    fig.add_scatter(
        x=[stage(s, lang) for s in roll.index],
        y=roll["share_women"],
        mode="lines+markers",
        name=t("rollup", lang) + f": {unit}",
        line={"color": SERIES_ALL, "width": 4},
        row=1,
        col=2,
        customdata=[_hover_counts(r, lang) for _, r in roll.reset_index().iterrows()],
        hovertemplate="%{x}: %{y:.0%}<br>%{customdata}<extra></extra>",
    )
    b = settings.goals()["balance"]
    for col in (1, 2):
        fig.add_hrect(y0=b["lower"], y1=b["upper"], fillcolor=BAND, line_width=0, layer="below", row=1, col=col)
    title = _named("funnel", ctx)
    if {"applicants", "appointed"} <= set(roll.index) and roll[["share_women"]].notna().all().all():
        title = t(
            "finding_funnel",
            lang,
            applicants=percent(roll.loc["applicants", "share_women"], lang),
            appointed=percent(roll.loc["appointed", "share_women"], lang),
            unit=unit,
            year=year,
        )
    _layout(fig, title, lang, percent_axis=None, height=460)
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    fig.update_layout(margin={"t": 100})
    return fig


def promotions(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Success rate of promotion applications, women beside men, per position, with Wilson intervals (`promotions`)."""
    lang, unit, year, k = ctx.lang, ctx.unit, ctx.year, ctx.k
    if df.empty or not {"position", "success_women", "success_men"} <= set(df.columns):
        return None
    # every position (hidden ones marked), and all of them together first
    rows = pd.concat([df[df["position"] == "all"], df[df["position"] != "all"]])
    labels = {p: position(p, lang) for p in rows["position"]}
    title = t("promotions", lang) + f" – {unit}, {year}"
    total = _visible(df[df["position"] == "all"]).dropna(subset=["success_women", "success_men"])
    if not total.empty:
        r = total.iloc[0]
        title = t(
            "finding_promotions",
            lang,
            women=percent(r["success_women"], lang),
            men=percent(r["success_men"], lang),
            unit=unit,
            year=year,
        )
    return women_men_bars(
        rows.reset_index(drop=True),
        "position",
        labels,
        lang,
        title,
        "success_women",
        "success_men",
        k,
        ci=(("success_women_low", "success_women_high"), ("success_men_low", "success_men_high")),
    )
