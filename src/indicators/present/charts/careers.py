"""The Careers page's charts (issue 24): the transitions as a Sankey diagram, entry and exit rates by
gender, time in position before promotion, fixed-term contracts, and the newly recruited professors
against the target with the country beside them. Each `(df, common.Context) -> Figure | None`, as
every chart a page declares; they draw the published tables (subgoals/careers.py) and nothing else.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ...catalogue import text, texts, vocabulary
from ...catalogue.numbers import percent
from .. import national
from ..columns import label
from .common import MEN, WOMEN, Context, _layout, _mark_hidden_years, _until, _visible, position, women_men_bars

t = texts("charts")  # women, men: catalogue/charts.toml


def _w(key: str, ctx: Context, **values) -> str:
    return text("careers", key, ctx.lang, **values)


def _endpoint(code: str, lang: str) -> str:
    pair = vocabulary("careers", "endpoint").get(str(code))
    return position(code, lang) if pair is None else pair[0 if lang == "sv" else 1]


def _period(df: pd.DataFrame, ctx: Context, first: str = "period_from") -> str:
    start = df[first].dropna() if first in df else pd.Series(dtype=float)
    if start.empty or ctx.year is None or int(start.iloc[0]) >= int(ctx.year):  # one year: no range
        return str(ctx.shown_year or "")
    return _w("period", ctx, first=int(start.iloc[0]), last=ctx.shown_year)


# --- transitions ---------------------------------------------------------------------------------------


def transitions(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Sankey diagram of `career_transitions`: last year's positions (left) to this year's (right), each
    link as wide as its published total, or, where the total is hidden (the link's other or unknown
    gender is 1 to k-1 people, whom a total beside women and men would count), as its published women
    and men together; a hidden link (1 to k-1 people) is not drawn and the chart says how many there
    are. Hover: the link's total where shown, its women and men."""
    if df.empty or "from_position" not in df:
        return None
    vis = _visible(df)
    counts = vis[["total", "women", "men"]].apply(pd.to_numeric, errors="coerce")
    width = counts["total"].fillna(counts["women"].fillna(0) + counts["men"].fillna(0))
    vis, width = vis[width > 0], width[width > 0]
    if vis.empty:
        return None
    year = int(df["year"].iloc[0])
    left = list(dict.fromkeys(vis["from_position"]))
    right = list(dict.fromkeys(vis["to_position"]))
    labels = [_w("year_node", ctx, position=_endpoint(p, ctx.lang), year=year - 1) for p in left] + [
        _w("year_node", ctx, position=_endpoint(p, ctx.lang), year=year) for p in right
    ]
    total = label("career_transitions", "total", ctx.lang)
    hover = [
        ("" if pd.isna(r["total"]) else f"{total}: {int(r['total'])}<br>")
        + f"{t('women', ctx.lang)}: {'' if pd.isna(r['women']) else int(r['women'])}<br>"
        f"{t('men', ctx.lang)}: {'' if pd.isna(r['men']) else int(r['men'])}"
        for _, r in vis.iterrows()
    ]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={"label": labels, "pad": 14, "thickness": 16, "color": "#8C8C8C"},
            link={
                "source": [left.index(p) for p in vis["from_position"]],
                "target": [len(left) + right.index(p) for p in vis["to_position"]],
                "value": width.astype(float).tolist(),
                "customdata": hover,
                "color": "rgba(86, 180, 233, 0.35)",
                "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}<extra></extra>",
            },
        )
    )
    hidden = int(df["suppressed"].astype(bool).sum()) if "suppressed" in df else 0
    title = _w("transitions_title", ctx, previous=year - 1, year=year, unit=ctx.unit)
    _layout(fig, title, ctx.lang, percent_axis=None, height=max(380, 34 * max(len(left), len(right)) + 160))
    if hidden:
        fig.add_annotation(
            x=0,
            y=-0.06,
            xref="paper",
            yref="paper",
            showarrow=False,
            xanchor="left",
            text=_w("transitions_hidden", ctx, n=hidden, k=ctx.k),
            font={"color": "#555", "size": 12},
        )
    return fig


# --- entry and exit rates ------------------------------------------------------------------------------


def rates(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Entry rate (entrants / this year's number) and exit rate (leavers / last year's) of women and of
    men in all positions chosen, per year; exit dashed. Hidden years are gaps, marked on the axis."""
    if df.empty or "flow" not in df:
        return None
    rows = _until(df[df["position"] == "all"], ctx)
    entry, exit_ = rows[rows["flow"] == "entrants"], rows[rows["flow"] == "leavers"]
    if entry.empty and exit_.empty:
        return None
    fig = go.Figure()
    for part, word, dash in ((entry, _w("entry_rate", ctx), "solid"), (exit_, _w("exit_rate", ctx), "dash")):
        shown = part.sort_values("year")
        hidden = shown["suppressed"].astype(bool) if "suppressed" in shown else pd.Series(False, index=shown.index)
        for g, colour in (("women", WOMEN), ("men", MEN)):
            name = f"{t(g, ctx.lang)}, {word}"
            fig.add_scatter(
                x=shown["year"],
                y=shown[f"rate_{g}"].astype(float).where(~hidden),
                mode="lines+markers",
                name=name,
                line={"color": colour, "dash": dash, "width": 3},
                hovertemplate="%{x}: %{y:.1%}<extra>" + name + "</extra>",
            )
    _mark_hidden_years(fig, entry, ctx.lang, ctx.k)
    fig.update_xaxes(dtick=1)
    _layout(fig, _rates_title(entry, exit_, ctx), ctx.lang, percent_axis=None)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", title=_w("rate_axis", ctx))
    return fig


def _rates_title(entry: pd.DataFrame, exit_: pd.DataFrame, ctx: Context) -> str:
    """The finding of the page's year when all four rates are shown, else what the chart is."""
    now = [part[(part["year"] == ctx.year) & ~part["suppressed"].astype(bool)] for part in (entry, exit_)]
    if ctx.year is not None and all(len(p) == 1 for p in now):
        values = {
            f"{kind}_{g}": p[f"rate_{g}"].iloc[0] for kind, p in zip(("entry", "exit"), now) for g in ("women", "men")
        }
        if all(pd.notna(v) for v in values.values()):
            return _w(
                "rates_finding",
                ctx,
                year=ctx.shown_year,
                unit=ctx.unit,
                **{k: percent(v, ctx.lang) for k, v in values.items()},
            )
    return _w("rates_title", ctx, unit=ctx.unit)


# --- time to promotion ---------------------------------------------------------------------------------


def waiting(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Median years in the position before promotion, women beside men, per position promoted from."""
    if df.empty or "promoted_years_women" not in df:
        return None
    labels = {p: position(p, ctx.lang) for p in df["position"]}
    period = _period(df, ctx)
    fig = women_men_bars(
        df,
        "position",
        labels,
        ctx.lang,
        _waiting_title(df, ctx, period),
        "promoted_years_women",
        "promoted_years_men",
        ctx.k,
        percent_axis=False,
    )
    if fig is not None:
        fig.update_xaxes(title=_w("years_axis", ctx))
    return fig


def _waiting_title(df: pd.DataFrame, ctx: Context, period: str) -> str:
    both = df.dropna(subset=["promoted_years_women", "promoted_years_men"])
    if both.empty:
        return _w("waiting_title", ctx, unit=ctx.unit, period=period)
    r = both.iloc[-1]  # the highest rung with both medians
    fmt = lambda v: f"{v:.1f}".replace(".", ",") if ctx.lang == "sv" else f"{v:.1f}"  # noqa: E731
    return _w(
        "waiting_finding",
        ctx,
        position=position(r["position"], ctx.lang),
        unit=ctx.unit,
        period=period,
        women=fmt(float(r["promoted_years_women"])),
        men=fmt(float(r["promoted_years_men"])),
    )


# --- fixed-term contracts ------------------------------------------------------------------------------


def contracts(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """The share on fixed-term contracts, women beside men, per position and in all."""
    if df.empty or "share_temporary_women" not in df:
        return None
    labels = {p: position(p, ctx.lang) for p in df["position"]}
    everyone = _visible(df[df["position"] == "all"])
    title = _w("contracts_title", ctx, unit=ctx.unit, year=ctx.shown_year)
    if len(everyone) == 1 and everyone[["share_temporary_women", "share_temporary_men"]].notna().all(axis=1).iloc[0]:
        r = everyone.iloc[0]
        title = _w(
            "contracts_finding",
            ctx,
            unit=ctx.unit,
            year=ctx.shown_year,
            women=percent(r["share_temporary_women"], ctx.lang),
            men=percent(r["share_temporary_men"], ctx.lang),
        )
    return women_men_bars(
        df, "position", labels, ctx.lang, title, "share_temporary_women", "share_temporary_men", ctx.k
    )


# --- newly recruited professors --------------------------------------------------------------------------


def new_professors(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Women's share of the newly recruited professors: over the period so far (the line the target is
    about) and each year (markers; hover gives the counts), the target as a dashed line and the country
    dotted (its newly recruited professors where a benchmark gives them, else all its professors)."""
    if df.empty or "share_women_period" not in df:
        return None
    rows = _until(df, ctx).sort_values("year")
    if rows[["share_women", "share_women_period"]].notna().sum().sum() == 0:
        return None
    fig = go.Figure()
    hidden = rows["suppressed"].astype(bool)
    counts = [
        f"{t('women', ctx.lang)}: {_n(r['women'])}, {t('men', ctx.lang)}: {_n(r['men'])}" for _, r in rows.iterrows()
    ]
    fig.add_scatter(
        x=rows["year"],
        y=rows["share_women_period"],
        mode="lines+markers",
        name=_w("new_prof_period", ctx),
        line={"color": WOMEN, "width": 3},
        hovertemplate="%{x}: %{y:.1%}<extra></extra>",
    )
    fig.add_scatter(
        x=rows["year"],
        y=rows["share_women"].astype(float).where(~hidden),
        mode="markers",
        name=_w("new_prof_year", ctx),
        marker={"color": WOMEN, "symbol": "circle-open", "size": 10},
        customdata=counts,
        hovertemplate="%{x}: %{y:.1%}<br>%{customdata}<extra></extra>",
    )
    target = rows["target"].dropna()
    if not target.empty:
        label = _w("target_line", ctx, value=percent(float(target.iloc[-1]), ctx.lang))
        fig.add_hline(y=float(target.iloc[-1]), line={"color": "#333333", "dash": "dash", "width": 2})
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="lines",
            name=label,
            line={"color": "#333333", "dash": "dash", "width": 2},
            hoverinfo="skip",
            meta="target",
        )
    ref = ctx.national.get("new_professor") or ctx.national.get("professor")
    national.line(fig, ref, ctx.lang)
    _mark_hidden_years(fig, rows, ctx.lang, ctx.k)
    fig.update_xaxes(dtick=1)
    _layout(fig, _new_title(rows, ctx), ctx.lang, percent_axis="y")
    return fig


def _n(v) -> str:
    return "–" if pd.isna(v) else str(int(v))


def _new_title(rows: pd.DataFrame, ctx: Context) -> str:
    now = rows[rows["year"] == ctx.year] if ctx.year is not None else rows.tail(1)
    if len(now) == 1 and pd.notna(now["share_women_period"].iloc[0]):
        r = now.iloc[0]
        return _w(
            "new_prof_finding",
            ctx,
            share=percent(r["share_women_period"], ctx.lang),
            unit=ctx.unit,
            period=_period(rows, ctx),
            target=percent(r["target"], ctx.lang),
        )
    return _w("new_prof_title", ctx, unit=ctx.unit, period=_period(rows, ctx))
