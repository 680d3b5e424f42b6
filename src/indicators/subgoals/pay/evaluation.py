"""A gender-neutral job evaluation (Diskrimineringslagen ch. 3 § 10; Directive 2023/970 art. 4(4)): the
factor plan, each job's weighted points, value groups, the weights' tilt, and pay against job value.

How it works, after DO's "Analys Lönelots" (2000, the model DO published for pay surveys) and the BAS
method (Hewitt's, adapted to Swedish municipalities), which score the same four criteria:

* **The factor plan** (store table job_factors, the import kind factor_plan, editable by
  administrators): the four criteria of the law, knowledge and skills, responsibility, effort and
  working conditions, each with sub-factors (Lönelots: education and experience, problem solving,
  social skills; responsibility for people, for results, for information; mental, physical and
  emotional effort; physical and psychosocial working conditions), each sub-factor with 2-7 levels
  (Lönelots' basic model has 5) and a weight in percent of the plan's 100 points.
* **Each job scored** (job_scores): the level of the job's demands on every sub-factor. A job is a
  title as the staff sheet writes it (befattning), or a role code where the staff sheet holds codes.
* **Points**: a job's weighted points are P = Σ_s w_s × l_s / L_s over the plan's sub-factors s
  (weight w_s in percent, the job's level l_s of the sub-factor's L_s levels), so a job at the top of
  every sub-factor has 100 points. A job not scored on every sub-factor has no points.
* **Value groups**: jobs whose points fall in one band of [pay] value_group_points (10) points are
  work of equal value (Lönelots: "a suitable interval is 5 to 10 points" of 100): group
  g = floor(P / width) + 1, the top band closed (100 points are in the last group). The value groups
  are the categories of workers of art. 9(1)(g) and the equal-value groups (equal_value.py) wherever
  the year has an evaluation; the staff sheet's job_level is the fallback.
* **The weights' tilt** (`factor_weights`): the share of the points each criterion carries and its
  ratio to working conditions. Kommunalarbetaren's review (2008) of municipalities using JämO's
  (DO's predecessor's) example found knowledge and skills weighted about ten times physical working
  conditions, which ranks jobs by schooling and puts the physical demands of women-dominated care
  work at the bottom; a plan whose criterion outweighs working conditions [pay] weight_tilt_ratio (3)
  times or more is flagged.
* **Pay against job value** (`job_value`), the chart a pay survey is discussed around (as Iceland's
  equal pay standard ÍST 85 plots pay against each job's score): each job's mean pay against its
  points, women-dominated jobs (60 % women or more) marked, and the pay line of the jobs that are not
  women-dominated, P -> a + b × P, fitted by least squares weighted by the jobs' published sizes. A
  women-dominated job below the line is paid less than its value predicts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import settings
from ...protect import arrays, privacy
from ...protect.privacy import Protection, Suppression
from ...protect.registry import Filters, register
from ...store import cells, sql
from .scope import DEFAULT_MEASURE, MEASURES, TWO, measured, measured_columns, pay_scope, snapshot

CRITERIA = ("knowledge", "responsibility", "effort", "working_conditions")


job_key = sql.job_key


def value_group_width() -> float:
    return float(settings.goals()["pay"].get("value_group_points", 10))


# Each evaluated job of each year: its points (P = Σ w × l / L, sql.JOB_POINTS) and value group. Only
# jobs scored on every sub-factor of the year's plan.
JOB_VALUES = f"""
    SELECT year, job, points,
           least(floor(points / $value_width) + 1, ceil(100 / $value_width))::INTEGER AS value_group
    FROM ({sql.JOB_POINTS})"""


def job_values() -> sql.Fragment:
    """JOB_VALUES with its parameter: (year, job, points, value_group) for every evaluated job."""
    return sql.Fragment(JOB_VALUES, {"value_width": value_group_width()})


def evaluated(cur, year: int | None) -> bool:
    """Whether the year has a job evaluation (a factor plan and jobs scored against it)."""
    if year is None:
        return False
    # a job with points in the year: JOB_VALUES' rows are JOB_POINTS', one value group each
    return bool(cur.execute(f"SELECT EXISTS ({sql.job_points('$year')})", {"year": year}).fetchone()[0])


def factor_plan(cur, year: int) -> pd.DataFrame:
    """The year's factor plan as stored: criterion, sub-factor, names, weight (percent), levels."""
    return cur.execute(
        """SELECT year, criterion, subfactor, name_sv, name_en, weight, levels FROM job_factors
                          WHERE year = ? ORDER BY list_position(?, criterion), subfactor""",
        [year, list(CRITERIA)],
    ).df()


def points_of(plan: pd.DataFrame, levels: dict[str, int]) -> float | None:
    """A job's points from a factor plan (rows with subfactor, weight, levels) and its level on each
    sub-factor: Σ w × l / L; None when a sub-factor is not scored. The SQL of JOB_VALUES written out
    for one job (the tests' hand-worked check, and the admin's preview while editing)."""
    total = 0.0
    for s, w, big in zip(plan["subfactor"], plan["weight"], plan["levels"]):
        if s not in levels:
            return None
        total += float(w) * levels[s] / float(big)
    return total


# --- the weights' tilt ---------------------------------------------------------------------------------


# The ratio of two criteria's shares rounded to this many decimals before it is compared and shown: the
# shares are points / 100, and 0.3 / 0.1 is 2.9999999999999996 in binary floating point, so a plan
# with responsibility at exactly three times working conditions was shown "3" and not flagged.
# Points are written with at most a few decimals, so nine keep every real difference.
RATIO_DECIMALS = 9


def _tilt_ratio() -> float:
    return float(settings.goals()["pay"].get("weight_tilt_ratio", 3.0))


def _tilt(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    ratio = _tilt_ratio()
    conditions = df["weight_share"].where(df["criterion"] == "working_conditions").max()
    df["ratio_to_conditions"] = (
        (df["weight_share"] / conditions).round(RATIO_DECIMALS) if conditions and conditions > 0 else np.nan
    )
    df["tilted"] = (
        (df["ratio_to_conditions"] >= ratio).astype("boolean").where(df["criterion"] != "working_conditions", False)
    )
    return df


def _factor_weights_held(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """`factor_weights` of a chosen year, its query's answer read and tilted once per snapshot, year
    and tilt ratio (`Cells.once`; the ratio is a setting): the function's own table,
    without its query on a thread of its own beside the pay page's tables read from memory
    (registry.side_by_side; docs/performance.md, "The pay page on one thread"). None once the
    snapshot is no longer held (the function answers then)."""
    con = cells.connection_of(held)
    if con is None:
        return None
    year = f.year if f.year is not None else _on_cursor(con, sql.latest_year, "job_factors")
    # The tilt held too, keyed by its ratio so that a changed setting tilts again: pandas' column
    # operations on this four-row table cost about 10 ms (profiled) a page, every call alike.
    ratio = _tilt_ratio()
    made = held.once(("factor_weights", year, ratio), lambda: _tilted(_on_cursor(con, _factor_weights_query, year), f))
    return made.copy()


def _on_cursor(con, fn, *args):
    """fn(cursor, *args) on a cursor of its own (cells.cursor), closed after."""
    with cells.cursor(con) as cur:
        return fn(cur, *args)


@register(id="factor_weights", protection=None, cells=_factor_weights_held)
def factor_weights(cur, f: Filters) -> pd.DataFrame:
    """The share of the factor plan's points each criterion carries, and its ratio to working conditions.

    weight_share = Σ weights of the criterion's sub-factors / 100; ratio_to_conditions = weight_share /
    working conditions' weight_share; tilted where that ratio is [pay] weight_tilt_ratio or more (the
    module docstring). Check: knowledge 50, responsibility 25, effort 20, working conditions 5 ->
    shares 0.50, 0.25, 0.20, 0.05, ratios 10, 5, 4, 1: knowledge, responsibility and effort tilted at 3.
    Rests on no personal data (the plan is the employer's own and agreed with the unions): not protected.
    """
    return _tilted(_factor_weights_query(cur, sql.year_or_latest(cur, f.year, "job_factors")), f)


def _factor_weights_query(cur, year: int | None) -> pd.DataFrame:
    return cur.execute(
        """
        SELECT year::INTEGER AS year, criterion, count(*)::INTEGER AS subfactors, sum(weight) / 100 AS weight_share
        FROM job_factors WHERE year = ? GROUP BY year, criterion
        ORDER BY list_position(?, criterion)""",
        [year, list(CRITERIA)],
    ).df()


def _tilted(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    return (
        _tilt(df, f)
        if not df.empty
        else df.assign(ratio_to_conditions=pd.Series(dtype=float), tilted=pd.Series(dtype="boolean"))
    )


# --- pay against job value -----------------------------------------------------------------------------


def group_shares(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """derive for job_value and equal_value: share_women = W / (W + M) from the published counts, and
    women_dominated = share_women >= [pay] women_dominated (goals.toml); the salary sum dropped."""
    del cols["salary_total"]
    women = arrays.values(cols, "women")
    cols["share_women"] = share = arrays.ratio(women, women + arrays.values(cols, "men"))
    cols["women_dominated"] = arrays.flags(share >= float(settings.goals()["pay"]["women_dominated"]))
    return cols


def pay_line(cols: arrays.Columns) -> tuple[float, float] | None:
    """(a, b) of mean pay = a + b × points over the jobs that are shown and not women-dominated, least
    squares weighted by each job's published size; None with fewer than two distinct point values."""
    flag = pd.array(cols["women_dominated"], dtype="boolean")
    x, y = arrays.values(cols, "points"), arrays.values(cols, "mean_pay")
    use = ~flag.fillna(True).to_numpy(dtype=bool) & ~np.isnan(y) & ~np.isnan(x)
    if len(np.unique(x[use])) < 2:
        return None
    w, x, y = arrays.values(cols, "total")[use], x[use], y[use]
    xm, ym = np.average(x, weights=w), np.average(y, weights=w)
    b = np.sum(w * (x - xm) * (y - ym)) / np.sum(w * (x - xm) ** 2)
    return float(ym - b * xm), float(b)


def _line(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """after for job_value: the pay line from the jobs shown (hidden ones are blank by now), each job's
    expected pay on it and its mean pay's difference from it, in percent of the expected.

    A hidden job is left out, not listed blank: its title beside empty cells would say that somebody in
    the unit holds it (an outside attack read 322 of 322 such rows right), and a job nobody holds has
    no row either."""
    if not f.exact:
        cols = arrays.taken(cols, ~np.asarray(cols["suppressed"], dtype=bool))
    fit = pay_line(cols)
    mean = arrays.values(cols, "mean_pay")
    if fit is None:
        expected = np.full(len(mean), np.nan)
    else:
        expected = np.where(np.isnan(mean), np.nan, fit[0] + fit[1] * arrays.values(cols, "points"))
    cols["expected_pay"] = expected
    cols["difference_pct"] = (mean - expected) / expected * 100
    return cols


JOB_VALUE_PROTECTION = Protection(
    counts={"women": "people", "men": "people", "total": "people"},
    magnitudes={"salary_total": "total"},
    statistics={"mean_pay": ("salary_total", privacy.SUM)},
    derive=group_shares,
    after=_line,
    rows=Suppression(counts=("women", "men", "total"), total=None, hide=("share_women", "mean_pay", "women_dominated")),
    group=privacy.Group(by={"job": "job"}),
)


# job_value's rows of every unit of a year (cells.of_year): people with a salary, women and men, per unit,
# position, employment type, title and gender, each title with its job (`job_id`: the folded title) and the
# job's points and value group, with what the cell-key method needs (as pay_cells). The query on person
# rows cost 30-40 ms at scale 1 a page; a page's table is summed from these in numpy.
JOB_CELLS = f"""
    WITH s AS (SELECT * FROM staff WHERE year = $year AND monthly_salary > 0 AND gender IN ('woman', 'man'))
    SELECT s.year, s.unit, s.position_category, s.employment_type, s.gender, s.position AS title_id,
           t.job AS job_id, v.points, v.value_group,
           count(*) AS people, sum(s.rkey)::BIGINT AS rkey_sum, sum(s.mkey)::BIGINT AS mkey_sum,
           sum(s.monthly_salary) AS salary_sum, max(s.monthly_salary) AS salary_max,
           max(s.monthly_salary, 2)[2] AS salary_max2
    FROM s
    JOIN ({sql.job_titles("s")}) t ON t.title = s.position
    JOIN ({JOB_VALUES}) v ON v.year = s.year AND v.job = t.job
    GROUP BY ALL"""

JOB_SUMS = (
    cells.Sum("people", key="rkey_sum", mkey="mkey_sum", whole=True, genders=TWO),
    cells.Sum("salary_sum", names="salary_total", largest="salary_max", second="salary_max2", genders=(), total="all"),
)


def _job_value_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """`job_value`'s base table summed from JOB_CELLS in memory, in the full-time monthly salary (the
    cells hold no other measure: None, the query then). A job's title is the least of its titles in scope (the query's min(position)), rows by points, then
    title."""
    if (f.pay if f.pay in MEASURES else DEFAULT_MEASURE) != DEFAULT_MEASURE:
        return None
    year = f.year if f.year is not None else held.latest_year()
    made = cells.of_year(held, "job_value", year, JOB_CELLS, value_width=value_group_width())
    if made is None:
        return None
    table, below = made
    positions = privacy.one_position_or_all(f.positions, f.exact)
    picked = cells.rows(table, below, cells.Scope((f.unit,), year, year, tuple(positions), f.employment_type), f.unit)
    sums = cells.grouped(table, picked, ["job_id"], JOB_SUMS)
    c = table.columns
    jobs, at = np.unique(c["job_id"][picked], return_index=True)
    titles = table.labels["title_id"]
    first = {}
    for job, title in zip(c["job_id"][picked], titles[c["title_id"][picked]]):
        if job not in first or title < first[job]:
            first[job] = title
    cols = {
        "year": np.full(len(jobs), year, dtype=np.int32),
        "job": np.array([first[j] for j in sums["job_id"]], dtype=object),
        "points": c["points"][picked][at],
        "value_group": c["value_group"][picked][at].astype(np.int32),
    }
    cols.update((name, a) for name, a in sums.items() if name != "job_id")
    with np.errstate(divide="ignore", invalid="ignore"):
        cols["mean_pay"] = cols["salary_total"] / cols["total"]
    order = np.lexsort((cols["job"], cols["points"]))
    cols = {name: a[order] for name, a in cols.items()}
    cols["job"] = cells.text(cols["job"])
    return arrays.frame(measured_columns(cols, f))


@register(id="job_value", protection=JOB_VALUE_PROTECTION, cells=_job_value_cells)
def job_value(cur, f: Filters) -> pd.DataFrame:
    """Each evaluated job in scope: its points and value group, women and men, mean pay (in the chosen
    measure), women-dominated or not, and the pay line of the jobs that are not (module docstring).

    Protected as equal_value's groups (the head-count rule, the mean a perturbed sum over the job's
    size, shares from the published counts); the line is fitted afterwards on the published means of
    the jobs shown, so it gives nothing a reader could not fit from the table. Jobs are published
    with their title: a job with 1 to k-1 women, men or people in all is left out (`_line`).
    """
    f = snapshot(cur, f)
    scope = pay_scope(cur, f)
    values = job_values()
    counts = sql.gender_sums("count(*)", key="sum(rkey)", mkey="sum(mkey)", genders=TWO, zero=False)
    df = sql.execute(
        cur,
        f"""
        WITH scope AS ({scope})
        SELECT s.year::INTEGER AS year, min(s.position) AS job, any_value(v.points) AS points,
               any_value(v.value_group) AS value_group,
               {counts},
               sum(s.pay) AS salary_total, max(s.pay) AS salary_total__max, max(s.pay, 2)[2] AS salary_total__max2,
               avg(s.pay) AS mean_pay
        FROM scope s
        JOIN ({sql.job_titles("scope")}) t ON t.title = s.position
        JOIN ({values}) v ON v.year = s.year AND v.job = t.job
        GROUP BY s.year, t.job
        ORDER BY points, job
    """,
        scope,
        values,
        counts,
    ).df()
    return measured(df, f)
