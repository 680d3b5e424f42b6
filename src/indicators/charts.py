"""Plotly figures for the pages and the HTML report. No Streamlit here.

Every figure: one palette for women / men / other (Okabe and Ito's colour-blind-safe set, the same
order as chartCategoricalColors in .streamlit/config.toml), a title that states the finding rather
than naming the chart, counts in the hover, hidden (suppressed) values marked with the reason, and
the 40–60 % band shaded wherever a share of women is plotted. A function returns None when there is
nothing to draw, so that a page shows a message instead of an empty chart.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from . import i18n, settings
from .i18n import percent, t

# Okabe & Ito (2008), "Color Universal Design": vermillion and blue stay apart for protanopes,
# deuteranopes and tritanopes; bluish green for other/unknown gender.
WOMEN, MEN, OTHER = "#D55E00", "#0072B2", "#009E73"
PALETTE = [WOMEN, MEN, OTHER, "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
HIDDEN = "#BBBBBB"
BAND = "rgba(0, 158, 115, 0.12)"


def _layout(fig: go.Figure, title: str, lang: str, *, percent_axis: str | None = "x", height: int | None = None) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        colorway=PALETTE, template="plotly_white",
        legend={"orientation": "h", "y": -0.12, "traceorder": "normal"},
        margin={"l": 10, "r": 90, "t": 80, "b": 10}, separators=",\u00a0" if lang == "sv" else ".,",
        hoverlabel={"namelength": -1},
        **({"height": height} if height else {}))
    if percent_axis == "x":
        fig.update_xaxes(tickformat=".0%", range=[0, 1])
    elif percent_axis == "y":
        fig.update_yaxes(tickformat=".0%", range=[0, 1])
    return fig


def _band(fig: go.Figure, lang: str, axis: str = "y") -> None:
    """The 40–60 % band (goals.toml), labelled outside the plot so it never covers a bar or a line."""
    b = settings.goals()["balance"]
    if axis == "y":
        fig.add_hrect(y0=b["lower"], y1=b["upper"], fillcolor=BAND, line_width=0, layer="below")
        fig.add_annotation(x=1, xref="paper", xanchor="left", y=(b["lower"] + b["upper"]) / 2, yref="y",
                           text=t("band", lang).replace(" ", "<br>", 1), showarrow=False, font={"color": "#007A5A", "size": 11})
    else:
        fig.add_vrect(x0=b["lower"], x1=b["upper"], fillcolor="rgba(255,255,255,0.18)", layer="above",
                      line={"width": 1.5, "dash": "dot", "color": "#222"})
        fig.add_annotation(x=(b["lower"] + b["upper"]) / 2, xref="x", y=1, yref="paper", yanchor="bottom",
                           text=t("band", lang), showarrow=False, font={"color": "#007A5A", "size": 11})


def _visible(df: pd.DataFrame) -> pd.DataFrame:
    return df[~df["suppressed"].astype(bool)] if "suppressed" in df else df


def _int(v) -> str:
    return "–" if pd.isna(v) else f"{int(v)}"


def _hover_counts(row, lang: str) -> str:
    parts = [f"{t(g, lang)}: {_int(row.get(g))}" for g in ("women", "men", "other") if g in row]
    return "<br>".join(parts)


def share_by_category(df: pd.DataFrame, category: str, labels: dict, lang: str, title: str, k: int) -> go.Figure | None:
    """Stacked 100 % bars, women and men, one per category; hidden rows drawn grey with the reason."""
    if df.empty or "share_women" not in df:
        return None
    rows = df.iloc[::-1]  # first category at the top of a horizontal chart
    names = [labels.get(c, str(c)) for c in rows[category]]
    hidden = rows["suppressed"].astype(bool) if "suppressed" in rows else pd.Series(False, index=rows.index)
    share = rows["share_women"].astype(float)
    hover = [_hover_counts(r, lang) for _, r in rows.iterrows()]
    fig = go.Figure()
    fig.add_bar(y=names, x=share.where(~hidden), orientation="h", name=t("women", lang), marker_color=WOMEN,
                text=[percent(s, lang) for s in share.where(~hidden)], textposition="inside",
                customdata=hover, hovertemplate="%{y}<br>" + t("share_women", lang) + ": %{text}<br>%{customdata}<extra></extra>")
    fig.add_bar(y=names, x=(1 - share).where(~hidden), orientation="h", name=t("men", lang), marker_color=MEN,
                customdata=hover, hovertemplate="%{y}<br>%{customdata}<extra></extra>")
    if hidden.any():
        reason = t("hidden_reason", lang, k=k)
        fig.add_bar(y=[n for n, h in zip(names, hidden) if h], x=[1] * int(hidden.sum()), orientation="h",
                    name=t("hidden", lang), marker_color=HIDDEN, marker_pattern_shape="/",
                    text=[reason] * int(hidden.sum()), textposition="inside", insidetextanchor="middle",
                    hovertemplate="%{y}: " + reason + "<extra></extra>")
    fig.update_layout(barmode="stack")
    _band(fig, lang, axis="x")
    return _layout(fig, title, lang, height=max(260, 42 * len(rows) + 120))


def representation(df: pd.DataFrame, lang: str, unit: str, year, k: int) -> go.Figure | None:
    """Share of women by position (the `representation` table, without its 'all' row)."""
    rows = df[df["position"] != "all"] if "position" in df else df
    if rows.empty:
        return None
    labels = {p: i18n.position(p, lang) for p in rows["position"]}
    return share_by_category(rows, "position", labels, lang, representation_finding(df, lang, unit, year), k)


def representation_finding(df: pd.DataFrame, lang: str, unit: str, year) -> str:
    """'Women are 27 % of professors in ELE, 2020' — professors when shown, else all staff."""
    vis = _visible(df)
    for pos in ("professor", "all"):
        row = vis[vis["position"] == pos] if "position" in vis else vis.iloc[0:0]
        if not row.empty and pd.notna(row["share_women"].iloc[0]):
            return t("finding_position", lang, share=percent(row["share_women"].iloc[0], lang),
                     position=i18n.position(pos, lang), unit=unit, year=year)
    return t("by_position", lang)


def units(df: pd.DataFrame, lang: str, unit: str, names: dict, k: int) -> go.Figure | None:
    """Share of women per direct sub-unit (`representation_units`)."""
    col = "unit" if "unit" in df else None
    if col is None or df.empty:
        return None
    rows = df[df["position"] == "all"] if "position" in df and (df["position"] == "all").any() else df
    vis = _visible(rows)
    balanced = int(vis["balanced"].fillna(False).astype(bool).sum()) if "balanced" in vis else 0
    title = t("finding_units", lang, n=balanced, total=len(rows), unit=unit)
    return share_by_category(rows.reset_index(drop=True), col, names, lang, title, k)


def trend(df: pd.DataFrame, lang: str, unit: str, positions: tuple[str, ...] = ()) -> go.Figure | None:
    """Share of women per year, one line per position, the 40–60 band shaded (`representation_trend`)."""
    if df.empty or not {"year", "share_women"} <= set(df.columns):
        return None
    vis = _visible(df)
    if "position" in vis and positions:
        vis = vis[vis["position"].isin((*positions, "all"))]
    if vis["share_women"].notna().sum() == 0:
        return None
    fig = go.Figure()
    groups = vis.groupby("position", sort=False) if "position" in vis else [("all", vis)]
    for i, (pos, g) in enumerate(groups):
        g = g.sort_values("year")
        hover = [_hover_counts(r, lang) for _, r in g.iterrows()]
        fig.add_scatter(x=g["year"], y=g["share_women"], mode="lines+markers", name=i18n.position(pos, lang),
                        line={"width": 4 if pos in ("professor", "all") else 2},
                        customdata=hover, hovertemplate="%{x}: %{y:.0%}<br>%{customdata}<extra>%{fullData.name}</extra>")
    _band(fig, lang)
    fig.update_xaxes(dtick=1)
    return _layout(fig, trend_finding(vis, lang, unit), lang, percent_axis="y")


def trend_finding(df: pd.DataFrame, lang: str, unit: str) -> str:
    """'Women are 27 % of professors in ELE in 2025, up from 22 % in 2020'."""
    for pos in ("professor", "all"):
        g = df[df["position"] == pos] if "position" in df else df
        g = g.dropna(subset=["share_women"]).sort_values("year")
        if len(g) >= 2:
            first, last = g.iloc[0], g.iloc[-1]
            diff = round(last["share_women"] * 100) - round(first["share_women"] * 100)
            change = t("up" if diff > 0 else "down" if diff < 0 else "unchanged", lang)
            return t("finding_trend", lang, share=percent(last["share_women"], lang), position=i18n.position(pos, lang),
                     unit=unit, year=int(last["year"]), change=change, then=percent(first["share_women"], lang),
                     first=int(first["year"]))
    return t("trend", lang)


def pipeline(df: pd.DataFrame, lang: str, unit: str, year) -> go.Figure | None:
    """The scissors diagram: share of women and of men per career stage, one pair of lines per year."""
    if df.empty or not {"stage", "share_women"} <= set(df.columns):
        return None
    vis = _visible(df)
    fig = go.Figure()
    years = sorted(vis["year"].dropna().unique()) if "year" in vis else [None]
    for j, y in enumerate(years):
        g = vis[vis["year"] == y] if y is not None else vis
        stages = [i18n.position(s, lang) for s in g["stage"]]
        dash = "solid" if j == len(years) - 1 else "dot"
        suffix = f" {int(y)}" if y is not None else ""
        fig.add_scatter(x=stages, y=g["share_women"], name=t("women", lang) + suffix, mode="lines+markers",
                        line={"color": WOMEN, "dash": dash, "width": 3})
        men = g["share_men"] if "share_men" in g else 1 - g["share_women"]
        fig.add_scatter(x=stages, y=men, name=t("men", lang) + suffix, mode="lines+markers",
                        line={"color": MEN, "dash": dash, "width": 3})
    _band(fig, lang)
    return _layout(fig, t("finding_pipeline", lang, unit=unit, year=year), lang, percent_axis="y")


def gci(df: pd.DataFrame, lang: str, unit: str, names: dict) -> go.Figure | None:
    """She Figures Glass Ceiling Index per unit, with parity (1) marked; undefined values named."""
    if df.empty or "gci" not in df:
        return None
    col = "unit" if "unit" in df else df.columns[0]
    shown = df.dropna(subset=["gci"])
    if shown.empty:
        return None
    fig = go.Figure()
    fig.add_bar(x=[names.get(u, str(u)) for u in shown[col]], y=shown["gci"], marker_color=WOMEN,
                text=[i18n.number(v, lang, 2) for v in shown["gci"]], textposition="outside")
    fig.add_hline(y=1, line_dash="dash", line_color="#555")
    first = shown.iloc[0]
    title = t("finding_gci", lang, value=i18n.number(first["gci"], lang, 2), unit=names.get(first[col], str(first[col])))
    return _layout(fig, title, lang, percent_axis=None)


def line_over_years(df: pd.DataFrame, lang: str, title: str, value: str, *, by: str | None = None,
                    percent_axis: bool = False, band: bool = False) -> go.Figure | None:
    """A plain trend of one value column (segregation index, pay gap, committee shares)."""
    if df.empty or "year" not in df or value not in df:
        return None
    vis = _visible(df).dropna(subset=[value])
    if vis.empty:
        return None
    fig = go.Figure()
    for name, g in (vis.groupby(by, sort=False) if by and by in vis else [(value, vis)]):
        g = g.sort_values("year")
        label = i18n.body_type(name, lang) if by == "body_type" else i18n.column(str(name), lang)
        fig.add_scatter(x=g["year"], y=g[value], mode="lines+markers", name=label)
    if band:
        _band(fig, lang)
    fig.update_xaxes(dtick=1)
    return _layout(fig, title, lang, percent_axis="y" if percent_axis else None)


def bodies(df: pd.DataFrame, lang: str, unit: str, year, k: int) -> go.Figure | None:
    """Share of women per committee body (`committee_bodies`); seats are public, nothing hidden."""
    if df.empty or not {"body", "share_women"} <= set(df.columns):
        return None
    rows = df.sort_values("share_women").reset_index(drop=True)
    balanced = int(rows["balanced"].fillna(False).astype(bool).sum()) if "balanced" in rows else 0
    title = t("finding_bodies", lang, n=balanced, total=len(rows), unit=unit, year=year)
    return share_by_category(rows.iloc[::-1].reset_index(drop=True), "body", {}, lang, title, k)


def quartiles(df: pd.DataFrame, lang: str, unit: str, year, k: int) -> go.Figure | None:
    """Share of women per pay quartile band (`pay_quartiles`)."""
    col = next((c for c in ("quartile", "band") if c in df), None)
    if col is None or df.empty or "share_women" not in df:
        return None
    labels = {q: f"{t('quartile', lang)} {q}" for q in df[col]}
    return share_by_category(df.reset_index(drop=True), col, labels, lang, t("quartile", lang) + f" – {unit}, {year}", k)


def to_html(figures: list[go.Figure]) -> list[str]:
    """HTML fragments for a self-contained report: plotly.js inlined once, in the first figure."""
    return [fig.to_html(full_html=False, include_plotlyjs=(i == 0), config={"displaylogo": False})
            for i, fig in enumerate(figures)]


def report_html(title: str, subtitle: str, sections: list[tuple[str, str, go.Figure | None, pd.DataFrame | None]],
                lang: str = "en") -> str:
    """A self-contained HTML report (opens offline): plotly.js inlined once, tables as plain HTML.

    sections: (heading, text, figure or None, display table or None). Text and tables are escaped.
    """
    import html
    figures = [s[2] for s in sections if s[2] is not None]
    fragments = iter(to_html(figures))
    parts = [f"<h1>{html.escape(title)}</h1><p class='sub'>{html.escape(subtitle)}</p>"]
    for heading, text, fig, table in sections:
        parts.append(f"<section><h2>{html.escape(heading)}</h2>")
        if text:
            parts.append(f"<p>{html.escape(text)}</p>")
        if fig is not None:
            parts.append(next(fragments))
        if table is not None and not table.empty:
            parts.append(table.to_html(index=False, escape=True, na_rep="–", border=0, classes="t"))
        parts.append("</section>")
    style = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#222}"
             "h1{font-size:1.8rem}h2{font-size:1.3rem;margin-top:2.5rem}.sub{color:#555}"
             "table.t{border-collapse:collapse;font-size:.85rem;margin:1rem 0}"
             "table.t th,table.t td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:right}"
             "table.t th:first-child,table.t td:first-child{text-align:left}")
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")
