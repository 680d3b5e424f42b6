"""What a joint pay assessment (Directive 2023/970 art. 10) holds beside the art. 9 figures: the share of
women and of men who got a raise in the year after returning from parental leave, against those who
took no leave (art. 10(2)(d)... the directive's list: "the proportion of female and male workers who
benefited from any improvement in pay following their return from maternity or paternity leave,
parental leave or carers' leave").

From the person keys across years (the pseudonyms are the same every year; privacy.py): a person of
year t who was also on the staff in t-1, both years with a salary, is *returned* when the staff sheet
of t-1 gives parental leave days above 0, and *no leave* otherwise (0 or not given, in a year whose
sheet gives the column at all); *raised* when the full-time monthly salary of t is above that of t-1.
The full-time salary, so that going back to part time after leave is not read as a cut, nor a return to
full time as a raise. Share raised = raised / persons, per gender and group.

Egapro's indicator 4 (the share of women raised in the year after maternity leave) is the same
question for one gender; the directive asks it of both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...protect import arrays, privacy
from ...protect.privacy import CellRule, Protection, Suppression
from ...protect.registry import Filters, register
from ...store import cells, sql
from ..representation import staff_scope
from .scope import TWO, snapshot

GROUPS = ("returned", "no_leave")
RAISED = "raised"  # the measure of the raised counts (their own noise: privacy.measure_offset)
NOT_RAISED = "not_raised"


def raise_rows(cur, f: Filters, where: sql.Fragment | None = None) -> sql.Fragment:
    """One row per person of f.year (in f's unit, women and men) who was on the staff with a salary in
    f.year - 1 too: gender, keys, group (returned / no_leave) and raised (the module docstring). `where`
    narrows the people of f.year (a category of the art. 10 assessment).

    The year before is read only for the people of f.year (`IN`): the whole organisation's rows of
    that year are otherwise hashed for a join that keeps a unit's few (at scale 1, 100 000 rows for a
    department's 10 000; the query took 1.7 times as long). Whether the sheet gives leave at all is an
    EXISTS, which stops at the first row that does."""
    rows = staff_scope(cur, f.with_(positions=()), "staff")
    narrow = sql.both(where) if where is not None else sql.Fragment("true")
    return sql.statement(
        f"""
        WITH now AS (SELECT * FROM ({rows}) s WHERE s.monthly_salary > 0 AND s.gender IN ('woman', 'man') AND {narrow}),
        before AS (SELECT person_key, monthly_salary AS salary_before, parental_leave_days AS leave_before
                   FROM staff WHERE year = $year - 1 AND monthly_salary > 0
                     AND person_key IN (SELECT person_key FROM now)),
        given AS (SELECT EXISTS (SELECT 1 FROM staff WHERE year = $year - 1 AND parental_leave_days IS NOT NULL)
                  AS leave_given)
        SELECT n.gender, n.rkey, n.mkey,
               CASE WHEN coalesce(b.leave_before, 0) > 0 THEN 'returned' ELSE 'no_leave' END AS grp,
               n.monthly_salary > b.salary_before AS raised
        FROM now n JOIN before b USING (person_key)
        WHERE (SELECT leave_given FROM given)""",
        rows,
        narrow,
        year=f.year,
    )


def raise_counts(cur, f: Filters, where: sql.Fragment | None = None) -> pd.DataFrame:
    """The base table: per group, women and men, and the raised and not raised among them, each count
    with its key sums (the raised ones moved to their own measures)."""
    people = raise_rows(cur, f, where)
    raised = privacy.measure_offset(RAISED, "people")
    not_raised = privacy.measure_offset(NOT_RAISED, "people")
    df = sql.execute(
        cur,
        f"""
        WITH p AS ({people})
        SELECT g.grp AS "group",
               {sql.gender_sums("count(p.rkey)", key="sum(p.rkey)", genders=TWO, total=None)},
               {
            sql.gender_sums(
                "count(p.rkey)",
                key="sum(p.rkey)",
                key_plus=str(raised),
                genders=TWO,
                total=None,
                names="raised_{}",
                within="p.raised",
            )
        },
               {
            sql.gender_sums(
                "count(p.rkey)",
                key="sum(p.rkey)",
                key_plus=str(not_raised),
                genders=TWO,
                total=None,
                names="not_raised_{}",
                within="NOT p.raised",
            )
        }
        FROM (SELECT unnest($groups) AS grp) g LEFT JOIN p ON p.grp = g.grp
        GROUP BY g.grp
        HAVING EXISTS (SELECT 1 FROM p)
        ORDER BY list_position($groups, g.grp)""",
        people,
        groups=list(GROUPS),
    ).df()
    df.insert(0, "year", f.year)
    return df


def _shares(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """derive: share raised = raised / persons, per gender, from the published (or exact) counts."""
    for g in TWO:
        cols[f"share_raised_{g}"] = arrays.ratio(arrays.values(cols, f"raised_{g}"), arrays.values(cols, g))
    return cols


def _without_not_raised(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """after: the not-raised counts served the rule only (persons minus raised shows them anyway)."""
    dropped = {f"not_raised_{g}" for g in TWO}
    return {name: a for name, a in cols.items() if name not in dropped}


# Parental leave tells of a birth or an adoption: held to k_care (10), as care_leave. A group is hidden
# with 1 to k-1 women or men, its raised counts with it. A raised count and share are shown only with k
# or more raised AND k or more not raised (`every`: zero included): raised or not is each person's own
# fact, "all but two got a raise" names the two, and 0 % or 100 % tells every one. (With 1 to k-1 alone,
# a group under 2k could show only 0 % or 100 %: an outside attack read the demo's ten women of one
# school back from leave, all raised.)
RAISE_PROTECTION = Protection(
    counts={
        **{g: "people" for g in TWO},
        **{f"raised_{g}": RAISED for g in TWO},
        **{f"not_raised_{g}": NOT_RAISED for g in TWO},
    },
    derive=_shares,
    after=_without_not_raised,
    rows=Suppression(
        counts=TWO,
        total=None,
        k_setting="k_care",
        hide=("raised_women", "raised_men", "share_raised_women", "share_raised_men"),
    ),
    cells=tuple(
        CellRule(
            (f"raised_{g}", f"not_raised_{g}"), (f"raised_{g}", f"share_raised_{g}"), k_setting="k_care", every=True
        )
        for g in TWO
    ),
)


# `raise_rows` of every unit of a year, counted per unit, employment type, gender, group and raised
# (cells.of_year): the join of a year with the year before costs 30-40 ms at scale 1 a page; made once
# per snapshot and year, a page's table is summed from a few hundred cells.
RAISE_CELLS = """
    WITH now AS (SELECT * FROM staff WHERE year = $year AND monthly_salary > 0 AND gender IN ('woman', 'man')),
    before AS (SELECT person_key, monthly_salary AS salary_before, parental_leave_days AS leave_before
               FROM staff WHERE year = $year - 1 AND monthly_salary > 0)
    SELECT n.year, n.unit, n.employment_type, n.gender,
           (coalesce(b.leave_before, 0) > 0)::INTEGER AS returned, (n.monthly_salary > b.salary_before)::INTEGER AS raised,
           count(n.rkey) AS people, sum(n.rkey)::BIGINT AS rkey_sum
    FROM now n JOIN before b USING (person_key)
    WHERE EXISTS (SELECT 1 FROM staff WHERE year = $year - 1 AND parental_leave_days IS NOT NULL)
    GROUP BY ALL"""


def _raise_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """`raise_after_leave`'s base table summed from RAISE_CELLS in memory: the same counts and key sums
    (integers, summed exactly)."""
    year = f.year if f.year is not None else held.latest_year()
    made = cells.of_year(held, "raise_after_leave", year, RAISE_CELLS)
    if made is None:
        return None
    table, below = made
    picked = cells.rows(table, below, cells.Scope((f.unit,), year, year, (), f.employment_type), f.unit)
    groups = 2 if len(picked) else 0  # the query's HAVING EXISTS: no rows without anybody
    c = table.columns
    group = np.where(c["returned"][picked] == 1, 0, 1)  # GROUPS' order: returned, no_leave
    raised = c["raised"][picked] == 1
    gender = c["gender"][picked]
    people, keys = c["people"][picked], c["rkey_sum"][picked]
    cols = {"year": np.full(groups, year, dtype=np.int64), "group": cells.text(np.array(GROUPS[:groups], dtype=object))}
    offsets = {"": 0, "raised_": privacy.measure_offset(RAISED, "people")}
    offsets["not_raised_"] = privacy.measure_offset(NOT_RAISED, "people")
    for prefix, within in (("", np.ones(len(picked), dtype=bool)), ("raised_", raised), ("not_raised_", ~raised)):
        for g in TWO:
            hit = within & (gender == table.code("gender", cells.GENDERS[g]))
            cols[prefix + g] = np.rint(np.bincount(group[hit], weights=people[hit], minlength=2)[:groups]).astype(
                np.int64
            )
            cols[f"{prefix}{g}__ck"] = (
                np.rint(np.bincount(group[hit], weights=keys[hit], minlength=2)[:groups]).astype(np.int64)
                + offsets[prefix]
            )
    return arrays.frame(cols)


@register(id="raise_after_leave", protection=RAISE_PROTECTION, cells=_raise_cells)
def raise_after_leave(cur, f: Filters) -> pd.DataFrame:
    """The share of women and of men raised in the year after parental leave (group `returned`), and of
    those who took none (`no_leave`), in the unit (the module docstring).

    Check (tests/test_pay_transparency.py): of 4 women back from leave 3 were raised (75 %), of 6 women
    without leave 3 (50 %).
    """
    f = snapshot(cur, f)
    return raise_counts(cur, f)
