"""The charts of the job evaluation (issue 21): pay against job value, and the factor plan's weights.

Beside the other areas' charts and drawn with its layout, so that they read like
the rest: titles that state the finding, the language's separators, nothing cut. Value groups and
women-dominated jobs are no genders: they take common.SERIES, never the women's and men's colours.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ... import catalogue
from ...catalogue import numbers
from .common import SERIES, SERIES_ALL, Context, _layout, _visible

DOMINATED, OTHERS = SERIES[0], SERIES[1]


def _t(key: str, lang: str, **values) -> str:
    return catalogue.text("pay", key, lang, **values)


def job_value(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Each job's mean pay against its points (`job_value`): women-dominated jobs marked, and the pay
    line of the jobs that are not, the chart a pay survey is discussed around (ÍST 85)."""
    if df.empty or not {"points", "mean_pay"} <= set(df.columns):
        return None
    lang = ctx.lang
    vis = _visible(df).dropna(subset=["mean_pay", "points"])
    if vis.empty:
        return None
    dominated = vis["women_dominated"].astype("boolean").fillna(False).astype(bool)
    fig = go.Figure()
    dec = 0
    for mask, name, colour, symbol in (
        (dominated, _t("chart_dominated", lang), DOMINATED, "diamond"),
        (~dominated, _t("chart_not_dominated", lang), OTHERS, "circle"),
    ):
        rows = vis[mask]
        if rows.empty:
            continue
        fig.add_scatter(
            x=rows["points"],
            y=rows["mean_pay"],
            mode="markers",
            name=name,
            marker={"color": colour, "size": 11, "symbol": symbol, "line": {"width": 1, "color": "#333"}},
            text=rows["job"],
            customdata=[numbers.percent(s, lang) for s in rows["share_women"]],
            hovertemplate="%{text}<br>%{x:.1f} p · %{y:,." + str(dec) + "f} kr · %{customdata}<extra></extra>",
        )
    line = vis.dropna(subset=["expected_pay"]).sort_values("points")
    if len(line) >= 2:
        fig.add_scatter(
            x=line["points"],
            y=line["expected_pay"],
            mode="lines",
            name=_t("chart_pay_line", lang),
            line={"color": SERIES_ALL, "width": 2, "dash": "dash"},
            hoverinfo="skip",
        )
    below = vis[dominated & (vis["difference_pct"] < 0)]
    title = (
        _t("chart_job_value_below", lang, n=len(below), unit=ctx.unit, year=ctx.shown_year)
        if len(below)
        else _t("chart_job_value", lang, unit=ctx.unit, year=ctx.shown_year)
    )
    _layout(fig, title, lang, percent_axis=None)
    measure = (
        catalogue.word("pay", "pay_measure", str(vis["pay_measure"].iloc[0]), lang) if "pay_measure" in vis else ""
    )
    fig.update_xaxes(title_text=_t("chart_points", lang), range=[0, 100])
    fig.update_yaxes(title_text=f"{_t('chart_mean_pay', lang)} ({measure}, kr)", rangemode="tozero")
    return fig


def factor_weights(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """The share of the factor plan's points each criterion carries (`factor_weights`), a tilted
    criterion marked; the title says how many times working conditions knowledge weighs."""
    if df.empty or "weight_share" not in df:
        return None
    lang = ctx.lang
    rows = df.iloc[::-1]
    labels = [catalogue.word("pay", "criterion", c, lang) for c in rows["criterion"]]
    tilted = rows["tilted"].astype("boolean").fillna(False).astype(bool)
    fig = go.Figure(
        go.Bar(
            x=rows["weight_share"],
            y=labels,
            orientation="h",
            marker={"color": [DOMINATED if t else OTHERS for t in tilted]},
            text=[numbers.percent(s, lang) for s in rows["weight_share"]],
            textposition="outside",
            hovertemplate="%{y}: %{x:.0%}<extra></extra>",
            showlegend=False,
        )
    )
    knowledge = df[df["criterion"] == "knowledge"]
    ratio = (
        float(knowledge["ratio_to_conditions"].iloc[0])
        if len(knowledge) and pd.notna(knowledge["ratio_to_conditions"].iloc[0])
        else None
    )
    year = df["year"].iloc[0]
    title = (
        _t("chart_weights_ratio", lang, ratio=numbers.number(ratio, lang, 1), year=year)
        if ratio is not None
        else _t("chart_weights", lang, year=year)
    )
    return _layout(fig, title, lang, percent_axis="x")
