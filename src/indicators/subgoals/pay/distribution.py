"""The salary distribution: percentiles by gender per position, for a box plot."""

from __future__ import annotations

import pandas as pd

from ...protect.privacy import Protection, Suppression
from ...protect.registry import Filters, register
from ...store import sql
from ..representation import ALL_POSITIONS
from .scope import in_order, measured, pay_scope, snapshot

PERCENTILES = (("p10", 0.10), ("p25", 0.25), ("median", 0.50), ("p75", 0.75), ("p90", 0.90))


def _percentile_sql(name: str, q: float) -> str:
    # Interpolated percentile at rank (n-1)q (quantile_cont, R's type 7); whether it is shown is `_box`'s.
    return f"quantile_cont(pay, {q}) AS {name}"


PERCENTILE_NAMES = tuple(name for name, _ in PERCENTILES)


def _box(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """derive for salary_distribution: each percentile has a noise of its own, so in a small group two
    neighbours can cross; a box then keeps its median (the median pay_gap shows for the same people)
    and takes each percentile below it at most, each above at least, its inner neighbour (p25 <= median
    <= p75, p10 <= p25, p75 <= p90): a box plot that reads, and no figure it did not publish."""
    df = df.drop(columns="salary")
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
    if f.exact:
        return df
    for outer, inner in (("p25", "median"), ("p10", "p25"), ("p75", "median"), ("p90", "p75")):
        crossed = (df[outer] > df[inner]) if outer in ("p25", "p10") else (df[outer] < df[inner])
        df[outer] = df[outer].where(~crossed, df[inner])
    return df


DISTRIBUTION_PROTECTION = Protection(
    counts={"n": "people", "women": "people", "men": "people"},
    magnitudes={"salary": "n"},
    # Each percentile a noise of its own; the median's is pay_gap's median's (the same statistic of the
    # same people).
    statistics={name: ("salary", name) for name in PERCENTILE_NAMES},
    derive=_box,
    rows=Suppression(counts=("women", "men"), total=None, every_gender=True, hide=("n",) + PERCENTILE_NAMES),
)


@register(id="salary_distribution", protection=DISTRIBUTION_PROTECTION)
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
