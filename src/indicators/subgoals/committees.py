"""Committees (sub-goal 1, power and influence; GEP: leadership and decision-making).

Who sits on the university's decision-making and preparatory bodies. Seats are public (members of
boards and committees are listed openly), so nothing here is suppressed (docs/privacy.md, "Privacy").

A body's balance counts its voting seats (issue 3: "voting seats by gender, secretaries excluded"):
every seat except the secretary's (docs/data-formats.md, "Data formats": "Secretaries' seats do not count towards a
body's balance") and the deputies' (suppleanter vote only in a member's absence, so counting them would
let a body reach balance through its substitutes); a seat without a role counts as a member's.
Shares are women / (women + men); other or unknown gender is counted and shown but outside the share.
A unit includes its sub-units; bodies with no unit belong only to the whole organisation ('*').
"""

from __future__ import annotations

import pandas as pd

from .. import settings
from ..protect.registry import Filters, register, scopes, unscoped
from ..store import sql
from .shares import add_share_columns

ALL_TYPES = "all"
BODY_TYPE_ORDER = {"decision-making": 0, "preparatory": 1, "other": 2, ALL_TYPES: 3}


def seats(cur, f: Filters, *, one_year: bool) -> sql.Fragment:
    """Seats in the subtree of each unit of registry.scopes(f) (`scope`: which of them), in the year
    (one_year: f.year, else the latest with committees) or f.year_from..f.year_to; the whole
    organisation ('*') has every seat, those of bodies without a unit too. A missing body type counts
    as 'other', a missing role as a member's."""
    rows = sql.in_units("committees", scopes(f), unplaced=True)
    years = (
        sql.in_year("c.year", sql.year_or_latest(cur, f.year, "committees"))
        if one_year
        else sql.year_range("c.year", f.year_from, f.year_to)
    )
    return sql.statement(
        f"""
    SELECT c.scope, c.year, c.body, coalesce(c.body_type, 'other') AS body_type, c.unit, c.gender,
           coalesce(c.role, 'member') AS role
    FROM {rows} c
    WHERE {years}""",
        rows,
        years,
    )


# One row per body and year: voting seats by gender, chairs by gender.
VOTING = "role NOT IN ('secretary', 'deputy')"
BODIES = sql.statement(f"""
    SELECT scope, year, body, min(body_type) AS body_type, min(unit) AS unit,
           {sql.gender_sums("count(*)", within=VOTING, zero=False)},
           {sql.gender_sums("count(*)", within="role = 'chair'", names="chairs_{}", total=None, zero=False)},
           CASE count(DISTINCT gender) FILTER (WHERE role = 'chair')
                WHEN 0 THEN NULL
                WHEN 1 THEN min(gender) FILTER (WHERE role = 'chair')
                ELSE 'several' END AS chair_gender
    FROM seats
    GROUP BY scope, year, body
""")


@register(id="committee_bodies")
def committee_bodies(cur, f: Filters) -> pd.DataFrame:
    """Per body: voting seats by gender, share_women = W / (W + M), balanced (40/60, goals.toml), chair."""
    in_scope = seats(cur, f, one_year=True)
    df = sql.execute(
        cur,
        f"""
        WITH seats AS ({in_scope}), bodies AS ({BODIES})
        SELECT year, body, body_type, unit, women, men, other, total, chair_gender
        FROM bodies ORDER BY year, unit NULLS FIRST, body
    """,
        in_scope,
    ).df()
    df = add_share_columns(df)
    return df[
        [
            "year",
            "body",
            "body_type",
            "unit",
            "women",
            "men",
            "other",
            "total",
            "share_women",
            "ci_low",
            "ci_high",
            "balanced",
            "chair_gender",
        ]
    ]


@register(id="committee_summary", scoped=True, every_unit=True)
def committee_summary(cur, f: Filters) -> pd.DataFrame:
    """Per year (f.year_from..f.year_to; default every year) and body type, plus 'all'.

    A body is balanced when 40 % <= W / (W + M) <= 60 % of its voting seats (goals.toml edges).
    share_women = ΣW / (ΣW + ΣM) over every seat (a seat-weighted share, so large bodies weigh more);
    share_chairs_women = chairs held by women / chairs held by women or men.
    """
    in_scope = seats(cur, f, one_year=False)
    df = sql.execute(
        cur,
        f"""
        WITH seats AS ({in_scope}), bodies AS ({BODIES}),
             judged AS (SELECT *, coalesce({settings.balance_sql("women / nullif(women + men, 0)")}, false) AS ok
                        FROM bodies)
        SELECT scope, year, coalesce(body_type, '{ALL_TYPES}') AS body_type,
               count(*) AS bodies, count(*) FILTER (WHERE ok) AS bodies_balanced,
               sum(women)::BIGINT AS women, sum(men)::BIGINT AS men, sum(other)::BIGINT AS other,
               sum(total)::BIGINT AS total,
               sum(chairs_women)::BIGINT AS chairs_women, sum(chairs_men)::BIGINT AS chairs_men,
               sum(chairs_other)::BIGINT AS chairs_other
        FROM judged
        GROUP BY GROUPING SETS ((scope, year, body_type), (scope, year))
    """,
        in_scope,
    ).df()
    df = df.sort_values(
        ["scope", "year", "body_type"], key=lambda s: s.map(BODY_TYPE_ORDER).fillna(2.5) if s.name == "body_type" else s
    ).reset_index(drop=True)
    df["share_bodies_balanced"] = df["bodies_balanced"] / df["bodies"]
    df = add_share_columns(df)
    chairs = df["chairs_women"] + df["chairs_men"]
    df["share_chairs_women"] = (df["chairs_women"] / chairs).where(chairs > 0)
    return unscoped(df, f)
