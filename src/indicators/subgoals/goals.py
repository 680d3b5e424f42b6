"""The scorecard: for a unit and year, each of the six sub-goals against its target.

The six sub-goals are the Swedish government's gender-equality policy sub-goals (regeringens
jämställdhetspolitiska delmål, registry.SUBGOALS). Each is judged on one headline indicator from
the registry, listed in HEADLINES; a sub-goal without a headline, or whose indicator is not
registered or has no row for the year, is "no_data", so the scorecard always has six rows.
A later module adds a sub-goal by adding one entry to HEADLINES; nothing else changes. A headline
indicator is a trend (it honours year_from..year_to: this year and last come from one computation)
and is best scoped (registry.compute_scoped: every unit of the card in one query).

Each headline is named (catalogue/subgoals.toml [vocab.headline], by its indicator) and its value
written (columns.toml [headline]) once: the overview's card and the first finding of the page the row
leads to say the same figure under the same name (columns.headline_name and headline_value, which
the charts fill their findings with; tests/test_app.py opens each page from the card and looks for it).
This module computes; it says nothing itself but a unit's own target, in the English the table keeps.

Statuses: "met", "not_met", "no_data", "hidden" (the headline value was suppressed: too few
persons). Targets come from data/goals.toml through settings, never from here, except a unit's own:
when the unit's plan for the card's year has a measure (not dropped) linked to the sub-goal's
headline indicator (columns.toml [link.plan]) with a target value, that unit's row is judged against
it instead (`own_met`, `own_target`), and only that unit's (not its sub-units' nor its parent's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from .. import settings
from ..catalogue import text
from ..catalogue.declarations import links
from ..protect import registry
from ..protect.registry import SUBGOALS, Filters
from ..store import cells, sql
from . import safety

MET, NOT_MET, NO_DATA, HIDDEN = "met", "not_met", "no_data", "hidden"


@dataclass(frozen=True)
class Headline:
    """One sub-goal's headline: which indicator, which column of which row, and how it is judged."""

    indicator: str  # a registry id
    value: str  # the column holding the headline value
    judge: Callable[[float], bool]  # True when the value meets the target
    target: Callable[[], str]  # the target as text, read from goals.toml when the card is drawn
    where: Mapping[str, Any] = field(default_factory=dict)  # column -> value picking the headline row
    # How a unit's own target t (plan_measures.target_value) is read: "share" (women's share: t ≤ 50 %
    # is a floor, v ≥ t, the usual case of women under-represented; above 50 % a ceiling, v ≤ t),
    # "abs_max" (|v| ≤ t, the pay gap either way), "min" (v ≥ t) or "max" (v ≤ t).
    own: str = "share"
    # What equality aims at, for saying whether a change since last year is better or worse (`progress`):
    # a share of women 0.5, a gap or a share exposed 0, a ratio 1. Closer to it is better.
    aim: float = 0.5


def _balance_target() -> str:
    b = settings.goals()["balance"]
    return f"{b['lower'] * 100:g}–{b['upper'] * 100:g} %"


def _pay_gap_met(gap_pct: float) -> bool:
    # Either direction counts: equality is the goal, so a gap in women's favour beyond the
    # tolerance is not met either.
    return abs(gap_pct) <= float(settings.goals()["pay"]["gap_target_pct"])


def _pay_target() -> str:
    return f"|gap| ≤ {float(settings.goals()['pay']['gap_target_pct']):g} %"


HEADLINES: dict[int, Headline] = {
    # 1, power and influence: women's share of all voting seats on the unit's committees and boards,
    # judged against the 40/60 band. Chosen over "share of bodies in balance" because it is the
    # national sub-goal's own measure (an equal share of power), has its target in goals.toml, and
    # moves with every seat rather than jumping when one body crosses 40 %. Seats are public: never hidden.
    1: Headline(
        "committee_summary",
        "share_women",
        lambda v: bool(settings.is_balanced(v)),
        _balance_target,
        {"body_type": "all"},
    ),
    # 2, economic equality: the unadjusted median pay gap, (men − women) / men × 100, within ± the
    # tolerance [pay] gap_target_pct (pay_gap's figure, from its trend: both years in one query).
    2: Headline("pay_gap_trend", "median_gap_pct", _pay_gap_met, _pay_target, own="abs_max", aim=0.0),
    # 3, education: women's share of all registered students (every level), against the 40/60 band.
    3: Headline(
        "students_trend",
        "share_women",
        lambda v: bool(settings.is_balanced(v)),
        _balance_target,
        {"level": "all", "measure": "registered"},
    ),
    # 4, unpaid care: men's share of parental-leave days / men's share of staff, at least [care] min_parity_ratio.
    4: Headline(
        "care_leave",
        "parity_ratio",
        lambda v: v >= settings.goals()["care"]["min_parity_ratio"],
        lambda: f"≥ {settings.goals()['care']['min_parity_ratio']:g}",
        own="min",
        aim=1.0,
    ),
    # 5, health: women's sick-leave rate / men's, at most [health] max_ratio.
    5: Headline(
        "sick_leave",
        "ratio_women_men",
        lambda v: v <= settings.goals()["health"]["max_ratio"],
        lambda: f"≤ {settings.goals()['health']['max_ratio']:g}",
        own="max",
        aim=1.0,
    ),
    # 6, violence: the share of women survey respondents exposed in [safety] target_category, at most
    # [safety] max_exposed_share (case counts are no target: more reports can mean more trust).
    6: Headline(
        "incidents",
        "exposed_share_women",
        lambda v: v <= settings.goals()["safety"]["max_exposed_share"],
        lambda: f"≤ {settings.goals()['safety']['max_exposed_share'] * 100:g} %",
        {"category": safety.TARGET_CATEGORY},
        own="max_share",
        aim=0.0,
    ),
}


def own_met(h: Headline, value: float, target: float) -> bool:
    """Whether the headline value meets the unit's own target (`Headline.own` says how it reads)."""
    if h.own == "share":
        return value >= target if target <= 0.5 else value <= target
    if h.own == "abs_max":
        return abs(value) <= target
    if h.own == "min":
        return value >= target
    return value <= target  # "max", "max_share"


def own_target(h: Headline, target: float, target_year: int | None) -> str:
    """The target column for a unit's own target: "≥ 35 % (unit's own target, 2027)" (English, as the
    card is cached once for both languages and the machine CSV keeps it; columns.target_words says it
    in the page's language)."""
    if h.own == "share":
        words = f"{'≥' if target <= 0.5 else '≤'} {target * 100:g} %"
    elif h.own == "abs_max":
        words = f"|gap| ≤ {target:g} %"
    elif h.own == "max_share":
        words = f"≤ {target * 100:g} %"
    else:
        words = f"{'≥' if h.own == 'min' else '≤'} {target:g}"
    own = text("subgoals", "own_target", "en")
    return f"{words} ({own}" + (f", {int(target_year)})" if target_year is not None else ")")


def plan_link(h: Headline) -> str | None:
    """The key a measure of the plan links to this headline by (columns.toml [link.plan], what the plan
    reads too): same indicator, column and row."""
    return next(
        (
            key
            for key, (ind, column, where) in links("plan").items()
            if ind == h.indicator and column == h.value and dict(where) == dict(h.where)
        ),
        None,
    )


def own_targets(con, units: list[str], year: int) -> dict[tuple[str, str], tuple[float, int | None]]:
    """(unit, plan indicator) -> (target value, target year) from the units' plans for `year`.

    Measures not dropped, with an indicator and a target value. When a unit has several for one
    indicator, the nearest target year counts (the milestone it is judged on now), then the newest measure.
    Every unit's and year's, in one query: once per process on a snapshot (whose plan never changes:
    an edit publishes another), every time on any other connection.
    """
    if not units:
        return {}
    held = cells.of(con)
    every = _every_own_target(con) if held is None else held.once("goals.own_targets", lambda: _every_own_target(con))
    wanted = set(units)
    return {(u, ind): target for (y, u, ind), target in every.items() if y == year and u in wanted}


def _every_own_target(con) -> dict[tuple[int, str, str], tuple[float, int | None]]:
    rows = _rows(
        con,
        """
        SELECT year, unit, indicator, target_value, target_year FROM (
            SELECT year, unit, indicator, target_value, target_year,
                   row_number() OVER (PARTITION BY year, unit, indicator
                                      ORDER BY target_year ASC NULLS LAST, measure_id DESC) AS pick
            FROM plan_measures
            WHERE status <> 'dropped' AND indicator IS NOT NULL AND target_value IS NOT NULL)
        WHERE pick = 1""",
    )
    return {(int(yr), u, ind): (float(v), None if y is None else int(y)) for yr, u, ind, v, y in rows}


def _rows(con, query: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
    """The rows of one of the card's own queries, on a cursor of its own: a page computes its sections
    side by side in threads on the snapshot's one connection, which the card keeps (not a cursor), so
    that its headlines are read from the snapshot's tables of every unit (registry.of_every_unit)."""
    cur = con.cursor()
    try:
        return cur.execute(query, params).fetchall()
    finally:
        cur.close()


COLUMNS = (
    "subgoal",
    "title_sv",
    "title_en",
    "indicator",
    "value",
    "target",
    "status",
    "previous",
    "direction",
    "progress",
)


def scorecard_year(con, f: Filters) -> int | None:
    """The year the card is for: the chosen one, else the latest with staff or committee data."""
    if f.year is not None:
        return f.year
    return _rows(
        con, "SELECT max(y) FROM (SELECT max(year) AS y FROM staff_cells UNION ALL SELECT max(year) FROM committees)"
    )[0][0]


def _pick(table: pd.DataFrame, h: Headline, years: tuple[int, ...]) -> list[dict[str, tuple[float | None, bool]]]:
    """For each of `years`, each unit's headline (value, hidden) in a stacked table (registry.compute_scoped).

    Rows are narrowed by year, by the headline's `where`, and, in tables that list sub-units beside
    the unit (a unit column), to the unit's own row where it has one. Hidden: suppression removed
    the value. A unit without a row is left out (no data).
    """

    # On the columns as numpy arrays, each read once for the years: six headlines, two years each, a
    # card; a pandas selection of a table of 20-40 columns costs 1-2 ms (docs/performance.md,
    # "Tables of every unit, once per snapshot").
    def column(name: str, value) -> np.ndarray:
        return (table[name] == value).to_numpy(dtype=bool, na_value=False)

    where = np.ones(len(table), dtype=bool)
    for name, value in h.where.items():
        if name in table:
            where = where & column(name, value)
    year_of = table["year"].to_numpy(dtype=float, na_value=np.nan) if "year" in table else None
    scope_of = table["scope"].to_numpy(dtype=object)
    unit_of = table["unit"].to_numpy(dtype=object, na_value=None) if "unit" in table else None
    hidden_of = table["suppressed"].to_numpy(dtype=bool) if "suppressed" in table else np.zeros(len(table), dtype=bool)
    value_of = (
        pd.to_numeric(table[h.value], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if h.value in table
        else np.full(len(table), np.nan)
    )
    out = []
    for year in years:
        rows = np.flatnonzero(where if year_of is None else where & (year_of == year))
        scopes = scope_of[rows]
        if unit_of is not None and len(rows):
            # the unit's own row where it has one (tables listing sub-units beside the unit)
            own = unit_of[rows] == scopes
            with_own = set(scopes[own])
            mine = own | np.array([s not in with_own for s in scopes], dtype=bool)
            rows, scopes = rows[mine], scopes[mine]
        picked: dict[str, tuple[float | None, bool]] = {}
        for scope, v, gone in zip(scopes, value_of[rows], hidden_of[rows]):  # the first row of each scope
            if scope not in picked:
                picked[scope] = (None, True) if gone else (None, False) if np.isnan(v) else (float(v), False)
        out.append(picked)
    return out


def _direction(now: float | None, before: float | None) -> str | None:
    if now is None or before is None:
        return None
    diff = round(now - before, 9)
    return "up" if diff > 0 else "down" if diff < 0 else "same"


def _progress(now: float | None, before: float | None, aim: float) -> str | None:
    """Better, worse or the same since last year, by the sub-goal's aim (`Headline.aim`): closer to it
    is better, whichever way the value moved (a pay gap falling from 12 to 8 %, a share of women rising
    from 30 to 35 %, a sick-leave ratio falling from 1.4 to 1.2 are all better). None when either year
    is missing."""
    if now is None or before is None:
        return None
    diff = round(abs(now - aim) - abs(before - aim), 9)
    return "better" if diff < 0 else "worse" if diff > 0 else "same"


def _headline_filters(f: Filters, year: int) -> Filters:
    return f.with_(year=year, year_from=year - 1, year_to=year)


def _headline_table(con, h: Headline, f: Filters, units: list[str], year: int) -> pd.DataFrame:
    """The indicator's table for every unit over last year and this year, in one computation.

    Headline indicators are trends: they honour year_from..year_to (tests/test_registry.py checks it).
    """
    return registry.compute_scoped(con, h.indicator, _headline_filters(f, year), units)


def _one_after_another(fn: Callable, items: list) -> list:
    """registry.side_by_side's results without its threads."""
    return [fn(x) for x in items]


def _cards(con, f: Filters, units: list[str], year: int | None) -> list[dict]:
    """Six rows per unit (each with its sub-units), unit by unit, with a leading unit column.

    One computation per headline covers every unit (registry.compute_scoped), so the card for a
    school's ten departments costs about what one department's does. Read from memory (their tables of
    every unit, registry.of_every_unit) they are work in Python alone, which threads only slow down
    (Python's lock): one after another then, side by side while any is a query.
    """
    wanted = {s: h for s, h in HEADLINES.items() if h.indicator in registry.REGISTRY and year is not None and units}
    read = all(
        registry.in_memory(con, h.indicator, _headline_filters(f, year).with_(units=tuple(units)))
        for h in wanted.values()
    )
    run = _one_after_another if read else registry.side_by_side
    tables = dict(zip(wanted, run(lambda h: _headline_table(con, h, f, units, year), list(wanted.values()))))
    picked = {s: _pick(tables[s], h, (year, year - 1)) for s, h in wanted.items()}
    targets = own_targets(con, units, year) if wanted else {}
    links = {s: plan_link(h) for s, h in HEADLINES.items()}
    rows = []
    for unit in units:
        for subgoal, (title_sv, title_en) in SUBGOALS.items():
            row = {
                "unit": unit,
                "subgoal": subgoal,
                "title_sv": title_sv,
                "title_en": title_en,
                "indicator": None,
                "value": None,
                "target": None,
                "status": NO_DATA,
                "previous": None,
                "direction": None,
                "progress": None,
            }
            h = HEADLINES.get(subgoal)
            own = targets.get((unit, links.get(subgoal)))
            if h is not None and h.indicator in registry.REGISTRY:
                row["indicator"], row["target"] = h.indicator, h.target() if own is None else own_target(h, *own)
            if subgoal in picked:
                now, before = picked[subgoal]
                value, hidden = now.get(unit, (None, False))
                previous, _ = before.get(unit, (None, False))
                met = None if value is None else h.judge(value) if own is None else own_met(h, value, own[0])
                row.update(
                    value=value,
                    previous=previous,
                    direction=_direction(value, previous),
                    progress=_progress(value, previous, h.aim),
                    status=HIDDEN if hidden else NO_DATA if value is None else MET if met else NOT_MET,
                )
            rows.append(row)
    return rows


def scorecard(con, f: Filters) -> pd.DataFrame:
    """One row per sub-goal (all six, in order) for the unit and year of the filters.

    Columns: subgoal, title_sv, title_en, indicator (the headline's registry id), value (this year),
    target (text from goals.toml, or the unit's own target from its plan), status (met / not_met / no_data / hidden), previous (last year's
    value), direction (up / down / same; None when either year is missing), progress (better / worse /
    same by the sub-goal's aim, `_progress`; None likewise). Values come through
    registry.compute_scoped, so they are suppressed exactly as on the indicator's own page.
    """
    registry.load_all()
    year = scorecard_year(con, f)
    return pd.DataFrame(_cards(con, f, [f.unit], year), columns=["unit", *COLUMNS]).drop(columns="unit")


def _sub_units(con, unit: str) -> list[str]:
    """The direct sub-units; of the whole organisation ('*'), the top-level units."""
    children = sql.sub_units(unit)
    return [r[0] for r in _rows(con, f"{children} ORDER BY unit", dict(children.params))]


def scorecard_units(con, f: Filters) -> pd.DataFrame:
    """The scorecard for each direct sub-unit of the chosen unit (long format: a unit column first).

    With the whole organisation ('*') chosen, its sub-units are the top-level units. The year is the
    parent's, so every unit is judged on the same year.
    """
    registry.load_all()
    return pd.DataFrame(_cards(con, f, _sub_units(con, f.unit), scorecard_year(con, f)), columns=["unit", *COLUMNS])


def scorecard_overview(con, f: Filters) -> pd.DataFrame:
    """`scorecard` and `scorecard_units` in one computation (the overview page shows both): the
    chosen unit's six rows first, then each sub-unit's, with the unit column."""
    registry.load_all()
    units = [f.unit, *(u for u in _sub_units(con, f.unit) if u != f.unit)]
    return pd.DataFrame(_cards(con, f, units, scorecard_year(con, f)), columns=["unit", *COLUMNS])


# Tables that are not single indicators but can be exported like one (`python -m indicators export scorecard`).
TABLES: dict[str, Callable[..., pd.DataFrame]] = {"scorecard": scorecard, "scorecard_units": scorecard_units}
