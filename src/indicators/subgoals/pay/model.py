"""The adjusted pay gap: an OLS of log salary on gender and covariates, published like a table of two
geometric means (ADJUSTED_PROTECTION)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from ...protect.privacy import Protection, Suppression
from ...protect.registry import Filters, register
from ...store import sql
from .scope import GENDER_PAY, SALARY_SUMS, TWO, level_label, pay_scope, snapshot

AGE_BANDS = ([-np.inf, 30, 40, 50, 60, np.inf], ["<30", "30-39", "40-49", "50-59", "60+"])


# Rank deficiency is expected in the adjusted gap's design (see _ols_woman) and checked for `woman`
# itself: not worth a warning. A filter for that one message rather than catch_warnings() around the
# fit, which changes the process's filters and is not safe while other pages compute in threads.
warnings.filterwarnings("ignore", message="The design matrix is rank-deficient")  # statsmodels


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
    # here, not at the top: SciPy and statsmodels take over two seconds to import, for this one indicator
    from scipy.stats import t as student_t  # (as said above)
    from statsmodels.regression.linear_model import WLS  # (the same)

    codes = [pd.factorize(people[c].astype(str), sort=True) for c in covariates]
    key = people["woman"].to_numpy(dtype=np.int64)
    for code, levels in codes:
        key = key * len(levels) + code
    _, first, inverse, size = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
    y = people["log_salary"].to_numpy(dtype=float)
    mean = np.bincount(inverse, weights=y) / size
    within = float(((y - mean[inverse]) ** 2).sum())
    x = np.zeros((len(first), 2 + sum(len(levels) - 1 for _, levels in codes)))
    x[:, 0] = 1.0
    x[:, 1] = people["woman"].to_numpy(dtype=float)[first]
    start, rows = 2, np.arange(len(first))
    for code, levels in codes:  # treatment coding: the first level (in sorted order) is the reference
        cell_code = code[first]
        hit = cell_code > 0
        x[rows[hit], start + cell_code[hit] - 1] = 1.0
        start += len(levels) - 1
    gram = x.T @ (x * size[:, None])  # X'X of the person-level design
    df_resid = len(y) - np.linalg.matrix_rank(gram)
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


def _log_shift(df: pd.DataFrame, part: str) -> pd.Series:
    """ln(G_W' / G_M') - b0: the noise in log points that the published geometric means of `part` carry."""
    return np.log(df[f"geo_women{part}"].astype(float) / df[f"geo_men{part}"].astype(float)) - df["b0"]


def _adjusted_figures(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
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
    d0, d, w = (
        (0.0, 0.0, 0.0)
        if f.exact
        else (
            _log_shift(df, ""),
            _log_shift(df, "_model"),
            sum(df[f"spread_{g}"].abs() / df[f"geo_{g}"].astype(float) for g in TWO) / 2,
        )
    )
    b0, b = df["b0"] + d0, df["b"] + d
    df["n"] = df["women"] + df["men"]
    df["unadjusted_gap_pct"] = log_gap_pct(b0)
    df["adjusted_gap_pct"] = log_gap_pct(b)
    df["adjusted_gap_low_pct"] = log_gap_pct(df["b_high"] + d + w)
    df["adjusted_gap_high_pct"] = log_gap_pct(df["b_low"] + d - w)
    df["share_explained"] = (1 - b / b0).where(b0 != 0)
    return df[ADJUSTED_COLUMNS]


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


@register(id="adjusted_gap", protection=ADJUSTED_PROTECTION)
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
    for part in GEO_FIGURES:
        counts[f"geo_women{part}"], counts[f"geo_men{part}"] = counts["geo_women"], counts["geo_men"]
    counts["spread_women"] = counts["spread_men"] = 0.0
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
    row = {
        "year": f.year,
        "pay_measure": f.pay,
        "unit": f.unit,
        **{
            c: counts[c]
            for c in (
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
                *(f"geo_{g}{part}" for part in GEO_FIGURES for g in TWO),
                "spread_women",
                "spread_men",
            )
        },
        "b0": np.nan,
        "b": np.nan,
        "b_low": np.nan,
        "b_high": np.nan,
        "covariates": "",
    }
    if women and men:
        people["age_band"] = pd.cut(people["age"], AGE_BANDS[0], labels=AGE_BANDS[1], right=False)
        people["age_band"] = people["age_band"].astype(object).where(people["age_band"].notna(), "unknown")
        levels = people["job_level"]
        if levels.notna().any():  # label each distinct level once, not each of 100 000 people
            labels = {v: level_label(v) for v in levels.dropna().unique()}
            people["job_level"] = levels.map(labels).fillna(level_label(None))
        else:
            people["job_level"] = None
        covariates = [
            c
            for c in ("position", "unit", "age_band", "job_level")
            if people[c].notna().any() and people[c].nunique() > 1
        ]
        b0 = (
            people.loc[people["woman"] == 1, "log_salary"].mean()
            - people.loc[people["woman"] == 0, "log_salary"].mean()
        )
        row["b0"] = b0
        row["covariates"] = ", ".join(covariates)
        fit = _ols_woman(people, covariates)
        if fit is not None:
            row["b"], row["b_low"], row["b_high"] = fit
    return pd.DataFrame([row])
