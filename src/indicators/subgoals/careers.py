"""Careers (sub-goal 1, power and influence; issue 24): who came, who left, who was promoted, who moved.

Balans' other tables are stocks: who is employed in a year. This module follows people from one year
to the next through their pseudonym (the same person has the same key every year), so it can say who
entered, who left, who was promoted and how long they waited, and how many newly recruited professors
a unit had against its target. It reads `career_cells` (store/database.py, CAREER_CELLS): each
person's year t beside their year t-1, grouped at import like staff_cells, so no page joins person
rows; where the snapshot's cells are held in memory (store/cells.py) the tables are summed from them in
numpy instead (`*_from_cells`, career_marks.py), the same tables (tests/test_cells.py). Who is
promoted and who counts as a new professor is data (data/careers.toml).

Flows, for a unit (with its sub-units) and a group of positions G (one position, or every chosen
position: the 'all' row), from year t-1 to year t. Each person in G in the unit at t-1 or at t is
counted once on each side:

* start: in G in the unit at t-1; end: in G in the unit at t (the stocks of `representation`);
* stayed: in G in the unit both years, in the same position;
* into G: entrants (employed nowhere in the organisation at t-1), moved_in (employed at t-1 in another
  unit), promoted_in (in the unit at t-1 in a position of lower rank, data/careers.toml [ladder]),
  changed_in (in the unit at t-1 outside G otherwise: another position not below, off the ladder, or
  another employment type when one is chosen);
* out of G: leavers (employed nowhere in the organisation at t), moved_out (in another unit at t),
  promoted_out (in the unit at t in a position of higher rank), changed_out (the rest);
* to_permanent, beside them: in G at t on a permanent contract after a fixed-term one at t-1.

So end = stayed + entrants + moved_in + promoted_in + changed_in and start = stayed + promoted_out +
changed_out + moved_out + leavers, exactly (published counts need not add up: each is a cell of its own).
Published figures leave `stayed` out (the exact tier has it): the third measurement of two identities,
it let the others' noise be solved away (`_flow_rates`; docs/privacy.md, "Periods").
A move between two sub-units of the unit is no move for the unit: the person stayed (or was promoted).

Protection: every flow is a count of people and goes through `registry.compute` and the cell-key method
like every count (privacy.py), measure "people". A person counted on the t side carries their record
key of year t, a leaver (who has no year t) their key of t-1. So `end` is the same cell as
`representation`'s count of that year, `start` the one of the year before, and a set of people counted
twice (the promoted_out of one position that are all the promoted_in of another; a unit's moved_out
that are its sibling's moved_in) gets one published number. A count of 1 to k-1 is hidden, a leaver or
promotion count as much as any other; rates and shares are computed from the published counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import settings
from ..protect import arrays
from ..protect.privacy import KEY, CellRule, Group, Protection, Suppression
from ..protect.registry import Filters, register
from ..store import cells, sql
from ..store import years as data_years
from ..store.schema import POSITION_CATEGORIES, fold_accents, norm_header
from . import benchmarks, career_marks
from .representation import cell_scope, staff_scope
from .shares import share_columns

ALL = "all"
GENDERS = ("women", "men", "other", "total")
# The order the flows are shown in: the stock a year ago, what came in, who stayed, what went out, the stock now.
FLOWS = (
    "start",
    "entrants",
    "moved_in",
    "promoted_in",
    "changed_in",
    "stayed",
    "promoted_out",
    "changed_out",
    "moved_out",
    "leavers",
    "end",
    "to_permanent",
)
IN_FLOWS = ("entrants", "moved_in", "promoted_in", "changed_in", "stayed", "end", "to_permanent")
OUT_FLOWS = ("promoted_out", "changed_out", "moved_out", "leavers", "start")
# Where a person in the transition matrix came from or went to, when not from or to a position of the unit.
ENTRANT, LEAVER, OTHER_UNIT, OTHER_POSITION = "entrant", "leaver", "other_unit", "other_position"


# --- what data/careers.toml declares --------------------------------------------------------------


def ladder() -> dict[str, int]:
    """Position category -> its rank on the ladder (data/careers.toml [ladder]); a category not listed is
    off it. Checked: every category one of schema.POSITION_CATEGORIES, every rank a whole number."""
    ranks = settings.careers().get("ladder", {})
    unknown = set(ranks) - set(POSITION_CATEGORIES)
    if unknown or not all(isinstance(r, int) and not isinstance(r, bool) for r in ranks.values()):
        raise ValueError(
            f"data/careers.toml [ladder]: unknown categories {sorted(unknown)} or a rank that is not a whole number"
        )
    return dict(ranks)


def rank_sql(column: str) -> str:
    """The rank of the category in `column` as SQL (NULL off the ladder). The categories and ranks are
    checked against schema.POSITION_CATEGORIES and as whole numbers (`ladder`), never user text."""
    whens = " ".join(f"WHEN '{p}' THEN {r}" for p, r in ladder().items())
    return f"(CASE {column} {whens} END)"


def excluded_titles() -> list[str]:
    """The professor titles that do not count as newly recruited professors (data/careers.toml), folded as
    positions.csv folds titles and without accents: compared with strip_accents(title) of career_cells."""
    titles = settings.careers().get("new_professors", {}).get("excluded_titles", [])
    return sorted({fold_accents(norm_header(t)) for t in titles})


# A professor whose title counts (career_cells.title is the folded title of professors only).
def _counted_professor(prefix: str = "") -> str:
    return f"({prefix}position_category = 'professor' AND NOT list_contains($excluded, strip_accents({prefix}title)))"


# --- the cells of a unit ------------------------------------------------------------------------------


def career_scope(f: Filters, *, trend: bool = True, year: int | None = None) -> sql.Fragment:
    """career_cells of the years asked (f.year_from..f.year_to, or `year`) that touch the unit with its
    sub-units at t or at t-1, with `now_in` / `before_in` (the person was in the unit that year) and
    `now_ok` / `before_ok` (their position is one of those chosen and their employment type the one
    chosen, that year), and each year's rank on the ladder."""
    tree = sql.below([f.unit])
    years = sql.year_range("c.year", f.year_from, f.year_to) if trend else sql.in_year("c.year", year)
    ok_now = sql.staff_filters(f, "c")
    ok_before = sql.positions("c.prev_position_category", f.positions) & sql.employment_type(
        "c.prev_employment_type", f.employment_type
    )
    return sql.statement(
        f"""
        SELECT * FROM (
            SELECT c.*,
                   coalesce(c.unit IN (SELECT descendant FROM ({tree})), false) AS now_in,
                   coalesce(c.prev_unit IN (SELECT descendant FROM ({tree})), false) AS before_in,
                   coalesce({ok_now}, false) AS now_ok,
                   coalesce({ok_before}, false) AS before_ok,
                   {rank_sql("c.position_category")} AS rank_now,
                   {rank_sql("c.prev_position_category")} AS rank_before
            FROM career_cells c
            WHERE {years})
        WHERE now_in OR before_in""",
        tree,
        years,
        ok_now,
        ok_before,
    )


def _flow_cases(group: str) -> tuple[str, str, str, str]:
    """SQL of (in G at t, in G at t-1, the in-flow, the out-flow) of a cell for the group whose name is
    in column `group` ('all': the positions chosen; else one position)."""
    g_now = f"(now_in AND now_ok AND ({group} = '{ALL}' OR position_category = {group}))"
    g_before = f"(before_in AND before_ok AND ({group} = '{ALL}' OR prev_position_category = {group}))"
    stayed = f"({g_now} AND {g_before} AND position_category = prev_position_category)"
    promoted = "(rank_now > rank_before)"
    in_flow = f"""CASE WHEN NOT {g_now} THEN NULL
        WHEN {stayed} THEN 'stayed'
        WHEN prev_unit IS NULL THEN 'entrants'
        WHEN NOT before_in THEN 'moved_in'
        WHEN {promoted} THEN 'promoted_in'
        ELSE 'changed_in' END"""
    out_flow = f"""CASE WHEN NOT {g_before} OR {stayed} THEN NULL
        WHEN unit IS NULL THEN 'leavers'
        WHEN NOT now_in THEN 'moved_out'
        WHEN {promoted} THEN 'promoted_out'
        ELSE 'changed_out' END"""
    return g_now, g_before, in_flow, out_flow


def _groups(f: Filters) -> list[str]:
    """The rows of a flows table: each chosen position (all, when none is chosen), then 'all'."""
    return [*(f.positions or POSITION_CATEGORIES), ALL]


COUNTS = sql.gender_sums("sum(people)", key="sum(ck)", cast="BIGINT")


def _order(df: pd.DataFrame, column: str, order: tuple[str, ...]) -> pd.DataFrame:
    rank = {v: i for i, v in enumerate(order)}
    positions = {p: i for i, p in enumerate((*POSITION_CATEGORIES, ALL))}
    return df.sort_values(
        ["year", "position", column],
        key=lambda s: s.map(positions) if s.name == "position" else s.map(rank) if s.name == column else s,
    ).reset_index(drop=True)


# --- flows ---------------------------------------------------------------------------------------------


def _flow_rates(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """Protection.after of career_flows: each flow's rate by gender, count / the stock it flows from or
    into (out-flows and stayed over `start`, the stock at t-1; in-flows over `end`, the stock at t), on
    the published counts once hidden rows are blank (or the exact ones). After the hiding, not before:
    a shown flow over a hidden stock gave that stock's published count back (5 stayed at a rate of
    0.714 is a start of 7). A rate whose count exceeds its stock (two published counts moved apart by
    the noise) is left out, never over 100 %."""
    suppressed = cols.pop("suppressed", None)
    flow = np.asarray(cols["flow"], dtype=object)
    stock = np.isin(flow, ("start", "end"))
    # the row of the stock each flow is a rate of (-1: none in the table): per year and position, the
    # row of its `start` (column 0) and of its `end` (column 1), the last of each as a dict keeps it
    pairs: dict = {}
    position = np.asarray(cols["position"], dtype=object).tolist()
    group = np.array(
        [pairs.setdefault(key, len(pairs)) for key in zip(np.asarray(cols["year"]).tolist(), position)],
        dtype=np.int64,
    )
    stock_row = np.full((len(pairs), 2), -1, dtype=np.int64)
    for column, name in enumerate(("start", "end")):
        at = np.flatnonzero(flow == name)
        stock_row[group[at], column] = at
    base_row = stock_row[group, np.where(np.isin(flow, ("stayed", *OUT_FLOWS)), 0, 1)] if len(group) else group
    for g in ("women", "men"):
        n = arrays.values(cols, g)
        base = np.where(base_row >= 0, np.append(n, np.nan)[base_row], np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where((base > 0) & (n <= base), n / base, np.nan)
        rate[stock] = np.nan
        cols[f"rate_{g}"] = rate
    if suppressed is not None:
        cols["suppressed"] = suppressed  # last, as privacy.publish puts it
    if f.exact:
        return cols
    # `stayed` is the cell that closes the flows' two identities (start = stayed + the out-flows, end
    # = stayed + the in-flows): published beside start and end, each with a noise of its own, it
    # let an outside attack pin a hidden leaver or entrant where start′ and stayed′ left one whole
    # number (30 of 30 pins right on a demo, 16 on the viewer's). The exact tier keeps it.
    return arrays.taken(cols, flow != "stayed")


FLOW_HIDE = ("share_women",)


def women_share(cols: arrays.Columns, f: Filters | None = None) -> arrays.Columns:
    """share_women = W / (W + M) on the published (or exact) counts; no interval or balance band: a
    flow is not a group whose balance is judged."""
    women, men = arrays.values(cols, "women"), arrays.values(cols, "men")
    share = arrays.ratio(women, women + men)
    # the dtype pandas gives W / (W + M): Float64 over nullable counts, float64 over numpy's
    nullable = not all(isinstance(cols[c], np.ndarray) for c in ("women", "men"))
    cols["share_women"] = arrays.nullable_floats(share) if nullable else share
    return cols


def flows_protection(hide: tuple[str, ...] = FLOW_HIDE, after=_flow_rates) -> Protection:
    """Every flow a count of people: the row is hidden when its women or men are 1 to k-1 (a leaver or a
    promotion as much as a stock), its total when under k or beside a small other/unknown count; the
    shares and rates go with the row (representation.gender_protection's rule)."""
    return Protection(
        counts={g: "people" for g in GENDERS},
        derive=women_share,
        after=after,
        rows=Suppression(counts=("women", "men", "other"), total=None, hide=hide),
        cells=(CellRule(("total",), ("total",)), CellRule(("other",), ("total",))),
    )


def _in_year(held: cells.Cells, f: Filters, year: int | None) -> career_marks.Marks | None:
    """career_scope(f, trend=False, year=year) in memory: no year, no cells (as `sql.in_year`)."""
    return (
        career_marks.marks(held, f, ladder(), year, year)
        if year is not None
        else career_marks.marks(held, f, ladder(), 1, 0)
    )


def _latest(held: cells.Cells, year: int | None) -> int | None:
    """sql.year_or_latest(cur, year, "career_cells") in memory."""
    years = held.careers().table.years
    return year if year is not None else (int(years[-1]) if len(years) else None)


def _flows_from_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """career_flows' base table from career_cells in memory (store/cells.py): each cell of the scope
    marked as the query marks it, once per group, and summed per year, group and flow with numpy; every
    flow of a group that has people in a year, 0 where nobody took it (`_complete`), in `_order`'s order."""
    m = career_marks.marks(held, f, ladder(), f.year_from, f.year_to)
    if m is None:
        return None
    groups, flow = _groups(f), {name: i for i, name in enumerate(FLOWS)}
    years, year = np.unique(m.column("year"), return_inverse=True)
    n_groups, n_flows = len(groups), len(FLOWS)
    entrant, leaver = m.column("prev_unit") < 0, m.column("unit") < 0
    same, promoted = m.same_position(), m.promoted()
    permanent = m.label_is("employment_type", "permanent") & m.label_is("prev_employment_type", "temporary")
    key, prev_key = m.column("rkey_sum"), m.column("prev_rkey_sum")
    out_key = np.where(leaver, prev_key, key)
    into = np.select(
        [entrant, ~m.before_in, promoted],
        [flow["entrants"], flow["moved_in"], flow["promoted_in"]],
        flow["changed_in"],
    )
    out_of = np.select(
        [leaver, ~m.now_in, promoted], [flow["leavers"], flow["moved_out"], flow["promoted_out"]], flow["changed_out"]
    )
    picked, bins, keys = [], [], []
    for i, g in enumerate(groups):
        g_now, g_before = m.now_in & m.now_ok, m.before_in & m.before_ok
        if g != ALL:
            g_now = g_now & m.label_is("position_category", g)
            g_before = g_before & m.label_is("prev_position_category", g)
        stayed = g_now & g_before & same
        first = (year * n_groups + i) * n_flows
        for mask, which, ck in (
            (g_now, flow["end"], key),
            (g_before, flow["start"], prev_key),
            (g_now, np.where(stayed, flow["stayed"], into), key),
            (g_before & ~stayed, out_of, out_key),
            (g_now & permanent & ~entrant, flow["to_permanent"], key),
        ):
            at = np.flatnonzero(mask)
            picked.append(at)
            bins.append(first[at] + (which[at] if isinstance(which, np.ndarray) else which))
            keys.append(ck[at])
    at, bins = np.concatenate(picked), np.concatenate(bins)
    sums = career_marks.by_gender(
        m.table, m.rows[at], bins, len(years) * n_groups * n_flows, m.column("people")[at], np.concatenate(keys)
    )
    # the groups a year has people in, in _order's order: year, position, flow
    present = np.bincount(bins // n_flows, minlength=len(years) * n_groups) > 0
    rank = {p: r for r, p in enumerate((*POSITION_CATEGORIES, ALL))}
    by_rank = sorted(range(n_groups), key=lambda i: rank.get(groups[i], len(rank)))
    grid = (np.arange(len(years))[:, None] * n_groups + np.array(by_rank, dtype=np.int64)[None, :]).ravel()
    cells_of = grid[present[grid]]
    chosen = (cells_of[:, None] * n_flows + np.arange(n_flows)).ravel()
    owner = chosen // n_flows
    return arrays.frame(
        {
            "year": years[owner // n_groups].astype(np.int16),
            "position": cells.text(np.array(groups, dtype=object)[owner % n_groups]),
            "flow": cells.text(np.array(FLOWS, dtype=object)[chosen % n_flows]),
            **{name: values[chosen] for name, values in sums.items()},
        }
    )


@register(id="career_flows", protection=flows_protection(), cells=_flows_from_cells)
def career_flows(cur, f: Filters) -> pd.DataFrame:
    """Per year t (f.year_from..f.year_to, each year whose previous year has data) and position (each
    chosen, and 'all' of them): the people of each flow by gender (the module docstring defines them),
    women's share, and the rate of each flow: an in-flow over `end` (entrants / end is the entry rate),
    an out-flow or `stayed` over `start` (leavers / start is the exit rate).

    Check (tests/test_careers.py, the three-year file): unit A 2024, all positions: start 3 (P1, P2,
    P3), end 5; entrants 1 (P6), moved_in 1 (P4 from B), stayed 3; 5 = 3 + 1 + 1 and 3 = 3.
    """
    scope = career_scope(f)
    g_now, g_before, in_flow, out_flow = _flow_cases("g.position")
    df = sql.execute(
        cur,
        f"""
        WITH cells AS ({scope}),
        marked AS (
            SELECT c.year, c.gender, c.people, c.rkey_sum, c.prev_rkey_sum, c.employment_type,
                   c.prev_employment_type, c.prev_unit, g.position,
                   {g_now} AS g_now, {g_before} AS g_before, {in_flow} AS in_flow, {out_flow} AS out_flow
            FROM cells c CROSS JOIN (SELECT unnest($groups) AS position) g),
        long AS (
            SELECT year, position, 'end' AS flow, gender, people, rkey_sum AS ck FROM marked WHERE g_now
            UNION ALL SELECT year, position, 'start', gender, people, prev_rkey_sum FROM marked WHERE g_before
            UNION ALL SELECT year, position, in_flow, gender, people, rkey_sum FROM marked WHERE in_flow IS NOT NULL
            UNION ALL SELECT year, position, out_flow, gender, people,
                             CASE WHEN out_flow = 'leavers' THEN prev_rkey_sum ELSE rkey_sum END
                      FROM marked WHERE out_flow IS NOT NULL
            UNION ALL SELECT year, position, 'to_permanent', gender, people, rkey_sum FROM marked
                      WHERE g_now AND employment_type = 'permanent' AND prev_employment_type = 'temporary'
                        AND prev_unit IS NOT NULL)
        SELECT year, position, flow, {COUNTS}
        FROM long
        GROUP BY year, position, flow
    """,
        scope,
        COUNTS,
        groups=_groups(f),
    ).df()
    return _order(_complete(df, f), "flow", FLOWS)


def _complete(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Every flow of every position that has people in a year, with 0 where nobody took it: a flow
    nobody took is a figure (no leavers), not a gap."""
    if df.empty:
        return df
    have = df[["year", "position"]].drop_duplicates()
    grid = have.merge(pd.DataFrame({"flow": FLOWS}), how="cross")
    out = grid.merge(df, on=["year", "position", "flow"], how="left")
    for c in df.columns:
        if c.startswith(GENDERS) and c not in ("year", "position", "flow"):
            out[c] = out[c].fillna(0).astype("int64")
    return out


# --- the transition matrix -----------------------------------------------------------------------------


def _moves_only(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """Protection.after of career_transitions: published links leave out a position's link to itself
    (those who stayed in it), as career_flows leaves out `stayed`; the exact tier keeps it. The diagonal
    is the same people as the flows' `stayed`, with the same cell key: beside career_flows' start and end
    it closed start = stayed + the links out again, and an outside attack (integer bounds from the
    p-table, a unit's links against its flows, a school's against its departments') pinned hidden
    links: one man among a unit's assistant professors leaving, the women professors entering a school's
    departments (docs/privacy.md, "Periods")."""
    if f.exact:
        return cols
    return arrays.taken(
        cols, np.asarray(cols["from_position"], dtype=object) != np.asarray(cols["to_position"], dtype=object)
    )


TRANSITION_ORDER = (ENTRANT, OTHER_UNIT, OTHER_POSITION, *POSITION_CATEGORIES, LEAVER)


def _transitions_from_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """career_transitions' base table from career_cells in memory: each cell of the year marked with
    where its person came from and went to, summed per link with numpy, in the query's order."""
    if held.careers() is None:
        return None
    year = _latest(held, f.year)
    m = _in_year(held, f, year)
    place = {p: i for i, p in enumerate(TRANSITION_ORDER)}
    table = m.table

    def placed(column: str) -> np.ndarray:
        return np.array([place[p] for p in table.labels[column]] + [-1], dtype=np.int64)[m.column(column)]

    g_now, g_before = m.now_in & m.now_ok, m.before_in & m.before_ok
    entrant, leaver = m.column("prev_unit") < 0, m.column("unit") < 0
    source = np.select(
        [g_before, entrant, ~m.before_in],
        [placed("prev_position_category"), place[ENTRANT], place[OTHER_UNIT]],
        place[OTHER_POSITION],
    )
    target = np.select(
        [g_now, leaver, ~m.now_in],
        [placed("position_category"), place[LEAVER], place[OTHER_UNIT]],
        place[OTHER_POSITION],
    )
    keep = np.flatnonzero(g_now | g_before)
    links, group = np.unique(source[keep] * len(place) + target[keep], return_inverse=True)
    key = np.where(leaver, m.column("prev_rkey_sum"), m.column("rkey_sum"))[keep]
    sums = career_marks.by_gender(table, m.rows[keep], group.ravel(), len(links), m.column("people")[keep], key)
    return pd.DataFrame(
        {
            "year": np.full(len(links), year if year is not None else 0, dtype=np.int16),
            "from_position": cells.text([TRANSITION_ORDER[i] for i in links // len(place)]),
            "to_position": cells.text([TRANSITION_ORDER[i] for i in links % len(place)]),
            **sums,
        }
    )


@register(id="career_transitions", protection=flows_protection(after=_moves_only), cells=_transitions_from_cells)
def career_transitions(cur, f: Filters) -> pd.DataFrame:
    """From year t-1 to year t (f.year): how many people went from each position (or from outside:
    `entrant` employed nowhere in the organisation, `other_unit` employed in another unit,
    `other_position` in the unit outside the positions or employment type chosen) to each position (or
    to `leaver`, `other_unit`, `other_position`), by gender: the Sankey diagram's links. Only people in
    the chosen positions of the unit in one of the two years. A link of 1 to k-1 people is hidden;
    published links leave out those who stayed in their position (_moves_only), exact figures keep them.

    Check (tests/test_careers.py): unit A 2025: associate_professor -> professor 1 (P1, woman),
    associate_professor -> associate_professor 1 (P4), professor -> leaver 1 (P2), entrant -> professor 2.
    """
    year = sql.year_or_latest(cur, f.year, "career_cells")
    scope = career_scope(f, trend=False, year=year)
    g_now, g_before, _, _ = _flow_cases(f"'{ALL}'")
    source = f"""CASE WHEN {g_before} THEN prev_position_category WHEN prev_unit IS NULL THEN '{ENTRANT}'
                      WHEN NOT before_in THEN '{OTHER_UNIT}' ELSE '{OTHER_POSITION}' END"""
    target = f"""CASE WHEN {g_now} THEN position_category WHEN unit IS NULL THEN '{LEAVER}'
                      WHEN NOT now_in THEN '{OTHER_UNIT}' ELSE '{OTHER_POSITION}' END"""
    df = sql.execute(
        cur,
        f"""
        WITH cells AS ({scope}),
        marked AS (
            SELECT year, gender, people, {source} AS from_position, {target} AS to_position,
                   CASE WHEN unit IS NULL THEN prev_rkey_sum ELSE rkey_sum END AS ck
            FROM cells WHERE {g_now} OR {g_before})
        SELECT year, from_position, to_position, {COUNTS}
        FROM marked
        GROUP BY year, from_position, to_position
    """,
        scope,
        COUNTS,
    ).df()
    order = {p: i for i, p in enumerate((ENTRANT, OTHER_UNIT, OTHER_POSITION, *POSITION_CATEGORIES, LEAVER))}
    return df.sort_values(["from_position", "to_position"], key=lambda s: s.map(order)).reset_index(drop=True)


# --- time in position before promotion ------------------------------------------------------------------

WAIT_GENDERS = ("women", "men")


def _wait_counts(kind: str) -> sql.Fragment:
    """Over cells: per gender how many were promoted (kind "promoted") or still wait ("waiting"), and how
    many of them began their spell in the data (`timed`), with the key sums of the cell-key method."""
    cols = []
    for g in WAIT_GENDERS:
        who = f"gender = '{sql.GENDERS[g]}'"
        cols += [
            f"coalesce(sum(n) FILTER (WHERE {who}), 0)::BIGINT AS {kind}_{g}",
            f"coalesce(sum(ck) FILTER (WHERE {who}), 0)::BIGINT AS {kind}_{g}__ck",
            f"coalesce(sum(n) FILTER (WHERE {who} AND known), 0)::BIGINT AS {kind}_timed_{g}",
            f"coalesce(sum(ck) FILTER (WHERE {who} AND known), 0)::BIGINT AS {kind}_timed_{g}__ck",
            f"coalesce(sum(mk) FILTER (WHERE {who} AND known), 0)::BIGINT AS {kind}_timed_{g}__mk",
        ]
    return sql.Fragment(",\n    ".join(cols))


def _wait_stats(kind: str) -> sql.Fragment:
    """Over one row a person (the timed ones): per gender the median of their years, and the largest and
    second largest (the noise's scale, privacy.top_contributor_noise)."""
    cols = []
    for g in WAIT_GENDERS:
        who = f"gender = '{sql.GENDERS[g]}'"
        cols += [
            f"median(years) FILTER (WHERE {who}) AS {kind}_years_{g}",
            f"max(years) FILTER (WHERE {who}) AS {kind}_spell_{g}__max",
            f"{sql.second_largest('years').format(filter=f' FILTER (WHERE {who})')} AS {kind}_spell_{g}__max2",
        ]
    return sql.Fragment(",\n    ".join(cols))


def _wait_protection() -> Protection:
    """Counts of people (measure "people"), each hidden at 1 to k-1; a median of years is a location
    statistic of its timed people (privacy.perturb_statistic: moved by a noise of its own over their
    number) and is shown only when they are k or more."""
    counts, magnitudes, statistics, cells = {}, {}, {}, []
    for kind in ("promoted", "waiting"):
        for g in WAIT_GENDERS:
            counts[f"{kind}_{g}"] = counts[f"{kind}_timed_{g}"] = "people"
            magnitudes[f"{kind}_spell_{g}"] = f"{kind}_timed_{g}"
            statistics[f"{kind}_years_{g}"] = (f"{kind}_spell_{g}", "median_years")
            cells += [
                CellRule((f"{kind}_{g}",), (f"{kind}_{g}",)),
                CellRule((f"{kind}_timed_{g}",), (f"{kind}_timed_{g}", f"{kind}_years_{g}"), every=True),
            ]
    return Protection(
        counts=counts,
        magnitudes=magnitudes,
        statistics=statistics,
        rows=None,
        cells=tuple(cells),
        group=Group(by={"position": "position"}),
    )


def _rungs(f: Filters) -> list[str]:
    """The positions below the top of the ladder, of those chosen (every one when none is)."""
    ranks = ladder()
    top = max(ranks.values(), default=0)
    return [p for p in POSITION_CATEGORIES if p in ranks and ranks[p] < top and (not f.positions or p in f.positions)]


def _wait_columns(kind: str, m: career_marks.Marks, mask: np.ndarray, prefix: str, rungs: list[str]) -> dict:
    """_wait_counts and _wait_stats of `kind` per rung, over the cells of `mask` in memory: the position,
    spell and whether it is timed are the year before's (prefix "prev_") for the promoted, this year's
    for those waiting. Counts and key sums 0 where a rung has none (as `_waiting_rows` makes the query's)."""
    of_rung = np.full(len(m.table.labels[prefix + "position_category"]) + 1, -1, dtype=np.int64)
    for i, r in enumerate(rungs):
        code = m.table.code(prefix + "position_category", r)
        if code >= 0:
            of_rung[code] = i
    rung = of_rung[m.column(prefix + "position_category")[mask]]
    n, ck, mk = (m.column(c)[mask] for c in ("people", "rkey_sum", "mkey_sum"))
    years, known = m.column(prefix + "spell")[mask], m.column(prefix + "spell_known")[mask] == 1.0
    gender = m.column("gender")[mask]
    out = {}
    for g in WAIT_GENDERS:
        who = gender == m.table.code("gender", sql.GENDERS[g])
        for name, values, timed in (
            (f"{kind}_{g}", n, False),
            (f"{kind}_{g}__ck", ck, False),
            (f"{kind}_timed_{g}", n, True),
            (f"{kind}_timed_{g}__ck", ck, True),
            (f"{kind}_timed_{g}__mk", mk, True),
        ):
            hit = who & known if timed else who
            out[name] = np.rint(np.bincount(rung[hit], weights=values[hit], minlength=len(rungs))).astype(np.int64)
    for g in WAIT_GENDERS:
        who = gender == m.table.code("gender", sql.GENDERS[g])
        median, largest, second = [], [], []
        for i in range(len(rungs)):
            timed = who & known & (rung == i)
            # one value a person, as the query's range(n): the median and the two largest of the years
            spells = np.sort(np.repeat(years[timed], n[timed].astype(np.int64)))
            median.append(float(np.median(spells)) if len(spells) else np.nan)
            largest.append(spells[-1] if len(spells) else None)
            second.append(spells[-2] if len(spells) > 1 else None)
        out[f"{kind}_years_{g}"] = np.array(median, dtype=float)
        out[f"{kind}_spell_{g}__max"] = _smallints(largest)
        out[f"{kind}_spell_{g}__max2"] = _smallints(second)
    return out


def _smallints(values: list):
    """SMALLINT as DuckDB hands it to pandas: int16, or the nullable Int16 when a value is missing."""
    missing = np.array([v is None for v in values], dtype=bool)
    data = np.array([0 if v is None else v for v in values], dtype=np.int16)
    return pd.arrays.IntegerArray(data, missing) if missing.any() else data


def _waiting_from_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """promotion_waiting's base table from career_cells in memory: the promotions and holders of the
    year marked as the query marks them, summed per rung and gender with numpy."""
    if held.careers() is None:
        return None
    year = _latest(held, f.year)
    m = _in_year(held, f, year)
    rungs = _rungs(f)
    promotions = m.now_in & m.before_in & m.before_ok & m.promoted() & m.one_of("prev_position_category", rungs)
    holders = m.now_in & m.now_ok & m.one_of("position_category", rungs)
    cols = {
        "year": np.full(len(rungs), year if year is not None else 0, dtype=np.int16),
        "period_from": np.full(len(rungs), year if year is not None else 0, dtype=np.int64),
        # text as DuckDB hands the rungs over: its string dtype, objects when there is no rung
        "position": cells.text(rungs),
        **_wait_columns("promoted", m, promotions, "prev_", rungs),
        **_wait_columns("waiting", m, holders, "", rungs),
    }
    if year is None:  # no career cells: no rows, in the query's types
        return _waiting_rows(pd.DataFrame(cols).drop(columns="period_from"), year)
    # _waiting_rows on arrays: the rungs someone was promoted from or waits in (in the positions' order
    # already), each column as its dtype was decided over every rung, as the query's was
    keep = np.flatnonzero(sum(cols[f"{k}_{g}"] for k in ("promoted", "waiting") for g in WAIT_GENDERS) > 0)
    return arrays.frame({name: values[keep] for name, values in cols.items()})


def _waiting_rows(df: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The rungs someone was promoted from or waits in, in the positions' order, counts as whole numbers."""
    df = df[(df.filter(regex=r"^(promoted|waiting)_(women|men)$").fillna(0) > 0).any(axis=1)]
    order = {p: i for i, p in enumerate(POSITION_CATEGORIES)}
    df = df.sort_values("position", key=lambda s: s.map(order)).reset_index(drop=True)
    for c in df.columns:
        if c.endswith(("__ck", "__mk")) or c.startswith(
            ("promoted_women", "promoted_men", "waiting_women", "waiting_men", "promoted_timed", "waiting_timed")
        ):
            df[c] = df[c].fillna(0).astype("int64")
    df.insert(1, "period_from", year)
    return df


@register(id="promotion_waiting", protection=_wait_protection(), cells=_waiting_from_cells)
def promotion_waiting(cur, f: Filters) -> pd.DataFrame:
    """Per position below the top of the ladder (data/careers.toml), for women and men: how many of the
    unit were promoted from it in f.year (`promoted`), the median years they had held it
    (`promoted_years`: consecutive years in the position, the last year before the promotion included),
    and how many hold it in f.year, not (yet) promoted (`waiting`), with the median of their years in it
    so far (`waiting_years`, f.year included).

    A spell that was already running in the first year of data has an unknown start: the medians are of
    the spells that began in the data (`*_timed`), the counts of everyone. Each median is shown for k or
    more timed people and moved by a noise of its own (privacy.perturb_statistic).

    One year, never a period the reader chooses: the promotions of every window [from, year] were each a
    cell with a noise of its own, and an outside analyst solving the 55 windows of ten years as one
    integer problem recovered 28 % of the hidden yearly promotions exactly (docs/privacy.md, "Periods").
    A year's promotions from a position are career_flows' `promoted_out` of that year, the same people.
    Check (tests/test_careers.py): unit A 2025: associate_professor promoted 1 woman (P1, her spell
    began in the first year: not timed); postdoc waiting 1 man (P6, 2 years: entered 2024, f.year 2025).
    """
    year = sql.year_or_latest(cur, f.year, "career_cells")
    scope = career_scope(f, trend=False, year=year)
    rungs = _rungs(f)
    parts = [_wait_counts("promoted"), _wait_stats("promoted"), _wait_counts("waiting"), _wait_stats("waiting")]
    df = sql.execute(
        cur,
        f"""
        WITH cells AS ({scope}),
        promotions AS (
            SELECT prev_position_category AS position, gender, people AS n, rkey_sum AS ck, mkey_sum AS mk,
                   prev_spell AS years, prev_spell_known AS known
            FROM cells
            WHERE now_in AND before_in AND before_ok AND rank_now > rank_before
              AND list_contains($rungs, prev_position_category)),
        holders AS (
            SELECT position_category AS position, gender, people AS n, rkey_sum AS ck, mkey_sum AS mk,
                   spell AS years, spell_known AS known
            FROM cells
            WHERE year = $year AND now_in AND now_ok AND list_contains($rungs, position_category)),
        promoted AS (SELECT position, {parts[0]} FROM promotions GROUP BY position),
        promoted_years AS (SELECT position, {parts[1]} FROM (SELECT c.* FROM promotions c, range(c.n)) WHERE known
                           GROUP BY position),
        waiting AS (SELECT position, {parts[2]} FROM holders GROUP BY position),
        waiting_years AS (SELECT position, {parts[3]} FROM (SELECT c.* FROM holders c, range(c.n)) WHERE known
                          GROUP BY position)
        SELECT $year::SMALLINT AS year, r.position,
               p.* EXCLUDE (position), py.* EXCLUDE (position), w.* EXCLUDE (position), wy.* EXCLUDE (position)
        FROM (SELECT unnest($rungs) AS position) r
        LEFT JOIN promoted p USING (position) LEFT JOIN promoted_years py USING (position)
        LEFT JOIN waiting w USING (position) LEFT JOIN waiting_years wy USING (position)
    """,
        scope,
        *parts,
        rungs=rungs,
        year=year,
    ).df()
    return _waiting_rows(df, year)


def _period_from(cur, f: Filters) -> int | None:
    """The first year of a period: the trends' first year, but not before the first year with flows
    (the first year of data has no year before it, so nobody in it is known to be new or promoted)."""
    first = cur.execute("SELECT min(year) FROM career_cells").fetchone()[0]
    if first is None or f.year_from is None:
        return first
    return max(int(f.year_from), int(first))


# --- fixed-term and permanent contracts ----------------------------------------------------------------

CONTRACT_COUNTS = tuple(f"{g}_{t}" for g in ("women", "men") for t in ("permanent", "temporary"))


def _contract_shares(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """share_temporary_g = temporary_g / (temporary_g + permanent_g) on the published counts: the share of
    fixed-term contracts among the women (men) whose employment type is given."""
    for g in ("women", "men"):
        temporary, permanent = arrays.values(cols, f"{g}_temporary"), arrays.values(cols, f"{g}_permanent")
        share = arrays.ratio(temporary, temporary + permanent)
        # the dtype pandas gives the quotient: Float64 over nullable counts, float64 over numpy's
        nullable = not all(isinstance(cols[f"{g}_{t}"], np.ndarray) for t in ("temporary", "permanent"))
        cols[f"share_temporary_{g}"] = arrays.nullable_floats(share) if nullable else share
    return cols


def _contracts_from_cells(held: cells.Cells, f: Filters) -> pd.DataFrame:
    """contract_types' base table from the staff cells in memory: the same scope and GROUPING SETS, each
    employment type's sums over the groups of every employment type (0 where a group has none)."""
    staff = held.staff
    g = f.with_(employment_type=None)
    picked = cells.rows(staff, held.below, cell_scope(held, g), g.unit)
    parts = []
    for keys in (["year", "position_category"], ["year"]):
        if len(picked):
            stacked = np.column_stack([staff.columns[k][picked].astype(np.int64) for k in keys])
            unique, groups = np.unique(stacked, axis=0, return_inverse=True)
        else:
            unique, groups = np.zeros((0, len(keys)), dtype=np.int64), np.zeros(0, dtype=np.int64)
        groups = groups.ravel()
        part = {
            "year": unique[:, 0].astype(np.int16),
            "position": cells.labels(staff, "position_category", unique[:, 1])
            if len(keys) == 2
            else np.array([ALL] * len(unique), dtype=object),
        }
        for t in ("permanent", "temporary"):
            hit = staff.columns["employment_type"][picked] == staff.code("employment_type", t)
            sums = cells.Sum(
                "people", names="{}_" + t, key="rkey_sum", whole=True, genders=("women", "men"), total=None
            )
            part.update(cells.gender_sums(staff, picked[hit], groups[hit], len(unique), (sums,)))
        parts.append(part)
    cols = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    # in the positions' order (one year: each position once), as the query's sort gives them
    order = {p: i for i, p in enumerate((*POSITION_CATEGORIES, ALL))}
    rows = np.argsort(np.array([order.get(p, len(order)) for p in cols["position"]], dtype=np.int64), kind="stable")
    cols = {name: a[rows] for name, a in cols.items()}
    cols["position"] = cells.text(cols["position"])
    return arrays.frame(cols)


@register(
    cells=_contracts_from_cells,
    id="contract_types",
    protection=Protection(
        counts={c: "people" for c in CONTRACT_COUNTS},
        derive=_contract_shares,
        rows=Suppression(counts=CONTRACT_COUNTS, total=None, hide=("share_temporary_women", "share_temporary_men")),
    ),
)
def contract_types(cur, f: Filters) -> pd.DataFrame:
    """Fixed-term (visstid) and permanent (tillsvidare) contracts by gender and position, and in all
    positions chosen, one year (f.year): counts and each gender's share on fixed-term contracts. The
    employment-type filter does not apply (the table is by employment type). Each count is the cell of
    those people in `representation` with that employment type chosen; a row is hidden when one of its
    four counts is 1 to k-1.
    """
    scope = staff_scope(cur, f.with_(employment_type=None))
    counts = sql.select_list(
        *(
            sql.gender_sums(
                "sum(people)",
                key="sum(rkey_sum)",
                within=f"employment_type = '{t}'",
                names="{}_" + t,
                genders=("women", "men"),
                total=None,
                cast="BIGINT",
            )
            for t in ("permanent", "temporary")
        )
    )
    df = sql.execute(
        cur,
        f"""
        WITH scope AS ({scope})
        SELECT year, coalesce(position_category, '{ALL}') AS position, {counts}
        FROM scope
        GROUP BY GROUPING SETS ((year, position_category), (year))
    """,
        scope,
        counts,
    ).df()
    order = {p: i for i, p in enumerate((*POSITION_CATEGORIES, ALL))}
    return df.sort_values("position", key=lambda s: s.map(order)).reset_index(drop=True)


# --- newly recruited professors against the target ---------------------------------------------------

NEW_PROFESSOR_COUNTS = ("women", "men", "other", "total")
PERIOD_COUNTS = tuple(f"{g}_period" for g in NEW_PROFESSOR_COUNTS)


def _new_professor_shares(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """share_women of the year and of the period (W / (W + M), published counts), and whether the
    period's share has reached the target (`on_course`: at least the target, as the government's
    target reads), on arrays."""
    cols = share_columns(cols)
    women, men = arrays.values(cols, "women_period"), arrays.values(cols, "men_period")
    share = arrays.ratio(women, women + men)
    nullable = not all(isinstance(cols[c], np.ndarray) for c in ("women_period", "men_period"))
    # the dtype pandas gives W / (W + M): Float64 over nullable counts (the exact tier's are; publishing
    # rounds it to float64), NA where missing
    cols["share_women_period"] = arrays.nullable_floats(share) if nullable else share
    with np.errstate(invalid="ignore"):
        cols["on_course"] = arrays.flags(share >= arrays.values(cols, "target"), np.isnan(share))
    return cols


NEW_PROFESSOR_PROTECTION = Protection(
    counts={c: "people" for c in NEW_PROFESSOR_COUNTS + PERIOD_COUNTS},
    derive=_new_professor_shares,
    rows=Suppression(
        counts=("women", "men", "other"), total=None, hide=("share_women", "ci_low", "ci_high", "balanced")
    ),
    cells=(
        CellRule(("total",), ("total",)),
        CellRule(("other",), ("total",)),
        CellRule(("women_period", "men_period"), ("women_period", "men_period", "share_women_period", "on_course")),
        # a small other/unknown count is hidden with the total it would be the difference of
        CellRule(("other_period",), ("other_period", "total_period")),
        CellRule(("total_period",), ("total_period",)),
    ),
)


def new_professors_by_year(cur, f: Filters) -> pd.DataFrame:
    """The newly recruited professors of each year of f.year_from..f.year_to (every year of the scope, 0
    where none), by gender, with the sums of their record keys."""
    scope = career_scope(f)
    new = f"now_in AND now_ok AND {_counted_professor('c.')} AND NOT coalesce({_counted_professor('c.prev_')}, false)"
    df = sql.execute(
        cur,
        f"""
        WITH c AS ({scope}),
        years AS (
            SELECT year, {COUNTS} FROM (SELECT year, gender, people, rkey_sum AS ck FROM c WHERE {new})
            GROUP BY year)
        SELECT d.year, y.* EXCLUDE (year)
        FROM (SELECT DISTINCT year FROM c) d LEFT JOIN years y USING (year)
        ORDER BY year
    """,
        scope,
        COUNTS,
        excluded=excluded_titles(),
    ).df()
    for c in df.columns:
        if c != "year":
            df[c] = df[c].fillna(0).astype("int64")
    return df


def unit_target(cur, unit: str, year: int | None) -> tuple[float, int | None, str]:
    """The new-professor target of the unit: its own from its plan for `year` (a measure, not dropped,
    linked to new_professors with a target value, [link.plan] in columns.toml; the nearest target year first, then the newest
    measure, as the scorecard reads a unit's own target), else goals.toml [careers]
    new_professor_target. (value, target year, "plan" | "goals")."""
    targets = (
        ()
        if year is None
        else cur.execute(
            f"SELECT * FROM ({cells.PLAN_TARGETS}) WHERE unit = $unit AND year = $year", {"unit": unit, "year": year}
        ).fetchall()
    )
    return target_in(targets, unit, year)


def target_in(targets, unit: str, year: int | None) -> tuple[float, int | None, str]:
    """`unit_target` among the plans' targets `targets` (rows of cells.PLAN_TARGETS, as queried or held)."""
    own = [t for t in targets if t[0] == unit and t[1] == year and t[2] == "new_professors"]
    if year is not None and own:
        # the nearest target year first (none last), then the newest measure
        value, target_year = min(own, key=lambda t: (t[4] is None, t[4] or 0, -t[5]))[3:5]
        return float(value), None if target_year is None else int(target_year), "plan"
    return float(settings.goals().get("careers", {}).get("new_professor_target", 0.5)), None, "goals"


def _new_professors_from_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """new_professors' base table from the snapshot in memory: each year's newly recruited professors
    summed from career_cells with numpy, the first, last and complete years, the unit's target and the
    national figure from what the snapshot's cells hold."""
    m = career_marks.marks(held, f.with_(positions=()), ladder(), None, None)
    careers = held.careers()
    if m is None or careers.benchmarks is None:
        return None
    excluded = excluded_titles()

    def counted(prefix: str) -> np.ndarray:
        # _counted_professor, NULL for NULL: a title that is missing is no professor's that counts
        title = m.column(prefix + "title")
        return (
            m.label_is(prefix + "position_category", "professor") & (title >= 0) & ~m.one_of(prefix + "title", excluded)
        )

    new = np.flatnonzero(m.now_in & m.now_ok & counted("") & ~counted("prev_"))
    years, at = np.unique(m.column("year"), return_inverse=True)
    sums = career_marks.by_gender(
        m.table, m.rows[new], at.ravel()[new], len(years), m.column("people")[new], m.column("rkey_sum")[new]
    )
    everything = {"year": years.astype(np.int16), **sums}
    known = careers.table.years
    first, last = (int(known[0]), int(known[-1])) if len(known) else (None, None)
    year = _latest(held, f.year)
    national = held.once(("references", year), lambda: benchmarks.references_in(benchmarks.held_national(held), year))
    return _new_professors_table(
        everything,
        f,
        (first, last, careers.complete_year),
        target_in(careers.targets, f.unit, year),
        benchmarks.first_reference(national, ("new_professor", "professor")),
    )


def _new_professors_table(
    everything: arrays.Columns, f: Filters, years: tuple, target: tuple, national
) -> pd.DataFrame:
    """new_professors from each year's counts (`new_professors_by_year` of every year, as columns), the
    first and last year of career_cells and the latest complete year, the unit's target and the
    national figure; on arrays, the dtypes those of the columns set on a DataFrame (`arrays.constant`)."""
    year = np.asarray(everything["year"])
    low = f.year_from if f.year_from is not None else -np.inf
    high = f.year_to if f.year_to is not None else np.inf
    rows = np.flatnonzero((year >= low) & (year <= high))
    first, last, complete = years
    # the period: the first year with flows to the latest complete year (the year a page opens on; a
    # year imported for part of the organisation adds no window), whatever years are asked for
    last = min(last, complete) if last is not None and complete is not None else last
    period = year >= (first if first is not None else 0)
    n = len(rows)
    is_last = year[rows] == last if last is not None else np.zeros(n, dtype=bool)
    out = {"year": year[rows], "period_from": arrays.constant(first, n), "period_to": arrays.constant(last, n)}
    out.update({name: np.asarray(a)[rows] for name, a in everything.items() if name != "year"})
    for g in NEW_PROFESSOR_COUNTS:
        for suffix in ("", KEY):
            value = int(np.asarray(everything[g + suffix])[period].sum())
            out[f"{g}_period{suffix}"] = arrays.nullable_ints(np.full(n, value, dtype=np.int64), ~is_last)
    for name, value in zip(("target", "target_year", "target_source"), target):
        out[name] = arrays.constant(value, n)
    out["national_share"] = arrays.constant(national.share if national else np.nan, n)
    out["national_category"] = arrays.constant(national.category if national else None, n)
    out["national_year"] = arrays.constant(national.year if national else pd.NA, n)
    out["national_source"] = arrays.constant(national.source if national else None, n)
    return arrays.frame(out)


@register(id="new_professors", protection=NEW_PROFESSOR_PROTECTION, cells=_new_professors_from_cells)
def new_professors(cur, f: Filters) -> pd.DataFrame:
    """Newly recruited professors by the government's definition (data/careers.toml: a professor this
    year who was not one the year before anywhere in the organisation, recruited or promoted; visiting
    professors counted, adjunct titles not), per year of f.year_from..f.year_to and over the period so
    far (from f.year_from, or the first year with flows), with women's share, against the unit's target
    (its own from its plan, else goals.toml) and the national share beside it (benchmarks: the newly
    recruited professors' when a benchmark gives it, else all professors').

    A professor who moves in from another unit of the organisation is no new professor (the
    organisation recruited nobody). The position filter does not apply (the table is of professors);
    the employment type does. Each year's count is a cell of its people's keys of that year; the
    period is one cell of every person-year in it, from the first year with flows to the latest complete
    year, shown only on that year's row (the period so far, the target's measure).

    One period, fixed by the data, never one the reader chooses: with the start at `--from`, every
    window [from, year] was a cell with a noise of its own, and an outside analyst solving the 55
    windows of ten years (and the employment types) as one integer problem recovered 35 % of the hidden
    yearly counts of 1-4 new professors exactly (docs/privacy.md, "Periods"). A sum of the published
    years instead would hide the whole period from the first hidden year on (at the whole university
    too). One window per unit and employment type adds one noisy sum to the years, as any total does.
    Check (tests/test_careers.py): unit A 2025: 2 women (P1 promoted, P8 visiting),
    0 men (P9 adjunct not counted).
    """
    # Every year once: the period needs them all, and the years asked are rows of the same table (a
    # year's count does not depend on the range), so one query on career_cells serves both.
    everything = new_professors_by_year(cur, f.with_(positions=(), year_from=None, year_to=None))
    first, last = cur.execute("SELECT min(year), max(year) FROM career_cells").fetchone()
    complete = data_years.default_year(data_years.coverage(cur))
    year = sql.year_or_latest(cur, f.year, "career_cells")
    return _new_professors_table(
        arrays.columns_of(everything),
        f,
        (first, last, complete),
        unit_target(cur, f.unit, year),
        benchmarks.reference(cur, ("new_professor", "professor"), year),
    )
