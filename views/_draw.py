"""Drawing a page from its declaration (indicators/present/pages.py): the header, each section's heading,
charts, notes, table and downloads, the scorecard's rows. `page(id)` is all a page file calls. The
data come from views/_data.py, the view (filters, language, presentation) from views/_filters.py.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import threading

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from indicators import catalogue, report
from indicators.catalogue import book, text, texts, word
from indicators.catalogue.numbers import percent
from indicators.catalogue.phrases import kind_name
from indicators.plan.followup import progress
from indicators.present import charts, columns, export, pages
from indicators.protect import registry
from indicators.store import database
from indicators.subgoals.pay.scope import DEFAULT_MEASURE, MEASURES
from views import _access, _grid
from views import _data as data
from views._data import batch, compute, db_path, indicators, k_of, lang, unit_names
from views._filters import View, _picked, leave_presentation, url, view

t = texts("app")

# The charts this run has sent so far (chart()): Streamlit runs each session's script on a thread of its
# own, so a thread's count is its run's. page() ends a first screen after the first section that sent one.
_charts = threading.local()

# A session's first page comes in two runs: its first screen (the header, the sections down to the
# first chart and what is read with it), then, once the browser has drawn that chart, the rest. Sent
# at once, the sections below kept the browser's one thread busy (their elements, their chunks, Plotly
# laying out every other chart) before it drew the first chart
# (docs/performance.md, "The first screen alone"). Nothing is shown: the gate is an empty element
# that asks for the rest when a chart is drawn. The time limit is a fallback for a chart that never draws (its JavaScript failed to load),
# so that the rest still comes.
FIRST_SCREEN = "balans_first_screen"
GATED = "_first_screen_gated"  # this run ended at the gate (first_screen_only)
_gate = st.components.v2.component(
    "balans.first_screen",
    js="""export default function ({ setStateValue }) {
  let asked = false;
  const ask = () => { if (!asked) { asked = true; watch.disconnect(); clearTimeout(limit);
    requestAnimationFrame(() => setStateValue("drawn", true)); } };
  const drawn = () => document.querySelector('[data-testid="stPlotlyChart"] .main-svg');
  const watch = new MutationObserver(() => { if (drawn()) ask(); });
  const limit = setTimeout(ask, 15000);
  watch.observe(document.body, { childList: true, subtree: true });
  if (drawn()) ask();
  return () => { watch.disconnect(); clearTimeout(limit); };
}""",
)


def _opened() -> None:
    st.session_state[FIRST_SCREEN] = True


def first_screen_only() -> bool:
    """Asked once a chart is sent: whether this run ends with it, as the first screen of the first page
    this session draws, whose rest follows in the run the gate asks for once the browser has drawn
    the chart. Every later run and page of the session is drawn whole at once (the browser has
    Plotly's JavaScript by then)."""
    if st.session_state.get(FIRST_SCREEN):
        return False
    _gate(key=f"{FIRST_SCREEN}_gate", height=0, on_drawn_change=_opened)
    st.session_state[GATED] = True
    return True


def first_screen_pending() -> bool:
    """Whether the browser has yet to draw this session's first chart, so that this run may end at the
    gate (app.py then holds the sidebar's filters back: `ended_at_gate`). Asked at the start of a run."""
    st.session_state[GATED] = False
    return not st.session_state.get(FIRST_SCREEN)


def ended_at_gate() -> bool:
    """Whether this run ended with its first screen (first_screen_only said so)."""
    return bool(st.session_state.get(GATED))


def chart(fig, name: str = "balans") -> None:
    """A Plotly chart full width, its toolbar's PNG at slide resolution (3x)."""
    if fig is None:
        return
    _charts.sent = getattr(_charts, "sent", 0) + 1
    v = view()
    if v.filters.exact:
        report.mark_exact(fig, v.lang)
    charts.common.finish(fig, present=v.present)  # titles broken to fit, legend clear of the ticks, presentation type
    st.plotly_chart(
        fig,
        width="stretch",
        config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 3, "filename": name}},
    )


def in_session(make):
    """A download's data callable that may use Streamlit (st.cache_data, the session state) when it runs.

    Streamlit runs a deferred download's callable later, when the button is clicked, on a thread of
    its server (asyncio.to_thread) that has no script-run context; every cached call made there
    logged "missing ScriptRunContext" (some 57 lines for the Export page's workbook and report). The
    callable runs instead on a thread of its own, given the context of the run that drew the button
    before it starts (add_script_run_ctx, as Streamlit documents it), and the download waits for it.
    """
    ctx = get_script_run_ctx()

    def run():
        result: dict = {}

        def work() -> None:
            try:
                result["data"] = make()
            except BaseException as e:  # raised again on the server's thread, which reports it
                result["error"] = e

        # not a daemon (said, since the thread starting it may be one): a daemon thread inside DuckDB
        # when the interpreter ends aborts the process (store/background.py's docstring says how)
        thread = add_script_run_ctx(threading.Thread(target=work, name="balans-download", daemon=False), ctx)
        thread.start()
        thread.join()
        if "error" in result:
            raise result["error"]
        return result["data"]

    return run


def downloads(
    df: pd.DataFrame, name: str, table_id: str, lng: str | None = None, k: int = 5, title: str | None = None
) -> None:
    """The table shown, as files (export.py, from its declaration in columns.toml): the machine CSV
    (codes, full precision), the Swedish CSV (the Swedish table for Excel, unit names included, from
    whichever page's language) and the xlsx (the page's table in its language, numbers as numbers),
    protection applied."""
    lng = lng or lang()
    names = unit_names(lng)
    names_sv = names if lng == "sv" else unit_names("sv")
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        t("download_csv", lng),
        lambda: export.machine_csv(df, table_id),
        f"{name}.csv",
        "text/csv",
        key=f"dl_csv_{name}",
        on_click="ignore",
        icon=":material/download:",
    )
    c2.download_button(
        t("download_csv_sv", lng),
        lambda: export.swedish_csv(df, table_id, k, names_sv),
        f"{name}_sv.csv",
        "text/csv",
        key=f"dl_csvsv_{name}",
        on_click="ignore",
        icon=":material/download:",
    )
    c3.download_button(
        t("download_xlsx", lng),
        lambda: export.workbook([(title or name, df, table_id)], lng, k, names),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dl_xlsx_{name}",
        on_click="ignore",
        icon=":material/download:",
    )


def table(
    df: pd.DataFrame, name: str, table_id: str, k: int = 5, lng: str | None = None, title: str | None = None
) -> None:
    """A table as columns.toml declares it (columns.shown), with its downloads (not in presentation mode)."""
    lng = lng or lang()
    if df is None:
        return
    hidden = int(df["suppressed"].astype(bool).sum()) if "suppressed" in df else 0
    if hidden:
        st.caption(t("hidden_rows", lng, n=hidden, k=k))
    grid(columns.shown(df, table_id, lng, k, unit_names(lng), page=True), table_id, lng)
    if not view().present:
        downloads(df, name, table_id, lng, k, title)


def grid(shown: pd.DataFrame, table_id: str, lng: str) -> None:
    """A table shown (columns.shown(page=True)) in the data grid, its label columns pinned at the left
    (columns.toml `role`), so that the row's name stays in view while the findings scroll."""
    config = {h: st.column_config.Column(pinned=True) for h in columns.pinned(table_id, lng, shown.columns)}
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)


def file_name(indicator_id: str, v: View) -> str:
    unit = "all" if v.filters.unit == database.ALL_UNITS else v.filters.unit
    name = f"{indicator_id}_{unit}_{v.year or ''}".rstrip("_")
    return f"{name}_{t('exact_file', v.lang)}" if v.filters.exact else name


def section(
    indicator_id: str,
    v: View,
    draw=None,
    filters: registry.Filters | None = None,
    heading: str | None = None,
    after_chart=None,
    caption: str | None = None,
    why=None,
    why_closes: bool = False,
    gate=None,
    hold=None,
) -> bool:
    """One indicator: heading, its chart (draw(df) -> figure or None), its table and downloads.

    after_chart(df), when given, renders what must be read with the chart (a caution, a second chart).
    why(df), when given, is the section's own reason why its chart draws nothing (pages.Section.why); a
    chart that draws nothing opens the table, unless why_closes and that reason is the whole finding.
    gate(), when given, is asked after them, or after what is said in their place (no table, an empty
    one), whether this run ends there (the first screen: page()); section() returns its answer.
    hold(fill), when given, may keep a closed table's content for later in the run (page()): True, held.
    """
    ind = indicators().get(indicator_id)
    st.subheader(heading or (ind.title(v.lang) if ind else indicator_id))
    if caption:
        st.caption(caption)
    df = compute(indicator_id, filters or v.filters)
    if df is None:
        return gate is not None and gate()
    if df.empty:
        empty_table(indicator_id, v)
        return gate is not None and gate()
    k = k_of(indicator_id)
    fig = None
    if draw is not None:
        try:
            fig = draw(df)
        except Exception as e:  # a chart bug must not take the page down; the table still shows
            st.warning(t("chart_failed", v.lang, id=indicator_id, error=f"{type(e).__name__}: {e}"))
    chart(fig, indicator_id)
    reason = None
    if draw is not None and fig is None:  # nothing to draw: say why (the section's own reason first), open the table
        reason = why(df) if why is not None else None
        st.caption(
            t(reason, v.lang)
            if reason
            else t("no_subunits", v.lang, unit=v.unit_label)
            if no_subunits(df)
            else t("no_chart", v.lang)
        )
    if after_chart is not None:
        after_chart(df)
    if gate is not None and gate():
        return True
    if v.present:
        return False
    with st.expander(t("about", v.lang)):
        st.write(ind.description(v.lang))
        st.caption(f"{t('source', v.lang)}: {ind.source}")
    opened = fig is None and not (reason and why_closes)
    in_place(
        st.expander(t("table", v.lang), expanded=opened),
        lambda: table(df, file_name(indicator_id, v), indicator_id, k, v.lang, title=ind.title(v.lang)),
        None if opened else hold,
    )
    return False


def in_place(box, draw, hold=None) -> None:
    """draw() into box: now, or, when hold (page()'s) keeps it for a first screen, in the gate's run after
    the first chart. The box is sent now either way, so that what follows keeps its place on the page."""

    def fill() -> None:
        with box:
            draw()

    if hold is None or not hold(fill):
        fill()


def empty_state(v: View) -> bool:
    """When nothing is imported: say what to do next, and stop the page (never an empty chart). The
    link to Import only for a session that may import there (views/_access.py)."""
    if data.has_data():
        return False
    st.info(_access.nothing_imported(v.lang))
    import_link(v)
    return True


def import_link(v: View) -> None:
    """The link to the Import page, only where this session may import (never read-only)."""
    if _access.may_import() and not v.present:
        st.page_link(IMPORT_PAGE, label=t("go_import", v.lang), icon=":material/upload:")


# The table each indicator module reads (store.has_data), to tell "nothing of this kind imported"
# from "nothing for this unit and year".
KIND_OF_MODULE = {
    "representation": "staff",
    "pay": "staff",
    "pay.evaluation": "job_scores",
    "pay.assessment": "staff",
    "committees": "committees",
    "education": "students",
    "care": "leave",
    "health": "leave",
    "safety": "incidents",
    "recruitment": "recruitment",
    "careers": "staff",
}


def no_subunits(df: pd.DataFrame) -> bool:
    """A table of a unit and its sub-units (is_total marks the unit's own row) that has only the unit."""
    return (
        df is not None and "is_total" in df and not df.empty and bool(df["is_total"].fillna(False).astype(bool).all())
    )


def empty_table(indicator_id: str, v: View) -> None:
    """An empty table says what is the case: nothing of its kind has been imported (with the link to
    Import where this session may import), or what an empty answer means for this indicator (no
    pairs found, no programmes), or simply nothing for this unit and year."""
    ind = indicators().get(indicator_id)
    module = ind.function.__module__.split(".")[2:] if ind is not None else []  # "pay.evaluation", or "care"
    kind = KIND_OF_MODULE.get(".".join(module), KIND_OF_MODULE.get(module[0])) if module else None
    if kind is not None and not database.has_data(data.connection().cursor(), kind):
        st.info(t("no_kind", v.lang, kind=kind_name(kind, v.lang)))
        import_link(v)
        return
    key = f"empty_{indicator_id}"
    st.info(t(key if key in book("app").text else "no_rows", v.lang, unit=v.unit_label, year=v.year_label))


def context(v: View) -> charts.common.Context:
    """What every chart is told about the view (k is set per section), with the unit's own targets."""
    return charts.common.Context(
        lang=v.lang,
        unit=v.unit_label,
        names=unit_names(v.lang),
        year=v.year,
        positions=v.filters.positions,
        present=v.present,
        year_mark=t("partial_mark", v.lang) if v.partial else "",
        targets=data._targets(db_path(), batch(), v.filters.unit, v.year),
        national=data.national(v.year),
    )


def page(page_id: str) -> None:
    """A page as pages.py declares it: the header, then each section in order, everything it shows
    computed side by side (data.prefetched), the table of its first chart before the others, so that
    a view nobody has seen yet draws that chart as soon as its table is in (docs/performance.md,
    "The first chart first"); on a session's first page the run ends with the first section that sent a
    chart, and the rest follows once the browser has drawn it (first_screen_only). The page's year
    governs every section (pages.governed)."""
    p = pages.page(page_id)
    v = view()
    page_header(p.title, v)
    if empty_state(v):
        return
    f = pages.governed(v.filters)
    if p.chooser == "pay":
        f = f.with_(pay=pay_measure(v))
    first = next((s.source for s in p.sections if s.charts), None)
    if v.present:  # the lead's table first: its chart opens the first screen
        first = p.slides()[0].source if p.sections else None
    _charts.sent = 0
    with data.prefetched(p, f, first) as rest:

        def first_screen() -> bool:
            # asked after each section's charts and notes: the first screen ends with the first section
            # that sent a chart (the declared first draws none for a unit without, say, professors)
            return _charts.sent > 0 and first_screen_only()

        held: list = []

        def hold(fill) -> bool:
            # A closed table above a first screen's chart (its section's reason is the finding: nobody
            # recruited) would bring the data grid and its JavaScript before that chart: its expander is
            # drawn, empty, and its content comes after the chart, in the gate's run (docs/performance.md,
            # "A closed table above the first chart"). So do the scorecard's downloads ("The scorecard
            # in fewer elements").
            if _charts.sent or st.session_state.get(FIRST_SCREEN):
                return False
            held.append(fill)
            return True

        if p.intro and not v.present:
            st.caption(t(p.intro, v.lang))
        if pages.widened(p, f):
            st.info(t("positions_widened", v.lang), icon=":material/filter_alt_off:")
        ctx = context(v)
        for s in p.slides() if v.present else p.sections:
            if v.present:
                ended = slide(s, v, f, ctx, first_screen)
            else:
                ended = draw_section(s, v, f, ctx, first_screen, hold)
            if ended:
                break  # the other tables are computed as the block ends, for the run that follows
            if s.source == first:  # its chart is sent: the other tables now, in the background
                rest()
        else:  # no chart ended the run at the gate: nothing follows, so the held tables now
            for fill in held:
                fill()


def slide(s: pages.Section, v: View, f: registry.Filters, ctx: charts.common.Context, gate=None) -> bool:
    """One section in presentation mode, as the page declaration says (pages.Section.slides): its
    charts, whose titles state the findings, and the warnings beside them, without the heading, the
    captions, the table or the downloads; nothing at all when it has no chart or no chart draws (a
    table, an empty view), so that no heading stands bare on the screen. A scorecard shows its rows,
    the sub-units' scorecard its grid. True when the run ends after it (gate: draw_section)."""
    if s.is_scorecard:
        return draw_section(s, v, f, ctx, gate)
    if not s.slides:
        return gate is not None and gate()
    df = data.compute(s.source, f)
    if df is None or df.empty:
        return gate is not None and gate()
    c = ctx.with_(k=k_of(s.source))
    drawn = 0
    for i, make in enumerate(s.slides, start=1):
        try:
            fig = make(df, c)
        except Exception as e:  # a chart bug must not take the page down
            st.warning(t("chart_failed", v.lang, id=s.source, error=f"{type(e).__name__}: {e}"))
            continue
        if fig is not None:
            chart(fig, s.source if i == 1 else f"{s.source}_{i}")
            drawn += 1
    if drawn and s.notes is not None:
        for level, text in s.notes(df, c):
            if level == "warning":
                st.warning(text)
    return gate is not None and gate()


def pay_measure(v: View) -> str:
    """The Pay page's choice of the measure of pay (Filters.pay), kept in the URL (`?pay=hourly`; the
    default, the full-time monthly salary, stays out of it). Annual and hourly pay need the year's pay
    components: without them the page says so."""
    chosen = url("pay") if url("pay") in MEASURES else DEFAULT_MEASURE
    st.session_state["pay_pick"] = chosen
    if not v.present:
        st.radio(
            t("pay:pay_measure", v.lang),
            MEASURES,
            key="pay_pick",
            horizontal=True,
            format_func=lambda m: catalogue.word("pay", "pay_measure", m, v.lang),
            help=t("pay:pay_measure_help", v.lang),
            on_change=_picked,
            args=("pay_pick", "pay", lambda m: "" if m == DEFAULT_MEASURE else m),
        )
    else:
        st.caption(t("pay:measure_shown", v.lang, measure=catalogue.word("pay", "pay_measure", chosen, v.lang)))
    if chosen != DEFAULT_MEASURE and v.year is not None and not data.has_components(v.year):
        st.info(t("pay:no_components", v.lang), icon=":material/info:")
    return chosen


def draw_section(
    s: pages.Section, v: View, f: registry.Filters, ctx: charts.common.Context, gate=None, hold=None
) -> bool:
    """One declared section: a scorecard's rows, or an indicator with its charts, notes and table.

    gate() is asked once the section's charts and notes are drawn (section()): True, the run ends there,
    before the section's expanders and downloads, and draw_section says so. hold: section()'s."""
    heading = s.title(v.lang, v.unit_label, v.year_label)  # a partial year is marked as in the page title
    caption = t(s.caption, v.lang, unit=v.unit_label, year=v.year_label) if s.caption else None
    if s.is_scorecard:
        st.subheader(heading)
        if caption:
            st.caption(caption)
        df = data.scorecard(s.function, f)
        if df is None:
            return gate is not None and gate()
        own = df["unit"] == f.unit
        if s.show == "scorecard_units":
            subs = df[~own].reset_index(drop=True)
            if subs.empty:  # says that the unit has no sub-units
                scorecard_table(subs, "scorecard_units", v)
                return gate is not None and gate()
            _grid.grid(subs, v, unit_names(v.lang))  # the rows as one picture, each cell a link
            if not v.present:  # presentation mode: the picture alone
                with st.expander(t("grid_table", v.lang)):
                    scorecard_table(subs, "scorecard_units", v)
        else:
            scorecard_rows(df[own].drop(columns="unit").reset_index(drop=True), "scorecard", v, hold)
            if not v.present:  # a table: the plan is not what a meeting's screen shows
                plan_progress(v)  # each sub-goal's measures on the plan, under the card
        return gate is not None and gate()
    c = ctx.with_(k=k_of(s.source))

    def more(df: pd.DataFrame) -> None:
        for i, extra in enumerate(s.charts[1:], start=2):
            try:
                chart(extra(df, c), f"{s.source}_{i}")
            except Exception as e:  # a chart bug must not take the page down
                st.warning(t("chart_failed", v.lang, id=s.source, error=f"{type(e).__name__}: {e}"))
        for level, note in s.notes(df, c) if s.notes is not None else ():
            (st.warning if level == "warning" else st.caption)(note)

    if section(
        s.source,
        v,
        (lambda df: s.charts[0](df, c)) if s.charts else None,
        filters=f,
        heading=heading,
        after_chart=more,
        caption=caption,
        why=(lambda df: s.why(df, c)) if s.why is not None else None,
        why_closes=s.why_closes,
        gate=gate,
        hold=hold,
    ):
        return True
    if s.download is not None and not v.present:
        d = s.download
        st.download_button(
            t(d.label, v.lang),
            in_session(lambda: d.make(data.connection(), f, v.lang)),
            file_name(d.file, v) + ".xlsx",
            key=f"dl_{d.file}",
            on_click="ignore",
            icon=":material/download:",
        )
    return False


def page_header(key: str, v: View) -> None:
    """The page's title and what its figures are. In presentation mode one compact band (the title and
    the leave button on one line, the filters and the protection note under it), so that the first
    screen at 1280×720 holds the page's headline chart (docs/guide.md, "How the pages look")."""
    title = f"{t(key, v.lang)} – {v.unit_label}" + (f", {v.year_label}" if v.year else "")
    if v.present:
        left, right = st.columns([3.4, 1], vertical_alignment="center")
        left.title(title)
        right.button(
            t("exit_present", v.lang), on_click=leave_presentation, icon=":material/close_fullscreen:", width="stretch"
        )
        # the sidebar is hidden: the audience still sees what the figures are of, and how they are protected
        note = t("exact_banner", v.lang) if v.filters.exact else t("protected_note", v.lang)
        st.markdown(
            f'<p class="balans-filters">{filters_line(v)}</p><p class="balans-note">{note}</p>', unsafe_allow_html=True
        )
        partial_warning(v)
        return
    st.title(title)
    partial_warning(v)
    if v.filters.exact:
        st.error(t("exact_banner", v.lang), icon=":material/lock:")
    else:
        st.caption(t("protected_note", v.lang))


def filters_line(v: View) -> str:
    """The active filters in one line, in the language: "Urval: enhet X · år 2025 · trender 2015–2025 ·
    befattningar: alla · antal personer"."""
    f = v.filters
    parts = [t("filter_unit", v.lang, unit=v.unit_label)]
    if v.year is not None:
        parts.append(t("filter_year", v.lang, year=v.year_label))
    if f.year_from is not None and f.year_to is not None:
        parts.append(t("filter_range", v.lang, first=f.year_from, last=f.year_to))
    shown = (
        ", ".join(word("vocabularies", "position", p, v.lang) for p in f.positions)
        if f.positions
        else t("positions_all", v.lang).lower()
    )
    parts.append(t("filter_positions", v.lang, positions=shown))
    if f.employment_type:
        parts.append(
            t("careers:filter_employment", v.lang, what=word("vocabularies", "choice", f.employment_type, v.lang))
        )
    measure = t(f.measure, v.lang)
    parts.append(measure[:1].lower() + measure[1:])  # "årsarbetskrafter (FTE)": mid-sentence, the acronym kept
    return f"{t('active_filters', v.lang)}: " + " · ".join(parts)


def partial_warning(v: View) -> None:
    """Under a title: the year rests on part of the unit's organisation, which units are missing."""
    if not v.partial:
        return
    c = v.coverage
    names = unit_names(v.lang)
    shown = ", ".join(names.get(u, u) for u in c.missing[:12]) + (" …" if len(c.missing) > 12 else "")
    key = "partial_warning_one" if len(c.missing) == 1 else "partial_warning"
    st.warning(
        t(
            key,
            v.lang,
            year=v.year,
            unit=v.unit_label,
            n=len(c.missing),
            previous=c.previous,
            units=shown,
            default=v.default_year,
        ),
        icon=":material/rule:",
    )


STATUS_COLOURS = {"met": "#CCEBE3", "not_met": "#F6D5C2", "no_data": "#EEEEEE", "hidden": "#EEEEEE"}
STATUS_BADGES = {  # colour, Material Symbols icon
    "met": ("green", "check_circle"),
    "not_met": ("red", "error"),
    "no_data": ("gray", "help"),
    "hidden": ("gray", "visibility_off"),
}
IMPORT_PAGE = pages.page("import").file


def subgoal_page(indicator_id) -> str | None:
    """The page a scorecard row opens: the one its headline indicator lives on (pages.home)."""
    home = pages.home(indicator_id) if isinstance(indicator_id, str) else None
    return home.file if home is not None else None


def _scorecard_frame(df: pd.DataFrame, v: View) -> pd.DataFrame:
    """The scorecard as shown (columns.toml, table "scorecard"): each value in its indicator's format."""
    return columns.shown(df, "scorecard", v.lang, names=unit_names(v.lang))


def scorecard_rows(df: pd.DataFrame, name: str, v: View, hold=None) -> None:
    """The six sub-goals, one row each: the sub-goal links to its page (to Import when there are no data
    and this session may import),
    its status as a coloured badge, the headline value against the target, last year and the direction.
    Its downloads come after the page's first chart on a first screen (hold: page()'s)."""
    if df.empty:
        st.info(t("no_rows", v.lang, unit=v.unit_label, year=v.year or ""))
        return
    shown = _scorecard_frame(df, v)
    # Relative widths, measured at 1280 px with the sidebar open (820 px of columns): the status badge
    # "inte uppfyllt" with its icon needs ~120 px and "Direction" ~70 px, which the old widths (1.3 and
    # 0.8 of 11.5) cut to "inte up…" and "Riktnin g".
    # The headline's name (the last column) whole, without breaking a word: "Mäns föräldraledighetskvot"
    # takes 143 px at 1280 px and 261 px in presentation mode's larger type.
    widths = [3.2, 2.0, 1.0, 1.3, 1.1, 1.3, 2.6] if not v.present else [2.7, 2.0, 1.3, 1.3, 1.3, 1.3, 3.4]
    keys = ("subgoal", "status", "value", "target", "previous", "direction", "indicator")
    head = {key: columns.label("scorecard", key, v.lang) for key in keys}
    # Two columns a row: the link (st.page_link, which opens the page without reloading the app), and
    # the other six cells side by side in one HTML element. Seven columns a row, 116 nodes with their
    # blocks, held back the headline chart below; st.html's code is on the page already (the styles),
    # where Markdown with HTML in it would fetch 190 kB more before the chart (docs/performance.md,
    # "The scorecard in fewer elements").
    halves = [widths[0], sum(widths[1:])]
    left, right = st.columns(halves, vertical_alignment="center", gap="small")
    left.markdown(f"**{head['subgoal']}**")
    right.html(cells_line([f"<b>{html.escape(head[key])}</b>" for key in keys[1:]], widths[1:]))
    importer = _access.may_import()
    for (_, row), (_, shown_row) in zip(df.iterrows(), shown.iterrows()):
        left, right = st.columns(halves, vertical_alignment="center", gap="small")
        status = row["status"]
        page = (IMPORT_PAGE if importer else None) if status == "no_data" else subgoal_page(row["indicator"])
        label = shown_row[head["subgoal"]]
        if page is not None:
            left.page_link(
                page, label=label, icon=":material/arrow_forward:" if status != "no_data" else ":material/upload:"
            )
        else:
            left.markdown(label.replace(". ", "\\. ", 1))  # "6. …" as text, not a Markdown list
        said = [
            direction_words(row, shown_row, v.lang)
            if key == "direction"
            else html.escape(str(shown_row.get(head[key], "")))
            for key in keys[2:]
        ]
        right.html(cells_line([status_badge(status, shown_row[head["status"]]), *said], widths[1:]))
        if row["subgoal"] == 1:
            careers_line(v, widths)
    if (df["status"] == "no_data").any():
        st.caption(t("no_data_hint" if importer else "no_data_hint_read_only", v.lang))
    if not v.present:
        in_place(st.container(), lambda: downloads(df, file_name(name, v), "scorecard", v.lang), hold)


# Streamlit's own colours of its light theme for green, red and grey text and badges, so that the
# scorecard's HTML looks as its Markdown did. Better in green, worse in red, the same in grey: with the
# word, so that the colour is never the only sign.
TEXT_COLOURS = {"green": "#0C5A44", "red": "#9E303B", "gray": "#686255"}
BADGE_BACKGROUNDS = {"green": "#F1FBF6", "red": "#FFF1F2", "gray": "#F5F4F2"}
PROGRESS_COLOURS = {"better": "green", "worse": "red", "same": "gray"}
PROGRESS_BACKGROUNDS = {"better": "#CCEBE3", "worse": "#F6D5C2"}


def cells_line(cells: list[str], widths: list[float]) -> str:
    """Cells of HTML side by side in one element, each as wide as its share of `widths` (views/_filters.py's
    style sets the rest of span.balans-cell), so that the rows' cells line up as columns do."""
    total = sum(widths)
    # each share rounded down: shares that add up to more than the whole put the last cell on a line of its own
    return "".join(
        f'<span class="balans-cell" style="width:{math.floor(10_000 * w / total) / 100}%">{cell}</span>'
        for cell, w in zip(cells, widths)
    )


def status_badge(status: str, said: str) -> str:
    """A sub-goal's status as a coloured badge with its icon (Material Symbols, the font Streamlit's own
    icons use), as st.badge draws it."""
    colour, icon = STATUS_BADGES.get(status, ("gray", None))
    symbol = f'<span class="balans-icon" aria-hidden="true">{icon}</span> ' if icon else ""
    return (
        f'<span class="balans-badge" style="color:{TEXT_COLOURS[colour]};background-color:{BADGE_BACKGROUNDS[colour]}">'
        f"{symbol}{html.escape(str(said))}</span>"
    )


def direction_words(row: pd.Series, text: pd.Series, lng: str) -> str:
    """The direction's arrow with better or worse by the sub-goal's aim (goals._progress), coloured, as
    HTML: "↓ bättre" for a pay gap that fell, "↑ sämre" for a sick-leave ratio that rose."""
    arrow = html.escape(str(text.get(columns.label("scorecard", "direction", lng), "")))
    progress = row.get("progress")
    if not isinstance(progress, str):
        return arrow
    said = html.escape(columns.word(columns.declared("scorecard", "progress"), progress, lng))
    return f'<span style="color:{TEXT_COLOURS[PROGRESS_COLOURS[progress]]}">{arrow} {said}</span>'


CAREERS_PAGE = pages.page("careers").file


def careers_line(v: View, widths: list[float]) -> None:
    """Under sub-goal 1 (power and influence, where representation belongs): the newly recruited
    professors over the trends' years against the unit's target, with the country beside them, as the
    Careers page's table has them (protected like it), leading to that page."""
    df = compute("new_professors", pages.governed(v.filters))
    if df is None or df.empty or v.year is None:
        return
    now = df[df["year"] == v.year]
    if now.empty:
        return
    r = now.iloc[0]
    if pd.isna(r["period_to"]) or int(r["period_to"]) != v.year:  # the period is the last year's alone
        return
    period = t("careers:period", v.lang, first=int(r["period_from"]), last=v.year_label)
    if pd.isna(r["share_women_period"]):
        label = t("careers:scorecard_careers_hidden", v.lang, period=period)
    else:
        label = t(
            "careers:scorecard_careers",
            v.lang,
            period=period,
            share=percent(r["share_women_period"], v.lang),
            target=percent(r["target"], v.lang),
        )
        label += " · " + t("careers:on_course" if bool(r["on_course"]) else "careers:off_course", v.lang)
    if pd.notna(r.get("national_share")):
        what = columns.word(columns.declared("new_professors", "national_category"), r["national_category"], v.lang)
        label += " · " + t(
            "careers:national_beside",
            v.lang,
            value=percent(r["national_share"], v.lang, 1),
            what=what,
            source=r["national_source"],
            year=int(r["national_year"]),
        )
    cols = st.columns([0.3, sum(widths) - 0.3], gap="small")
    cols[1].page_link(CAREERS_PAGE, label=label, icon=":material/subdirectory_arrow_right:")


def numbered_as_text(labels: pd.Series) -> pd.Series:
    """Sub-goal labels for st.table, which reads its cells as Markdown: "1. Makt och inflytande" would
    become a numbered list whose number is not text."""
    return labels.str.replace(r"^(\d+)\. ", r"\1\\. ", regex=True)


def scorecard_table(df: pd.DataFrame, name: str, v: View) -> None:
    """One row per sub-goal and unit: status in colour, headline value against target, last year.

    An HTML table (st.table), not the data grid: it is read, not sorted, and its cells wrap, where
    the grid cut every department to "Institutionen f…" (its downloads serve whoever wants to sort)."""
    if df.empty:  # the unit's own rows are the card above: an empty table here means no sub-units
        st.info(t("no_subunits", v.lang, unit=v.unit_label))
        return
    shown = _scorecard_frame(df, v)
    sub_col = columns.label("scorecard", "subgoal", v.lang)
    shown[sub_col] = numbered_as_text(shown[sub_col])
    status_col = columns.label("scorecard", "status", v.lang)
    colours = df["status"].map(STATUS_COLOURS).fillna("")
    progress_col = columns.label("scorecard", "progress", v.lang)
    moved = df["progress"].map(PROGRESS_BACKGROUNDS).fillna("") if "progress" in df else colours.map(lambda _: "")
    styled = shown.style.hide(axis="index").apply(
        lambda _: [f"background-color: {c}" for c in colours], subset=[status_col]
    )
    if progress_col in shown:
        styled = styled.apply(lambda _: [f"background-color: {c}" if c else "" for c in moved], subset=[progress_col])
    st.table(styled)
    if (df["status"] == "no_data").any():
        st.caption(t("no_data_hint" if _access.may_import() else "no_data_hint_read_only", v.lang))
        import_link(v)
    if not v.present:
        downloads(df, file_name(name, v), "scorecard", v.lang)


def markdown_table(shown: pd.DataFrame) -> str:
    """A small table as Markdown, which st.markdown draws as an HTML table in Streamlit's own style:
    numbers at the right, a cell's "|" kept as text, an empty cell for a missing value."""

    def cell(x) -> str:
        return "" if pd.isna(x) else str(x).replace("|", "\\|").replace("\n", " ")

    right = [pd.api.types.is_numeric_dtype(shown[c]) or _numbers_as_text(shown[c]) for c in shown.columns]
    lines = ["| " + " | ".join(cell(c) for c in shown.columns) + " |"]
    lines.append("|" + "|".join("---:" if r else "---" for r in right) + "|")
    lines += ["| " + " | ".join(cell(x) for x in row) + " |" for row in shown.itertuples(index=False)]
    return "\n".join(lines)


# A number as columns.shown writes it in text cells: "12", "1 234", "6,9 %", "−3.5" (no-break and thin
# spaces between thousands, a decimal comma or point, a minus sign of either kind).
_NUMBER = re.compile(r"[−+-]?\d[\d \u00a0\u202f]*([.,]\d+)?( ?%)?")


def _numbers_as_text(column: pd.Series) -> bool:
    """Whether a column of text holds numbers only (the plan's counts are whole numbers in text cells)."""
    said = [str(x).strip() for x in column if not pd.isna(x) and str(x).strip()]
    return bool(said) and all(_NUMBER.fullmatch(x) for x in said)


def plan_progress(v: View) -> None:
    """The overview's line per sub-goal on the plan: its measures and their status (links to the Plan page)."""
    if v.year is None:
        return
    table = progress(data.connection().cursor(), v.filters.unit, v.year)
    if table.empty:
        return
    st.subheader(text("plan", "overview_plan", v.lang))
    # A Markdown table, neither the data grid nor st.table: six rows at most, read rather than sorted, and
    # on the overview's first screen, where the JavaScript of either (the grid's; st.table's Arrow
    # formatting, 0.8 MB) held back the headline chart below it
    # (docs/performance.md, "The plan's table in Markdown").
    st.markdown(markdown_table(columns.shown(table, "plan_progress", v.lang, page=True)))
    if not v.present:
        st.page_link("views/plan.py", label=t("page_plan", v.lang), icon=":material/checklist:")


# --- everything at once (the Export page) ----------------------------------------------------------


def workbook(v: View) -> bytes:
    """The workbook of every indicator (indicators/present/report.py), from this session's cached tables."""
    return report.workbook(data.connection(), v.filters, v.lang, compute=data.cached)


def html_report(v: View, when: dt.datetime | None = None) -> bytes:
    """The offline HTML report (indicators/present/report.py), charted with this page's context."""
    return report.html_report(data.connection(), v.filters, context(v), when or dt.datetime.now(), compute=data.cached)
