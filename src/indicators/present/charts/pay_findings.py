"""Charts for the Pay page's sections that were tables only (issue 22): equal work's gap per position as a
dot plot around zero, the adjusted gap with its interval against the unadjusted gap, and the art. 9
report's seven figures as tiles. Each `(df, common.Context) -> Figure | None`, as every chart a page
declares (pages.py); they draw the published tables (subgoals/pay.py) and nothing else, so a hidden row
stays hidden (named, never drawn). No Streamlit here.

`tiles` is the shared form of "key figures as large numbers with their meaning": a grid of boxes, each a
value in large type over a line that says what it is, drawn with Plotly shapes and annotations so that it
travels like any chart (the page, presentation mode, the HTML report, the PNG button).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ... import settings
from ...catalogue import texts
from ...catalogue.numbers import MISSING, number, pct_points, percent
from ...subgoals.pay.transparency import CATEGORY_PARTS
from ..columns import declared
from ..columns import word as code_word
from .common import SERIES, SERIES_ALL, WOMEN, Context, _layout, _visible, position, wrap

t = texts("charts")  # catalogue/charts.toml, "pay findings"
app = texts("app")


def _threshold() -> float:
    """Art. 10(1)(a)'s 5 % (goals.toml [pay] pay_transparency_threshold), in percent."""
    return float(settings.goals()["pay"]["pay_transparency_threshold"]) * 100


# --- tiles -------------------------------------------------------------------------------------------


def tiles(
    figures: list[tuple[str, str]],
    title: str,
    *,
    columns: int = 4,
    tone: list[str] | None = None,
    present: bool = False,
) -> go.Figure:
    """Key figures as large numbers with their meaning: `figures` = [(value, meaning)], laid out in rows
    of `columns` boxes; `tone`: a border colour per box (a flagged figure drawn in the women's colour).
    The meaning is broken into lines that fit its box (common.wrap), never cut. A page's chart is about
    820 px wide at 1280 px, presentation mode's about 1200: the type is sized for each (`present`)."""
    value_px, meaning_px, chars = ((34, 26, 20), 16, 26) if present else ((24, 18, 14), 12, 26)
    rows = -(-len(figures) // columns)
    fig = go.Figure()
    gap = 0.02
    w, h = (1 - gap * (columns - 1)) / columns, (1 - gap * (rows - 1)) / rows
    for i, (value, meaning) in enumerate(figures):
        r, c = divmod(i, columns)
        x0, y1 = c * (w + gap), 1 - r * (h + gap)
        colour = tone[i] if tone else "#CCCCCC"
        fig.add_shape(
            type="rect",
            xref="paper",
            yref="paper",
            x0=x0,
            x1=x0 + w,
            y0=y1 - h,
            y1=y1,
            line={"color": colour, "width": 2},
            fillcolor="#FAFAFA",
            layer="below",
        )
        # a long value (four quartiles, "not given") in smaller type, so that it stays inside its box
        longest = max(len(line) for line in value.split("<br>"))
        size = value_px[0] if longest <= 9 else value_px[1] if longest <= 14 else value_px[2]
        if "<br>" in value:  # two lines (the quartiles): the smaller type, so that both stay in the box
            size = value_px[2]
        fig.add_annotation(
            x=x0 + w / 2,
            y=y1 - h * 0.38,
            xref="paper",
            yref="paper",
            text=f"<b>{value}</b>",
            showarrow=False,
            font={"size": size, "color": "#222"},
            xanchor="center",
            yanchor="bottom",
        )
        fig.add_annotation(
            x=x0 + w / 2,
            y=y1 - h * 0.42,
            xref="paper",
            yref="paper",
            text=wrap(meaning, chars),
            showarrow=False,
            font={"size": meaning_px, "color": "#444"},
            xanchor="center",
            yanchor="top",
        )
    fig.update_xaxes(visible=False, range=[0, 1])
    fig.update_yaxes(visible=False, range=[0, 1])
    _layout(fig, title, "en", percent_axis=None, height=60 + 190 * rows)
    fig.update_layout(showlegend=False, margin={"l": 10, "r": 10, "b": 10}, hovermode=False)
    fig.layout.meta = "tiles"  # common.finish sizes no legend or tick labels for it
    return fig


# --- equal work --------------------------------------------------------------------------------------


def equal_work(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """The mean pay gap of women and men in each position of the chosen unit (the rows of level 'all'), a
    dot per position around a zero line, the ±5 % of art. 10(1)(a) dashed, a flagged position in the
    women's colour; a hidden position is named on its row, not drawn."""
    if df.empty or not {"position", "mean_gap_pct"} <= set(df.columns):
        return None
    rows = df[df["level"] == "all"] if "level" in df else df
    if rows.empty:
        return None
    lang = ctx.lang
    rows = rows.iloc[::-1].reset_index(drop=True)  # the first position at the top
    names = [position(p, lang) for p in rows["position"]]
    hidden = (
        rows["suppressed"].fillna(False).astype(bool) if "suppressed" in rows else pd.Series(False, index=rows.index)
    )
    gap = pd.to_numeric(rows["mean_gap_pct"], errors="coerce").where(~hidden)
    if gap.notna().sum() == 0:
        return None
    limit = _threshold()
    flagged = gap.abs() >= limit
    fig = go.Figure()
    for pick, name, colour in (
        (~flagged & gap.notna(), t("gap_within", lang, limit=pct_points(limit, lang, 0)), SERIES[1]),
        (flagged, t("gap_beyond", lang, limit=pct_points(limit, lang, 0)), WOMEN),
    ):
        if pick.any():
            fig.add_scatter(
                x=gap[pick],
                y=[n for n, p in zip(names, pick) if p],
                mode="markers+text",
                name=name,
                marker={"color": colour, "size": 14},
                text=[pct_points(v, lang) for v in gap[pick]],
                textposition="middle right",
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
    if hidden.any():
        fig.add_scatter(
            x=[0] * int(hidden.sum()),
            y=[n for n, h in zip(names, hidden) if h],
            mode="markers",
            name=app("hidden_reason", lang, k=ctx.k),
            marker={"color": "#BBBBBB", "symbol": "x", "size": 11},
            hovertemplate="%{y}: " + app("hidden_reason", lang, k=ctx.k) + "<extra></extra>",
        )
    fig.add_vline(x=0, line_color="#555", line_width=1.5)
    for x in (-limit, limit):
        fig.add_vline(x=x, line_color="#999", line_dash="dash", line_width=1)
    n, total = int(flagged.sum()), int(gap.notna().sum())
    title = t(
        "finding_equal_work",
        lang,
        n=n,
        total=total,
        limit=pct_points(limit, lang, 0),
        unit=ctx.unit,
        year=ctx.shown_year,
    )
    reach = max(limit * 1.6, float(gap.abs().max()) * 1.25)
    # a row for each position tall enough for its label in presentation mode's type
    _layout(fig, title, lang, percent_axis=None, height=max(300, (60 if ctx.present else 44) * len(rows) + 150))
    fig.update_xaxes(range=[-reach, reach * 1.15], ticksuffix=" %", title=t("mean_gap_axis", lang), zeroline=False)
    fig.update_yaxes(categoryorder="array", categoryarray=names, automargin=True)
    return fig


# --- the adjusted gap --------------------------------------------------------------------------------


def adjusted_gap(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """The adjusted gap with its 95 % interval against the unadjusted gap (`adjusted_gap`), zero marked:
    what is left of the gap once position, unit, age band and job level are held equal."""
    need = {"adjusted_gap_pct", "unadjusted_gap_pct"}
    if df.empty or not need <= set(df.columns):
        return None
    vis = _visible(df).dropna(subset=["adjusted_gap_pct"])
    if vis.empty:
        return None
    r = vis.iloc[0]
    lang = ctx.lang
    adj, raw = float(r["adjusted_gap_pct"]), r["unadjusted_gap_pct"]
    low, high = r.get("adjusted_gap_low_pct"), r.get("adjusted_gap_high_pct")
    given = r.get("covariates")
    covariates = (
        code_word(declared("adjusted_gap", "covariates"), given, lang) if isinstance(given, str) and given else ""
    )
    labels = [t("adjusted", lang), t("unadjusted", lang)]
    fig = go.Figure()
    fig.add_scatter(
        x=[adj],
        y=[labels[0]],
        mode="markers+text",
        name=t("adjusted", lang),
        marker={"color": WOMEN, "size": 16},
        text=[pct_points(adj, lang)],
        textposition="bottom center",
        error_x={
            "type": "data",
            "symmetric": False,
            "array": [float(high) - adj] if pd.notna(high) else [0],
            "arrayminus": [adj - float(low)] if pd.notna(low) else [0],
            "color": WOMEN,
            "thickness": 3,
            "width": 10,
        },
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    if pd.notna(raw):
        fig.add_scatter(
            x=[float(raw)],
            y=[labels[1]],
            mode="markers+text",
            name=t("unadjusted", lang),
            marker={"color": SERIES_ALL, "size": 16, "symbol": "diamond"},
            text=[pct_points(raw, lang)],
            textposition="bottom center",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    fig.add_vline(x=0, line_color="#555", line_width=1.5)
    interval = (
        t("interval", lang, low=pct_points(low, lang), high=pct_points(high, lang))
        if pd.notna(low) and pd.notna(high)
        else ""
    )
    key = "finding_adjusted" if adj >= 0 else "finding_adjusted_neg"
    title = t(
        key,
        lang,
        value=pct_points(abs(adj), lang),
        interval=interval,
        raw=pct_points(raw, lang),
        unit=ctx.unit,
        year=ctx.shown_year,
    )
    if covariates:
        title += "<br><sup>" + t("adjusted_for", lang, covariates=covariates) + "</sup>"
    values = [v for v in (adj, raw, low, high) if pd.notna(v)]
    lo, hi = min(0.0, *map(float, values)), max(0.0, *map(float, values))
    pad = max(1.0, (hi - lo) * 0.15)
    # presentation mode's three-line title and subtitle in large type left the plot too low for the labels
    _layout(fig, title, lang, percent_axis=None, height=460 if ctx.present else 320)
    fig.update_xaxes(range=[lo - pad, hi + pad], ticksuffix=" %", title=t("gap_axis", lang), zeroline=False)
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], automargin=True, range=[-0.6, 1.6])
    fig.update_layout(showlegend=False)
    return fig


# --- art. 9 ------------------------------------------------------------------------------------------


def art9(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """The seven figures of art. 9(1)(a)-(g) of Directive (EU) 2023/970 as tiles (`pay_transparency`, in
    the page's measure of pay): (a) the mean and (c) the median pay gap (the `overall` row); (b) the mean
    and (d) the median gap in complementary and variable pay among those receiving it, (e) the share of
    women and of men receiving it (the `variable_pay` row); (f) the share of women in each pay quartile;
    (g) how many categories of workers (positions, value groups or job levels) have a mean gap of 5 % or
    more, the art. 10 threshold, out of those shown. Where the row has no figures its `note` says why in
    a few words (the monthly salary holds no components; no components imported); a hidden figure is –."""
    if df.empty or "part" not in df:
        return None
    lang = ctx.lang

    def first(part: str):
        rows = _visible(df[df["part"] == part])
        return rows.iloc[0] if not rows.empty else None

    o, v = first("overall"), first("variable_pay")
    variable = df[df["part"] == "variable_pay"]
    note = variable.iloc[0].get("note") if not variable.empty else None
    why = t(f"art9_{note}", lang) if isinstance(note, str) and note else None

    def gap(row, col):
        return MISSING if row is None or pd.isna(row.get(col)) else pct_points(row[col], lang)

    def share(row, col):
        return MISSING if row is None or pd.isna(row.get(col)) else percent(row[col], lang)

    quart = df[df["part"] == "quartile"].sort_values("category")
    # the four quartiles on one line in whole per cent, "%" said once ("28 · 33 · 25 · 14 %"): two lines
    # of "28 % · 33 %" needed type under the tiles' size to stay in the box
    shares = [
        MISSING if h or pd.isna(s) else number(float(s) * 100, lang)
        for s, h in zip(
            quart.get("share_women", []), quart.get("suppressed", pd.Series(False, index=quart.index)).fillna(False)
        )
    ]
    cats = _visible(df[df["part"].isin(CATEGORY_PARTS)]).dropna(subset=["mean_gap_pct"])
    flagged = int((cats["mean_gap_pct"].astype(float).abs() >= _threshold()).sum())
    figures = [
        (gap(o, "mean_gap_pct"), t("art9_a", lang)),
        (why or gap(v, "variable_mean_gap_pct"), t("art9_b", lang)),
        (gap(o, "median_gap_pct"), t("art9_c", lang)),
        (why or gap(v, "variable_median_gap_pct"), t("art9_d", lang)),
        (
            why
            or (MISSING if v is None else f"{share(v, 'share_receiving_women')} · {share(v, 'share_receiving_men')}"),
            t("art9_e", lang),
        ),
        (" · ".join(shares) + "\u00a0%" if shares else MISSING, t("art9_f", lang)),
        (
            f"{flagged} / {len(cats)}" if len(cats) else MISSING,
            t("art9_g", lang, limit=pct_points(_threshold(), lang, 0)),
        ),
    ]
    tone = ["#CCCCCC"] * len(figures)
    if flagged:
        tone[6] = WOMEN
    for i, row, col in (
        (0, o, "mean_gap_pct"),
        (1, v, "variable_mean_gap_pct"),
        (2, o, "median_gap_pct"),
        (3, v, "variable_median_gap_pct"),
    ):
        if row is not None and pd.notna(row.get(col)) and abs(float(row[col])) >= _threshold():
            tone[i] = WOMEN
    title = t("finding_art9", lang, unit=ctx.unit, year=ctx.shown_year)
    return tiles(figures, title, columns=4, tone=tone, present=ctx.present)
