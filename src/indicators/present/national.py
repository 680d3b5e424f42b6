"""The country beside the unit on a chart (issue 24): the national share of women as a marker or a line,
labelled with its year and source.

A chart gets the national figures in its Context (`Context.national`: category -> an object with
`category`, `year`, `share` and `source`, subgoals/benchmarks.Reference), filled by the page from the
benchmarks (shipped and imported). Nothing here computes: it draws what it is given, in one look for
every chart (a black open diamond, or a dotted black line), so that the reader learns it once.
"""

from __future__ import annotations

from typing import Any, Mapping

import plotly.graph_objects as go

from ..catalogue import text, vocabulary

COLOUR = "#000000"


def words(category: str, lang: str) -> str:
    """The category as the label names it ("professorer", "newly recruited professors")."""
    pair = vocabulary("careers", "category").get(category)
    return category if pair is None else pair[0 if lang == "sv" else 1]


def _label(ref: Any, lang: str) -> str:
    return text("careers", "national_line", lang, what=words(ref.category, lang), year=ref.year, source=ref.source)


def _pct(share: float, lang: str) -> str:
    value = f"{share * 100:.1f}"
    return (value.replace(".", ",") if lang == "sv" else value) + " %"


def markers(fig: go.Figure, national: Mapping[str, Any], at: Mapping[str, str], lang: str, *, horizontal: bool) -> None:
    """One open diamond per category in `at` (category -> the axis label the chart draws it under) that
    has a national figure: at x = the share on a horizontal bar chart (categories on y), else at y.
    One legend entry, "Country" (its year and source in each point's hover and, when they are one, in
    the legend)."""
    points = [(label, national[c]) for c, label in at.items() if c in national]
    if not points:
        return
    labels = [label for label, _ in points]
    shares = [ref.share for _, ref in points]
    hover = [f"{label}: {_pct(ref.share, lang)} – {_label(ref, lang)}" for label, ref in points]
    stamps = {(ref.year, ref.source) for _, ref in points}
    name = text("careers", "national_col", lang)
    if len(stamps) == 1:
        year, source = stamps.pop()
        name = f"{name} {year} ({source})"
    xy = {"x": shares, "y": labels} if horizontal else {"x": labels, "y": shares}
    fig.add_scatter(
        **xy,
        mode="markers",
        name=name,
        meta="national",
        marker={"symbol": "diamond-open", "size": 13, "color": COLOUR, "line": {"width": 2.5}},
        text=hover,
        hovertemplate="%{text}<extra></extra>",
    )


def line(fig: go.Figure, ref: Any | None, lang: str) -> None:
    """The national share as a dotted horizontal line across a chart of years, labelled at its right end."""
    if ref is None:
        return
    label = _label(ref, lang)
    fig.add_hline(y=ref.share, line={"color": COLOUR, "dash": "dot", "width": 2})
    fig.add_scatter(
        x=[None],
        y=[None],
        mode="lines",
        name=f"{label}: {_pct(ref.share, lang)}",
        meta="national",
        line={"color": COLOUR, "dash": "dot", "width": 2},
        hoverinfo="skip",
    )
