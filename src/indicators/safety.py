"""Men's violence against women must stop (sub-goal 6): harassment and victimisation cases.

Reads the aggregated `incidents` sheet: reported cases per year, unit, category (harassment,
sexual harassment, discrimination, victimisation) and gender of the person affected, and optionally
the work-environment survey (respondents and how many report being exposed). The counts are small
and sensitive, so they are suppressed with [privacy] k_incidents (10) rather than k. A count of zero
is shown: it identifies no one, and hiding it would hide the good news.
"""

from __future__ import annotations

import pandas as pd

from . import settings
from .privacy import Suppression
from .registry import Filters, register, scopes, unscoped

ALL = "all"
K_SETTING = "k_incidents"
# The sub-goal's target is read on women's reported exposure to sexual harassment in the survey.
TARGET_CATEGORY = "sexual_harassment"
CATEGORY_ORDER = {c: i for i, c in enumerate(("harassment", "sexual_harassment", "discrimination",
                                               "victimisation", ALL))}

RATE_COLUMNS = ("population_women", "population_men", "population_total", "rate_women", "rate_men",
                "rate_total", "respondents_women", "respondents_men", "exposed_share_women",
                "exposed_share_men", "target_met")


@register(
    id="incidents",
    subgoal=6,
    title_sv="Anmälda trakasserier och kränkningar",
    title_en="Reported harassment and victimisation",
    description_sv=(
        "Anmälda ärenden per år, kategori och den utsattas kön, antal per 100 anställda (eller per 100 "
        "studenter där enheten bara har studenter), och andelen som i medarbetarenkäten uppger sig utsatta. "
        "Antal från 1 till 9 döljs; noll visas."),
    description_en=(
        "Reported cases per year, category and gender of the person affected, cases per 100 staff (or per "
        "100 students where the unit has only students), and the share of survey respondents who report "
        "being exposed. Counts from 1 to 9 are hidden; zero is shown."),
    unit_of_measure="rate per 100",
    gep_area="violence",
    target="safety.max_exposed_share",
    source="Diskrimineringslagen (2008:567) 2 kap. 3 § (the employer's duty to investigate); AFS 2015:4 "
           "(kränkande särbehandling); rates per 100 as in the Swedish Work Environment Authority's statistics",
    suppression=Suppression(hide=("total", *RATE_COLUMNS), partition=("year",), k_setting=K_SETTING),
    columns={"year": "year", "category": "harassment, sexual_harassment, discrimination, victimisation or 'all'",
             "women": "cases, the person affected a woman", "men": "cases, a man",
             "other": "cases, other or unknown gender", "total": "cases",
             "population": "'staff' or 'students': what the rates are per 100 of",
             "population_women": "headcount the rate is per", "population_men": "headcount",
             "population_total": "headcount, every gender",
             "rate_women": "women / population_women × 100", "rate_men": "men / population_men × 100",
             "rate_total": "total / population_total × 100",
             "respondents_women": "survey respondents (per category; not summed in 'all')",
             "respondents_men": "survey respondents",
             "exposed_share_women": "share of respondents reporting exposure", "exposed_share_men": "likewise",
             "target_met": "exposed_share_women <= [safety] max_exposed_share (sexual_harassment only)"},
    scoped=True,
)
def incidents(cur, f: Filters) -> pd.DataFrame:
    """Cases per year (f.year_from..f.year_to, every year when unset), category and gender.

    rate_g = cases_g / headcount_g × 100, with the headcount of the unit and its sub-units in the
    staff table that year; where the unit has no staff rows that year but has students, per 100
    registered students (all levels) instead, and the column `population` says which. Cases
    concern staff and students alike, so the rate is a yardstick for comparing units and years, not
    a prevalence. exposed_share_g = survey_exposed_g / survey_respondents_g; respondents are not
    added up across categories (the same people answer each question), so the 'all' row has none,
    and a survey result with fewer than k_incidents respondents is hidden.
    """
    df = cur.execute(f"""
        WITH cases AS (
            SELECT t.ancestor AS scope, i.* FROM incidents i
            JOIN unit_tree t ON t.descendant = i.unit AND list_contains($units, t.ancestor)
            WHERE ($year_from IS NULL OR i.year >= $year_from) AND ($year_to IS NULL OR i.year <= $year_to)
        ),
        staff_heads AS (
            SELECT t.ancestor AS scope, s.year, sum(s.people) FILTER (WHERE s.gender = 'woman') AS women,
                   sum(s.people) FILTER (WHERE s.gender = 'man') AS men, sum(s.people) AS total
            FROM staff_cells s JOIN unit_tree t ON t.descendant = s.unit AND list_contains($units, t.ancestor)
            WHERE s.year IN (SELECT year FROM cases)
            GROUP BY t.ancestor, s.year
        ),
        student_heads AS (
            SELECT t.ancestor AS scope, st.year, sum(st.registered) FILTER (WHERE st.gender = 'woman') AS women,
                   sum(st.registered) FILTER (WHERE st.gender = 'man') AS men, sum(st.registered) AS total
            FROM students st JOIN unit_tree t ON t.descendant = st.unit AND list_contains($units, t.ancestor)
            WHERE st.year IN (SELECT year FROM cases)
            GROUP BY t.ancestor, st.year
        ),
        population AS (
            SELECT y.scope, y.year,
                   CASE WHEN sh.total > 0 THEN 'staff' WHEN su.total > 0 THEN 'students' END AS population,
                   CASE WHEN sh.total > 0 THEN sh.women ELSE su.women END AS women,
                   CASE WHEN sh.total > 0 THEN sh.men ELSE su.men END AS men,
                   CASE WHEN sh.total > 0 THEN sh.total ELSE su.total END AS total
            FROM (SELECT DISTINCT scope, year FROM cases) y
            LEFT JOIN staff_heads sh USING (scope, year) LEFT JOIN student_heads su USING (scope, year)
        )
        SELECT c.scope, c.year, coalesce(c.category, '{ALL}') AS category,
               coalesce(sum(c.count) FILTER (WHERE c.gender = 'woman'), 0) AS women,
               coalesce(sum(c.count) FILTER (WHERE c.gender = 'man'), 0)   AS men,
               coalesce(sum(c.count) FILTER (WHERE c.gender = 'other'), 0) AS other,
               sum(c.count) AS total,
               any_value(p.population) AS population,
               any_value(p.women) AS population_women, any_value(p.men) AS population_men,
               any_value(p.total) AS population_total,
               CASE WHEN grouping(c.category) = 0 THEN
                   sum(c.survey_respondents) FILTER (WHERE c.gender = 'woman') END AS respondents_women,
               CASE WHEN grouping(c.category) = 0 THEN
                   sum(c.survey_respondents) FILTER (WHERE c.gender = 'man') END   AS respondents_men,
               CASE WHEN grouping(c.category) = 0 THEN
                   sum(c.survey_exposed) FILTER (WHERE c.gender = 'woman') END     AS exposed_women,
               CASE WHEN grouping(c.category) = 0 THEN
                   sum(c.survey_exposed) FILTER (WHERE c.gender = 'man') END       AS exposed_men
        FROM cases c JOIN population p USING (scope, year)
        GROUP BY GROUPING SETS ((c.scope, c.year, c.category), (c.scope, c.year))
    """, {"units": scopes(f), "year_from": f.year_from, "year_to": f.year_to}).df()
    for c in ("women", "men", "other", "total"):
        df[c] = df[c].astype("int64")
    df["rate_women"] = (df["women"] / df["population_women"] * 100).where(df["population_women"] > 0)
    df["rate_men"] = (df["men"] / df["population_men"] * 100).where(df["population_men"] > 0)
    df["rate_total"] = (df["total"] / df["population_total"] * 100).where(df["population_total"] > 0)
    k = settings.k_anonymity(K_SETTING)
    for g in ("women", "men"):
        n = df[f"respondents_{g}"]
        df[f"exposed_share_{g}"] = (df[f"exposed_{g}"] / n).where(n >= k)
        df[f"respondents_{g}"] = n.astype("Int64").where(n >= k)
    share = df["exposed_share_women"]
    df["target_met"] = (share <= settings.goals()["safety"]["max_exposed_share"]).astype("boolean").where(
        share.notna() & (df["category"] == TARGET_CATEGORY))
    df = df.drop(columns=["exposed_women", "exposed_men"])
    df = df.sort_values(["scope", "year", "category"],
                        key=lambda c: c.map(CATEGORY_ORDER) if c.name == "category" else c)
    return unscoped(df.reset_index(drop=True), f)
