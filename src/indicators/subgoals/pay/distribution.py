"""The salary distribution: percentiles by gender per position, for a box plot."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...protect import arrays
from ...protect.privacy import Group, Protection, Suppression
from ...protect.registry import Filters, register
from ...store import cells, salaries, sql
from ..representation import ALL_POSITIONS
from . import in_memory
from .scope import in_order, measured, pay_scope, snapshot

PERCENTILES = (("p10", 0.10), ("p25", 0.25), ("median", 0.50), ("p75", 0.75), ("p90", 0.90))


def _percentile_sql(name: str, q: float) -> str:
    # Interpolated percentile at rank (n-1)q (quantile_cont, R's type 7); whether it is shown is `_box`'s.
    return f"quantile_cont(pay, {q}) AS {name}"


PERCENTILE_NAMES = tuple(name for name, _ in PERCENTILES)


def _box(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """derive for salary_distribution: each percentile has a noise of its own, so in a small group two
    neighbours can cross; a box then keeps its median (the median pay_gap shows for the same people)
    and takes each percentile below it at most, each above at least, its inner neighbour (p25 <= median
    <= p75, p10 <= p25, p75 <= p90): a box plot that reads, and no figure it did not publish."""
    cols = {k: a for k, a in cols.items() if k != "salary"}
    if all(isinstance(cols.get(name), np.ndarray) and cols[name].dtype.kind == "f" for name in PERCENTILE_NAMES):
        # on the column arrays (arrays.py): the pandas steps below cost 2-3 ms a table, numpy's 0.1
        return _boxed(cols, f.exact)
    # A percentile of another dtype (nullable, objects): pandas' steps, which keep it, on a DataFrame.
    df = arrays.frame(cols)
    # A percentile at rank (n-1)q is shown only when that rank is at least 1 from either end: otherwise
    # it is a mix of the lowest (or highest) salary and its neighbour, and with the next percentile
    # (often an exact order statistic) the lowest salary could be solved for. So p25/p75 need n >= 5,
    # p10/p90 n >= 11: judged on the n the reader sees (the published one), since a rule on the true n
    # would pin it (a p10 beside a published 10 would say 11 or more). The median is not held to it: it
    # is pay_gap's median of the same people, shown there for every group the k-rule lets through.
    n = df["n"].astype(float)
    for name, q in PERCENTILES:
        if name != "median":
            df[name] = df[name].where((n - 1) * min(q, 1 - q) >= 1 - 1e-9)
    if not f.exact:
        for outer, inner in (("p25", "median"), ("p10", "p25"), ("p75", "median"), ("p90", "p75")):
            crossed = (df[outer] > df[inner]) if outer in ("p25", "p10") else (df[outer] < df[inner])
            df[outer] = df[outer].where(~crossed, df[inner])
    return arrays.columns_of(df)


def _boxed(cols: arrays.Columns, exact: bool) -> arrays.Columns:
    """`_box`'s two steps on float arrays, the same figures: a comparison with a missing value is false,
    as in pandas, so a missing n hides the percentile and a missing neighbour moves nothing."""
    n = arrays.values(cols, "n")
    with np.errstate(invalid="ignore"):
        for name, q in PERCENTILES:
            if name != "median":
                cols[name] = np.where((n - 1) * min(q, 1 - q) >= 1 - 1e-9, cols[name], np.nan)
        if exact:
            return cols
        for outer, inner in (("p25", "median"), ("p10", "p25"), ("p75", "median"), ("p90", "p75")):
            crossed = (cols[outer] > cols[inner]) if outer in ("p25", "p10") else (cols[outer] < cols[inner])
            cols[outer] = np.where(crossed, cols[inner], cols[outer])
    return cols


DISTRIBUTION_PROTECTION = Protection(
    counts={"n": "people", "women": "people", "men": "people"},
    magnitudes={"salary": "n"},
    # Each percentile a noise of its own; the median's is pay_gap's median's (the same statistic of the
    # same people).
    statistics={name: ("salary", name) for name in PERCENTILE_NAMES},
    derive=_box,
    rows=Suppression(counts=("women", "men"), total=None, every_gender=True, hide=("n",) + PERCENTILE_NAMES),
    group=Group(by={"position": "position"}),
)


def _distribution_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """`salary_distribution` from the year's salaries in memory: each position's and all positions'
    women and men (a row each, in every position anyone holds, a gender with nobody as 0), their
    percentiles by DuckDB's quantile_cont (salaries.quantile_cont). None for another measure of pay."""
    p = in_memory.picked(held, f)
    if p is None:
        return None
    s = p.salaries
    positions, by_position = in_memory.codes(p.column("position_category"))
    n_pos = len(positions)
    # groups 0..n_pos-1: the positions; n_pos: every position (GROUPING SETS ((position, gender), (gender)))
    woman = p.column("woman")
    groups = np.concatenate([by_position, np.full(len(p.rows), n_pos)]) * 2 + np.tile(woman, 2)
    n = 2 * (n_pos + 1) if len(p.rows) else 0
    order, starts, counts = salaries.segments(groups, n)
    pay = np.tile(p.column("pay"), 2)
    ranked = pay[order]
    keys = {
        k: np.rint(np.bincount(groups, weights=np.tile(p.column(k), 2), minlength=n)).astype(np.int64)
        for k in ("rkey", "mkey")
    }
    last = starts + counts - 1
    has = counts > 0
    cols = {
        "year": np.full(n, p.year, dtype=np.int32),
        "position": np.repeat(np.array([*s.labels["position_category"][positions], ALL_POSITIONS], dtype=object), 2)[
            :n
        ],
        "gender": np.array(["man", "woman"] * (n // 2), dtype=object),
        "n": counts.astype(np.int64),
        "n__ck": keys["rkey"],
        "n__mk": keys["mkey"],
    }
    women, men = counts[1::2], counts[0::2]
    women_ck, men_ck = keys["rkey"][1::2], keys["rkey"][0::2]
    cols["women"] = np.repeat(women, 2).astype(np.int32)
    cols["women__ck"] = np.repeat(women_ck, 2).astype(np.int64)
    cols["men"] = np.repeat(men, 2).astype(np.int32)
    cols["men__ck"] = np.repeat(men_ck, 2).astype(np.int64)
    cols["salary"] = np.bincount(groups, weights=pay, minlength=n).astype(float)
    at = np.maximum(last, 0)
    cols["salary__max"] = np.where(has, ranked[at] if n else np.nan, np.nan)
    cols["salary__max2"] = np.where(counts > 1, ranked[np.maximum(last - 1, 0)] if n else np.nan, np.nan)
    for name, q in PERCENTILES:
        cols[name] = salaries.quantile_cont(ranked, starts, counts, q, s.fused)
    return in_memory.frame(in_memory.ordered(cols, ["position", "gender"]), f)


@register(id="salary_distribution", protection=DISTRIBUTION_PROTECTION, cells=_distribution_cells)
def salary_distribution(cur, f: Filters) -> pd.DataFrame:
    """Long form, a row per position and gender; both genders' counts on each row for suppression.
    Both genders have a row in every position anyone holds (a gender with nobody: n 0, no percentiles),
    so that a hidden position says nothing of which gender it lacks.

    Protection (DISTRIBUTION_PROTECTION): a percentile is an order statistic of the group (or a mix
    of two neighbouring ones), so it can be one person's salary. Each is moved by a noise of its own
    (privacy.perturb_statistic, the size of the group's mean's) and published in whole hundreds: no
    percentile is any salary exactly, no two of them differ exactly by what the salaries do, and the
    same group shows the same figures everywhere (its median is pay_gap's median for the same people). On top, as before: a position is shown only with k women and k men, and a
    percentile only where its rank is at least 1 from either end (never the lowest or highest salary).
    """
    f = snapshot(cur, f)
    scope = pay_scope(cur, f)
    df = sql.execute(
        cur,
        f"""
        WITH scope AS ({scope}),
        by_gender AS (
            SELECT coalesce(position_category, '{ALL_POSITIONS}') AS position, gender,
                   count(*) AS n, sum(rkey)::BIGINT AS n__ck, sum(mkey)::BIGINT AS n__mk,
                   sum(pay) AS salary, max(pay) AS salary__max,
                   max(pay, 2)[2] AS salary__max2,
                   {", ".join(_percentile_sql(name, q) for name, q in PERCENTILES)}
            FROM scope
            GROUP BY GROUPING SETS ((position_category, gender), (gender))
        ),
        -- A row for women and one for men in every position anyone holds, a gender with nobody as 0:
        -- were the empty gender's row missing, a hidden position would tell which gender it lacks.
        every_gender AS (
            SELECT p.position, g.gender,
                   coalesce(b.n, 0) AS n, coalesce(b.n__ck, 0) AS n__ck, coalesce(b.n__mk, 0) AS n__mk,
                   coalesce(b.salary, 0) AS salary, b.salary__max, b.salary__max2,
                   {", ".join(f"b.{name}" for name, _ in PERCENTILES)}
            FROM (SELECT DISTINCT position FROM by_gender) p
            CROSS JOIN (VALUES ('woman'), ('man')) g(gender)
            LEFT JOIN by_gender b USING (position, gender)
        )
        SELECT $year::INTEGER AS year, position, gender, n, n__ck, n__mk,
               sum(CASE WHEN gender = 'woman' THEN n ELSE 0 END) OVER (PARTITION BY position)::INTEGER     AS women,
               sum(CASE WHEN gender = 'woman' THEN n__ck ELSE 0 END) OVER (PARTITION BY position)::BIGINT AS women__ck,
               sum(CASE WHEN gender = 'man' THEN n ELSE 0 END) OVER (PARTITION BY position)::INTEGER       AS men,
               sum(CASE WHEN gender = 'man' THEN n__ck ELSE 0 END) OVER (PARTITION BY position)::BIGINT   AS men__ck,
               salary, salary__max, salary__max2,
               {", ".join(name for name, _ in PERCENTILES)}
        FROM every_gender
    """,
        scope,
        year=f.year,
    ).df()
    return measured(in_order(df, ["position", "gender"]), f)
