"""Plotly figures for the pages and the HTML report. No Streamlit here.

Every figure: one palette for women / men / other (Okabe and Ito's colour-blind-safe set, the same
order as chartCategoricalColors in .streamlit/config.toml), a title that states the finding rather
than naming the chart, counts in the hover, hidden (suppressed) values marked with the reason, and
the 40–60 % band shaded wherever a share of women is plotted. A function returns None when there is
nothing to draw, so that a page shows a message instead of an empty chart.

Every chart a page draws has one signature, `(df, ctx) -> Figure | None`: the indicator's table and
the `Context` of the page (language, unit, the page's year, k, ...), so that the page declaration
(pages.py) can name a chart without saying how to call it. The year heading the page governs every
title: a trend ends at that year (`_until`), and its finding speaks of that year or, when that year's
value is hidden or missing, names the chart for the unit and the year instead of quoting another year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

import pandas as pd
import plotly.graph_objects as go

from .. import catalogue, settings
from ..catalogue import pair, pick, texts, vocabulary, word
from ..catalogue.numbers import number, pct_points, percent, plotly_separators
from ..subgoals.safety import TARGET_CATEGORY
from . import national
from .columns import headline_name, headline_value, hidden_reason, split_hidden

t = texts("charts")  # what the charts say: catalogue/charts.toml
app = texts("app")  # why a row is hidden, said alike by the charts and the tables beside them

# Okabe & Ito (2008), "Color Universal Design": vermillion and blue stay apart for protanopes,
# deuteranopes and tritanopes; bluish green for other/unknown gender.
WOMEN, MEN, OTHER = "#D55E00", "#0072B2", "#009E73"
PALETTE = [WOMEN, MEN, OTHER, "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
# Series that are not genders (positions, study levels, body types, units, indices) take these, never
# the women/men colours, so that a vermillion or blue line always means women or men: the rest of
# Okabe & Ito's set, then greys and browns; "all" of something is drawn black (SERIES_ALL).
SERIES = ["#E69F00", "#56B4E9", "#CC79A7", "#8C6D1F", "#7F7F7F", "#44AA99", "#882255", "#B3A100", "#999933"]
SERIES_ALL = "#000000"
HIDDEN = "#BBBBBB"
BAND = "rgba(0, 158, 115, 0.12)"


@dataclass(frozen=True)
class Target:
    """A unit's own target from its plan (plan.chart_targets): on the chart of `indicator` (a registry
    id), the row picked by `where`, column `column` should reach `value` by `target_year`; the
    measure is in the plan for `year`."""

    indicator: str
    column: str
    where: tuple[tuple[str, Any], ...]
    year: int
    value: float
    target_year: int


@dataclass(frozen=True)
class Context:
    """What a chart needs besides its table: the page's view, in one value.

    lang: "sv" or "en"; unit: the chosen unit's name in that language; names: unit code -> name for
    the sub-units a chart labels; year: the year heading the page (every finding is about it);
    k: the threshold the indicator's small groups are hidden below (for the "hidden" reason);
    positions: the position filter (a trend draws those lines and all staff); present: presentation mode.
    """

    lang: str = "sv"
    unit: str = ""
    names: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    year: int | None = None
    k: int = 5
    positions: tuple[str, ...] = ()
    present: bool = False
    # Said after the year in findings when the year covers only part of the unit (indicators.years):
    # " (ofullständigt)" / " (partial)".
    year_mark: str = ""
    # The chosen unit's own targets (its plan for the page's year): drawn as trajectories (`_targets`).
    targets: tuple[Target, ...] = ()
    # The country's figures (subgoals/benchmarks.references: category -> its newest national share up
    # to the page's year), drawn beside the unit's (present/national.py).
    national: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def shown_year(self):
        return f"{self.year}{self.year_mark}" if self.year is not None and self.year_mark else self.year

    def with_(self, **changes) -> "Context":
        return replace(self, **changes)


def _until(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """A trend's rows up to the page's year: the trend ends at the year the page heads."""
    if ctx.year is None or df.empty or "year" not in df:
        return df
    return df[pd.to_numeric(df["year"], errors="coerce") <= int(ctx.year)]


def _target_value(v: float, column: str, lang: str) -> str:
    if column.endswith("_pct"):
        return pct_points(v, lang)
    return percent(v, lang) if "share" in column else number(v, lang, 2)


def _targets(fig: go.Figure, vis: pd.DataFrame, ctx: Context, indicator: str) -> None:
    """Each of the unit's own targets on `indicator` as a dashed line: from the value in the measure's
    year (or, when that year is not shown, the last year shown) to the target value in the target
    year, labelled "Unit's target: 35 % by 2027". vis: the rows the chart draws (visible, up to the
    page's year), so a target on a line the chart does not draw (another position) is not drawn."""
    for tg in ctx.targets:
        if tg.indicator != indicator or tg.column not in vis:
            continue
        rows = vis
        for column, value in tg.where:
            if column in rows:
                rows = rows[rows[column] == value]
        rows = rows.dropna(subset=[tg.column]).sort_values("year")
        if rows.empty:
            continue
        at = rows[rows["year"] == tg.year]
        start = at.iloc[-1] if not at.empty else rows.iloc[-1]
        if int(start["year"]) >= tg.target_year:
            continue
        # the line names whose target it is when the chart draws several (positions, study levels, bodies)
        whose = dict(tg.where)
        what = (
            position(whose["position"], ctx.lang)
            if "position" in whose
            else level(whose["level"], ctx.lang)
            if "level" in whose
            else word("vocabularies", "body_type", whose["body_type"], ctx.lang)
            if whose.get("body_type") not in (None, "all")
            else t("all_bodies", ctx.lang)
            if "body_type" in whose
            else ""
        )
        name = t(
            "own_target_line_for" if what else "own_target_line",
            ctx.lang,
            value=_target_value(tg.value, tg.column, ctx.lang),
            year=tg.target_year,
            what=what,
        )
        fig.add_scatter(
            x=[int(start["year"]), tg.target_year],
            y=[float(start[tg.column]), tg.value],
            mode="lines+markers",
            name=name,
            line={"color": "#333333", "dash": "dash", "width": 2},
            marker={"symbol": ["circle-open", "star"], "size": [6, 11]},
            text=[
                _target_value(float(start[tg.column]), tg.column, ctx.lang),
                _target_value(tg.value, tg.column, ctx.lang),
            ],
            hovertemplate="%{x}: %{text}<extra>" + name + "</extra>",
            meta="own_target",
        )


def _headline(indicator: str, value, lang: str) -> tuple[str, str]:
    """A sub-goal's headline name and its value as the overview's card writes them (goals.HEADLINES,
    by the headline's indicator): the first finding of the page the card leads to says the same figure
    under the same name."""
    return headline_name(indicator, lang), headline_value(indicator, value, lang)


def position(code, lang: str) -> str:
    return word("vocabularies", "position", code, lang)


def level(code, lang: str) -> str:
    return word("vocabularies", "level", code, lang)


def stage(code, lang: str) -> str:
    """A recruitment stage, or a pipeline stage (a position)."""
    found = pair("vocabularies", "stage", code)
    return position(code, lang) if found is None else pick(found, lang)


def _is_now(row, ctx: Context) -> bool:
    """Whether a trend's last visible row is the page's year (only then may its finding quote it)."""
    return ctx.year is None or int(row["year"]) == int(ctx.year)


def _named(key: str, ctx: Context) -> str:
    """A title without a finding: what the chart shows, for the unit and the page's year."""
    return f"{t(key, ctx.lang)} – {ctx.unit}" + (f", {ctx.year}" if ctx.year is not None else "")


def _layout(
    fig: go.Figure, title: str, lang: str, *, percent_axis: str | None = "x", height: int | None = None
) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        colorway=SERIES,
        template=None,
        plot_bgcolor="white",
        paper_bgcolor="white",
        # Women first in every legend: "normal" (Plotly reverses stacked bars' legends by default),
        # unless the chart reversed it (women_men_bars, pay_gap draw men first to put women's bar on top).
        legend={"orientation": "h", "y": -0.12, "traceorder": fig.layout.legend.traceorder or "normal"},
        margin={"l": 10, "r": 90, "t": 80, "b": 10},
        separators=plotly_separators(lang),
        hoverlabel={"namelength": -1},
        **({"height": height} if height else {}),
    )
    # plotly_white by hand: assigning a named template deep-copies it (~1 s on a first visit, 0.2 s a run).
    # Whole numbers in full, never Plotly's SI suffixes ("30k"), which are English and read as
    # kilo-kronor in neither language. Plotly separates thousands (`separators`: "30 000", "30,000")
    # from five digits on by itself, so that years stay "2025".
    axes = {"gridcolor": "#EBF0F8", "zerolinecolor": "#EBF0F8", "linecolor": "#EBF0F8", "exponentformat": "none"}
    fig.update_xaxes(**axes)
    fig.update_yaxes(**axes)
    if percent_axis == "x":
        fig.update_xaxes(tickformat=".0%", range=[0, 1])
    elif percent_axis == "y":
        fig.update_yaxes(tickformat=".0%", range=[0, 1])
    return fig


# How many characters of a title fit on one line, measured in chromium: a page's chart is 820-940 px
# wide at 1280-1400 px (sidebar open) and its 17 px bold title takes about 7.2 px a character; in
# presentation mode the chart is about 1200 px wide at 1280 px and the 30 px title about 12.7 px a
# character. Plotly clips a title at the figure's edge instead of wrapping it, so `finish` breaks it
# at these widths, with room to spare (wide letters, the chart's right margin).
TITLE_CHARS = 100
PRESENT_CHARS = 72
TITLE_PX, PRESENT_TITLE_PX = 17, 30
FONT_PX, PRESENT_FONT_PX = 12, 20
PRESENT_MIN_PX = 16  # the smallest text of a chart in presentation mode (issue 22)
# The plot area's width the x axis's category names share: about 560 px of a page's chart at 1280 px with
# the sidebar open (the y axis's ticks and the band's label take the rest), about 1050 px in presentation mode.
PLOT_PX, PRESENT_PLOT_PX = 560, 1050


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


def wrap(title: str, width: int) -> str:
    """`title` broken into lines of at most `width` characters at spaces, with <br>; a subtitle
    ("<br><sup>…</sup>") stays on its own line. Idempotent: earlier breaks are undone first."""
    head, sep, sub = title.partition("<br><sup>")
    words = head.replace("<br>", " ").split(" ")
    lines, line = [], ""
    for piece in words:
        if line and len(_plain(line)) + 1 + len(_plain(piece)) > width:
            lines.append(line)
            line = piece
        else:
            line = f"{line} {piece}" if line else piece
    lines.append(line)
    return "<br>".join(lines) + (sep + sub if sep else "")


def _legend_rows(fig: go.Figure, font: int, width: int = 800) -> int:
    """Rows a horizontal legend takes: its entries' widths (symbol and gap ≈ 40 px, text ≈ 0.55 em a
    character) laid out in `width` px."""
    if fig.layout.showlegend is False:
        return 0
    shown = [
        tr.name or "" for tr in fig.data if getattr(tr, "showlegend", False) is not False and tr.name
    ]  # a Sankey has no legend
    rows, used = 1, 0.0
    for name in shown:
        w = 40 + 0.55 * font * len(_plain(name))
        if used and used + w > width:
            rows, used = rows + 1, 0.0
        used += w
    return rows if shown else 0


def _wrap_categories(fig: go.Figure, font: int, width: int = PLOT_PX, smallest: int = 10) -> int:
    """Long category names on an x axis of categories (units of the glass ceiling, positions of the
    salary spread, stages of the pipeline and the funnel) broken into lines that fit their slot (of a plot area about 620 px wide at
    1280 px), level, instead of the rotation Plotly chooses, whose depth the legend below cannot know.
    Returns the lines the x labels take."""
    names: list[str] = []
    for tr in fig.data:
        if tr.type in ("bar", "box", "scatter") and getattr(tr, "orientation", None) != "h" and tr.x is not None:
            names += [x for x in tr.x if isinstance(x, str) and x not in names]
    if not names:
        return 1
    # bold names (the chosen unit's) are wider: 0.62 em a character leaves room for them
    chars = max(8, int(width / len(names) / (0.62 * font)))
    longest = max(len(w) for n in names for w in _plain(n).replace("<br>", " ").split())
    fits = int(width / len(names) / (0.62 * longest))  # the type in which the longest word fits its slot
    if longest > chars and fits >= smallest:
        # level still, in smaller type, down to `smallest` (presentation mode's 16 px): "meriteringsanställda"
        fig.update_xaxes(tickfont_size=fits)
        font, chars = fits, longest
    if longest > chars:
        # a word longer than its slot ("kommunikationssystem", "teknisk/administrativ") would run into its
        # neighbour however the name is broken: the names stand upright (a slanted name's box still
        # reaches over its neighbour's), broken at the longest word, and take that many characters' depth
        text = [wrap(n, longest) for n in names]
        # no automargin: the bottom margin is sized here, and the legend placed under it by that size
        fig.update_xaxes(tickangle=-90, tickmode="array", tickvals=names, ticktext=text)
        line = max(len(_plain(x)) for t in text for x in t.split("<br>"))
        return round(line * 0.7 / 1.2) + 1  # bold names are wider: 0.7 em a character
    text = [wrap(n, chars) for n in names]
    fig.update_xaxes(tickangle=0, tickmode="array", tickvals=names, ticktext=text)
    return max(t.count("<br>") + 1 for t in text)


def finish(fig: go.Figure, present: bool = False) -> go.Figure:
    """The figure's geometry, last, once everything is drawn (the page's `chart` and the report call it):

    - the title broken into lines that fit (`wrap`), the top margin grown by the extra lines, the
      title anchored to the top of the figure so that its lines never run into the plot (call it
      once per figure: the margin grows from the one-line margin the chart set);
    - the legend under the x axis's tick labels (and its title), in pixels from the figure's bottom:
      a legend placed at a fraction of the plot's height overlapped the ticks of short horizontal bar
      charts, and rode up onto them when Plotly grew the margin for a legend of more rows;
    - in presentation mode, larger type (20 px, titles 30 px) and titles broken shorter;
    - the y axis's labels given the room they need (`automargin`): in the HTML report, outside
      Streamlit, horizontal bars' category names were cut to their last letters ("er", "p").
    """
    fig.update_yaxes(automargin=True)
    title_px, font_px = (PRESENT_TITLE_PX, PRESENT_FONT_PX) if present else (TITLE_PX, FONT_PX)
    if present:
        _present_type(fig)
    text = wrap(fig.layout.title.text or "", PRESENT_CHARS if present else TITLE_CHARS)
    lines = text.count("<br>") + 1 - text.count("<sup>") * 0.3
    top = (fig.layout.margin.t if fig.layout.margin.t is not None else 80) + round((lines * title_px - TITLE_PX) * 1.3)
    if present and "<sup>" in text:  # a subtitle under several lines in large type reached the plot's top tick
        top += title_px
    caption = _axis_caption(fig, font_px)
    height = fig.layout.height or 450
    rows = _legend_rows(fig, font_px)
    tick_lines = _wrap_categories(
        fig, font_px, PRESENT_PLOT_PX if present else PLOT_PX, PRESENT_MIN_PX if present else 10
    )
    below = font_px * (1.2 * tick_lines + 1.4) + 8  # the x axis's tick labels, their lines, a gap
    if fig.layout.xaxis.title.text:
        below += font_px * 2.4
    legend_px = rows * font_px * 2.0
    bottom = round(below + legend_px + 10) if rows else (fig.layout.margin.b or 10)
    height = max(height, top + caption + bottom + 160)
    # The title's block centred in the top margin, which is sized for its lines (a "top" anchor put the
    # first of several lines above the figure).
    # The axis's caption (`_axis_caption`) between them, in a margin of its own.
    fig.update_layout(
        title={"text": text, "y": 1 - (top - 24) / 2 / height, "yref": "container", "yanchor": "middle"},
        margin={"t": top + caption, "b": bottom},
        height=height,
    )
    if rows:
        # Placed from the figure's bottom edge (yref "container"), not as a fraction of the plot: when the
        # legend takes more rows than reckoned (longer names, a narrower chart), Plotly grows the bottom
        # margin and shrinks the plot, and a legend tied to the plot rode up onto the tick labels.
        fig.update_layout(
            legend={
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "yanchor": "top",
                "yref": "container",
                "y": (bottom - below - 4) / height,
            }
        )
    return fig


def _present_type(fig: go.Figure) -> None:
    """Presentation mode's type: every text of the chart at least PRESENT_MIN_PX (16 CSS px, read from
    across a meeting room at 1280×720), the body PRESENT_FONT_PX and the title PRESENT_TITLE_PX. Text
    set smaller by a chart (the band's label, notes on hidden bars, tiles' meanings) is raised to the
    floor, and a bar's label that would have to shrink below it is left out (`uniformtext`, mode "hide":
    the hover still says it) instead of being drawn at 6 px."""
    fig.update_layout(
        font={"size": PRESENT_FONT_PX},
        title_font={"size": PRESENT_TITLE_PX},
        uniformtext={"minsize": PRESENT_MIN_PX, "mode": "hide"},
        legend_font_size=PRESENT_FONT_PX,
    )
    # each axis's type set on the axis too: the layout's font alone left some charts' ticks at Plotly's
    # 12 px in the browser (the education trends), measured by tests/test_browser_screen.py
    fig.update_xaxes(tickfont_size=PRESENT_FONT_PX, title_font_size=PRESENT_FONT_PX)
    fig.update_yaxes(tickfont_size=PRESENT_FONT_PX, title_font_size=PRESENT_FONT_PX)
    # the band's label stands right of the plot: room for it in the larger type
    fig.update_layout(margin={"r": max(fig.layout.margin.r or 0, 170)})
    if any(tr.type == "sankey" for tr in fig.data):
        # a Sankey's node labels in the larger type need the nodes further apart
        fig.update_traces(textfont_size=PRESENT_MIN_PX, selector={"type": "sankey"})
        fig.update_layout(height=max(fig.layout.height or 450, 640))
    for a in fig.layout.annotations:
        if a.font.size is None or a.font.size < PRESENT_MIN_PX:
            a.font.size = PRESENT_MIN_PX
    for tr in fig.data:
        font = getattr(tr, "textfont", None)
        if (
            font is not None
            and font.size is not None
            and not isinstance(font.size, (list, tuple))
            and font.size < PRESENT_MIN_PX
        ):
            font.size = PRESENT_MIN_PX


def _axis_caption(fig: go.Figure, font_px: int) -> int:
    """A y axis's title as a line above the plot, left, instead of Plotly's rotated title beside the
    ticks: a rotated title longer than the plot is tall ran up into the chart's title (the gap trend's
    "Unadjusted pay gap (% of men's pay)", the salary spread's axis). Returns the pixels it takes,
    which the top margin grows by. Idempotent (a title already moved is not moved again)."""
    title = fig.layout.yaxis.title.text
    if not title:
        return 0
    fig.layout.yaxis.title.text = None
    fig.add_annotation(
        x=0,
        xref="paper",
        xanchor="left",
        y=1,
        yref="paper",
        yanchor="bottom",
        yshift=6,
        text=title,
        showarrow=False,
        align="left",
        font={"size": font_px, "color": "#444"},
        name="axis_caption",
    )
    return round(font_px * 1.6)


def _band(fig: go.Figure, lang: str, axis: str = "y") -> None:
    """The 40–60 % band (goals.toml), labelled outside the plot so it never covers a bar or a line."""
    b = settings.goals()["balance"]
    if axis == "y":
        fig.add_hrect(y0=b["lower"], y1=b["upper"], fillcolor=BAND, line_width=0, layer="below")
        fig.add_annotation(
            x=1,
            xref="paper",
            xanchor="left",
            y=(b["lower"] + b["upper"]) / 2,
            yref="y",
            text=t("band", lang).replace(" ", "<br>", 1),
            showarrow=False,
            font={"color": "#007A5A", "size": 11},
        )
    else:
        fig.add_vrect(
            x0=b["lower"],
            x1=b["upper"],
            fillcolor="rgba(255,255,255,0.18)",
            layer="above",
            line={"width": 1.5, "dash": "dot", "color": "#222"},
        )
        fig.add_annotation(
            x=(b["lower"] + b["upper"]) / 2,
            xref="x",
            y=1,
            yref="paper",
            yanchor="bottom",
            text=t("band", lang),
            showarrow=False,
            font={"color": "#007A5A", "size": 11},
        )


def _visible(df: pd.DataFrame) -> pd.DataFrame:
    return df[~df["suppressed"].astype(bool)] if "suppressed" in df else df


def _gapped(df: pd.DataFrame, values: list[str]) -> pd.DataFrame:
    """A series' rows for drawing a line: one row per year from its first to its last, sorted, with
    `values` empty (NaN) in a hidden year and in a year without a row, so that the line breaks there
    (Plotly's connectgaps is False) instead of running through a year that is not shown."""
    if df.empty or "year" not in df:
        return df
    out = df.copy()
    if "suppressed" in out:
        hidden = out["suppressed"].astype(bool)
        for col in values:
            if col in out:
                out[col] = out[col].astype(float).where(~hidden)
    out = out.sort_values("year").drop_duplicates("year", keep="last")
    years = pd.to_numeric(out["year"], errors="coerce").dropna().astype(int)
    if years.empty:
        return out
    full = range(int(years.min()), int(years.max()) + 1)
    return out.set_index(out["year"].astype(int)).reindex(full).assign(year=list(full)).reset_index(drop=True)


def _int(v) -> str:
    return "–" if pd.isna(v) else f"{int(v)}"


def _hover_counts(row, lang: str) -> str:
    parts = [f"{t(g, lang)}: {_int(row.get(g))}" for g in ("women", "men", "other") if g in row]
    return "<br>".join(parts)


def share_by_category(df: pd.DataFrame, category: str, labels: dict, lang: str, title: str, k: int) -> go.Figure | None:
    """Stacked 100 % bars, women and men, one per category; hidden rows drawn grey with the reason,
    the one the table beside says (columns.hidden_reason): where the total is shown only the split of
    women and men is hidden ("women/men hidden: ... (total 24)"), else the whole group."""
    if df.empty or "share_women" not in df:
        return None
    rows = df.iloc[::-1]  # first category at the top of a horizontal chart
    names = [labels.get(c, str(c)) for c in rows[category]]
    hidden = rows["suppressed"].astype(bool) if "suppressed" in rows else pd.Series(False, index=rows.index)
    share = rows["share_women"].astype(float)
    hover = [_hover_counts(r, lang) for _, r in rows.iterrows()]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=share.where(~hidden),
        orientation="h",
        name=t("women", lang),
        marker_color=WOMEN,
        text=[percent(s, lang) for s in share.where(~hidden)],
        textposition="inside",
        customdata=hover,
        hovertemplate="%{y}<br>" + t("share_women", lang) + ": %{text}<br>%{customdata}<extra></extra>",
    )
    fig.add_bar(
        y=names,
        x=(1 - share).where(~hidden),
        orientation="h",
        name=t("men", lang),
        marker_color=MEN,
        customdata=hover,
        hovertemplate="%{y}<br>%{customdata}<extra></extra>",
    )
    if hidden.any():
        split = [split_hidden(r) for _, r in rows.iterrows()]
        for is_split, legend in ((True, app("split_hidden", lang)), (False, app("hidden", lang))):
            pick = [h and s == is_split for h, s in zip(hidden, split)]
            if not any(pick):
                continue
            reasons = [hidden_reason(r, k, lang) for (_, r), p in zip(rows.iterrows(), pick) if p]
            fig.add_bar(
                y=[n for n, p in zip(names, pick) if p],
                x=[1] * len(reasons),
                orientation="h",
                name=legend,
                marker_color=HIDDEN,
                marker_pattern_shape="/",
                text=reasons,
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
    fig.update_layout(barmode="stack")
    _band(fig, lang, axis="x")
    return _layout(fig, title, lang, height=max(260, 42 * len(rows) + 120))


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


def _balanced_title(key: str, rows: pd.DataFrame, ctx: Context) -> str:
    """'n of N sub-units are balanced', counting only the rows shown: a hidden row is neither
    balanced nor not, so with some hidden it reads 'n of N shown ...; h hidden' (key + '_hidden')."""
    vis = _visible(rows)
    vis = vis[vis["share_women"].notna()] if "share_women" in vis else vis
    balanced = int(vis["balanced"].fillna(False).astype(bool).sum()) if "balanced" in vis else 0
    hidden = len(rows) - len(vis)
    return t(
        key + "_hidden" if hidden else key,
        ctx.lang,
        n=balanced,
        total=len(vis),
        hidden=hidden,
        unit=ctx.unit,
        year=ctx.shown_year,
    )


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


def to_html(figures: list[go.Figure]) -> list[str]:
    """HTML fragments for a self-contained report: plotly.js inlined once, in the first figure."""
    return [
        finish(fig).to_html(full_html=False, include_plotlyjs=(i == 0), config={"displaylogo": False})
        for i, fig in enumerate(figures)
    ]


# --- shared pieces for the other sub-goals --------------------------------------------------------------


def _hidden(df: pd.DataFrame) -> pd.Series:
    return df["suppressed"].astype(bool) if "suppressed" in df else pd.Series(False, index=df.index)


def _num(v) -> float:
    return float("nan") if pd.isna(v) else float(v)


def _last_visible(df: pd.DataFrame, value: str, **where) -> pd.Series | None:
    """The latest visible row (by year) with a value, among rows matching `where`."""
    g = _visible(df)
    for col, want in where.items():
        if col in g:
            g = g[g[col] == want]
    g = g.dropna(subset=[value])
    if g.empty:
        return None
    return g.sort_values("year").iloc[-1] if "year" in g else g.iloc[-1]


def _mark_hidden_years(fig: go.Figure, df: pd.DataFrame, lang: str, k: int) -> None:
    """Grey markers on the x axis for the years whose values are hidden, with the reason on hover."""
    hidden = df[_hidden(df)]
    if hidden.empty:
        return
    years = sorted(hidden["year"].dropna().unique())
    reason = app("hidden_reason", lang, k=k)
    fig.add_scatter(
        x=years,
        y=[0] * len(years),
        mode="markers",
        name=reason,  # "hidden: fewer than 5 persons", once
        marker={"color": HIDDEN, "symbol": "x", "size": 11},
        hovertemplate="%{x}: " + reason + "<extra></extra>",
    )


def women_men_lines(
    df: pd.DataFrame,
    lang: str,
    title: str,
    women: str,
    men: str,
    *,
    k: int = 5,
    percent_axis: bool = True,
    extra: list[tuple[str, str, str]] = (),
    yrange=None,
) -> go.Figure | None:
    """Two lines over the years, women's value and men's, in the palette; hidden years marked.

    extra: further (column, label, colour) lines, drawn dashed (e.g. men's share of staff).
    """
    if df.empty or not {"year", women, men} <= set(df.columns):
        return None
    vis = _visible(df).sort_values("year")
    if vis[[women, men]].notna().sum().sum() == 0:
        return None
    fig = go.Figure()
    fmt = ":.1%" if percent_axis else ":.2f"
    drawn = _gapped(df, [women, men, *(col for col, _, _ in extra)])
    for col, name, colour in ((women, t("women", lang), WOMEN), (men, t("men", lang), MEN)):
        fig.add_scatter(
            x=drawn["year"],
            y=drawn[col],
            mode="lines+markers",
            name=name,
            line={"color": colour, "width": 3},
            hovertemplate="%{x}: %{y" + fmt + "}<extra>" + name + "</extra>",
        )
    for col, name, colour in extra:
        if col in drawn:
            fig.add_scatter(
                x=drawn["year"],
                y=drawn[col],
                mode="lines",
                name=name,
                line={"color": colour, "dash": "dash", "width": 2},
                hovertemplate="%{x}: %{y" + fmt + "}<extra>" + name + "</extra>",
            )
    _mark_hidden_years(fig, df, lang, k)
    fig.update_xaxes(dtick=1)
    _layout(fig, title, lang, percent_axis=None)
    if percent_axis:
        fig.update_yaxes(tickformat=".1%" if (vis[[women, men]].max().max() or 0) < 0.1 else ".0%", rangemode="tozero")
    else:
        fig.update_yaxes(rangemode="tozero")
    if yrange:
        fig.update_yaxes(range=yrange)
    return fig


def women_men_bars(
    df: pd.DataFrame,
    category: str,
    labels: dict,
    lang: str,
    title: str,
    women: str,
    men: str,
    k: int,
    *,
    ci: tuple[tuple[str, str], tuple[str, str]] | None = None,
    percent_axis: bool = True,
) -> go.Figure | None:
    """Horizontal bars, women's value beside men's, per category; hidden categories grey with the reason.

    ci: ((women_low, women_high), (men_low, men_high)) drawn as error bars (Wilson intervals).
    """
    if df.empty or not {category, women, men} <= set(df.columns):
        return None
    rows = df.iloc[::-1].reset_index(drop=True)  # first category at the top
    hidden = _hidden(rows)
    if (~hidden).sum() == 0 or rows.loc[~hidden, [women, men]].notna().sum().sum() == 0:
        return None
    names = [labels.get(c, str(c)) for c in rows[category]]
    fig = go.Figure()
    fmt = ".0%" if percent_axis else ".2f"
    for col, name, colour, bounds in (
        (men, t("men", lang), MEN, ci[1] if ci else None),
        (women, t("women", lang), WOMEN, ci[0] if ci else None),
    ):
        vals = rows[col].astype(float).where(~hidden)
        err = {}
        if bounds and set(bounds) <= set(rows.columns):
            lo, hi = rows[bounds[0]].astype(float), rows[bounds[1]].astype(float)
            err = {
                "error_x": {
                    "type": "data",
                    "array": (hi - vals).clip(lower=0),
                    "arrayminus": (vals - lo).clip(lower=0),
                    "color": "#444",
                    "thickness": 1,
                }
            }
        fig.add_bar(
            y=names,
            x=vals,
            orientation="h",
            name=name,
            marker_color=colour,
            text=[("" if pd.isna(v) else (percent(v, lang) if percent_axis else number(v, lang, 2))) for v in vals],
            textposition="outside",
            hovertemplate="%{y}: %{x:" + fmt + "}<extra>" + name + "</extra>",
            **err,
        )
    if hidden.any():
        reason = app("hidden_reason", lang, k=k)
        top = float(pd.concat([rows[women], rows[men]]).astype(float).max(skipna=True) or 1)
        fig.add_bar(
            y=[n for n, h in zip(names, hidden) if h],
            x=[top if top == top else 1] * int(hidden.sum()),
            orientation="h",
            name=app("hidden", lang),
            marker_color=HIDDEN,
            marker_pattern_shape="/",
            text=[reason] * int(hidden.sum()),
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate="%{y}: " + reason + "<extra></extra>",
        )
    fig.update_layout(barmode="group", legend={"traceorder": "reversed"})
    _layout(fig, title, lang, percent_axis=None, height=max(280, 56 * len(rows) + 130))
    if percent_axis:
        fig.update_xaxes(tickformat=".0%", rangemode="tozero")
    return fig


# --- education -------------------------------------------------------------------------------------------


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
    lang, unit = ctx.lang, ctx.unit
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
    title = _named("trend", ctx)
    total = rows[rows["level"] == "all"].sort_values("year")
    if len(total) >= 2 and _is_now(total.iloc[-1], ctx):
        first, last = total.iloc[0], total.iloc[-1]
        name, share = _headline("students_trend", last["share_women"], lang)
        title = t(
            "finding_students_trend",
            lang,
            name=name,
            share=share,
            unit=unit,
            year=int(last["year"]),
            then=percent(first["share_women"], lang),
            first=int(first["year"]),
        )
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


# --- care, health, safety --------------------------------------------------------------------------------


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


# --- recruitment and promotion ---------------------------------------------------------------------------


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


# --- pay -------------------------------------------------------------------------------------------------


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


def committee_trend(df: pd.DataFrame, ctx: Context) -> go.Figure | None:
    """Women's share of committee seats per year, one line per body type, all bodies thick (`committee_summary`)."""
    if df.empty or not {"year", "body_type", "share_women"} <= set(df.columns):
        return None
    lang, unit = ctx.lang, ctx.unit
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
    title = _named("trend", ctx)
    total = vis[vis["body_type"] == "all"].sort_values("year")
    if len(total) >= 2 and _is_now(total.iloc[-1], ctx):
        first, last = total.iloc[0], total.iloc[-1]
        name, share = _headline("committee_summary", last["share_women"], lang)
        title = t(
            "finding_seats",
            lang,
            name=name,
            share=share,
            unit=unit,
            year=int(last["year"]),
            then=percent(first["share_women"], lang),
            first=int(first["year"]),
        )
    return _layout(fig, title, lang, percent_axis="y")
