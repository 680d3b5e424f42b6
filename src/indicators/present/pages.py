"""Every page of the app, declared once: what it is called, where it lives, and what it shows, in order.

The app's navigation (app.py), each page (views/<id>.py calls `page(id)` of views/_draw.py), what a page computes
side by side before it draws (`Page.computes`), the workbook's sheets and the HTML report's sections
(`report_sections`, in page order and titled as on the page), the benchmark (bench/run.py) and the
tests all read this one list, so a section added here is drawn, prefetched, exported, measured and
tested without being written anywhere else. No Streamlit here.

A section is one table: a registered indicator (`registry.REGISTRY`) or a function of goals.py
(written "goals.<name>", the overview's scorecard), with the charts drawn from it, each
`(df, charts.common.Context) -> Figure | None`, and what goes with it (a caption, notes beside the chart,
an extra download).

The year heading a page governs everything on it (`governed`): the trends end at that year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from .. import settings
from ..catalogue import texts
from ..catalogue.numbers import number
from ..protect import privacy, registry
from ..subgoals import goals
from . import art9, charts
from .charts.common import Context

t = texts("app")  # the pages' titles, headings and intros: catalogue/app.toml (another book's as "<book>:<key>")

Chart = Callable[[pd.DataFrame, Context], object]
Notes = Callable[[pd.DataFrame, Context], list[tuple[str, str]]]
GOALS = "goals."


@dataclass(frozen=True)
class Download:
    """A file of its own beside a section's table: `make(connection, filters, lang) -> bytes`, in the
    page's language, named `<file>_<unit>_<year>.xlsx` like the table's downloads; label: its button's
    app.toml key."""

    label: str
    make: Callable[..., bytes]
    file: str


@dataclass(frozen=True)
class Section:
    """One table on a page and what is drawn from it.

    source: an indicator id, or "goals.<function>" for a scorecard.
    charts: drawn in order under the heading (the first is the section's chart; with none, the table opens).
    heading: app.toml key of the heading, filled with {unit} and {year}; None: the indicator's title.
    caption: app.toml key of a caption under the heading, filled the same way.
    notes: (df, ctx) -> [(level, text)] said beside the charts, level "warning" or "caption".
    download: a further file beside the table (the EU directive's art. 9 report).
    show: how the table is shown: "table" (with its downloads), "scorecard" (the unit's six rows,
        each leading to its page) or "scorecard_units" (its sub-units' rows).
    home: False when the section repeats another page's (the overview's headline chart): every
        indicator has exactly one home, where the workbook and the report take it from.
    slide: what presentation mode shows of it (docs/guide.md, "How the pages look"): None, the section's
        charts (a section without charts, or whose charts draw nothing, is left out: never a bare
        heading); () leaves it out; a scorecard shows its rows, "scorecard_units" its grid.
    """

    source: str
    charts: tuple[Chart, ...] = ()
    heading: str | None = None
    caption: str | None = None
    notes: Notes | None = None
    download: Download | None = None
    show: str = "table"
    home: bool = True
    slide: tuple[Chart, ...] | None = None
    # why: (df, ctx) -> the app.toml key that says why its chart draws nothing, when the section can tell
    # better than "too few persons" (Duncan's index with one position chosen); None: the general words.
    why: Callable[[pd.DataFrame, Context], str | None] | None = None
    # why_closes: that reason is the whole finding (nobody recruited; one position chosen), so the table
    # stays closed: open, it would be a table of zeros above the next chart. Otherwise a chart that draws
    # nothing opens its table, which shows what there is.
    why_closes: bool = False

    @property
    def is_scorecard(self) -> bool:
        return self.source.startswith(GOALS)

    @property
    def slides(self) -> tuple[Chart, ...]:
        """The charts presentation mode draws for the section (`slide`, else its charts)."""
        return self.charts if self.slide is None else self.slide

    @property
    def function(self) -> str:
        """The goals.py function of a scorecard section."""
        return self.source.removeprefix(GOALS)

    def title(self, lang: str, unit: str = "", year=None) -> str:
        """The heading as the page shows it."""
        if self.heading is not None:
            return t(self.heading, lang, unit=unit, year=year if year is not None else "")
        ind = registry.REGISTRY.get(self.source)
        return ind.title(lang) if ind is not None else self.source


@dataclass(frozen=True)
class Page:
    """One page: id (its file is views/<id>.py), URL path (kept stable: links are shared), a
    Material icon, the app.toml key of its title, the key of its group in the navigation ("" for
    the top), a key of a caption under the header, and its sections in order. Pages without
    sections (import, export, method) are drawn by their own file."""

    id: str
    path: str
    icon: str
    title: str
    nav: str
    sections: tuple[Section, ...] = ()
    intro: str | None = None
    # The sidebar offers the employment type (permanent / fixed-term) on this page: its tables count staff
    # rows, which carry it. Elsewhere it would mean nothing, and is neither shown nor applied.
    by_employment: bool = False
    # A choice the page offers above its sections, kept in the URL: "pay" (the measure of pay, Filters.pay).
    chooser: str | None = None
    # Presentation mode opens with this section (its headline chart on the first screen), then the
    # others in order: the overview's headline chart before its scorecard.
    lead: int = 0

    @property
    def file(self) -> str:
        return f"views/{self.id}.py"

    def slides(self) -> list[Section]:
        """The sections in presentation mode's order: the lead first, then the rest as declared."""
        return (
            [self.sections[self.lead], *(s for i, s in enumerate(self.sections) if i != self.lead)]
            if self.sections
            else []
        )

    @property
    def computes(self) -> list[str]:
        """What the page computes, each once, in the order drawn: its prefetch."""
        return list(dict.fromkeys(s.source for s in self.sections))


def _simpson(df: pd.DataFrame, ctx: Context) -> list[tuple[str, str]]:
    # Said every time, beside the chart: the roll-up alone can reverse what each sub-unit shows.
    found = [("warning", t("simpson_found", ctx.lang))] if charts.recruitment.simpson(df) else []
    return found + [("caption", t("simpson_note", ctx.lang))]


def _tilt(df: pd.DataFrame, ctx: Context) -> list[tuple[str, str]]:
    """Said beside the factor plan's weights when a criterion outweighs working conditions (evaluation.py)."""
    if df.empty or "tilted" not in df or not df["tilted"].astype("boolean").fillna(False).any():
        return []
    ratio = float(settings.goals()["pay"].get("weight_tilt_ratio", 3.0))
    return [("warning", t("pay:weights_tilted", ctx.lang, ratio=number(ratio, ctx.lang)))]


def _no_index(df: pd.DataFrame, ctx: Context) -> str | None:
    # The glass ceiling index has no value where no woman is in grade A (its note says so in the table):
    # the reason, not "too few persons".
    if df.empty or "gci" not in df or "note" not in df:
        return None
    shown = ~df["suppressed"].astype(bool) if "suppressed" in df else pd.Series(True, index=df.index)
    undefined = df["note"].notna() & pd.to_numeric(df["gci"], errors="coerce").isna()
    return "gci_no_index" if shown.any() and bool(undefined[shown].all()) else None


def _nobody_promoted(df: pd.DataFrame, ctx: Context) -> str | None:
    # The time before promotion is of the people promoted; where none of the year's promotions can be
    # shown (none, or too few), the table still shows who waits.
    years = ["promoted_years_women", "promoted_years_men"]
    if df.empty or not set(years) <= set(df.columns):
        return None
    return "careers:nobody_promoted_shown" if df[years].isna().all().all() else None


def _nobody_recruited(df: pd.DataFrame, ctx: Context) -> str | None:
    # A unit that recruited no professor in the period (every year's published total 0, none hidden):
    # "too few persons" would say that some were, and are hidden.
    if df.empty or "total" not in df:
        return None
    totals = pd.to_numeric(df["total"], errors="coerce")
    return "careers:no_new_professors" if totals.notna().all() and (totals == 0).all() else None


def _one_position(df: pd.DataFrame, ctx: Context) -> str | None:
    # Duncan's index compares how women and men spread over positions: one position chosen leaves one
    # category, and D is 0 by construction, whatever the numbers.
    one = len(ctx.positions) == 1 or ("categories" in df and not df.empty and bool((df["categories"] <= 1).all()))
    return "segregation_one_position" if one else None


PAGES: tuple[Page, ...] = (
    Page(
        "overview",
        "overview",
        ":material/dashboard:",
        "page_overview",
        "",
        (
            Section("goals.scorecard_overview", heading="scorecard", caption="scorecard_intro", show="scorecard"),
            Section("representation", (charts.representation.representation,), heading="headline", home=False),
            Section("goals.scorecard_overview", heading="scorecard_units", show="scorecard_units"),
        ),
        lead=1,
    ),
    # The unit's plan and the pay survey's record (views/plan.py draws it: editors, not sections).
    Page("plan", "plan", ":material/checklist:", "page_plan", ""),
    Page(
        "representation",
        "representation",
        ":material/groups:",
        "page_representation",
        "nav_subgoals",
        (
            Section("representation", (charts.representation.representation,)),
            Section("representation_units", (charts.representation.units,)),
            Section("representation_trend", (charts.representation.trend,)),
            Section("pipeline", (charts.representation.pipeline,)),
            Section("glass_ceiling", (charts.representation.gci,), why=_no_index),
            Section("segregation", (charts.representation.segregation,), why=_one_position, why_closes=True),
            Section("managers", (charts.representation.managers,)),
        ),
        by_employment=True,
    ),
    # Careers (issue 24): flows from one year to the next, the newly recruited professors against the
    # target, and the country beside the unit.
    Page(
        "careers",
        "careers",
        ":material/trending_up:",
        "careers:page_careers",
        "nav_subgoals",
        (
            Section("new_professors", (charts.careers.new_professors,), why=_nobody_recruited, why_closes=True),
            Section("career_transitions", (charts.careers.transitions,)),
            Section("career_flows", (charts.careers.rates,)),
            Section("promotion_waiting", (charts.careers.waiting,), why=_nobody_promoted),
            Section("contract_types", (charts.careers.contracts,)),
            Section("national_benchmarks", caption="careers:benchmarks_shipped", slide=()),  # a table: not a slide
        ),
        intro="careers:careers_intro",
        by_employment=True,
    ),
    # A sub-goal's page opens with its headline (goals.HEADLINES): the figure the overview's card shows.
    Page(
        "committees",
        "committees",
        ":material/gavel:",
        "page_committees",
        "nav_subgoals",
        (
            Section("committee_summary", (charts.representation.committee_trend,)),
            Section("committee_bodies", (charts.representation.bodies,)),
        ),
        intro="committees_intro",
    ),
    Page(
        "pay",
        "pay",
        ":material/payments:",
        "page_pay",
        "nav_subgoals",
        (
            Section("pay_gap", (charts.pay.pay_gap,)),
            Section("pay_gap_trend", (charts.pay.pay_trend,)),
            Section("equal_work", (charts.pay_findings.equal_work,)),
            # tables for the pay survey's analysis: left out of presentation mode (slide=())
            Section("equal_value", slide=()),
            Section("equal_value_pairs", slide=()),
            Section("pay_quartiles", (charts.representation.quartiles,)),
            Section("salary_distribution", (charts.pay.salary_distribution,)),
            Section(
                "pay_transparency",
                (charts.pay_findings.art9,),
                download=Download("art9_download", art9.pay_transparency_xlsx, "pay_transparency_report"),
            ),
            Section("job_value", (charts.pay_transparency.job_value,)),
            Section("factor_weights", (charts.pay_transparency.factor_weights,), notes=_tilt),
            # an input of a joint pay assessment (art. 10) for HR, not a meeting's finding: out of presentation mode
            Section("raise_after_leave", slide=()),
            Section("adjusted_gap", (charts.pay_findings.adjusted_gap,)),
        ),
        intro="pay_intro",
        by_employment=True,
        chooser="pay",
    ),
    Page(
        "recruitment",
        "recruitment",
        ":material/person_search:",
        "page_recruitment",
        "nav_subgoals",
        (
            Section("recruitment_funnel", (charts.recruitment.funnel,), notes=_simpson),
            Section("promotions", (charts.recruitment.promotions,)),
        ),
        intro="recruitment_intro",
    ),
    Page(
        "education",
        "education",
        ":material/school:",
        "page_education",
        "nav_subgoals",
        (
            Section("students_trend", (charts.education.students_trend,)),
            Section("students", (charts.education.students,)),
            Section("completion", (charts.education.completion,)),
        ),
        intro="education_intro",
    ),
    Page(
        "care",
        "care",
        ":material/family_restroom:",
        "page_care",
        "nav_subgoals",
        (Section("care_leave", (charts.care_health_safety.care_shares, charts.care_health_safety.care_days)),),
        intro="care_intro",
    ),
    Page(
        "health",
        "health",
        ":material/healing:",
        "page_health",
        "nav_subgoals",
        (Section("sick_leave", (charts.care_health_safety.sick_leave,)),),
        intro="health_intro",
    ),
    Page(
        "safety",
        "safety",
        ":material/shield:",
        "page_safety",
        "nav_subgoals",
        (Section("incidents", (charts.care_health_safety.incidents,)),),
        intro="safety_intro",
    ),
    # HR's documents of Directive 2023/970 (views/transparency.py draws it: administrators, exact figures).
    Page("transparency", "pay-transparency", ":material/balance:", "pay:page_transparency", "nav_data"),
    Page("import", "import", ":material/upload:", "page_import", "nav_data"),
    Page("export", "export", ":material/download:", "page_export", "nav_data"),
    Page("method", "method", ":material/menu_book:", "page_method", "nav_data"),
)
BY_ID: dict[str, Page] = {p.id: p for p in PAGES}
# Registered indicators that no page shows, only the workbook, the report and `export` (none today).
EXPORT_ONLY: tuple[str, ...] = ()


def page(page_id: str) -> Page:
    return BY_ID[page_id]


def at_path(url_path: str) -> Page | None:
    """The page that answers at a URL path ("" and "start": the overview, the default page)."""
    if url_path in ("", "start"):
        return PAGES[0]
    return next((p for p in PAGES if p.path == url_path), None)


def navigation() -> list[tuple[str, list[Page]]]:
    """The pages grouped as the navigation shows them: (app.toml key of the group, pages), in order."""
    groups: dict[str, list[Page]] = {}
    for p in PAGES:
        groups.setdefault(p.nav, []).append(p)
    return list(groups.items())


def home(indicator_id: str) -> Page | None:
    """The page an indicator lives on (where a scorecard row about it leads)."""
    return next((p for p in PAGES for s in p.sections if s.home and s.source == indicator_id), None)


def report_sections() -> list[Section]:
    """Every indicator once, in page order (its home section), then the export-only ones: the
    workbook's sheets and the report's sections."""
    out = [s for p in PAGES for s in p.sections if s.home and not s.is_scorecard]
    return out + [Section(i) for i in EXPORT_ONLY]


def k_of(indicator_id: str) -> int:
    """The k below which the indicator's groups are hidden (goals.toml), for the "hidden" reason."""
    ind = registry.REGISTRY.get(indicator_id)
    return settings.k_anonymity(ind.k_setting if ind is not None else "k")


def widened(p: Page, f: registry.Filters) -> bool:
    """True when a table of the page, or a scorecard's headline on it (the pay gap), shows all
    positions instead of the several chosen (privacy.one_position_or_all: salary figures); the page
    says so (app.toml's "positions_widened")."""
    sources = [s.source for s in p.sections if not s.is_scorecard]
    if any(s.is_scorecard for s in p.sections):
        sources += [h.indicator for h in goals.HEADLINES.values()]
    return any(privacy.widened(registry.REGISTRY[i].protection, f) for i in sources if i in registry.REGISTRY)


def governed(f: registry.Filters) -> registry.Filters:
    """The filters a page computes with: its trends run from the start of the year range (or the
    first year with data) to the year heading the page, never past it and never stopping short of
    it, so every finding on a page is about that year. Without a chosen year the filters are
    unchanged. `python -m indicators export` applies it too, so it writes the page's table."""
    if f.year is None:
        return f
    start = None if f.year_from is None else min(f.year_from, f.year)
    return f.with_(year_from=start, year_to=f.year)


def compute(con, section: Section, filters: registry.Filters) -> pd.DataFrame:
    """The section's table, as the page computes it (indicators protected by registry.compute)."""
    if section.is_scorecard:  # on the connection itself (its cells), its own queries on cursors (goals._rows)
        return getattr(goals, section.function)(con, filters)
    return registry.compute(con, section.source, filters)


def in_memory(con, source: str, filters: registry.Filters) -> bool:
    """Whether the section's table is read from memory (registry.in_memory; a scorecard never is): what
    registry.side_by_side computes on the calling thread."""
    return not source.startswith(GOALS) and source in registry.REGISTRY and registry.in_memory(con, source, filters)
