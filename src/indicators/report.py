"""Everything at once, out of the app: the workbook (one sheet per indicator) and the offline HTML
report (every indicator titled and charted as on its page), for one unit and year. No Streamlit here:
the Export page and `python -m indicators export workbook|report` make the same files.

Both follow the page declaration (pages.report_sections): each indicator once, at its home page, in
page order, titled as there; then the unit's plan. The page's year governs (pages.governed).
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

import pandas as pd

from .catalogue import text, texts
from .catalogue.phrases import synthetic_note
from .plan.followup import chart_targets, page_table, plan_view
from .present import charts, columns, export, pages
from .present.document import report_html
from .protect import privacy, registry
from .store import database, years
from .subgoals import benchmarks

t = texts("app")

Compute = Callable[[str, registry.Filters], pd.DataFrame]


def context(con, filters: registry.Filters, lang: str) -> charts.common.Context:
    """The chart context a page of this unit and year has (its name, sub-units' names, partial mark,
    own targets): what the command line's report is drawn with."""
    names = database.unit_names(con, lang)
    cov = years.coverage(con, filters.unit).get(filters.year) if filters.year is not None else None
    return charts.common.Context(
        lang=lang,
        unit=t("whole_org", lang) if filters.unit == database.ALL_UNITS else names.get(filters.unit, filters.unit),
        names=names,
        year=filters.year,
        positions=filters.positions,
        year_mark=t("partial_mark", lang) if cov is not None and cov.partial else "",
        targets=chart_targets(con, filters.unit, filters.year),
        national=benchmarks.references(con.cursor(), filters.year),
    )


def tables(con, filters: registry.Filters, compute: Compute | None = None) -> list[tuple[pages.Section, pd.DataFrame]]:
    """Every indicator's table in page order, computed with the page's filters (governed); one that
    fails is left out rather than stopping the rest. `compute(id, filters)` defaults to
    registry.compute (the app passes its cache, which holds the same protected tables)."""
    registry.load_all()
    compute = compute or (lambda source, f: registry.compute(con, source, f))
    f = pages.governed(filters)
    out = []
    for s in pages.report_sections():
        try:
            out.append((s, compute(s.source, f)))
        except Exception:
            continue
    return out


def plan_table(con, unit: str, year: int | None, lang: str) -> pd.DataFrame:
    """The unit's plan for the year (with its sub-units), as the Plan page lists it."""
    if year is None:
        return pd.DataFrame()
    return page_table(plan_view(con.cursor(), unit, year), lang)


def workbook(con, filters: registry.Filters, lang: str, compute: Compute | None = None) -> bytes:
    """One sheet per indicator, in page order, each named by its title on the page; then the plan.
    Exact figures say so on a first sheet of their own, and so do salary figures shown for all
    positions where several were chosen (privacy.one_position_or_all)."""
    found = tables(con, filters, compute)
    sheets = [(s.title(lang), df, s.source) for s, df in found]
    sheets.append((t("page_plan", lang), plan_table(con, filters.unit, filters.year, lang), "plan"))
    if filters.exact:
        sheets.insert(
            0, (t("exact_file", lang), pd.DataFrame({t("exact_mark", lang): [t("exact_banner", lang)]}), None)
        )
    elif any(privacy.widened(registry.REGISTRY[s.source].protection, filters) for s, _ in found):
        # salary figures for all positions, not the several chosen: a first sheet says so
        sheets.insert(
            0, (t("positions", lang), pd.DataFrame({t("positions", lang): [t("positions_widened", lang)]}), None)
        )
    return export.workbook(
        sheets, lang, {s.source: pages.k_of(s.source) for s, _ in found}, database.unit_names(con, lang)
    )


def mark_exact(fig, lang: str) -> None:
    """Exact figures say so on the chart itself (and in its saved PNG)."""
    title = fig.layout.title.text or ""
    fig.update_layout(
        title_text=f"{title} · {t('exact_mark', lang).upper()}" if title else t("exact_mark", lang).upper()
    )


def html_report(
    con, filters: registry.Filters, ctx: charts.common.Context, when: dt.datetime, compute: Compute | None = None
) -> bytes:
    """The offline HTML report: every indicator in page order, titled and charted as on its page,
    then the unit's plan. ctx is the page's chart context (language, unit name, year, targets)."""
    lang = ctx.lang
    names = database.unit_names(con, lang)
    sections = []
    for s, df in tables(con, filters, compute):
        c = ctx.with_(k=pages.k_of(s.source))
        figures = []
        for draw in s.charts if not df.empty else ():
            try:
                fig = draw(df, c)
            except Exception:
                fig = None
            if fig is not None and filters.exact:
                mark_exact(fig, lang)
            if fig is not None:
                figures.append(fig)
        about = registry.REGISTRY[s.source].description(lang)
        if privacy.widened(registry.REGISTRY[s.source].protection, pages.governed(filters)):
            about += " " + t("positions_widened", lang)
        sections.append(
            (
                s.title(lang, ctx.unit, ctx.shown_year),
                about,
                figures,
                columns.shown(df, s.source, lang, c.k, names) if not df.empty else None,
            )
        )
    measures = plan_table(con, filters.unit, filters.year, lang)
    if not measures.empty:
        sections.append(
            (
                t("page_plan", lang),
                text("plan", "plan_intro", lang, unit=ctx.unit, year=filters.year),
                [],
                columns.shown(measures, "plan", lang, names=names),
            )
        )
    title = t("report_title", lang, unit=ctx.unit, year=ctx.shown_year or "")
    if filters.exact:
        title += f" – {t('exact_mark', lang)}"
    sub = t("report_generated", lang, when=f"{when:%Y-%m-%d %H:%M}")
    sub += " · " + (t("exact_banner", lang) if filters.exact else t("protected_note", lang))
    note = synthetic_note(database.synthetic_years(con.cursor()), lang)  # which kinds and years are demo data
    if note:
        sub += " · " + note
    return report_html(title, sub, sections, lang).encode("utf-8")
