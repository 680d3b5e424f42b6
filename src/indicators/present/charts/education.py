"""Sub-goal 3, education: the share of women by programme and its trend, completion."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ...catalogue.numbers import percent
from .common import (
    SERIES,
    SERIES_ALL,
    Context,
    _balanced_title,
    _band,
    _gapped,
    _hover_counts,
    _layout,
    _named,
    _since_first,
    _targets,
    _until,
    _visible,
    level,
    share_by_category,
    t,
    women_men_bars,
)


def students(df: pd.DataFrame, ctx: Context, measure: str = "registered") -> go.Figure | None:
    """Share of women per programme (registered students), the 40–60 band marked (`students`)."""
    lang, k = ctx.lang, ctx.k
    if df.empty or not {"programme", "measure", "share_women"} <= set(df.columns):
        return None
    rows = df[(df["measure"] == measure) & (df["programme"] != "all")]
    if rows.empty:
        return None
    rows = rows.sort_values(["level", "share_women"]).reset_index(drop=True)
    rows = rows.assign(label=[f"{p} ({level(lv, lang)})" for p, lv in zip(rows["programme"], rows["level"])])
    title = _balanced_title("finding_programmes", rows, ctx)
    return share_by_category(rows, "label", {}, lang, title, k)


def students_trend(df: pd.DataFrame, ctx: Context, measure: str = "registered") -> go.Figure | None:
    """Share of women among students per year, one line per level (`students_trend`)."""
    if df.empty or not {"year", "level", "measure", "share_women"} <= set(df.columns):
        return None
    lang = ctx.lang
    df = _until(df, ctx)
    rows = _visible(df[df["measure"] == measure]).dropna(subset=["share_women"])
    if rows.empty:
        return None
    fig = go.Figure()
    # Study levels are not genders: the series palette, all levels black (the women/men colours would
    # read as women and men).
    colours = iter(SERIES)
    drawn = df[df["measure"] == measure]
    for lv, _ in rows.groupby("level", sort=False):
        g = _gapped(drawn[drawn["level"] == lv], ["share_women"])
        fig.add_scatter(
            x=g["year"],
            y=g["share_women"],
            mode="lines+markers",
            name=level(lv, lang),
            line={"width": 4 if lv == "all" else 2, "color": SERIES_ALL if lv == "all" else next(colours)},
            customdata=[_hover_counts(r, lang) for _, r in g.iterrows()],
            hovertemplate="%{x}: %{y:.0%}<br>%{customdata}<extra>%{fullData.name}</extra>",
        )
    _targets(fig, rows, ctx, "students_trend")
    _band(fig, lang)
    fig.update_xaxes(dtick=1)
    title = _since_first(rows[rows["level"] == "all"], ctx, "students_trend", "finding_students_trend")
    return _layout(fig, title, lang, percent_axis="y")


def completion(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Degrees over new entrants, women beside men, per level and programme, over the years up to the
    page's year (`completion`)."""
    lang, unit, k = ctx.lang, ctx.unit, ctx.k
    if df.empty or not {"programme", "level", "completion_women", "completion_men"} <= set(df.columns):
        return None
    rows = df.copy()
    rows["label"] = [
        level(lv, lang) if p == "all" else f"{p} ({level(lv, lang)})" for p, lv in zip(rows["programme"], rows["level"])
    ]
    # the level totals first, then the programmes
    rows = (
        rows.assign(_o=(rows["programme"] != "all").astype(int))
        .sort_values(["_o", "level", "programme"])
        .drop(columns="_o")
    )
    title = _named("completion", ctx)
    firsts = _visible(rows[(rows["programme"] == "all") & (rows["level"] == "first")]).dropna(
        subset=["completion_women", "completion_men"]
    )
    if not firsts.empty:
        r = firsts.iloc[0]
        title = t(
            "finding_completion",
            lang,
            women=percent(r["completion_women"], lang),
            men=percent(r["completion_men"], lang),
            unit=unit,
            first=int(r["first_year"]),
            last=int(r["last_year"]),
        )
    return women_men_bars(rows, "label", {}, lang, title, "completion_women", "completion_men", k)
