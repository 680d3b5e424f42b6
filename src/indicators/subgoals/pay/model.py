"""The adjusted pay gap: an OLS of log salary on gender and covariates, published like a table of two
geometric means (ADJUSTED_PROTECTION)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from ...protect import arrays, privacy
from ...protect.privacy import Protection, Suppression
from ...protect.registry import Filters, register
from ...store import cells, sql
from .scope import DEFAULT_MEASURE, GENDER_PAY, MEASURES, SALARY_SUMS, TWO, level_label, pay_scope, snapshot

AGE_BANDS = ([-np.inf, 30, 40, 50, 60, np.inf], ["<30", "30-39", "40-49", "50-59", "60+"])


# Rank deficiency is expected in the adjusted gap's design (see _ols_woman) and checked for `woman`
# itself: not worth a warning. A filter for that one message rather than catch_warnings() around the
# fit, which changes the process's filters and is not safe while other pages compute in threads. Set
# after statsmodels is imported (_fit): its first import puts simplefilter("always", ModelWarning) in
# front of the process's filters, which would shadow a filter set before it.
RANK_DEFICIENT = "The design matrix is rank-deficient"  # statsmodels' SingularMatrixWarning


def _ols_woman(people: pd.DataFrame, covariates: list[str]) -> tuple[float, float, float] | None:
    """The `woman` coefficient of log_salary ~ woman + C(covariate)... and its 95 % interval, or None
    when it is not identified or no degree of freedom is left.

    Classical OLS with fixed effects (treatment coding) for each covariate. Every regressor is a
    category, so people with the same woman × covariates are one cell with one row of the design
    matrix, and the least-squares fit is statsmodels' WLS on the cell means weighted by the cells'
    sizes: the same coefficients, since X'X = Σ n_c x_c x_c' and X'y = Σ n_c x_c ȳ_c are the same
    sums either way. The residual sum of squares adds back what the means leave out,
    the spread within each cell, so sigma^2 = (within + weighted between) / (n - rank X), and the
    interval is b ± t(0.975, n - rank X) · sqrt(sigma^2 · (X'X)^+[woman]), the classical OLS one.
    At a whole university this is a few thousand cells instead of a 100 000-row matrix (50 MB,
    copied three times by the fit). Units and positions can be collinear (an office holds only
    non-academic staff); the pseudo-inverse copes, and `woman` is reported only when identified.
    """
    codes = [pd.factorize(people[c].astype(str), sort=True) for c in covariates]
    woman = people["woman"].to_numpy(dtype=np.int64)
    key = _cell_key(woman, codes)
    _, first, inverse, size = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
    y = people["log_salary"].to_numpy(dtype=float)
    mean = np.bincount(inverse, weights=y) / size
    within = float(((y - mean[inverse]) ** 2).sum())
    return _fit(woman[first], [(code[first], levels) for code, levels in codes], size, mean, within, len(y))


def _cell_key(woman: np.ndarray, codes: list) -> np.ndarray:
    """One number per woman × covariates combination (the rows of the design matrix), in their order."""
    key = woman.astype(np.int64)
    for code, levels in codes:
        key = key * len(levels) + code
    return key


def _fit(woman: np.ndarray, codes: list, size: np.ndarray, mean: np.ndarray, within: float, n: int):
    """`_ols_woman`'s fit from its cells: each cell's woman (0/1), covariate codes (with their levels),
    size, mean log salary, and the spread within the cells (Σ (y - cell mean)²) over n people."""
    # here, not at the top: SciPy and statsmodels take over two seconds to import, for this one indicator
    from scipy.stats import t as student_t  # (as said above)
    from statsmodels.regression.linear_model import WLS  # (the same)

    warnings.filterwarnings("ignore", message=RANK_DEFICIENT)  # in front again: a repeat replaces itself

    x = np.zeros((len(woman), 2 + sum(len(levels) - 1 for _, levels in codes)))
    x[:, 0] = 1.0
    x[:, 1] = woman.astype(float)
    start, rows = 2, np.arange(len(woman))
    for cell_code, levels in codes:  # treatment coding: the first level (in sorted order) is the reference
        hit = cell_code > 0
        x[rows[hit], start + cell_code[hit] - 1] = 1.0
        start += len(levels) - 1
    gram = x.T @ (x * size[:, None])  # X'X of the person-level design
    df_resid = n - np.linalg.matrix_rank(gram)
    if df_resid <= 0 or not _identified(gram, 1):
        return None
    fit = WLS(mean, x, weights=size).fit()
    sigma2 = (within + fit.ssr) / df_resid
    b = float(fit.params[1])
    half = student_t.ppf(0.975, df_resid) * math.sqrt(sigma2 * fit.normalized_cov_params[1, 1])
    return b, float(b - half), float(b + half)


def _identified(gram: np.ndarray, column: int) -> bool:
    """True when the column is not a combination of the others (else its coefficient means nothing).

    From the Gram matrix X'X: the others' X'X is it without that row and column, and rank(X'X) = rank(X).
    """
    others = np.delete(np.delete(gram, column, axis=0), column, axis=1)
    return np.linalg.matrix_rank(gram) > np.linalg.matrix_rank(others)


ADJUSTED_COLUMNS = [
    "year",
    "pay_measure",
    "unit",
    "women",
    "men",
    "n",
    "unadjusted_gap_pct",
    "adjusted_gap_pct",
    "adjusted_gap_low_pct",
    "adjusted_gap_high_pct",
    "share_explained",
    "covariates",
]


def log_gap_pct(b):
    """A woman coefficient b (log points: ln women's pay - ln men's) as a pay gap in percent of men's
    pay, positive when women are paid less: (1 - e^b) x 100.

    Halvorsen and Palmquist (1980), 'The Interpretation of Dummy Variables in Semilogarithmic
    Equations', Am. Econ. Rev. 70(3): a dummy's coefficient b moves pay by (e^b - 1) x 100 %, so
    women's pay is e^b x men's and the gap, written as every other gap of Balans ((men - women) / men),
    is 1 - e^b; written with men's advantage beta = -b it is 100 (1 - e^(-beta)). With no covariates
    it is (G_M - G_W) / G_M x 100 on the geometric means G. b = -0.0969 log points
    -> (1 - e^-0.0969) x 100 = 9.24 %, not 9.69: log points are not percent. Kennedy's (1981)
    small-sample correction (b - var(b)/2) is not applied: it moves the figure by half a squared
    standard error, far inside the interval."""
    return -np.expm1(b) * 100


# The geometric means behind the model's published figures, each a statistic with a noise of its own
# (privacy.perturb_statistic): `geo_<g>` moves b0 (the unadjusted gap: a table of two means),
# `geo_<g>_model` moves b and its interval. `spread_<g>` is a zero moved like a third such statistic:
# what it becomes is that noise itself, whose size widens the interval. So b - b0 and the interval's
# width carry noise too, and are not the model's exact figures.
GEO_FIGURES = {"": "geomean", "_model": "geomean_model"}
SPREAD = "geomean_interval"


def _log_shift(cols: arrays.Columns, part: str, b0: np.ndarray) -> np.ndarray:
    """ln(G_W' / G_M') - b0: the noise in log points that the published geometric means of `part` carry."""
    return np.log(arrays.values(cols, f"geo_women{part}") / arrays.values(cols, f"geo_men{part}")) - b0


def _adjusted_figures(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """derive for adjusted_gap: three shifts in log points (0 for exact figures), d0 and d from the
    geometric means' independent noises (`GEO_FIGURES`) and w = (|spread_W| / G_W' + |spread_M| / G_M') / 2,
    the mean relative size of a third pair (`SPREAD`; each at least m · x1 / 2n, so w is about the size
    of one gap's noise): b0' = b0 + d0, b' = b + d,
    the interval [b_low + d - w, b_high + d + w] (never narrower than the model's, by more than the
    rounding of its bounds can take back). Then
    every gap as `log_gap_pct` (percent of men's pay, positive: women are paid less):
    unadjusted_gap_pct from b0', adjusted_gap_pct from b' and its interval from the interval's bounds
    (the upper bound of b gives the lower bound of the gap), share_explained = 1 - b' / b0',
    n = women + men."""
    b0, b = arrays.values(cols, "b0"), arrays.values(cols, "b")
    d0, d, w = (
        (0.0, 0.0, 0.0)
        if f.exact
        else (
            _log_shift(cols, "", b0),
            _log_shift(cols, "_model", b0),
            sum(np.abs(arrays.values(cols, f"spread_{g}")) / arrays.values(cols, f"geo_{g}") for g in TWO) / 2,
        )
    )
    b0, b = b0 + d0, b + d
    out = {name: cols[name] for name in ADJUSTED_COLUMNS[:5]}  # year, pay_measure, unit, women, men
    out["n"] = cols["women"] + cols["men"]
    out["unadjusted_gap_pct"] = log_gap_pct(b0)
    out["adjusted_gap_pct"] = log_gap_pct(b)
    out["adjusted_gap_low_pct"] = log_gap_pct(arrays.values(cols, "b_high") + d + w)
    out["adjusted_gap_high_pct"] = log_gap_pct(arrays.values(cols, "b_low") + d - w)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_explained"] = np.where(b0 != 0, 1 - b / b0, np.nan)
    out["covariates"] = cols["covariates"]
    return out


ADJUSTED_PROTECTION = Protection(
    counts={"women": "people", "men": "people"},
    magnitudes=SALARY_SUMS,
    # The geometric mean exp(mean log salary) is a location statistic like the median.
    statistics={
        **{f"geo_{g}{part}": (f"salary_{g}", statistic) for part, statistic in GEO_FIGURES.items() for g in TWO},
        **{f"spread_{g}": (f"salary_{g}", SPREAD) for g in TWO},
    },
    derive=_adjusted_figures,
    rows=Suppression(
        counts=("women", "men"),
        total=None,
        every_gender=True,
        hide=(
            "n",
            "unadjusted_gap_pct",
            "adjusted_gap_pct",
            "adjusted_gap_low_pct",
            "adjusted_gap_high_pct",
            "share_explained",
        ),
    ),
)


# adjusted_gap's people of every unit of a year (cells.of_year), one cell per unit, position, employment
# type, gender, age band (AGE_BANDS' codes 0-4, 5 unknown) and job level: the counts and sums of its row
# (as pay_cells) and each cell's sum of log salaries and spread (Σ (ln pay - the cell's mean)²). The
# model's cells (woman × covariates) are unions of these, their means and spreads combined exactly
# (`_cells_model`); its two queries on person rows cost 40-50 ms at scale 1 a page.
MODEL_CELLS = """
    SELECT year, unit, position_category, employment_type, gender,
           CASE WHEN birth_year IS NULL THEN 5 WHEN year - birth_year < 30 THEN 0 WHEN year - birth_year < 40 THEN 1
                WHEN year - birth_year < 50 THEN 2 WHEN year - birth_year < 60 THEN 3 ELSE 4 END AS age_band,
           job_level,
           count(*) AS people, sum(rkey)::BIGINT AS rkey_sum, sum(mkey)::BIGINT AS mkey_sum,
           sum(monthly_salary) AS salary_sum, max(monthly_salary) AS salary_max,
           max(monthly_salary, 2)[2] AS salary_max2,
           sum(ln(monthly_salary)) AS log_sum, var_pop(ln(monthly_salary)) * count(*) AS log_spread
    FROM staff WHERE year = $year AND monthly_salary > 0 AND gender IN ('woman', 'man')
    GROUP BY ALL"""

MODEL_SUMS = (
    cells.Sum("people", key="rkey_sum", mkey="mkey_sum", whole=True, genders=TWO, total=None),
    cells.Sum("salary_sum", names="salary_{}", largest="salary_max", second="salary_max2", genders=TWO, total=None),
    cells.Sum("log_sum", names="log_{}", genders=TWO, total=None),
)
AGE_LABELS = np.array([*AGE_BANDS[1], "unknown"], dtype=object)


def _adjusted_cells(held: cells.Cells, f: Filters) -> pd.DataFrame | None:
    """`adjusted_gap`'s base table from MODEL_CELLS in memory, in the full-time monthly salary (the
    cells hold no other measure: None, the query then)."""
    if (f.pay if f.pay in MEASURES else DEFAULT_MEASURE) != DEFAULT_MEASURE:
        return None
    f = f.with_(year=f.year if f.year is not None else held.latest_year())
    made = cells.of_year(held, "adjusted_gap", f.year, MODEL_CELLS)
    if made is None:
        return None
    table, below = made
    positions = tuple(privacy.one_position_or_all(f.positions, f.exact))
    picked = cells.rows(table, below, cells.Scope((f.unit,), f.year, f.year, positions, f.employment_type), f.unit)
    c = table.columns
    if (c["position_category"][picked] < 0).any():  # a position not given: the query's labels then
        return None
    sums = cells.gender_sums(table, picked, np.zeros(len(picked), dtype=np.int64), 1, MODEL_SUMS)
    counts = {name: a[0] for name, a in sums.items()}
    for g in TWO:
        if not counts[g]:  # the query's sums over nobody are NULL (zero=False)
            counts[f"salary_{g}"] = np.nan
        counts[f"geo_{g}"] = np.exp(counts[f"log_{g}"] / counts[g]) if counts[g] else np.nan
    model = _cells_model(table, picked, counts) if counts["women"] and counts["men"] else None
    # floats in a dict, as the query's row gives them: a Series of them cost a fifth of this function
    return _adjusted_row(f, {name: float(v) for name, v in counts.items()}, model)


def _cells_model(table: cells.Table, picked: np.ndarray, counts: dict) -> tuple[float, list[str], tuple | None]:
    """`_people_model` from cells: the same covariates (those with two values or more in scope), the
    same cells of the design (woman × covariates, in the same order), each cell's size and mean from
    its cells' sums, and the spread within as Chan, Golub and LeVeque's pairwise update combines it
    (Σ spreads + Σ n_i (mean_i - mean)²: the same sum in exact arithmetic)."""
    c = table.columns
    level = c["job_level"][picked]
    given = ~np.isnan(level)
    labels = {
        "position": cells.labels(table, "position_category", c["position_category"][picked]),
        "unit": cells.labels(table, "unit", c["unit"][picked]),
        "age_band": AGE_LABELS[c["age_band"][picked].astype(np.int64)],
    }
    if given.any():
        named = {v: level_label(v) for v in np.unique(level[given])}
        labels["job_level"] = np.array(
            [named[v] if ok else level_label(None) for v, ok in zip(level, given)], dtype=object
        )
    covariates = [name for name, a in labels.items() if len(set(a)) > 1]
    codes = [pd.factorize(labels[name].astype(str), sort=True) for name in covariates]
    woman = (c["gender"][picked] == table.code("gender", "woman")).astype(np.int64)
    _, first, inverse = np.unique(_cell_key(woman, codes), return_index=True, return_inverse=True)
    n, log_sum = c["people"][picked], c["log_sum"][picked]
    size = np.bincount(inverse, weights=n)
    mean = np.bincount(inverse, weights=log_sum) / size
    within = float(c["log_spread"][picked].sum() + (n * (log_sum / n - mean[inverse]) ** 2).sum())
    b0 = counts["log_women"] / counts["women"] - counts["log_men"] / counts["men"]
    codes_first = [(code[first], levels) for code, levels in codes]
    return b0, covariates, _fit(woman[first], codes_first, np.rint(size).astype(np.int64), mean, within, int(n.sum()))


@register(id="adjusted_gap", protection=ADJUSTED_PROTECTION, cells=_adjusted_cells)
def adjusted_gap(cur, f: Filters) -> pd.DataFrame:
    """log(salary) = a + b·woman + position + unit + age band + job_level (+ error), OLS.

    Each covariate enters as categories (fixed effects) and only when it takes two or more values in
    scope; job_level where any is given (missing: its own category), age band from birth_year
    (<30, 30-39, 40-49, 50-59, 60+ at the snapshot; missing: 'unknown'). adjusted_gap_pct =
    (1 - e^b) x 100 (`log_gap_pct`: percent of men's pay, positive when women are paid less, as every
    gap of Balans) with the interval ((1 - e^hi), (1 - e^lo)) x 100 from the classical OLS standard
    error; unadjusted_gap_pct the same from b0 (the difference in mean log salary, i.e. the model with
    the woman dummy alone: the gap of the geometric means). share_explained = 1 - b / b0. Person rows leave DuckDB only for the fit: the query
    asks for the six columns the model needs, and no row leaves this function.

    Protection (ADJUSTED_PROTECTION). A coefficient is not a cell, but the unadjusted b0 is one: the
    model with the woman dummy alone is saturated, a table of two means (of log salary), and output
    checking treats such a model as the table it is (ESSnet, 'Guidelines for the checking of output
    based on microdata research', 2010). So b0 is published as the difference of the two genders'
    geometric means, each moved like a location statistic by a noise of its own (privacy.py), and b
    by the shift of another, independent pair of the same size, its interval widened by the size of
    a third (`_adjusted_figures`): the model's gender estimates carry noise of the people they rest
    on, the same people get the same figures on every page, two overlapping models differ by noise
    rather than by a person, and neither b - b0 nor the interval's width is the model's exact figure.
    Every figure is then rounded to 0.1 percentage point. women, men and n are published counts
    (n = women + men as published).
    """
    f = snapshot(cur, f)
    scope = pay_scope(cur, f)
    counts = (
        sql.execute(
            cur,
            f"""
        WITH scope AS ({scope})
        SELECT {GENDER_PAY},
               exp(avg(ln(pay)) FILTER (WHERE gender = 'woman')) AS geo_women,
               exp(avg(ln(pay)) FILTER (WHERE gender = 'man'))   AS geo_men
        FROM scope
    """,
            scope,
            GENDER_PAY,
        )
        .df()
        .iloc[0]
    )
    people = sql.execute(
        cur,
        f"""
        WITH scope AS ({scope})
        SELECT (gender = 'woman')::INTEGER AS woman, ln(pay) AS log_salary,
               position_category AS position, unit, year - birth_year AS age, job_level
        FROM scope
    """,
        scope,
    ).df()
    women, men = int(counts["women"]), int(counts["men"])
    return _adjusted_row(f, counts, _people_model(people) if women and men else None)


def _people_model(people: pd.DataFrame) -> tuple[float, list[str], tuple | None]:
    """b0, the covariates and the fit (`_ols_woman`) from the person rows of `adjusted_gap`'s query."""
    people["age_band"] = pd.cut(people["age"], AGE_BANDS[0], labels=AGE_BANDS[1], right=False)
    people["age_band"] = people["age_band"].astype(object).where(people["age_band"].notna(), "unknown")
    levels = people["job_level"]
    if levels.notna().any():  # label each distinct level once, not each of 100 000 people
        labels = {v: level_label(v) for v in levels.dropna().unique()}
        people["job_level"] = levels.map(labels).fillna(level_label(None))
    else:
        people["job_level"] = None
    covariates = [
        c for c in ("position", "unit", "age_band", "job_level") if people[c].notna().any() and people[c].nunique() > 1
    ]
    b0 = people.loc[people["woman"] == 1, "log_salary"].mean() - people.loc[people["woman"] == 0, "log_salary"].mean()
    return b0, covariates, _ols_woman(people, covariates)


# The counts and sums of `adjusted_gap`'s row, as its query names them.
ROW_SUMS = (
    "women",
    "women__ck",
    "women__mk",
    "men",
    "men__ck",
    "men__mk",
    "salary_women",
    "salary_women__max",
    "salary_women__max2",
    "salary_men",
    "salary_men__max",
    "salary_men__max2",
)


def _adjusted_row(
    f: Filters, counts: pd.Series | dict, model: tuple[float, list[str], tuple | None] | None
) -> pd.DataFrame:
    """adjusted_gap's one row: the counts and sums, the geometric means (each figure of GEO_FIGURES the
    same, the spreads 0: the noise is the publication's) and the model (b0, covariates, fit) if any."""
    row = {
        "year": f.year,
        "pay_measure": f.pay,
        "unit": f.unit,
        **{c: counts[c] for c in ROW_SUMS},
        **{f"geo_{g}{part}": counts[f"geo_{g}"] for part in GEO_FIGURES for g in TWO},
        "spread_women": 0.0,
        "spread_men": 0.0,
        "b0": np.nan,
        "b": np.nan,
        "b_low": np.nan,
        "b_high": np.nan,
        "covariates": "",
    }
    if model is not None:
        b0, covariates, fit = model
        row["b0"] = b0
        row["covariates"] = ", ".join(covariates)
        if fit is not None:
            row["b"], row["b_low"], row["b_high"] = fit
    return pd.DataFrame([row])
