"""Sub-goal 1, power and influence: the share of women by position and unit, its trend, the academic pipeline, the Glass Ceiling Index, committees, pay quartiles' share of women, managers, segregation (Duncan's index)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ...catalogue import vocabulary, word
from ...catalogue.numbers import number, percent
from .. import national
from .common import (
    HIDDEN,
    MEN,
    SERIES,
    SERIES_ALL,
    WOMEN,
    Context,
    _balanced_title,
    _band,
    _gapped,
    _hidden,
    _hover_counts,
    _is_now,
    _layout,
    _mark_hidden_years,
    _named,
    _since_first,
    _targets,
    _until,
    _visible,
    app,
    position,
    share_by_category,
    t,
)


def representation(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Share of women by position (the `representation` table, without its 'all' row)."""
    rows = df[df["position"] != "all"] if "position" in df else df
    if rows.empty:
        return None
    labels = {p: position(p, ctx.lang) for p in rows["position"]}
    fig = share_by_category(rows, "position", labels, ctx.lang, representation_finding(df, ctx), ctx.k)
    if fig is not None:
        national.markers(fig, ctx.national, labels, ctx.lang, horizontal=True)
    return fig


def representation_finding(df: pd.DataFrame, ctx: Context) -> str:
    """'Women are 27 % of professors in ELE, 2020' — professors when shown, else all staff."""
    vis = _visible(df)
    for pos in ("professor", "all"):
        row = vis[vis["position"] == pos] if "position" in vis else vis.iloc[0:0]
        if not row.empty and pd.notna(row["share_women"].iloc[0]):
            return t(
                "finding_position",
                ctx.lang,
                share=percent(row["share_women"].iloc[0], ctx.lang),
                position=position(pos, ctx.lang),
                unit=ctx.unit,
                year=ctx.shown_year,
            )
    return _named("by_position", ctx)


def units(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Share of women in the chosen unit (the first bar) and in each direct sub-unit (`representation_units`)."""
    if df.empty or "unit" not in df:
        return None
    rows = df[df["position"] == "all"] if "position" in df and (df["position"] == "all").any() else df
    is_total = rows["is_total"].fillna(False).astype(bool) if "is_total" in rows else pd.Series(False, index=rows.index)
    subs = rows[~is_total]
    if subs.empty:  # a unit without sub-units: the position chart says it all
        return None
    lang, names = ctx.lang, ctx.names
    name_col = "name_sv" if lang == "sv" else "name_en"
    labels = {}
    for _, r in rows.iterrows():
        own = r.get(name_col)
        labels[r["unit"]] = own if isinstance(own, str) and own else names.get(r["unit"], str(r["unit"]))
    for u in rows.loc[is_total, "unit"]:
        labels[u] = f"<b>{labels[u]}</b>"
    title = _balanced_title("finding_units", subs, ctx)
    ordered = pd.concat([rows[is_total], subs.sort_values("share_women", ascending=False)])
    return share_by_category(ordered.reset_index(drop=True), "unit", labels, lang, title, ctx.k)


def trend(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Share of women per year, one line per position, the 40–60 band shaded (`representation_trend`)."""
    if df.empty or not {"year", "share_women"} <= set(df.columns):
        return None
    lang, positions = ctx.lang, ctx.positions
    vis = _visible(_until(df, ctx))
    if "position" in vis and positions:
        vis = vis[vis["position"].isin((*positions, "all"))]
    if vis["share_women"].notna().sum() == 0:
        return None
    fig = go.Figure()
    groups = vis.groupby("position", sort=False) if "position" in vis else [("all", vis)]
    # Every line is a share of women: the women/men colours would read as genders, so positions get
    # the palette's other colours, all staff black and professors the thickest.
    others = iter(SERIES)
    drawn = _until(df, ctx)
    if "position" in drawn and positions:
        drawn = drawn[drawn["position"].isin((*positions, "all"))]
    for pos, _ in groups:
        g = _gapped(drawn[drawn["position"] == pos] if "position" in drawn else drawn, ["share_women"])
        hover = [_hover_counts(r, lang) for _, r in g.iterrows()]
        colour = SERIES_ALL if pos == "all" else next(others)
        fig.add_scatter(
            x=g["year"],
            y=g["share_women"],
            mode="lines+markers",
            name=position(pos, lang),
            line={"width": 4 if pos in ("professor", "all") else 2, "color": colour},
            customdata=hover,
            hovertemplate="%{x}: %{y:.0%}<br>%{customdata}<extra>%{fullData.name}</extra>",
        )
    _targets(fig, vis, ctx, "representation_trend")
    _band(fig, lang)
    fig.update_xaxes(dtick=1)
    return _layout(fig, trend_finding(vis, ctx), lang, percent_axis="y")


def trend_finding(df: pd.DataFrame, ctx: Context) -> str:
    """'Women are 27 % of professors in ELE in 2025, up from 22 % in 2020'."""
    lang, unit = ctx.lang, ctx.unit
    for pos in ("professor", "all"):
        g = df[df["position"] == pos] if "position" in df else df
        g = g.dropna(subset=["share_women"]).sort_values("year")
        if len(g) >= 2 and _is_now(g.iloc[-1], ctx):
            first, last = g.iloc[0], g.iloc[-1]
            diff = round(last["share_women"] * 100) - round(first["share_women"] * 100)
            change = t("up" if diff > 0 else "down" if diff < 0 else "unchanged", lang)
            return t(
                "finding_trend",
                lang,
                share=percent(last["share_women"], lang),
                position=position(pos, lang),
                unit=unit,
                year=int(last["year"]),
                change=change,
                then=percent(first["share_women"], lang),
                first=int(first["year"]),
            )
    return _named("trend", ctx)


def pipeline(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """The scissors diagram: share of women and of men per career stage, one pair of lines per year."""
    if df.empty or not {"stage", "share_women"} <= set(df.columns):
        return None
    lang = ctx.lang
    vis = _visible(_until(df, ctx))
    fig = go.Figure()
    years = sorted(vis["year"].dropna().unique()) if "year" in vis else [None]
    for j, y in enumerate(years):
        g = vis[vis["year"] == y] if y is not None else vis
        stages = [position(s, lang) for s in g["stage"]]
        dash = "solid" if j == len(years) - 1 else "dot"
        suffix = f" {int(y)}" if y is not None else ""
        fig.add_scatter(
            x=stages,
            y=g["share_women"],
            name=t("women", lang) + suffix,
            mode="lines+markers",
            line={"color": WOMEN, "dash": dash, "width": 3},
        )
        men = g["share_men"] if "share_men" in g else 1 - g["share_women"]
        fig.add_scatter(
            x=stages,
            y=men,
            name=t("men", lang) + suffix,
            mode="lines+markers",
            line={"color": MEN, "dash": dash, "width": 3},
        )
    _band(fig, lang)
    # the country's professors and lektorer beside grades A and B (She Figures' grades of those positions)
    national.markers(
        fig,
        ctx.national,
        {"professor": position("A", lang), "associate_professor": position("B", lang)},
        lang,
        horizontal=False,
    )
    return _layout(fig, t("finding_pipeline", lang, unit=ctx.unit, year=ctx.shown_year), lang, percent_axis="y")


def gci(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """She Figures Glass Ceiling Index of the chosen unit (first) and its sub-units, parity (1) marked;
    an undefined index (no women in grade A) and a hidden one are named instead of drawn."""
    if df.empty or "gci" not in df:
        return None
    lang, names, k = ctx.lang, ctx.names, ctx.k
    col = "unit" if "unit" in df else df.columns[0]
    name_col = "name_sv" if lang == "sv" else "name_en"

    def label(r):
        own = r.get(name_col)
        text = own if isinstance(own, str) and own else names.get(r[col], str(r[col]))
        return f"<b>{text}</b>" if bool(r.get("is_total", False)) else text

    rows = df.reset_index(drop=True)
    hidden = _hidden(rows)
    labels = [label(r) for _, r in rows.iterrows()]
    values = rows["gci"].astype(float).where(~hidden)
    if values.notna().sum() == 0:
        return None
    fig = go.Figure()
    fig.add_bar(
        x=labels,
        y=values,
        marker_color=SERIES[0],
        name="GCI",
        text=[number(v, lang, 2) if pd.notna(v) else "" for v in values],
        textposition="outside",
        hovertemplate="%{x}: %{y:.2f}<extra></extra>",
    )
    reason = app("hidden_reason", lang, k=k)
    notes = [reason if h else (t("gci_undefined", lang) if pd.isna(v) else "") for h, v in zip(hidden, values)]
    if any(notes):
        fig.add_bar(
            x=[lb for lb, n in zip(labels, notes) if n],
            y=[0.15] * sum(1 for n in notes if n),
            name=app("hidden", lang),
            marker_color=HIDDEN,
            marker_pattern_shape="/",
            text=[n for n in notes if n],
            textposition="outside",
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    # parity named right of the plot, at its line, with the side that means a ceiling: a label on the
    # line inside the plot ran into the bars' values near 1
    fig.add_hline(y=1, line_dash="dash", line_color="#555")
    fig.add_annotation(
        x=1,
        xref="paper",
        xanchor="left",
        y=1,
        yref="y",
        text=t("gci_sides", lang),
        showarrow=False,
        align="left",
        font={"size": 11, "color": "#555"},
    )
    first = rows[values.notna()].iloc[0]
    title = t(
        "finding_gci",
        lang,
        value=number(first["gci"], lang, 2),
        unit=label(first).replace("<b>", "").replace("</b>", ""),
        year=ctx.shown_year,
    )
    fig.update_layout(barmode="overlay", showlegend=any(notes))  # one series needs no legend
    _layout(fig, title, lang, percent_axis=None)
    fig.update_yaxes(rangemode="tozero")
    return fig


def bodies(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Share of women per committee body (`committee_bodies`); seats are public, nothing hidden."""
    if df.empty or not {"body", "share_women"} <= set(df.columns):
        return None
    rows = df.sort_values("share_women").reset_index(drop=True)
    balanced = int(rows["balanced"].fillna(False).astype(bool).sum()) if "balanced" in rows else 0
    title = t("finding_bodies", ctx.lang, n=balanced, total=len(rows), unit=ctx.unit, year=ctx.shown_year)
    return share_by_category(rows.iloc[::-1].reset_index(drop=True), "body", {}, ctx.lang, title, ctx.k)


def quartiles(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Share of women per pay quartile band (`pay_quartiles`), the highest-paid band at the top."""
    lang, unit, year, k = ctx.lang, ctx.unit, ctx.year, ctx.k
    col = next((c for c in ("quartile", "band") if c in df), None)
    if col is None or df.empty or "share_women" not in df:
        return None
    rows = df.sort_values(col, ascending=False).reset_index(drop=True)
    quartiles = vocabulary("vocabularies", "quartile")
    labels = {
        q: word("vocabularies", "quartile", q, lang) if str(q) in quartiles else f"{t('quartile', lang)} {q}"
        for q in rows[col]
    }
    vis = _visible(rows).dropna(subset=["share_women"])
    title = t("quartile", lang) + f" – {unit}, {year}"
    if len(vis) >= 2:
        top, low = vis.iloc[0], vis.iloc[-1]
        title = t(
            "finding_quartiles",
            lang,
            top=percent(top["share_women"], lang),
            low=percent(low["share_women"], lang),
            unit=unit,
            year=year,
        )
    return share_by_category(rows, col, labels, lang, title, k)


def managers(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Women's share of managers per year (`managers`)."""
    return share_over_years(df, ctx, "managers_lower", indicator="managers")


def share_over_years(df: pd.DataFrame, ctx: Context, what: str, indicator: str | None = None) -> go.Figure | None:
    """One group's share of women per year, the 40–60 band shaded; what: charts.toml key of the group."""
    if df.empty or not {"year", "share_women"} <= set(df.columns):
        return None
    lang, unit, k = ctx.lang, ctx.unit, ctx.k
    df = _until(df, ctx)
    vis = _visible(df).sort_values("year").dropna(subset=["share_women"])
    if vis.empty:
        return None
    fig = go.Figure()
    err = {}
    if {"ci_low", "ci_high"} <= set(vis.columns):
        err = {
            "error_y": {
                "type": "data",
                "array": vis["ci_high"] - vis["share_women"],
                "arrayminus": vis["share_women"] - vis["ci_low"],
                "color": "#999",
                "thickness": 1,
            }
        }
    drawn = _gapped(df, ["share_women", "ci_low", "ci_high"])
    if err:
        err["error_y"].update(
            array=drawn["ci_high"] - drawn["share_women"], arrayminus=drawn["share_women"] - drawn["ci_low"]
        )
    fig.add_scatter(
        x=drawn["year"],
        y=drawn["share_women"],
        mode="lines+markers",
        name=t("share_women", lang),
        line={"color": WOMEN, "width": 3},
        customdata=[_hover_counts(r, lang) for _, r in drawn.iterrows()],
        hovertemplate="%{x}: %{y:.0%}<br>%{customdata}<extra></extra>",
        **err,
    )
    if indicator:
        _targets(fig, vis, ctx, indicator)
    _band(fig, lang)
    _mark_hidden_years(fig, df, lang, k)
    fig.update_xaxes(dtick=1)
    first, last = vis.iloc[0], vis.iloc[-1]
    diff = round(last["share_women"] * 100) - round(first["share_women"] * 100)
    title = (
        t(
            "finding_trend",
            lang,
            share=percent(last["share_women"], lang),
            position=t(what, lang).lower(),
            unit=unit,
            year=int(last["year"]),
            change=t("up" if diff > 0 else "down" if diff < 0 else "unchanged", lang),
            then=percent(first["share_women"], lang),
            first=int(first["year"]),
        )
        if _is_now(last, ctx)
        else _named(what.removesuffix("_lower"), ctx)
    )
    return _layout(fig, title, lang, percent_axis="y")


def segregation(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Duncan's index over the years (0 = women and men spread alike over positions, 1 = fully apart)."""
    if df.empty or not {"year", "duncan"} <= set(df.columns):
        return None
    lang, unit = ctx.lang, ctx.unit
    vis = _visible(_until(df, ctx)).sort_values("year").dropna(subset=["duncan"])
    if "categories" in vis:  # one position has nothing to be spread over: D is 0 by construction
        vis = vis[vis["categories"] > 1]
    if vis.empty:
        return None
    fig = go.Figure()
    drawn = _gapped(_until(df, ctx), ["duncan"])
    fig.add_scatter(
        x=drawn["year"],
        y=drawn["duncan"],
        mode="lines+markers",
        name="Duncan D",
        line={"color": SERIES[0], "width": 3},
        hovertemplate="%{x}: %{y:.2f}<extra></extra>",
    )
    fig.update_xaxes(dtick=1)
    first, last = vis.iloc[0], vis.iloc[-1]
    title = (
        t(
            "finding_segregation_value",
            lang,
            value=number(last["duncan"], lang, 2),
            unit=unit,
            year=int(last["year"]),
            then=number(first["duncan"], lang, 2),
            first=int(first["year"]),
        )
        if _is_now(last, ctx)
        else _named("segregation", ctx)
    )
    _layout(fig, title, lang, percent_axis=None)
    fig.update_yaxes(range=[0, max(0.6, float(vis["duncan"].max()) + 0.1)])
    return fig


def committee_trend(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Women's share of committee seats per year, one line per body type, all bodies thick (`committee_summary`)."""
    if df.empty or not {"year", "body_type", "share_women"} <= set(df.columns):
        return None
    lang = ctx.lang
    vis = _visible(_until(df, ctx)).dropna(subset=["share_women"])
    if vis.empty:
        return None
    fig = go.Figure()
    colours = {"all": SERIES_ALL, "decision-making": SERIES[0], "preparatory": SERIES[1], "other": SERIES[2]}
    drawn = _until(df, ctx)
    for bt, _ in vis.groupby("body_type", sort=False):
        g = _gapped(drawn[drawn["body_type"] == bt], ["share_women"])
        name = t("all_bodies", lang) if bt == "all" else word("vocabularies", "body_type", bt, lang)
        fig.add_scatter(
            x=g["year"],
            y=g["share_women"],
            mode="lines+markers",
            name=name,
            line={"width": 4 if bt == "all" else 2, "color": colours.get(bt)},
            customdata=[_hover_counts(r, lang) for _, r in g.iterrows()],
            hovertemplate="%{x}: %{y:.0%}<br>%{customdata}<extra>" + name + "</extra>",
        )
    _targets(fig, vis, ctx, "committee_summary")
    _band(fig, lang)
    fig.update_xaxes(dtick=1)
    title = _since_first(vis[vis["body_type"] == "all"], ctx, "committee_summary", "finding_seats")
    return _layout(fig, title, lang, percent_axis="y")
