"""Plotly figures for the pages and the HTML report, by area. No Streamlit here.

Every figure: one palette for women / men / other (Okabe and Ito's colour-blind-safe set, the same
order as chartCategoricalColors in .streamlit/config.toml), a title that states the finding rather
than naming the chart, counts in the hover, hidden (suppressed) values marked with the reason, and
the 40–60 % band shaded wherever a share of women is plotted. A function returns None when there is
nothing to draw, so that a page shows a message instead of an empty chart.

Every chart a page draws has one signature, `(df, ctx) -> Figure | None`: the indicator's table and
the `Context` of the page (language, unit, the page's year, k, ...), so that the page declaration
(pages.py) can name a chart without saying how to call it (`charts.representation.trend`). The year
heading the page governs every title: a trend ends at that year (`_until`), and its finding speaks of
that year or, when that year's value is hidden or missing, names the chart for the unit and the year
instead of quoting another year.

common: the context, the palette, the layout every chart shares (and presentation mode's type), the
pieces several areas draw (women and men as lines or bars, hidden years); then one module per area:
representation, education, care_health_safety, recruitment, pay, pay_transparency (the job
evaluation), pay_findings (presentation mode's findings of pay's tables), careers.
"""

from . import (  # noqa: F401  the areas, as charts.<area>.<chart> (common first: every area draws with it)
    care_health_safety,
    careers,
    common,
    education,
    pay,
    pay_findings,
    pay_transparency,
    recruitment,
    representation,
)
