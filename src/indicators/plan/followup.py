"""Following the plan up: each measure beside its linked indicator's value and its target, the
measures by sub-goal and status, the unit's targets for the charts, and presentation mode's slide.

The Plan page, the overview, the HTML report and the workbook read these; every table goes through
columns.shown (columns.toml: "plan", "plan_progress").
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import plotly.graph_objects as go

from .. import settings
from ..catalogue import word
from ..present import charts, columns
from ..present.charts.common import Target
from ..protect import privacy, registry
from .links import PLAN_INDICATORS
from .records import measures
from .rules import as_date, empty


def progress(con, unit: str, year: int, sub_units: bool = True) -> pd.DataFrame:
    """Per sub-goal: how many measures, and how many planned / in progress / done / dropped / overdue.

    Overdue: the deadline has passed (before today) and the measure is neither done nor dropped.
    """
    return con.execute(
        """
        SELECT subgoal, count(*) AS measures,
               count(*) FILTER (WHERE status = 'planned') AS planned,
               count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
               count(*) FILTER (WHERE status = 'done') AS done,
               count(*) FILTER (WHERE status = 'dropped') AS dropped,
               count(*) FILTER (WHERE deadline < current_date AND status NOT IN ('done', 'dropped')) AS overdue
        FROM plan_measures
        WHERE year = $year AND ($unit = '*' OR unit = $unit
              OR ($sub AND unit IN (SELECT descendant FROM unit_tree WHERE ancestor = $unit)))
        GROUP BY subgoal ORDER BY subgoal""",
        {"unit": unit, "year": year, "sub": sub_units},
    ).df()


def indicator_value(con, unit: str, indicator: str, year: int) -> tuple[float | None, float | None]:
    """The linked indicator's value for the unit in `year` and in the year before (None when missing or
    hidden), read from the indicator's own (suppressed) trend table, as the scorecard reads it."""
    ind_id, column, pick = PLAN_INDICATORS[indicator]
    if ind_id not in registry.load_all():
        return None, None
    f = registry.Filters(unit=unit, year=year, year_from=year - 1, year_to=year)
    table = registry.compute(con, ind_id, f)
    out = []
    for y in (year, year - 1):
        rows = table[table["year"] == y] if "year" in table else table
        for c, v in pick.items():
            if c in rows:
                rows = rows[rows[c] == v]
        if "unit" in rows and (rows["unit"] == unit).any():
            rows = rows[rows["unit"] == unit]
        if rows.empty or column not in rows or ("suppressed" in rows and bool(rows["suppressed"].iloc[0])):
            out.append(None)
            continue
        v = rows[column].iloc[0]
        out.append(None if empty(v) else float(v))
    return out[0], out[1]


def chart_targets(con, unit: str, year: int | None) -> tuple:
    """The unit's own targets for the charts (charts.common.Target): its measures in the plan for `year` (the
    unit's own, not its sub-units'), not dropped, with a linked indicator, a target value and a target
    year (without a year there is no trajectory to draw), one per distinct target, in one query."""
    if year is None or unit is None:
        return ()
    rows = con.execute(
        """
        SELECT DISTINCT indicator, target_value, target_year FROM plan_measures
        WHERE year = $year AND unit = $unit AND status <> 'dropped' AND indicator IS NOT NULL
          AND target_value IS NOT NULL AND target_year IS NOT NULL ORDER BY indicator, target_year""",
        {"year": year, "unit": unit},
    ).fetchall()
    out = []
    for indicator, value, target_year in rows:
        if indicator not in PLAN_INDICATORS:
            continue
        ind_id, column, pick = PLAN_INDICATORS[indicator]
        out.append(Target(ind_id, column, tuple(pick.items()), int(year), float(value), int(target_year)))
    return tuple(out)


PARTICIPANTS = ("participants_women", "participants_men", "participants_other")


def protect_participants(df: pd.DataFrame) -> pd.DataFrame:
    """A training's participants by gender are counts of persons: hidden as every count is
    (privacy.suppress with goals.toml's k: a count of women or men from 1 to k-1, or fewer than k in
    all, hides the row's counts; a small count of other/unknown hides that count). `participants_hidden`
    says where. Measures without participants are left as they are."""
    out = df.copy()
    out["participants_hidden"] = False
    given = out[list(PARTICIPANTS)].notna().any(axis=1) if len(out) else pd.Series(dtype=bool)
    if not given.any():
        return out
    part = (
        pd.DataFrame(
            {
                "women": out.loc[given, "participants_women"],
                "men": out.loc[given, "participants_men"],
                "other": out.loc[given, "participants_other"],
            }
        )
        .astype("Float64")
        .fillna(0)
    )
    part["total"] = part.sum(axis=1)
    shown = privacy.suppress(
        part, privacy.Suppression(counts=("women", "men", "other"), total="total"), settings.k_anonymity()
    )
    for name, col in zip(PARTICIPANTS, ("women", "men", "other")):
        hide = shown["suppressed"].to_numpy(dtype=bool) | shown[col].isna().to_numpy()
        out[name] = out[name].astype("Int64")
        out.loc[given[given].index[hide], name] = pd.NA
        out.loc[given[given].index[hide], "participants_hidden"] = True
    return out


def plan_view(
    con, unit: str, year: int, sub_units: bool = True, today: dt.date | None = None, protect: bool = True
) -> pd.DataFrame:
    """Every measure of the unit's plan with `overdue` (deadline passed, not done or dropped) and its
    linked indicator's value now and last year beside its target; participants protected (`protect_participants`)."""
    today = today or dt.date.today()
    df = measures(con, unit, year, sub_units=sub_units)
    if protect:
        df = protect_participants(df)
    df["overdue"] = [
        (not empty(d)) and as_date(d) < today and s not in ("done", "dropped")
        for d, s in zip(df["deadline"], df["status"])
    ]
    now, before = [], []
    cache: dict = {}
    for u, ind in zip(df["unit"], df["indicator"]):
        if empty(ind) or ind not in PLAN_INDICATORS:
            now.append(None)
            before.append(None)
            continue
        if (u, ind) not in cache:
            cache[(u, ind)] = indicator_value(con, u, ind, year)
        now.append(cache[(u, ind)][0])
        before.append(cache[(u, ind)][1])
    df["value_now"] = pd.array(now, dtype="Float64")
    df["value_last_year"] = pd.array(before, dtype="Float64")
    return df


# The plan as the page shows it, in this order; columns.toml ("plan") keeps the others for the machine CSV.
SHOWN = (
    "subgoal",
    "title",
    "unit",
    "responsible",
    "deadline",
    "overdue",
    "status",
    "indicator",
    "value_now",
    "value_last_year",
    "target_value",
    "target_year",
)


def page_table(view: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`plan_view`'s table as the page, its downloads and the report show it: each measure's title in
    the language (in English its English title, or the Swedish one where it has none), the shown
    columns first. Who changed a measure stays out (the change log is for those who edit)."""
    df = view.drop(columns=["updated_at", "updated_by"], errors="ignore")
    english = df["title_en"].where(df["title_en"].notna() & (df["title_en"].astype(str).str.strip() != ""))
    df.insert(0, "title", df["title_sv"] if lang == "sv" else english.fillna(df["title_sv"]))
    return df[[*SHOWN, *(c for c in df.columns if c not in SHOWN)]]


def progress_figure(progress_table: pd.DataFrame, lang: str, title: str):
    """Presentation mode's slide: per sub-goal, the measures done, in progress, planned and dropped
    (stacked bars; the colours are Okabe-Ito's, as every chart of Balans), laid out as every chart
    (charts.common._layout: the language's separators, the legend's place) and counted in whole measures."""
    fig = go.Figure()
    labels = [columns.word(columns.declared("plan_progress", "subgoal"), s, lang) for s in progress_table["subgoal"]]
    colours = {"done": "#009E73", "in_progress": "#56B4E9", "planned": "#E69F00", "dropped": "#BBBBBB"}
    for status, colour in colours.items():
        fig.add_bar(
            y=labels,
            x=progress_table[status],
            name=word("plan", "status", status, lang),
            orientation="h",
            marker_color=colour,
        )
    charts.common._layout(fig, title, lang, percent_axis=None, height=520)
    most = int(progress_table[list(colours)].sum(axis=1).max()) if not progress_table.empty else 0
    # a count of measures: whole-number ticks (Plotly's own put 0.2 between 0 and 1), at most about 10
    fig.update_layout(barmode="stack", yaxis={"autorange": "reversed"})
    fig.update_xaxes(
        title=columns.label("plan_progress", "measures", lang), dtick=max(1, -(-most // 10)), tickformat="d"
    )
    return fig


# The change log's record of a row (plan_audit's before and after, JSON of the whole row) in the page's
# words: each column under its heading and each value as the plan's table writes it, of an update only
# the columns that changed. Bookkeeping columns (who and when, which the log says in columns of its own)
# are left out.
BOOKKEEPING = ("updated_at", "updated_by", "created_at", "created_by")


def readable_change(before: str | None, after: str | None, lang: str, names: dict | None = None) -> tuple[str, str]:
    """(before, after) of one logged change as 'Heading: value' pairs joined by ' · ' (an empty side: '')."""
    old, new = (json.loads(x) if isinstance(x, str) and x else {} for x in (before, after))
    keys = [k for k in (new or old) if k not in BOOKKEEPING]
    if old and new:
        keys = [k for k in keys if old.get(k) != new.get(k)]

    def side(values: dict) -> str:
        parts = []
        for k in keys:
            if k not in values or values[k] is None:
                continue
            try:
                c = columns.declared("plan", k)
            except columns.UndeclaredColumn:
                continue
            parts.append(f"{c.label(lang)}: {columns.cell(c, values[k], lang, names=names)}")
        return " · ".join(parts)

    return side(old), side(new)


def audit_table(log: pd.DataFrame, lang: str, names: dict | None = None) -> pd.DataFrame:
    """records.audit's table with its before and after in words (`readable_change`), for columns.shown."""
    out = log.copy()
    if not out.empty:
        pairs = [readable_change(b, a, lang, names) for b, a in zip(out["before"], out["after"])]
        out["before"], out["after"] = [p[0] for p in pairs], [p[1] for p in pairs]
        # who and through what: an e-mail address or a file's name as it is; the demo, the app and the
        # passphrase's administrator in words (plan.toml's [vocab.who] and [vocab.via])
        for name in ("who", "via"):
            out[name] = [word("plan", name, v, lang) if isinstance(v, str) else v for v in out[name]]
    return out
