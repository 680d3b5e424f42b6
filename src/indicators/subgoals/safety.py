"""Men's violence against women must stop (sub-goal 6): harassment and victimisation cases.

Reads the aggregated `incidents` sheet: reported cases per year, unit, category (harassment,
sexual harassment, discrimination, victimisation) and gender of the person affected, and optionally
the work-environment survey (respondents and how many report being exposed). The counts are small
and sensitive, so they are suppressed with [privacy] k_incidents (10) rather than k, and the survey
with k_survey (10). A count of zero is shown: it identifies no one, and hiding it would hide the good
news. The exposed counts are shown (published, like every count) beside the respondents, so that
the exposed share can be checked against them: it is exposed' / respondents', nothing more.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import settings
from ..protect import arrays
from ..protect.privacy import CellRule, Protection, Suppression, measure_offset
from ..protect.registry import Filters, register, scopes, unscoped
from ..store import sql

ALL = "all"
K_SETTING = "k_incidents"
# The survey's respondents and the exposed among them: a k of their own ([privacy] k_survey).
K_SURVEY = "k_survey"
# The sub-goal's target is read on women's reported exposure to sexual harassment in the survey.
TARGET_CATEGORY = "sexual_harassment"
CATEGORY_ORDER = {
    c: i for i, c in enumerate(("harassment", "sexual_harassment", "discrimination", "victimisation", ALL))
}

RATE_COLUMNS = (
    "population_women",
    "population_men",
    "population_total",
    "rate_women",
    "rate_men",
    "rate_total",
    "respondents_women",
    "respondents_men",
    "exposed_women",
    "exposed_men",
    "exposed_share_women",
    "exposed_share_men",
    "target_met",
)


def _rates(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """rate_g = cases_g / population_g × 100; exposed_share_g = exposed_g / respondents_g; target_met:
    exposed_share_women <= [safety] max_exposed_share, on the target category only. From the published
    (or the exact) counts, so each agrees with the counts shown beside it and none gives back more than
    they do."""
    for g in ("women", "men", "total"):
        cols[f"rate_{g}"] = arrays.ratio(arrays.values(cols, g), arrays.values(cols, f"population_{g}"), 100)
    for g in ("women", "men"):
        cols[f"exposed_share_{g}"] = arrays.ratio(
            arrays.values(cols, f"exposed_{g}"), arrays.values(cols, f"respondents_{g}")
        )
    share = cols["exposed_share_women"]
    target = np.asarray(cols["category"], dtype=object) == TARGET_CATEGORY
    cols["target_met"] = arrays.flags(
        share <= settings.goals()["safety"]["max_exposed_share"], np.isnan(share) | ~target
    )
    return cols


def _without_population_other(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """population_other is in the base table only for the cell rule that hides population_total
    beside a small other/unknown count; it is not shown."""
    del cols["population_other"]
    return cols


def _survey_rules(g: str, extra: tuple[str, ...] = ()) -> tuple[CellRule, ...]:
    """Respondents of 1..k_survey-1 hide the survey's figures for that gender; so do 1..k_survey-1
    exposed ("numerators count too": 0.0079 × 127 respondents is one man exposed)."""
    return (
        CellRule((f"respondents_{g}",), (f"respondents_{g}", f"exposed_{g}", f"exposed_share_{g}", *extra), K_SURVEY),
        CellRule((f"exposed_{g}",), (f"exposed_{g}", f"exposed_share_{g}", *extra), K_SURVEY),
    )


INCIDENT_PROTECTION = Protection(
    counts={
        "women": "cases",
        "men": "cases",
        "other": "cases",
        "total": "cases",
        # staff headcounts (or registered students, whose keys the SQL moves to that measure)
        "population_women": "people",
        "population_men": "people",
        "population_total": "people",
        "respondents_women": "respondents",
        "respondents_men": "respondents",
        "exposed_women": "exposed",
        "exposed_men": "exposed",
    },
    derive=_rates,
    # The total is women + men + other, nothing left out: total=None (see education.STUDENT_PROTECTION).
    rows=Suppression(total=None, hide=("total", *RATE_COLUMNS), k_setting=K_SETTING),
    cells=(
        # The total is held to k_incidents like the cases it sums (published never below it, hidden
        # from 1 to k_incidents-1): the row rule, with total=None, does not name it.
        CellRule(("total",), ("total",), K_SETTING),
        # The population a rate is per: a headcount of 1..k-1 is hidden with its rate, as on the
        # Representation page; the total beside women and men goes where the other/unknown count is
        # 1..k-1 (Representation hides that total too, and it minus women and men would estimate them).
        CellRule(("population_women",), ("population_women", "rate_women")),
        CellRule(("population_men",), ("population_men", "rate_men")),
        CellRule(("population_total", "population_other"), ("population_total", "rate_total")),
        *_survey_rules("women", ("target_met",)),
        *_survey_rules("men"),
    ),
    after=_without_population_other,
)


@register(id="incidents", protection=INCIDENT_PROTECTION, scoped=True, every_unit=True)
def incidents(cur, f: Filters) -> pd.DataFrame:
    """Cases per year (f.year_from..f.year_to, every year when unset), category and gender.

    rate_g = cases_g / headcount_g × 100, with the headcount of the unit and its sub-units in the
    staff table that year; where the unit has no staff rows that year but has students, per 100
    registered students (all levels) instead, and the column `population` says which. Cases
    concern staff and students alike, so the rate is a yardstick for comparing units and years, not
    a prevalence. exposed_share_g = survey_exposed_g / survey_respondents_g; respondents are not
    added up across categories (the same people answer each question), so the 'all' row has none.

    Protection (INCIDENT_PROTECTION): every count is perturbed by the cell-key method from the record
    keys of the rows it sums (cases, respondents, exposed: incidents rows; the population: staff_cells'
    rkey_sum, or the students rows as registered students), and the rates and shares are worked out
    from the published counts. Hidden: a row with 1..k_incidents-1 cases of a gender; a population of
    1..k-1 with its rate; a survey result with 1..k_survey-1 respondents or exposed.
    """
    cases, cells, students = (sql.in_units(t, scopes(f)) for t in ("incidents", "staff_cells", "students"))
    years = sql.year_range("i.year", f.year_from, f.year_to)
    cases_counts = sql.gender_sums("sum(c.count)", key="sum(c.rkey)", zero=True)
    df = sql.execute(
        cur,
        f"""
        WITH cases AS (
            SELECT * FROM {cases} i
            WHERE {years}
        ),
        staff_heads AS (
            SELECT s.scope, s.year,
                   sum(s.people) FILTER (WHERE s.gender = 'woman') AS women,
                   sum(s.rkey_sum) FILTER (WHERE s.gender = 'woman') AS women_ck,
                   sum(s.people) FILTER (WHERE s.gender = 'man') AS men,
                   sum(s.rkey_sum) FILTER (WHERE s.gender = 'man') AS men_ck,
                   coalesce(sum(s.people) FILTER (WHERE s.gender = 'other'), 0) AS other,
                   sum(s.people) AS total, sum(s.rkey_sum) AS total_ck
            FROM {cells} s
            WHERE s.year IN (SELECT year FROM cases)
            GROUP BY s.scope, s.year
        ),
        student_heads AS (
            SELECT st.scope, st.year,
                   sum(st.registered) FILTER (WHERE st.gender = 'woman') AS women,
                   sum(st.rkey) FILTER (WHERE st.gender = 'woman') + $students_key AS women_ck,
                   sum(st.registered) FILTER (WHERE st.gender = 'man') AS men,
                   sum(st.rkey) FILTER (WHERE st.gender = 'man') + $students_key AS men_ck,
                   coalesce(sum(st.registered) FILTER (WHERE st.gender = 'other'), 0) AS other,
                   sum(st.registered) AS total, sum(st.rkey) + $students_key AS total_ck
            FROM {students} st
            WHERE st.year IN (SELECT year FROM cases) AND st.registered IS NOT NULL
            GROUP BY st.scope, st.year
        ),
        population AS (
            SELECT y.scope, y.year,
                   CASE WHEN sh.total > 0 THEN 'staff' WHEN su.total > 0 THEN 'students' END AS population,
                   CASE WHEN sh.total > 0 THEN sh.women ELSE su.women END AS women,
                   CASE WHEN sh.total > 0 THEN sh.women_ck ELSE su.women_ck END AS women_ck,
                   CASE WHEN sh.total > 0 THEN sh.men ELSE su.men END AS men,
                   CASE WHEN sh.total > 0 THEN sh.men_ck ELSE su.men_ck END AS men_ck,
                   CASE WHEN sh.total > 0 THEN sh.other ELSE su.other END AS other,
                   CASE WHEN sh.total > 0 THEN sh.total ELSE su.total END AS total,
                   CASE WHEN sh.total > 0 THEN sh.total_ck ELSE su.total_ck END AS total_ck
            FROM (SELECT DISTINCT scope, year FROM cases) y
            LEFT JOIN staff_heads sh USING (scope, year) LEFT JOIN student_heads su USING (scope, year)
        )
        SELECT c.scope, c.year, coalesce(c.category, '{ALL}') AS category,
               {cases_counts},
               any_value(p.population) AS population,
               any_value(p.women) AS population_women, any_value(p.women_ck) AS population_women__ck,
               any_value(p.men) AS population_men, any_value(p.men_ck) AS population_men__ck,
               any_value(p.total) AS population_total, any_value(p.total_ck) AS population_total__ck,
               any_value(p.other) AS population_other,
               CASE WHEN grouping(c.category) = 0 THEN
                   sum(c.survey_respondents) FILTER (WHERE c.gender = 'woman') END AS respondents_women,
               sum(c.rkey) FILTER (WHERE c.gender = 'woman' AND c.survey_respondents IS NOT NULL) AS respondents_women__ck,
               CASE WHEN grouping(c.category) = 0 THEN
                   sum(c.survey_respondents) FILTER (WHERE c.gender = 'man') END   AS respondents_men,
               sum(c.rkey) FILTER (WHERE c.gender = 'man' AND c.survey_respondents IS NOT NULL)   AS respondents_men__ck,
               CASE WHEN grouping(c.category) = 0 THEN
                   sum(c.survey_exposed) FILTER (WHERE c.gender = 'woman') END     AS exposed_women,
               sum(c.rkey) FILTER (WHERE c.gender = 'woman' AND c.survey_exposed IS NOT NULL)     AS exposed_women__ck,
               CASE WHEN grouping(c.category) = 0 THEN
                   sum(c.survey_exposed) FILTER (WHERE c.gender = 'man') END       AS exposed_men,
               sum(c.rkey) FILTER (WHERE c.gender = 'man' AND c.survey_exposed IS NOT NULL)       AS exposed_men__ck
        FROM cases c JOIN population p USING (scope, year)
        GROUP BY GROUPING SETS ((c.scope, c.year, c.category), (c.scope, c.year))
    """,
        cases,
        cells,
        students,
        years,
        cases_counts,
        students_key=measure_offset("registered", "people"),
    ).df()
    for c in ("women", "men", "other", "total"):
        df[c] = df[c].astype("int64")
    for c in ("respondents_women", "respondents_men", "exposed_women", "exposed_men"):
        df[c] = df[c].astype("Int64")
    df = df.sort_values(
        ["scope", "year", "category"], key=lambda c: c.map(CATEGORY_ORDER) if c.name == "category" else c
    )
    return unscoped(df.reset_index(drop=True), f)
