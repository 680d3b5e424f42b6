"""The overview's grid (issue 22): the sub-units down, the six sub-goals across, each cell the status of
that sub-goal for that unit (met / not met / hidden / no data) in colour and in a sign, its value in the
cell and its value, target and status on hover, each cell a link to the sub-goal's page for that unit, in
the same view (year, language, presentation mode). Rows of the sub-units' scorecard (goals.py) as one
picture; the table stays under it for whoever reads or downloads it.

An HTML table, not a chart: every cell is a link that the browser follows, which a Plotly heatmap's
cells are not.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from indicators.catalogue import texts, word
from indicators.present import columns, pages
from views._filters import View

t = texts("app")

NBSP = "\u00a0"
STATUS_CELLS = {
    "met": ("#CCEBE3", "✓"),
    "not_met": ("#F6D5C2", "✗"),
    "hidden": ("#E4E4E4", "·"),
    "no_data": ("#F7F7F7", ""),
}


def _link(indicator, unit: str, v: View) -> str | None:
    """The sub-goal's page (its headline indicator's home, pages.home) for `unit`, in this view."""
    home = pages.home(indicator) if isinstance(indicator, str) else None
    if home is None:
        return None
    query = {
        "unit": unit,
        **({"year": v.year} if v.year is not None else {}),
        **({"lang": v.lang} if v.lang != "sv" else {}),
        **({"present": "1"} if v.present else {}),
    }
    return f"{home.path}?{urlencode(query)}"


def grid(df: pd.DataFrame, v: View, names: dict[str, str]) -> None:
    """The sub-units × sub-goals grid of the scorecard's rows `df` (goals.scorecard_overview without the
    unit's own rows)."""
    if df.empty:
        return
    shown = columns.shown(df, "scorecard", v.lang, names=names)
    value_col, target_col = (columns.label("scorecard", c, v.lang) for c in ("value", "target"))
    subgoals = sorted(set(df["subgoal"]))
    units = list(dict.fromkeys(df["unit"]))
    cells: dict[tuple[str, int], str] = {}
    for (_, r), (_, s) in zip(df.iterrows(), shown.iterrows()):
        colour, sign = STATUS_CELLS.get(r["status"], STATUS_CELLS["no_data"])
        status = word("subgoals", "status", r["status"], v.lang)
        value = s[value_col] if r["status"] in ("met", "not_met") else status
        unit = names.get(r["unit"], r["unit"])
        hover = (
            f"{unit} · {columns.word(columns.declared('scorecard', 'subgoal'), r['subgoal'], v.lang)}: "
            f"{s[value_col]} ({t('grid_target', v.lang)} {s[target_col]}) – {status}"
        )
        body = f"{sign}{NBSP}{html.escape(str(value))}" if sign else html.escape(str(value))
        href = _link(r["indicator"], r["unit"], v)
        inner = f'<a href="{html.escape(href)}" target="_self">{body}</a>' if href else body
        cells[(r["unit"], r["subgoal"])] = f'<td style="background:{colour}" title="{html.escape(hover)}">{inner}</td>'
    head = "".join(
        f"<th>{html.escape(columns.word(columns.declared('scorecard', 'subgoal'), g, v.lang))}</th>" for g in subgoals
    )
    rows = "".join(
        f"<tr><th>{html.escape(names.get(u, u))}</th>"
        + "".join(cells.get((u, g), "<td></td>") for g in subgoals)
        + "</tr>"
        for u in units
    )
    legend = " · ".join(
        f'<span style="background:{c};padding:0 .4em">{s or NBSP}</span>{NBSP}'
        f"{html.escape(word('subgoals', 'status', k, v.lang))}"
        for k, (c, s) in STATUS_CELLS.items()
    )
    st.html(f"""<style>
      table.balans-grid {{border-collapse:separate;border-spacing:3px;width:100%;table-layout:fixed;font-size:.9rem}}
      table.balans-grid th {{font-weight:600;font-size:.8rem;text-align:left;vertical-align:bottom;padding:.2rem .3rem;
          overflow-wrap:normal;hyphens:manual}}
      table.balans-grid td {{text-align:center;padding:.35rem .2rem;border-radius:4px;white-space:nowrap}}
      table.balans-grid td a {{color:#222;text-decoration:none;display:block}}
      table.balans-grid th:first-child {{width:20%}}
      p.balans-grid-legend {{font-size:.85rem;color:#555}}
      </style>
      <table class="balans-grid"><thead><tr><th></th>{head}</tr></thead><tbody>{rows}</tbody></table>
      <p class="balans-grid-legend">{legend} · {html.escape(t("grid_hint", v.lang))}</p>""")
