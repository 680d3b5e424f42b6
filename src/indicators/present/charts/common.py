"""The context, palette and layout every chart shares, and the pieces several areas draw."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

import pandas as pd
import plotly.graph_objects as go

from ... import settings
from ...catalogue import pair, pick, texts, word
from ...catalogue.numbers import number, pct_points, percent, plotly_separators
from ..columns import headline_name, headline_value, hidden_reason, split_hidden

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


def _since_first(total: pd.DataFrame, ctx: Context, indicator: str, finding: str) -> str:
    """A share-of-women trend's title: its finding from the first year to the page's year (`finding`,
    the headline's name and value as the card writes them, then the first year's share) where the
    'all' series `total` has two years or more and ends in the page's year; else the chart named."""
    total = total.sort_values("year")
    if len(total) < 2 or not _is_now(total.iloc[-1], ctx):
        return _named("trend", ctx)
    first, last = total.iloc[0], total.iloc[-1]
    name, share = _headline(indicator, last["share_women"], ctx.lang)
    return t(
        finding,
        ctx.lang,
        name=name,
        share=share,
        unit=ctx.unit,
        year=int(last["year"]),
        then=percent(first["share_women"], ctx.lang),
        first=int(first["year"]),
    )


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


def to_html(figures: list[go.Figure]) -> list[str]:
    """HTML fragments for a self-contained report: plotly.js inlined once, in the first figure."""
    return [
        finish(fig).to_html(full_html=False, include_plotlyjs=(i == 0), config={"displaylogo": False})
        for i, fig in enumerate(figures)
    ]


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
