"""A self-contained HTML document (it opens offline): a title, a subtitle, and sections of text,
Plotly figures and tables. The report of every indicator (report.py) and the pay survey's record
(plan/workbook.py) are written with it. No Streamlit here.
"""

from __future__ import annotations

import html

import pandas as pd

from . import charts


def report_html(
    title: str, subtitle: str, sections: list[tuple[str, str, list, pd.DataFrame | None]], lang: str = "en"
) -> str:
    """A self-contained HTML report (opens offline): plotly.js inlined once, tables as plain HTML.

    sections: (heading, text, figures (a list, possibly empty), display table or None), in the
    order given (the pages' order). Text and tables are escaped.
    """
    # A section's figures: a list, or one figure, or None (the pay survey's sections have none).
    sections = [
        (h, x, [] if f is None else list(f) if isinstance(f, (list, tuple)) else [f], tb) for h, x, f, tb in sections
    ]
    fragments = iter(charts.common.to_html([fig for s in sections for fig in s[2]]))
    parts = [f"<h1>{html.escape(title)}</h1><p class='sub'>{html.escape(subtitle)}</p>"]
    for heading, text, figures, table in sections:
        parts.append(f"<section><h2>{html.escape(heading)}</h2>")
        if text:
            parts.append(f"<p>{html.escape(text)}</p>")
        for _ in figures:
            parts.append(next(fragments))
        if table is not None and not table.empty:
            # in a box of its own that scrolls sideways: a wide table made the whole page 1 817 px wide
            parts.append(
                "<div class='scroll'>"
                + table.to_html(index=False, escape=True, na_rep="–", border=0, classes="t")
                + "</div>"
            )
        parts.append("</section>")
    style = (
        "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#222}"
        "h1{font-size:1.8rem}h2{font-size:1.3rem;margin-top:2.5rem}.sub{color:#555}"
        "table.t{border-collapse:collapse;font-size:.85rem;margin:1rem 0}"
        "table.t th,table.t td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:right}"
        "table.t th:first-child,table.t td:first-child{text-align:left}"
        ".scroll{overflow-x:auto;max-width:100%}"
    )
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body>{''.join(parts)}</body></html>"
    )
