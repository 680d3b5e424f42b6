"""Data-quality flags before anyone signs the art. 9 report (issue 21), modelled on Egapro's confidence
index: what in the year's files makes a figure of the report less than it says, counted by person, and
one confidence figure, the share of the people in the report that no flag touches.

Egapro (the French index, SocialGouv/egapro) stores, per indicator, why it could not be computed
(`non_calculable`: too few valid groups, no raises, ...) and rates its declarations' reliability; the
art. 9 report here carries the same: each part says why it is empty (transparency.py's notes), and
these flags say what HR should look at before signing. Each flag is a count of people, in exact
figures: the report and these flags are HR's (docs/privacy.md, "Who sees what"), never a viewer's.

* part_time_without_hours: part-time staff (FTE under 1) without contracted or annual hours. They have
  no hourly pay (scope.HOURS never guesses one) and are outside (a)-(g) on hourly pay.
* without_components: staff with a salary and no pay components in a year that has components: they
  are outside annual and hourly pay.
* components_without_basic: people paid components but no basic pay (a supplement or a bonus alone):
  a payroll export cut short, or pay booked under the wrong component.
* pay_far_outside_group: a full-time monthly salary under half or over twice the median of its
  position category in the unit (a typing error, an annual amount, a wrong position).
* long_leave: 180 days or more of parental or sick leave in the year: their annual pay is not a
  year's pay, and comparisons of annual pay carry it.
* job_not_evaluated: in a year with a job evaluation, people whose job has no points: they are outside
  the value groups of (g) and of equal_value.
"""

from __future__ import annotations

import pandas as pd

from ...store import sql
from .evaluation import job_key, job_values

FLAGS = (
    "part_time_without_hours",
    "without_components",
    "components_without_basic",
    "pay_far_outside_group",
    "long_leave",
    "job_not_evaluated",
)
LONG_LEAVE_DAYS = 180


def flags(cur, year: int, unit: str = sql.ALL_UNITS) -> pd.DataFrame:
    """One row per flag: code, people (how many people it touches), share (of the people with a salary
    in the unit and year). Exact figures."""
    rows = sql.in_units("staff", [unit])
    values = job_values()
    q = sql.statement(
        f"""
        WITH s AS (SELECT * FROM {rows} r WHERE r.year = $year AND r.monthly_salary > 0),
        c AS (SELECT person_key, count(*) AS n, count(*) FILTER (WHERE component = 'basic') AS basic
              FROM pay_components WHERE year = $year GROUP BY person_key),
        medians AS (SELECT unit, position_category, median(monthly_salary) AS m FROM s GROUP BY ALL),
        evaluated AS (SELECT count(*) > 0 AS has_any FROM ({values}) WHERE year = $year),
        flagged AS (
            SELECT s.person_key,
                   coalesce(s.fte, 1) < 1 AND s.weekly_hours IS NULL AND s.annual_hours IS NULL AS part_time_without_hours,
                   c.person_key IS NULL AND (SELECT count(*) FROM c) > 0 AS without_components,
                   coalesce(c.n, 0) > 0 AND coalesce(c.basic, 0) = 0 AS components_without_basic,
                   s.monthly_salary < 0.5 * md.m OR s.monthly_salary > 2 * md.m AS pay_far_outside_group,
                   coalesce(s.parental_leave_days, 0) >= {LONG_LEAVE_DAYS}
                       OR coalesce(s.sick_leave_days, 0) >= {LONG_LEAVE_DAYS} AS long_leave,
                   (SELECT has_any FROM evaluated) AND v.job IS NULL AS job_not_evaluated
            FROM s
            LEFT JOIN c USING (person_key)
            LEFT JOIN medians md USING (unit, position_category)
            LEFT JOIN ({values}) v ON v.year = s.year AND v.job = {job_key("s.position")})
        SELECT count(*) AS people, {", ".join(f"count(*) FILTER (WHERE {f}) AS {f}" for f in FLAGS)},
               count(*) FILTER (WHERE {" OR ".join(FLAGS)}) AS any_flag
        FROM flagged""",
        rows,
        values,
        year=year,
    )
    counts = cur.execute(q.sql, dict(q.params)).df().iloc[0]
    people = int(counts["people"])
    out = pd.DataFrame({"flag": list(FLAGS), "people": [int(counts[f]) for f in FLAGS]})
    out["share"] = out["people"] / people if people else float("nan")
    out.attrs["people"] = people
    out.attrs["any_flag"] = int(counts["any_flag"])
    return out


def confidence(table: pd.DataFrame) -> float | None:
    """The confidence index: the share of the people in the report that no flag touches (1.0: none is
    flagged). None without people."""
    people = table.attrs.get("people", 0)
    return None if not people else 1 - table.attrs.get("any_flag", 0) / people
