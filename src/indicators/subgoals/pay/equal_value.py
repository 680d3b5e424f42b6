"""Work of equal value (Diskrimineringslagen ch. 3 § 10): groups of equal work at one value level,
and each women-dominated group paid less than a group of equal or lower value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...protect import arrays, privacy
from ...protect.privacy import Protection, Suppression
from ...protect.registry import REGISTRY, Filters, base_table, register
from ...store import cells, sql
from ..representation import cell_scope
from .evaluation import evaluated, group_shares, job_key, job_values, value_group_width
from .scope import DEFAULT_MEASURE, MEASURES, TWO, in_order, measured, measured_columns, order_of, pay_scope, snapshot

# The head-count rule (the group's mean is over women and men together, see equal_value): hidden with
# 1 to k-1 of a gender or in all. `total` is one of the counts rather than the rule's total, since it
# is perturbed on its own: total' - women' - men' can be 1 or 2 without anyone outside the two.
EQUAL_VALUE_PROTECTION = Protection(
    counts={"women": "people", "men": "people", "total": "people"},
    magnitudes={"salary_total": "total"},
    statistics={"mean_salary": ("salary_total", privacy.SUM)},
    derive=group_shares,
    rows=Suppression(
        counts=("women", "men", "total"), total=None, hide=("share_women", "mean_salary", "women_dominated")
    ),
    # job_level holds the level of value of either basis (a year has one): one dimension
    group=privacy.Group(by={"position": "position", "job_level": "value_level"}),
)


# equal_value's sums over pay_cells (store/cells.py): the same names and types as its query's.
VALUE_SUMS = (
    cells.Sum("people", key="rkey_sum", mkey="mkey_sum", whole=True, genders=TWO),
    cells.Sum("salary_sum", names="salary_total", largest="salary_max", second="salary_max2", genders=(), total="all"),
)


def _equal_value_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """`equal_value` from the pay cells in memory (people with a salary, women and men), in the full-time
    monthly salary (the cells hold no other measure of pay: None, the query then): by the value groups
    of the job evaluation where the year has one (the cells carry each job's points), else by job level."""
    if (f.pay if f.pay in MEASURES else DEFAULT_MEASURE) != DEFAULT_MEASURE:
        return None
    f = f.with_(positions=privacy.one_position_or_all(f.positions, f.exact))
    scope = cell_scope(held, f)
    pay = held.pay
    picked = cells.rows(pay, held.pay_below, scope, f.unit)
    by_value = scope.first in held.evaluated
    if by_value:
        width = value_group_width()
        points = pay.columns["points"]
        group = np.minimum(np.floor(points / width) + 1, np.ceil(100 / width))
        pay = cells.Table(
            {**pay.columns, "value_group": np.where(np.isnan(group), -1, group).astype(np.int64)},
            pay.labels,
            pay.years,
            pay.starts,
        )
        level = "value_group"
    else:
        level = "job_level"
    picked = picked[pay.columns[level][picked] >= 0]  # WHERE value_level IS NOT NULL
    sums = cells.grouped(pay, picked, ["year", "position_category", level], VALUE_SUMS)
    n = len(sums["year"])
    cols = {
        "year": sums["year"].astype(np.int32),
        "basis": cells.text(np.array(["evaluation" if by_value else "job_level"] * n, dtype=object)),
        "position": cells.text(cells.labels(pay, "position_category", sums["position_category"])),
        "job_level": (
            sums[level].astype(np.int32)
            if by_value
            else cells.labels(pay, "job_level", sums["job_level"]).astype(float)
        ),
    }
    cols.update((name, a) for name, a in sums.items() if name not in ("year", "position_category", level))
    with np.errstate(divide="ignore", invalid="ignore"):
        cols["mean_salary"] = cols["salary_total"] / cols["total"]
    order = order_of(cols, ["job_level", "position"])
    return arrays.frame(measured_columns({name: a[order] for name, a in cols.items()}, f))


@register(id="equal_value", protection=EQUAL_VALUE_PROTECTION, cells=_equal_value_cells)
def equal_value(cur, f: Filters) -> pd.DataFrame:
    """Groups = position category x value level (the evaluated value group, else the job_level).

    Why not job_level alone (the first design's wording; docs/design.md, "Work of equal value"):
    Diskrimineringslagen ch. 3 § 10 compares a
    women-dominated *group of equal work* with groups whose work is of equal value (the same
    job_level) or of lower value but better paid. A group of work is a kind of job (the position
    category); its value is its job level. A job_level alone would mix, say, administrators and
    lecturers at one level into a single group, and a women-dominated kind of work inside it would
    disappear in the average. So a group is one position at one level, and the pairs compare groups
    across positions and levels.

    The group's mean is over women and men together, not by gender, so a group of only women (the
    typical women-dominated group) is shown: here the head-count rule applies (hidden with 1 to
    k-1 of a gender, or fewer than k in all). The mean is the group's salary sum, perturbed, over its
    true size (EQUAL_VALUE_PROTECTION); shares and the flag come from the published counts.

    The value level: wherever the year has a job evaluation (evaluation.py), the value group of each
    person's job, and people whose job is not evaluated are left out (the art. 9 report's quality
    flags count them); otherwise the staff sheet's job_level, as before. `basis` says which
    ("evaluation" or "job_level"); the column keeps its name job_level for both, the level of value.
    """
    f = snapshot(cur, f)
    scope = pay_scope(cur, f)
    counts = sql.gender_sums("count(*)", key="sum(rkey)", mkey="sum(mkey)", genders=TWO, zero=False)
    if evaluated(cur, f.year):
        values = job_values()
        rows = sql.statement(
            f"""
            SELECT s.*, v.value_group AS value_level, 'evaluation' AS basis FROM ({scope}) s
            JOIN ({values}) v ON v.year = s.year AND v.job = {job_key("s.position")}""",
            scope,
            values,
        )
    else:
        rows = sql.statement(f"SELECT *, job_level AS value_level, 'job_level' AS basis FROM ({scope}) s", scope)
    df = sql.execute(
        cur,
        f"""
        WITH scope AS ({rows})
        SELECT year::INTEGER AS year, basis, position_category AS position, value_level AS job_level,
               {counts},
               sum(pay)                                            AS salary_total,
               max(pay)                                            AS salary_total__max,
               max(pay, 2)[2]                                      AS salary_total__max2,
               avg(pay)                                            AS mean_salary
        FROM scope
        WHERE value_level IS NOT NULL
        GROUP BY year, basis, position_category, value_level
    """,
        rows,
        counts,
    ).df()
    return measured(in_order(df, ["job_level", "position"]), f)


PAIR_KEEP = ["year", "basis", "position", "job_level", "women", "men", "share_women", "mean_salary"]


def _pairs(groups: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The pairs of `equal_value_pairs` from equal_value's base table (`groups`), published first.

    On the column arrays (arrays.py): the pairs of a women-dominated group (a) and another (b) of the same
    year and basis, in a's order and then b's (pandas' inner merge), those with job_level_b <= job_level_a
    and mean_b > mean_a, sorted by the difference, largest first, as pandas' sort_values does it (the
    same quicksort on the same order, so that ties keep their places)."""
    published = privacy.publish(groups, REGISTRY["equal_value"].protection, f, f.exact)
    cols = arrays.columns_of(published)
    shown = ~np.asarray(cols["suppressed"], dtype=bool)
    flags = pd.array(cols["women_dominated"], dtype="boolean")
    dominated = flags.to_numpy(dtype=bool, na_value=False) & shown  # a hidden group's flag is blank
    ia, ib = np.flatnonzero(dominated), np.flatnonzero(shown & ~dominated)
    year, basis = np.asarray(cols["year"]), np.asarray(cols["basis"], dtype=object)
    level, mean = arrays.values(cols, "job_level"), arrays.values(cols, "mean_salary")
    with np.errstate(invalid="ignore"):
        hit = (
            (year[ia][:, None] == year[ib][None, :])
            & (basis[ia][:, None] == basis[ib][None, :])
            & (level[ib][None, :] <= level[ia][:, None])
            & (mean[ib][None, :] > mean[ia][:, None])
        )
    a, b = np.nonzero(hit)  # row by row: a's order, then b's
    a, b = ia[a], ib[b]
    difference = mean[b] - mean[a]
    # pandas' nargsort, descending: the reversed order sorted ascending, then reversed again
    backwards = np.arange(len(difference))[::-1]
    order = backwards[difference[backwards].argsort(kind="quicksort")][::-1]
    a, b, difference = a[order], b[order], difference[order]
    out = {"year": cols["year"][a], "basis": cols["basis"][a]}
    for rows, side in ((a, "a"), (b, "b")):
        out.update((f"{c}_{side}", cols[c][rows]) for c in PAIR_KEEP[2:])
    out["difference"] = difference
    out["difference_pct"] = difference / mean[b] * 100
    return arrays.frame(measured_columns(out, f))


def _equal_value_pairs_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """`equal_value_pairs` from the groups equal_value sums from the pay cells in memory (None where
    it cannot: the query then). The page shows both tables: the pairs then cost no second query on
    person rows (at scale 1 that query and its job evaluation check were 80-120 ms of the pay page)."""
    groups = _equal_value_cells(held, f)
    return None if groups is None else _pairs(groups, f)


@register(
    id="equal_value_pairs",
    protection=Protection(inherited=True, rows=None),
    cells=_equal_value_pairs_cells,
)
def equal_value_pairs(cur, f: Filters) -> pd.DataFrame:
    """Pairs (a, b): a women-dominated, b not, job_level_b <= job_level_a (the value levels of one basis:
    value groups of the job evaluation, else job levels), mean_b > mean_a.

    Built from the `equal_value` groups as they are published (privacy.publish: perturbed and
    suppressed, or exact for those allowed it), so no pair rests on a hidden group and every figure
    of a pair is the figure its group shows in equal_value.
    """
    return _pairs(base_table(cur, REGISTRY["equal_value"], f), f)
