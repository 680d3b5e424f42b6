"""The app's shared widgets: the database connection, the global filters, cached indicator tables,
tables with their download buttons, charts, and `page(id)`, which draws a page from its declaration
(indicators/pages.py). The only Streamlit module besides app.py and the pages in views/.

Filters live in the URL so that a copied link reopens the same view on any page. Values whose URL
form should not depend on the language (unit codes, position codes, present=1) are held by hidden
text inputs bound to the URL; the visible widgets show them in the chosen language and write back
through their callbacks. Year and language are bound directly (their labels are their values).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from indicators import charts, export, goals, i18n, pages, registry, settings, snapshot, store, writer, years as yearsmod
from indicators.i18n import t
from indicators.schema import POSITION_CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
HIDDEN_KEYS = ("unit", "pos", "measure", "present")


# --- data ------------------------------------------------------------------------------------------

def db_path() -> str:
    return str(store.default_db_path())


@st.cache_resource(show_spinner=False)
def _reader(path: str) -> snapshot.Reader:
    # One reader per process: it holds the newest published snapshot read-only and moves to a newer
    # one at the next query after a publish; sessions share it, each query on a cursor of its own.
    return snapshot.Reader(path)


def _connection(path: str, generation: int | None = None):
    """The read-only connection to that generation's snapshot while it is open, else to the newest."""
    return _reader(path).connection(generation)


def open_snapshot() -> int:
    """Called at the top of every run (app.py): the newest published snapshot becomes the one this
    run reads, from its first query to its last, so that a publish during a run never mixes two
    snapshots on one page. Raises StoreError when nothing can be read (a damaged database)."""
    generation, _ = _reader(db_path()).newest()
    st.session_state["_generation"] = generation
    return generation


def connection():
    return _connection(db_path(), batch())


def newest():
    """The newest published snapshot, whatever this run reads (after a write of this run's own)."""
    return _reader(db_path()).newest()[1]


def write(command: str, fn):
    """fn(con) on the store under the writer lock (writer.writing), then published; its result, or
    None after an error message: another writer (the command line, another session) held the lock
    longer than BALANS_WRITE_WAIT, or the store cannot be written."""
    try:
        with writer.writing(db_path(), f"the Balans app: {command}") as con:
            return fn(con)
    except writer.WriterBusy as e:
        st.error(t("writer_busy", lang(), **e.fields))
    except store.StoreError as e:
        st.error(str(e))
    return None


def indicators() -> dict:
    # Not cached: when a source file changes, Streamlit's watcher reloads the package, and only
    # the freshly imported registry knows the indicators (imports are cheap once in sys.modules).
    return registry.load_all()


def batch() -> int:
    """Part of every cache key: the generation of the snapshot this run reads (open_snapshot), a
    number that grows with every published change, so a new import or removal shows at once."""
    try:
        generation = st.session_state.get("_generation")
    except Exception:  # outside a script run (a deferred download): the newest
        generation = None
    return generation if generation is not None else _reader(db_path()).generation()


@st.cache_data(show_spinner=False, max_entries=5000)
def _compute(indicator_id: str, filters: registry.Filters, path: str, batch_key: int) -> pd.DataFrame:
    return registry.compute(_connection(path, batch_key), indicator_id, filters)


def compute(indicator_id: str, filters: registry.Filters) -> pd.DataFrame | None:
    """The suppressed table, or None (after an info box) when the indicator is not available."""
    if indicator_id not in indicators():
        st.info(t("not_available", lang(), id=indicator_id))
        return None
    try:
        return _compute(indicator_id, filters, db_path(), batch())
    except Exception as e:  # an indicator bug must not take the page down; say which one failed
        st.warning(t("failed", lang(), id=indicator_id, error=str(e).splitlines()[0] if str(e) else type(e).__name__))
        return None


def prefetch(page: pages.Page, filters: registry.Filters) -> None:
    """Compute everything the page shows (`page.computes`, from its declaration) side by side
    (registry.side_by_side) into the cache, so that its sections, drawn one after another, find it
    there. A failure is left for its section to report."""
    available = indicators()
    path, key, ctx = db_path(), batch(), get_script_run_ctx()

    def one(source: str) -> None:
        add_script_run_ctx(threading.current_thread(), ctx)  # st.cache_data belongs to this session's run
        try:
            if source.startswith(pages.GOALS):
                _goals_call(source.removeprefix(pages.GOALS), filters, path, key)
            elif source in available:
                _compute(source, filters, path, key)
        except Exception:
            pass

    registry.side_by_side(one, page.computes)


@st.cache_data(show_spinner=False, max_entries=2000)
def _goals_call(function: str, filters: registry.Filters, path: str, batch_key: int) -> pd.DataFrame:
    # pages.compute gives it a cursor of its own: sessions and prefetches run in threads
    return pages.compute(_connection(path, batch_key), pages.Section(pages.GOALS + function), filters)


def scorecard(function: str, filters: registry.Filters) -> pd.DataFrame | None:
    """goals.scorecard, scorecard_units or scorecard_overview, cached like the indicators."""
    try:
        return _goals_call(function, filters, db_path(), batch())
    except Exception as e:
        st.warning(t("failed", lang(), id=f"goals.{function}", error=str(e).splitlines()[0] if str(e) else type(e).__name__))
        return None


@st.cache_data(show_spinner=False)
def _units(path: str, batch_key: int) -> pd.DataFrame:
    cur = _connection(path, batch_key).cursor()
    return cur.execute("SELECT unit, parent_unit, name_sv, name_en FROM units").df()


@st.cache_data(show_spinner=False)
def _coverage(path: str, batch_key: int, unit: str) -> dict[int, yearsmod.YearCoverage]:
    """The years and which are partial for the unit (indicators.years)."""
    cur = _connection(path, batch_key).cursor()
    try:
        return yearsmod.coverage(cur, unit)
    finally:
        cur.close()


def has_data() -> bool:
    cur = connection().cursor()
    return store.has_data(cur) or store.has_data(cur, "committees")


def unit_tree() -> list[tuple[str, int]]:
    """(unit, depth) in tree order: university, then each school followed by its departments."""
    units = _units(db_path(), batch())
    children: dict[str | None, list[str]] = {}
    known = set(units["unit"])
    for u, p in zip(units["unit"], units["parent_unit"]):
        children.setdefault(p if isinstance(p, str) and p in known else None, []).append(u)
    out: list[tuple[str, int]] = []

    def walk(parent, depth):
        for u in sorted(children.get(parent, [])):
            if depth < 20:
                out.append((u, depth))
                walk(u, depth + 1)
    walk(None, 0)
    return out


def unit_name(code: str, lng: str | None = None) -> str:
    """The unit's name in the language where the units sheet gives one, else its code."""
    lng = lng or lang()
    if not code or code == store.ALL_UNITS:
        return t("whole_org", lng)
    units = _units(db_path(), batch())
    row = units[units["unit"] == code]
    if row.empty:
        return code
    name = row.iloc[0]["name_sv" if lng == "sv" else "name_en"]
    other = row.iloc[0]["name_en" if lng == "sv" else "name_sv"]
    return name if isinstance(name, str) and name else other if isinstance(other, str) and other else code


def unit_names(lng: str | None = None) -> dict[str, str]:
    return {u: unit_name(u, lng) for u, _ in unit_tree()}


def k_of(indicator_id: str) -> int:
    indicators()
    return pages.k_of(indicator_id)


# --- the view: filters, language, presentation -----------------------------------------------------

@dataclass(frozen=True)
class View:
    filters: registry.Filters
    lang: str
    present: bool
    years: list[int]
    coverage: yearsmod.YearCoverage | None = None  # of the chosen year for the chosen unit
    default_year: int | None = None  # the latest complete year for the unit
    notices: tuple[str, ...] = ()  # what was wrong with the link (an unknown unit or year), to show

    @property
    def partial(self) -> bool:
        return self.coverage is not None and self.coverage.partial

    @property
    def year_label(self) -> str:
        """The year as titles show it: marked when it is partial."""
        if self.year is None:
            return ""
        return f"{self.year}{t('partial_mark', self.lang)}" if self.partial else str(self.year)

    @property
    def unit_label(self) -> str:
        return unit_name(self.filters.unit, self.lang)

    @property
    def year(self):
        return self.filters.year


def lang() -> str:
    value = st.session_state.get("lang")
    return value if value in i18n.LANGS else "sv"


def _sync(pick: str, hidden: str, to_url) -> None:
    st.session_state[hidden] = to_url(st.session_state[pick])


def _pick_year() -> None:
    year = st.session_state["year_pick"]
    st.session_state["_year"] = year
    st.query_params["year"] = str(year)
    st.session_state.pop("_notice_year", None)


def _url_year(years: list[int], default: int, lng: str) -> int:
    """The year of the link, else the one this session chose, else the default; and into the URL.

    The year is kept in the URL by hand, not by binding the selectbox to it: Streamlit leaves a bound
    widget's default value out of the URL, and a copied link must keep naming the year it showed even
    after a newer year has been imported. An unknown year in the link is said, not silently replaced.
    """
    url = st.query_params.get("year")
    chosen = st.session_state.get("_year")
    if url:
        year = int(url) if url.strip().isdigit() and int(url) in years else None
        if year is None:
            year = chosen if chosen in years else default
            st.session_state["_notice_year"] = t("unknown_year_url", lng, year=url, first=years[0], last=years[-1],
                                                 shown=year)
    else:
        year = chosen if chosen in years else default
    st.session_state["_year"] = year
    if st.query_params.get("year") != str(year):
        st.query_params["year"] = str(year)
    return year


def filters_sidebar() -> View:
    """Render the global filters (call inside `with st.sidebar`) and return the view they choose."""
    for key in HIDDEN_KEYS:  # the URL-bound state; hidden by CSS (see style())
        st.text_input(key, key=key, bind="query-params", label_visibility="collapsed")
    st.radio(t("language", lang()), i18n.LANGS, key="lang", bind="query-params", horizontal=True)
    lng = lang()
    st.header(t("filters", lng))
    units = [u for u, _ in unit_tree()]
    depth = dict(unit_tree())
    options = ["", *units]
    current = st.session_state.get("unit") or ""
    notices = []
    if current not in options:  # an unknown unit in the link: say so, show the whole organisation
        notices.append(t("unknown_unit_url", lng, unit=current, shown=t("whole_org", lng)))
        current = ""
    st.session_state["unit_pick"] = current
    names = unit_names(lng)
    st.selectbox(t("unit", lng), options, key="unit_pick",
                 format_func=lambda u: t("whole_org", lng) if not u else "\u2003" * depth.get(u, 0) + names.get(u, u),
                 on_change=_sync, args=("unit_pick", "unit", lambda v: v or ""))
    cov = _coverage(db_path(), batch(), current or store.ALL_UNITS)
    years = list(cov)
    year = default = None
    if years:
        default = yearsmod.default_year(cov)
        year = _url_year(years, default, lng)
        st.session_state["year_pick"] = year
        st.selectbox(t("year", lng), years, key="year_pick", on_change=_pick_year,
                     format_func=lambda y: f"{y}{t('partial_mark', lng)}" if cov[y].partial else str(y))
        if "_notice_year" in st.session_state:
            notices.append(st.session_state["_notice_year"])
        if len(years) > 1:
            st.select_slider(t("years", lng), years, value=(years[0], years[-1]), key="years", bind="query-params")
    span = st.session_state.get("years") or ((years[0], years[-1]) if years else (None, None))
    chosen = tuple(p for p in (st.session_state.get("pos") or "").split(",") if p in POSITION_CATEGORIES)
    st.session_state["pos_pick"] = list(chosen)
    st.multiselect(t("positions", lng), POSITION_CATEGORIES, key="pos_pick", placeholder=t("positions_all", lng),
                   format_func=lambda p: i18n.position(p, lng),
                   on_change=_sync, args=("pos_pick", "pos", lambda v: ",".join(v)))
    measure = "fte" if st.session_state.get("measure") == "fte" else "headcount"
    st.session_state["measure_pick"] = measure
    st.radio(t("measure", lng), ("headcount", "fte"), key="measure_pick", format_func=lambda m: t(m, lng),
             on_change=_sync, args=("measure_pick", "measure", lambda v: "fte" if v == "fte" else ""))
    present = st.session_state.get("present") == "1"
    st.session_state["present_pick"] = present
    st.toggle(t("present", lng), key="present_pick",
              on_change=_sync, args=("present_pick", "present", lambda v: "1" if v else ""))
    exact = exact_figures(lng)
    st.caption(t("copy_link", lng))
    f = registry.Filters(unit=current or store.ALL_UNITS, year=year, year_from=span[0], year_to=span[1],
                         positions=chosen, measure=measure, exact=exact)
    view = View(f, lng, present, years, cov.get(year), default, tuple(notices))
    st.session_state["_view"] = view
    return view


def is_admin() -> bool:
    """Whether this session is an administrator's (access.py): signed in as one, or past the passphrase."""
    policy = st.session_state.get("_policy")
    if policy is None or policy.mode == "cli_only":
        return False
    if policy.mode == "sign_in":
        return policy.may_change(email=getattr(st.user, "email", None))
    return bool(st.session_state.get("_admin"))


def exact_figures(lng: str) -> bool:
    """The sidebar's switch to exact figures, for administrators only (README, "Who sees what").

    Never in the URL: a copied link always opens the protected figures, whoever opens it. With a
    passphrase installation an administrator who has not yet given it can give it here."""
    policy = st.session_state.get("_policy")
    if is_admin():
        return bool(st.toggle(t("exact_toggle", lng), key="exact_pick", help=t("exact_help", lng)))
    if policy is not None and policy.mode == "passphrase":
        with st.expander(t("exact_toggle", lng)):
            attempt = st.text_input(t("exact_passphrase", lng), type="password", key="exact_passphrase")
            if attempt and policy.may_change(passphrase=attempt):
                st.session_state["_admin"] = True
                st.rerun()
            elif attempt:
                st.error(t("wrong_passphrase", lng))
    return False


def view() -> View:
    v = st.session_state.get("_view")
    return v if v is not None else View(registry.Filters(), lang(), False, [])


def leave_presentation() -> None:
    st.session_state["present"] = ""


def style(present: bool) -> None:
    """CSS: the URL-state inputs are never shown; presentation mode hides the chrome, enlarges type."""
    css = ",".join(f".st-key-{k}" for k in HIDDEN_KEYS) + "{display:none !important}"
    if present:
        css += """
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
        [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebarNav"],
        [data-testid="stExpandSidebarButton"], footer {display:none !important}
        .block-container, [data-testid="stMainBlockContainer"] {max-width:100% !important; padding:1rem 2rem !important}
        html, body, [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {font-size:1.35rem !important}
        h1 {font-size:2.8rem !important} h2, h3 {font-size:2.1rem !important}
        """
    st.html(f"<style>{css}</style>")


# --- rendering -------------------------------------------------------------------------------------

def chart(fig, name: str = "balans") -> None:
    """A Plotly chart full width, its toolbar's PNG at slide resolution (3x)."""
    if fig is None:
        return
    v = view()
    if v.present:
        fig.update_layout(font={"size": 20}, title_font={"size": 30})
    if v.filters.exact:
        mark_exact(fig, v.lang)
    st.plotly_chart(fig, width="stretch", config={
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "scale": 3, "filename": name}})


def mark_exact(fig, lng: str) -> None:
    """Exact figures say so on the chart itself (and in its saved PNG)."""
    title = fig.layout.title.text or ""
    fig.update_layout(title_text=f"{title} · {t('exact_mark', lng).upper()}" if title else t("exact_mark", lng).upper())


def display_table(df: pd.DataFrame, lng: str, k: int) -> pd.DataFrame:
    """The table as shown: numbers in the language's format, hidden rows say why, headers translated."""
    out = pd.DataFrame(index=df.index)
    hidden = df["suppressed"].astype(bool) if "suppressed" in df else pd.Series(False, index=df.index)
    for col in df.columns:
        if col == "suppressed":
            continue
        s = df[col]
        if col == "position":
            out[col] = s.map(lambda p: i18n.position(p, lng))
        elif col == "stage":
            out[col] = s.map(lambda p: i18n.stage(p, lng))
        elif col in ("level", "measure", "category") and not pd.api.types.is_numeric_dtype(s):
            word = {"level": i18n.level, "measure": i18n.measure, "category": i18n.category}[col]
            out[col] = s.map(lambda p, word=word: word(p, lng))
        elif col == "body_type":
            out[col] = s.map(lambda p: i18n.body_type(p, lng))
        elif col == "status":
            out[col] = s.map(lambda p: i18n.status(p, lng))
        elif col == "year" or col.endswith("_id") or col == "batch_id":
            out[col] = s.map(lambda v: "" if pd.isna(v) else str(int(v)) if not isinstance(v, str) else v)
        elif pd.api.types.is_bool_dtype(s) or str(s.dtype) == "boolean":
            out[col] = s.map(lambda v: "–" if pd.isna(v) else ("✓" if v else "✗"))
        elif pd.api.types.is_numeric_dtype(s):
            if col.startswith(i18n.SHARE_LIKE) or col.endswith("_share"):
                out[col] = s.map(lambda v: i18n.percent(v, lng, 1))
            elif pd.api.types.is_integer_dtype(s) or (s.dropna() % 1 == 0).all():
                out[col] = s.map(lambda v: i18n.number(v, lng, 0))
            else:
                out[col] = s.map(lambda v: i18n.number(v, lng, 2))
        else:
            out[col] = s.map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    if hidden.any():
        out[t("hidden", lng)] = hidden.map(lambda h: t("hidden_reason", lng, k=k) if h else "")
    out.columns = [i18n.column(c, lng) if c in df.columns else c for c in out.columns]
    return out


def downloads(df: pd.DataFrame, name: str, lng: str | None = None) -> None:
    """CSV (UTF-8 with BOM), Swedish CSV and xlsx of exactly the table shown (suppression applied)."""
    lng = lng or lang()
    c1, c2, c3 = st.columns(3)
    c1.download_button(t("download_csv", lng), lambda: export.to_csv(df), f"{name}.csv", "text/csv",
                       key=f"dl_csv_{name}", on_click="ignore", icon=":material/download:")
    c2.download_button(t("download_csv_sv", lng), lambda: export.to_csv(df, swedish=True), f"{name}_sv.csv",
                       "text/csv", key=f"dl_csvsv_{name}", on_click="ignore", icon=":material/download:")
    c3.download_button(t("download_xlsx", lng), lambda: export.to_xlsx({name: df}), f"{name}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"dl_xlsx_{name}", on_click="ignore", icon=":material/download:")


def table(df: pd.DataFrame, name: str, k: int = 5, lng: str | None = None) -> None:
    lng = lng or lang()
    if df is None:
        return
    hidden = int(df["suppressed"].astype(bool).sum()) if "suppressed" in df else 0
    if hidden:
        st.caption(t("hidden_rows", lng, n=hidden, k=k))
    st.dataframe(display_table(df, lng, k), hide_index=True, width="stretch")
    if not view().present:
        downloads(df, name, lng)


def file_name(indicator_id: str, v: View) -> str:
    unit = "all" if v.filters.unit == store.ALL_UNITS else v.filters.unit
    name = f"{indicator_id}_{unit}_{v.year or ''}".rstrip("_")
    return f"{name}_{t('exact_file', v.lang)}" if v.filters.exact else name


def section(indicator_id: str, v: View, draw=None, filters: registry.Filters | None = None,
            heading: str | None = None, after_chart=None, caption: str | None = None) -> pd.DataFrame | None:
    """One indicator: heading, its chart (draw(df) -> figure or None), its table and downloads.

    after_chart(df), when given, renders what must be read with the chart (a caution, a second chart).

    Returns the table (None when the indicator is absent) so a page can add to it.
    """
    ind = indicators().get(indicator_id)
    st.subheader(heading or (ind.title(v.lang) if ind else indicator_id))
    if caption:
        st.caption(caption)
    df = compute(indicator_id, filters or v.filters)
    if df is None:
        return None
    if df.empty:
        st.info(t("no_rows", v.lang, unit=v.unit_label, year=v.year or ""))
        return df
    k = k_of(indicator_id)
    fig = None
    if draw is not None:
        try:
            fig = draw(df)
        except Exception as e:  # a chart bug must not take the page down; the table still shows
            st.warning(t("chart_failed", v.lang, id=indicator_id, error=f"{type(e).__name__}: {e}"))
    chart(fig, indicator_id)
    if draw is not None and fig is None:  # everything hidden or nothing to draw: say so, open the table
        st.caption(t("no_chart", v.lang))
    if after_chart is not None:
        after_chart(df)
    if v.present:
        return df
    with st.expander(t("about", v.lang)):
        st.write(ind.description(v.lang))
        st.caption(f"{t('source', v.lang)}: {ind.source}")
    with st.expander(t("table", v.lang), expanded=fig is None):
        table(df, file_name(indicator_id, v), k, v.lang)
    return df


def empty_state(v: View) -> bool:
    """When nothing is imported: say what to do next, and stop the page (never an empty chart)."""
    if has_data():
        return False
    st.info(t("no_data", v.lang))
    st.page_link(IMPORT_PAGE, label=t("go_import", v.lang), icon=":material/upload:")
    return True


@st.cache_data(show_spinner=False)
def _targets(path: str, batch_key: int, unit: str, year: int | None) -> tuple:
    from indicators import plan
    return plan.chart_targets(_connection(path, batch_key).cursor(), unit, year)


def context(v: View) -> charts.Context:
    """What every chart is told about the view (k is set per section), with the unit's own targets."""
    return charts.Context(lang=v.lang, unit=v.unit_label, names=unit_names(v.lang), year=v.year,
                          positions=v.filters.positions, present=v.present,
                          year_mark=t("partial_mark", v.lang) if v.partial else "",
                          targets=_targets(db_path(), batch(), v.filters.unit, v.year))


def page(page_id: str) -> None:
    """A page as pages.py declares it: the header, everything it shows computed side by side, then
    each section in order. The page's year governs every section (pages.governed)."""
    p = pages.page(page_id)
    v = view()
    page_header(p.title, v)
    if empty_state(v):
        return
    f = pages.governed(v.filters)
    prefetch(p, f)
    if p.intro:
        st.caption(t(p.intro, v.lang))
    ctx = context(v)
    for s in p.sections:
        draw_section(s, v, f, ctx)


def draw_section(s: pages.Section, v: View, f: registry.Filters, ctx: charts.Context) -> None:
    """One declared section: a scorecard's rows, or an indicator with its charts, notes and table."""
    heading = s.title(v.lang, v.unit_label, v.year_label)  # a partial year is marked as in the page title
    caption = t(s.caption, v.lang, unit=v.unit_label, year=v.year_label) if s.caption else None
    if s.is_scorecard:
        st.subheader(heading)
        if caption:
            st.caption(caption)
        df = scorecard(s.function, f)
        if df is None:
            return
        own = df["unit"] == f.unit
        if s.show == "scorecard_units":
            scorecard_table(df[~own].reset_index(drop=True), "scorecard_units", v)
        else:
            scorecard_rows(df[own].drop(columns="unit").reset_index(drop=True), "scorecard", v)
            plan_progress(v)  # each sub-goal's measures on the plan, under the card
        return
    c = ctx.with_(k=k_of(s.source))

    def more(df: pd.DataFrame) -> None:
        for i, extra in enumerate(s.charts[1:], start=2):
            try:
                chart(extra(df, c), f"{s.source}_{i}")
            except Exception as e:  # a chart bug must not take the page down
                st.warning(t("chart_failed", v.lang, id=s.source, error=f"{type(e).__name__}: {e}"))
        for level, text in (s.notes(df, c) if s.notes is not None else ()):
            (st.warning if level == "warning" else st.caption)(text)

    section(s.source, v, (lambda df: s.charts[0](df, c)) if s.charts else None, filters=f, heading=heading,
            after_chart=more, caption=caption)
    if s.download is not None and not v.present:
        d = s.download
        st.download_button(d.label, lambda: d.make(connection(), f), file_name(d.file, v) + ".xlsx",
                           key=f"dl_{d.file}", on_click="ignore", icon=":material/download:")


def page_header(key: str, v: View) -> None:
    if v.present:
        st.button(t("exit_present", v.lang), on_click=leave_presentation, icon=":material/close_fullscreen:")
    st.title(f"{t(key, v.lang)} – {v.unit_label}" + (f", {v.year_label}" if v.year else ""))
    partial_warning(v)
    if v.filters.exact:
        st.error(t("exact_banner", v.lang), icon=":material/lock:")
    else:
        st.caption(t("protected_note", v.lang))


def partial_warning(v: View) -> None:
    """Under a title: the year rests on part of the unit's organisation, which units are missing."""
    if not v.partial:
        return
    c = v.coverage
    names = unit_names(v.lang)
    shown = ", ".join(names.get(u, u) for u in c.missing[:12]) + (" …" if len(c.missing) > 12 else "")
    key = "partial_warning_one" if len(c.missing) == 1 else "partial_warning"
    st.warning(t(key, v.lang, year=v.year, unit=v.unit_label, n=len(c.missing), previous=c.previous, units=shown,
                 default=v.default_year), icon=":material/rule:")


STATUS_COLOURS = {"met": "#CCEBE3", "not_met": "#F6D5C2", "no_data": "#EEEEEE", "hidden": "#EEEEEE"}
STATUS_BADGES = {"met": ("green", ":material/check_circle:"), "not_met": ("red", ":material/error:"),
                 "no_data": ("gray", ":material/help:"), "hidden": ("gray", ":material/visibility_off:")}
IMPORT_PAGE = pages.page("import").file


def subgoal_page(indicator_id) -> str | None:
    """The page a scorecard row opens: the one its headline indicator lives on (pages.home)."""
    home = pages.home(indicator_id) if isinstance(indicator_id, str) else None
    return home.file if home is not None else None


def _format_value(value, indicator_id, target, lng: str) -> str:
    """A headline value as its target reads: pay gaps are already percent, other targets in % are shares."""
    if isinstance(value, str):
        return value
    ind = indicators().get(indicator_id) if isinstance(indicator_id, str) else None
    if ind is not None and ind.unit_of_measure == "percent":
        return i18n.pct_points(value, lng)
    if isinstance(target, str) and "%" in target:  # a ratio (sick leave women/men) has a plain target
        return i18n.percent(value, lng)
    return i18n.number(value, lng, 2)


def _scorecard_frame(df: pd.DataFrame, v: View) -> pd.DataFrame:
    shown = pd.DataFrame(index=df.index)
    if "unit" in df:
        shown[i18n.column("unit", v.lang)] = df["unit"].map(lambda u: unit_name(u, v.lang))
    shown[i18n.column("subgoal", v.lang)] = df["subgoal"].astype(str) + ". " + df["title_sv" if v.lang == "sv" else "title_en"].astype(str)
    shown[i18n.column("status", v.lang)] = df["status"].map(lambda s: i18n.status(s, v.lang))
    for col in ("value", "target", "previous"):
        if col in df:
            shown[i18n.column(col, v.lang)] = [goals.target_text(_format_value(x, i, g, v.lang), v.lang)
                                               for x, i, g in zip(df[col], df["indicator"], df["target"])]
    if "direction" in df:
        arrows = {"up": "↑", "down": "↓", "same": "→", "flat": "→"}
        shown[i18n.column("direction", v.lang)] = df["direction"].map(lambda d: arrows.get(d, "" if pd.isna(d) else str(d)))
    shown[i18n.column("indicator", v.lang)] = df["indicator"].map(
        lambda i: indicators()[i].title(v.lang) if i in indicators() else ("" if pd.isna(i) else str(i)))
    return shown


def scorecard_rows(df: pd.DataFrame, name: str, v: View) -> None:
    """The six sub-goals, one row each: the sub-goal links to its page (to Import when there are no data),
    its status as a coloured badge, the headline value against the target, last year and the direction."""
    if df.empty:
        st.info(t("no_rows", v.lang, unit=v.unit_label, year=v.year or ""))
        return
    shown = _scorecard_frame(df, v)
    widths = [4, 1.3, 0.9, 1, 0.9, 0.8, 2.6]
    heads = [i18n.column(c, v.lang) for c in ("subgoal", "status", "value", "target", "previous", "direction", "indicator")]
    for col, head in zip(st.columns(widths), heads):
        col.markdown(f"**{head}**")
    for (i, row), (_, text) in zip(df.iterrows(), shown.iterrows()):
        cols = st.columns(widths, vertical_alignment="center")
        status = row["status"]
        page = IMPORT_PAGE if status == "no_data" else subgoal_page(row["indicator"])
        label = text[i18n.column("subgoal", v.lang)]
        if page is not None:
            cols[0].page_link(page, label=label, icon=":material/arrow_forward:" if status != "no_data" else ":material/upload:")
        else:
            cols[0].write(label)
        colour, icon = STATUS_BADGES.get(status, ("gray", None))
        cols[1].badge(text[i18n.column("status", v.lang)], color=colour, icon=icon)
        for c, key in zip(cols[2:], ("value", "target", "previous", "direction", "indicator")):
            c.write(str(text.get(i18n.column(key, v.lang), "")))
    if (df["status"] == "no_data").any():
        st.caption(t("no_data_hint", v.lang))
    if not v.present:
        downloads(df, file_name(name, v), v.lang)


def scorecard_table(df: pd.DataFrame, name: str, v: View) -> None:
    """One row per sub-goal and unit: status in colour, headline value against target, last year."""
    if df.empty:
        st.info(t("no_rows", v.lang, unit=v.unit_label, year=v.year or ""))
        return
    shown = _scorecard_frame(df, v)
    status_col = i18n.column("status", v.lang)
    colours = df["status"].map(STATUS_COLOURS).fillna("")
    styled = shown.style.apply(lambda _: [f"background-color: {c}" for c in colours], subset=[status_col])
    st.dataframe(styled, hide_index=True, width="stretch")
    if (df["status"] == "no_data").any():
        st.caption(t("no_data_hint", v.lang))
        if not v.present:
            st.page_link(IMPORT_PAGE, label=t("go_import", v.lang), icon=":material/upload:")
    if not v.present:
        downloads(df, file_name(name, v), v.lang)


# --- exports of everything -------------------------------------------------------------------------

def all_tables(f: registry.Filters) -> list[tuple[pages.Section, pd.DataFrame]]:
    """Every indicator's table in page order (pages.report_sections); those that fail are left out."""
    indicators()
    out = []
    for s in pages.report_sections():
        try:
            out.append((s, _compute(s.source, f, db_path(), batch())))
        except Exception:  # noqa: BLE001 - one broken indicator must not stop the export of the rest
            continue
    return out


def plan_table(v: View) -> pd.DataFrame:
    """The unit's plan for the year (with its sub-units), as the Plan page lists it."""
    from indicators import plan
    year = v.year or max(v.years, default=None)
    if year is None:
        return pd.DataFrame()
    return plan.plan_view(connection().cursor(), v.filters.unit, year).drop(columns=["updated_at", "updated_by"])


def workbook(v: View) -> bytes:
    """One sheet per indicator, in page order, each named by its title on the page; then the plan."""
    tables = all_tables(pages.governed(v.filters))
    names = export.sheet_names([s.title(v.lang) for s, _ in tables] + [t("page_plan", v.lang)])
    sheets = dict(zip(names, [*(df for _, df in tables), plan_table(v)]))
    if v.filters.exact:  # the first sheet says what the workbook is
        sheets = {t("exact_file", v.lang): pd.DataFrame({t("exact_mark", v.lang): [t("exact_banner", v.lang)]}), **sheets}
    return export.to_xlsx(sheets)


def report(v: View, when) -> bytes:
    """The offline HTML report: every indicator in page order, titled and charted as on its page."""
    ctx = context(v)
    sections = []
    for s, df in all_tables(pages.governed(v.filters)):
        c = ctx.with_(k=k_of(s.source))
        figures = []
        for draw in (s.charts if not df.empty else ()):
            try:
                fig = draw(df, c)
            except Exception:  # noqa: BLE001 - the table still goes in
                fig = None
            if fig is not None and v.filters.exact:
                mark_exact(fig, v.lang)
            if fig is not None:
                figures.append(fig)
        sections.append((s.title(v.lang, v.unit_label, v.year), indicators()[s.source].description(v.lang), figures,
                         display_table(df, v.lang, c.k) if not df.empty else None))
    from indicators import plan
    measures = plan_table(v)
    if not measures.empty:
        shown = measures[["unit", "subgoal", "title_sv", "responsible", "deadline", "status", "indicator",
                          "value_now", "target_value", "target_year"]].rename(columns={"title_sv": "title"})
        sections.append((t("page_plan", v.lang), plan.t("plan_intro", v.lang, unit=v.unit_label, year=v.year),
                         [], plan.display(shown, v.lang)))
    title = t("report_title", v.lang, unit=v.unit_label, year=v.year_label)
    if v.filters.exact:
        title += f" – {t('exact_mark', v.lang)}"
    sub = t("report_generated", v.lang, when=f"{when:%Y-%m-%d %H:%M}")
    sub += " · " + (t("exact_banner", v.lang) if v.filters.exact else t("protected_note", v.lang))
    if store.has_synthetic(connection().cursor()):
        sub += " · " + t("demo_banner", v.lang)
    return charts.report_html(title, sub, sections, v.lang).encode("utf-8")


def may_change(lng: str) -> bool:
    """Whether this session may import, remove and load the demo (access.py decides; README)."""
    policy = st.session_state.get("_policy")
    if policy is None or policy.mode == "cli_only":
        st.info(t("cli_only", lng))
        return False
    if policy.mode == "sign_in":
        ok = policy.may_change(email=getattr(st.user, "email", None))
        if not ok:
            st.info(t("not_admin", lng))
        return ok
    if st.session_state.get("_admin"):
        return True
    attempt = st.text_input(t("passphrase", lng), type="password", key="passphrase")
    if attempt:
        if policy.may_change(passphrase=attempt):
            st.session_state["_admin"] = True
            return True
        st.error(t("wrong_passphrase", lng))
    return False


def plan_progress(v: View) -> None:
    """The overview's line per sub-goal on the plan: its measures and their status (links to the Plan page)."""
    from indicators import plan
    if v.year is None:
        return
    progress = plan.progress(connection().cursor(), v.filters.unit, v.year)
    if progress.empty:
        return
    st.subheader(plan.t("overview_plan", v.lang))
    shown = pd.DataFrame({
        i18n.column("subgoal", v.lang): [f"{s}. {registry.SUBGOALS[int(s)][0 if v.lang == 'sv' else 1]}"
                                         for s in progress["subgoal"]],
        **{plan.column_label(c, v.lang): progress[c] for c in ("measures", "done", "in_progress", "planned",
                                                               "dropped", "overdue")}})
    st.dataframe(shown, hide_index=True, width="stretch")
    if not v.present:
        st.page_link("views/plan.py", label=t("page_plan", v.lang), icon=":material/checklist:")
