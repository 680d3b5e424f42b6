"""The view: what the sidebar's filters choose (unit, year, range, positions, measure, presentation
mode, language), kept in the URL so that a copied link reopens the same view on any page.

The URL is read and written with `st.query_params` and nothing else. Each value comes from the link,
else from what this session chose last (Streamlit drops the query when the navigation changes page),
else its default, and goes back into the URL. Defaults stay out of the URL, except the year: a copied
link must keep naming the year it showed even after a newer year has been imported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from indicators.catalogue import LANGS, texts, word
from indicators.protect import registry
from indicators.store import database
from indicators.store import years as yearsmod
from indicators.store.schema import POSITION_CATEGORIES
from views import _access
from views._data import _coverage, batch, db_path, lang, unit_name, unit_names, unit_tree

t = texts("app")

URL_KEYS = ("lang", "unit", "year", "years", "pos", "etype", "measure", "present", "pay")
EMPLOYMENT_TYPES = ("permanent", "temporary")


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
    def shown_years(self) -> set[int]:
        """The years the view's figures come from: its year, the year before (the change since last
        year) and its trend range."""
        if self.year is None:
            return set()
        f = self.filters
        first = min(f.year_from if f.year_from is not None else self.year, self.year - 1)
        return set(range(first, max(f.year_to if f.year_to is not None else self.year, self.year) + 1))

    @property
    def unit_label(self) -> str:
        return unit_name(self.filters.unit, self.lang)

    @property
    def year(self):
        return self.filters.year


# --- the URL ---------------------------------------------------------------------------------------


def url(key: str) -> str:
    """The link's value of `key`, else the one this session chose last, else ""."""
    value = st.query_params.get(key)
    if value is not None:
        st.session_state[f"_url_{key}"] = value
        return value
    return st.session_state.get(f"_url_{key}", "")


def set_url(key: str, value: str) -> None:
    """`key` becomes `value` in the URL and in the session; "" (the default) leaves the URL."""
    st.session_state[f"_url_{key}"] = value
    if value:
        if st.query_params.get(key) != value:
            st.query_params[key] = value
    elif key in st.query_params:
        del st.query_params[key]


def _picked(pick: str, key: str, to_url) -> None:
    """A widget's callback: its value, in its URL form, into the URL."""
    set_url(key, to_url(st.session_state[pick]))


def _pick_year() -> None:
    set_url("year", str(st.session_state["year_pick"]))
    st.session_state.pop("_notice_year", None)  # the visitor has chosen: the link's year is history


def _url_year(years: list[int], default: int, lng: str) -> int:
    """The year of the link, else the session's, else the default. An unknown year in the link is
    said, not silently replaced, on every run until the visitor chooses a year."""
    given = url("year")
    if given.strip().isdigit() and int(given) in years:
        return int(given)
    if given:
        st.session_state["_notice_year"] = t(
            "unknown_year_url", lng, year=given, first=years[0], last=years[-1], shown=default
        )
    return default


def _url_span(years: list[int]) -> tuple[int, int]:
    """The range of the link ("2018-2025"), clipped to the years with data; the whole span otherwise."""
    first, _, last = url("years").partition("-")
    try:
        lo, hi = int(first), int(last)
    except ValueError:
        return years[0], years[-1]
    lo, hi = max(min(lo, hi), years[0]), min(max(lo, hi), years[-1])
    return (lo, hi) if lo <= hi else (years[0], years[-1])


# --- the view, then the sidebar ---------------------------------------------------------------------
#
# The view is read from the link and the session (`read_view`) before the sidebar's filters show it
# (`sidebar`): a filter's change puts its choice into the URL, and the rerun reads it, so what the
# widgets return is never needed. That lets a session's first screen hold the filters back until the
# browser has drawn its first chart (app.py; docs/performance.md, "The filters after the first chart").


@dataclass(frozen=True)
class _Units:
    """The unit filter's options: every unit in tree order, its depth, and the single root (if any)."""

    options: list[str]
    depth: dict[str, int]
    root: str | None


def _units() -> _Units:
    tree = unit_tree()
    roots = [u for u, d in tree if d == 0]
    root = roots[0] if len(roots) == 1 else None
    # With a single root unit the whole organisation is that unit: it is the first option, and no
    # second option repeats its numbers under another name.
    units = [u for u, _ in tree]
    return _Units(units if root else ["", *units], dict(tree), root)


def read_view() -> View:
    """The view that the link and this session choose (unit, year, range, positions, measure,
    presentation, language, exact figures), written back into the URL and the widgets' state; draws
    nothing."""
    chosen_lang = url("lang")
    lng = chosen_lang if chosen_lang in LANGS else "sv"
    st.session_state["_lang"] = lng
    st.session_state["lang_pick"] = lng
    units = _units()
    current = url("unit")
    notices = []
    if current and current not in units.depth:
        # An unknown unit in the link: said, and the whole organisation shown; the unit stays in the
        # link (and the warning on every page) until another unit is chosen, so a copied link still
        # says what it asked for (docs/decisions.md, "Decisions where the design was silent").
        shown = unit_names(lng)[units.root] if units.root else t("whole_org", lng)
        notices.append(t("unknown_unit_url", lng, unit=current, shown=shown))
        current = ""
    current = current or units.root or ""
    st.session_state["unit_pick"] = current
    cov = _coverage(db_path(), batch(), current or database.ALL_UNITS)
    years = list(cov)
    year = default = None
    span = (None, None)
    if years:
        default = yearsmod.default_year(cov)
        year = _url_year(years, default, lng)
        if "_notice_year" in st.session_state:
            notices.append(st.session_state["_notice_year"])
        set_url("year", str(year))
        st.session_state["year_pick"] = year
        span = _url_span(years)
    positions = tuple(p for p in url("pos").split(",") if p in POSITION_CATEGORIES)
    exact = _access.exact_chosen()
    if exact:  # exact figures may be for any set of positions
        st.session_state["pos_pick"] = list(positions)
    else:
        # Protected figures are for one position or for all (privacy.one_position_or_all), so the
        # choice is one: a link naming several says so and shows all.
        if len(positions) > 1:
            notices.append(t("positions_widened", lng))
            positions = ()
        st.session_state["pos_one"] = positions[0] if positions else ""
    measure = "fte" if url("measure") == "fte" else "headcount"
    st.session_state["measure_pick"] = measure
    present = url("present") == "1"
    st.session_state["present_pick"] = present
    for key in URL_KEYS:  # what this session chose goes back into the URL after a change of page
        if key != "year":
            set_url(key, url(key))
    f = registry.Filters(
        unit=current or database.ALL_UNITS,
        year=year,
        year_from=span[0],
        year_to=span[1],
        positions=positions,
        measure=measure,
        exact=exact,
    )
    view = View(f, lng, present, years, cov.get(year), default, tuple(notices))
    st.session_state["_view"] = view
    return view


def sidebar(v: View, p) -> None:
    """The global filters (call inside `with st.sidebar`), showing the view `read_view` chose, and the
    employment type where page `p` offers it (employment_filter). Each puts its choice into the URL,
    and the rerun reads it."""
    lng = v.lang
    st.radio(
        t("language", lng),
        LANGS,
        key="lang_pick",
        horizontal=True,
        on_change=_picked,
        args=("lang_pick", "lang", lambda x: "" if x == "sv" else x),
    )
    st.header(t("filters", lng))
    units = _units()
    names = unit_names(lng)
    st.selectbox(
        t("unit", lng),
        units.options,
        key="unit_pick",
        format_func=lambda u: t("whole_org", lng) if not u else "\u2003" * units.depth.get(u, 0) + names.get(u, u),
        on_change=_picked,
        args=("unit_pick", "unit", lambda x: "" if x in ("", units.root) else x),
    )
    years = v.years
    if years:
        cov = _coverage(db_path(), batch(), v.filters.unit)
        st.selectbox(
            t("year", lng),
            years,
            key="year_pick",
            on_change=_pick_year,
            format_func=lambda y: f"{y}{t('partial_mark', lng)}" if cov[y].partial else str(y),
        )
        if len(years) > 1:
            st.select_slider(
                t("years", lng),
                years,
                value=(v.filters.year_from, v.filters.year_to),
                key="years_pick",
                on_change=_picked,
                args=("years_pick", "years", lambda x: "" if tuple(x) == (years[0], years[-1]) else f"{x[0]}-{x[1]}"),
            )
    if v.filters.exact:
        # Exact figures may be for any set of positions. No "Select all" (Streamlit's own English
        # text, not translatable): all positions is the placeholder, what choosing none means.
        st.multiselect(
            t("positions", lng),
            POSITION_CATEGORIES,
            key="pos_pick",
            placeholder=t("positions_all", lng),
            format_func=lambda x: word("vocabularies", "position", x, lng),
            select_all=False,
            on_change=_picked,
            args=("pos_pick", "pos", lambda x: ",".join(x)),
        )
    else:
        _one_or_all(
            t("positions", lng), POSITION_CATEGORIES, "pos_one", "pos", "position", t("positions_all", lng), lng
        )
    if p is not None and p.by_employment:  # under the positions
        all_types = t("careers:employment_all", lng)
        _one_or_all(
            t("careers:employment_type", lng), EMPLOYMENT_TYPES, "etype_pick", "etype", "choice", all_types, lng
        )
    st.radio(
        t("measure", lng),
        ("headcount", "fte"),
        key="measure_pick",
        format_func=lambda m: t(m, lng),
        on_change=_picked,
        args=("measure_pick", "measure", lambda x: "fte" if x == "fte" else ""),
    )
    st.toggle(
        t("present", lng),
        key="present_pick",
        on_change=_picked,
        args=("present_pick", "present", lambda x: "1" if x else ""),
    )
    _access.exact_switch(lng)
    st.caption(t("copy_link", lng))


def _one_or_all(label: str, choices, key: str, url_key: str, vocabulary: str, all_label: str, lng: str) -> None:
    """A filter of one choice or all ("" in the URL), each choice named from the vocabulary."""
    st.selectbox(
        label,
        ("", *choices),
        key=key,
        format_func=lambda x: word("vocabularies", vocabulary, x, lng) if x else all_label,
        on_change=_picked,
        args=(key, url_key, lambda x: x),
    )


def employment_filter(p) -> View:
    """The view with the employment type, on a page whose declaration offers it (pages.Page.by_employment:
    the pages that count staff rows; `sidebar` draws its filter there). Elsewhere the filters carry
    none, while the link keeps the choice for the next page that offers it."""
    v = view()
    chosen = url("etype")
    chosen = chosen if chosen in EMPLOYMENT_TYPES else ""
    if p is None or not p.by_employment:
        return v
    st.session_state["etype_pick"] = chosen
    v = replace(v, filters=v.filters.with_(employment_type=chosen or None))
    st.session_state["_view"] = v
    return v


def view() -> View:
    v = st.session_state.get("_view")
    return v if v is not None else View(registry.Filters(), lang(), False, [])


def leave_presentation() -> None:
    set_url("present", "")


def style(present: bool) -> None:
    """CSS: a page link's label wraps (the scorecard's long sub-goal names were cut with "…"); the
    scorecard's cells (views/_draw.cells_line) stand side by side as columns;
    presentation mode hides the chrome and enlarges type (the root's: 1rem is 21.6 px there, so the
    band's sizes below are fractions of it: the filters 18 px, the notes 16 px)."""
    # Streamlit's Markdown breaks a word anywhere when it does not fit ("Medianlöneskill|nad"): words
    # break only where they may (spaces, hyphens, soft hyphens), and the layout gives them room.
    st.html("""<style>
        [data-testid="stMain"] [data-testid="stMarkdownContainer"], [data-testid="stMain"] [data-testid="stMarkdownContainer"] * ,
        [data-testid="stMain"] [data-testid="stTable"] td, [data-testid="stMain"] [data-testid="stTable"] th
            {overflow-wrap: normal !important; word-break: normal !important; hyphens: manual !important}
        [data-testid="stMain"] [data-testid="stTable"] {overflow-x: auto}
        [data-testid="stMain"] span.balans-cell {display: inline-block; vertical-align: middle;
            padding-right: 0.5rem; box-sizing: border-box}
        [data-testid="stMain"] span.balans-badge {display: inline-block; vertical-align: middle; white-space: nowrap;
            font-size: 0.875rem; line-height: 1.6; padding: 0 4px; margin: 0 1px; border-radius: 4px}
        [data-testid="stMain"] span.balans-icon {font-family: "Material Symbols Rounded"; font-weight: 400;
            vertical-align: bottom; user-select: none; white-space: nowrap}
        [data-testid="stMain"] [data-testid="stPageLink-NavLink"] span,
        [data-testid="stMain"] [data-testid="stPageLink-NavLink"] p {white-space: normal !important;
            overflow: visible !important; text-overflow: clip !important}
        </style>""")
    if not present:
        return
    st.html("""<style>
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
        [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebarNav"],
        [data-testid="stExpandSidebarButton"], footer {display:none !important}
        .block-container, [data-testid="stMainBlockContainer"] {max-width:100% !important; padding:0.6rem 2rem 1rem !important}
        html, body, [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {font-size:1.35rem !important}
        h1 {font-size:1.5rem !important; padding:0 !important; line-height:1.2 !important}
        h2, h3 {font-size:2.1rem !important}
        [data-testid="stMain"] [data-testid="stBaseButton-secondary"] p {font-size:0.8rem !important}
        /* the band: title, filters, protection note (and the demo note) in a few compact lines */
        p.balans-filters {font-size:0.85rem !important; color:#444; margin:-0.4rem 0 0 !important}
        p.balans-note, [data-testid="stCaptionContainer"] p.balans-note {font-size:0.75rem !important; color:#666; margin:0 !important}
        </style>""")
