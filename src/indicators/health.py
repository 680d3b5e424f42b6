"""Health (sub-goal 5, "jämställd hälsa"): sick leave by gender.

Swedish public employers report sick leave as a share of available working time (Förordning
(2000:605) om årsredovisning och budgetunderlag, 7 kap. 3 §); Försäkringskassan and SCB's labour
force survey (AKU) report it per gender. Women's sick leave in Sweden is markedly higher than men's,
which is why the national sub-goal follows the ratio women / men.
"""

from __future__ import annotations

import pandas as pd

from . import settings
from .privacy import Suppression
from .registry import Filters, register, scopes, unscoped

K_SETTING = "k_sick_leave"

# Per year and gender: headcount, sick days, available days and long-term cases. A unit and year
# whose staff rows give sick_leave_days is counted from those rows (summed in staff_cells,
# store.STAFF_CELLS); every other one from the leave sheet, so no unit is counted twice.
SICK_BY_GENDER = """
    WITH staff_rows AS (
        SELECT t.ancestor AS scope, s.year, s.unit, s.gender, s.people, s.fte, s.sick_leave_days, s.with_sick
        FROM staff_cells s JOIN unit_tree t ON t.descendant = s.unit AND list_contains($units, t.ancestor)
        WHERE ($year_from IS NULL OR s.year >= $year_from) AND ($year_to IS NULL OR s.year <= $year_to)
    ),
    from_staff AS (
        SELECT DISTINCT year, unit FROM staff_rows WHERE with_sick > 0
    ),
    by_gender AS (
        SELECT scope, year, gender, sum(people) AS people, coalesce(sum(sick_leave_days), 0) AS sick,
               sum(fte) * $days_per_fte AS available, NULL::INTEGER AS long_term, 'staff' AS source
        FROM staff_rows SEMI JOIN from_staff USING (year, unit)
        GROUP BY scope, year, gender
        UNION ALL
        SELECT t.ancestor, l.year, l.gender, sum(l.staff), sum(l.sick_leave_days),
               sum(coalesce(l.available_days, l.staff * $days_per_fte)), sum(l.long_term_sick), 'leave'
        FROM leave l JOIN unit_tree t ON t.descendant = l.unit AND list_contains($units, t.ancestor)
        ANTI JOIN from_staff fs ON fs.year = l.year AND fs.unit = l.unit
        WHERE ($year_from IS NULL OR l.year >= $year_from) AND ($year_to IS NULL OR l.year <= $year_to)
          AND l.sick_leave_days IS NOT NULL
        GROUP BY t.ancestor, l.year, l.gender
    )
"""

SICK_COLUMNS = ("sick_days_women", "sick_days_men", "available_days_women", "available_days_men",
                "rate_women", "rate_men", "rate_total", "ratio_women_men", "target_met")


@register(
    id="sick_leave",
    subgoal=5,
    title_sv="Sjukfrånvaro per kön",
    title_en="Sick leave by gender",
    description_sv=(
        "Per år: sjukfrånvaro i procent av tillgänglig tid för kvinnor och män (sjukdagar / tillgängliga "
        "dagar, viktat med sysselsättningsgrad), kvoten kvinnor / män och antal långtidssjuka där frånvarobladet "
        "anger det. Döljs för grupper under 10 personer."),
    description_en=(
        "Per year: sick leave as a share of available time for women and men (sick days / available days, "
        "weighted by FTE), the ratio women / men, and long-term sick cases where the leave sheet gives them. "
        "Hidden for groups below 10 people."),
    unit_of_measure="share",
    gep_area="work_life",
    target="health.max_ratio",
    source="Förordning (2000:605) 7 kap. 3 § (sick leave as a share of available working time); "
           "Försäkringskassan and SCB AKU sick-leave statistics by sex",
    suppression=Suppression(hide=SICK_COLUMNS + ("long_term_women", "long_term_men"), k_setting=K_SETTING),
    columns={"year": "year", "women": "headcount", "men": "headcount",
             "total": "women + men", "sick_days_women": "sick days", "sick_days_men": "sick days",
             "available_days_women": "Σ fte × [health] available_days_per_fte, or the leave sheet's available days",
             "available_days_men": "likewise for men",
             "rate_women": "sick_days_women / available_days_women", "rate_men": "sick_days_men / available_days_men",
             "rate_total": "sick days / available days, women and men together",
             "ratio_women_men": "rate_women / rate_men",
             "target_met": "ratio_women_men <= [health] max_ratio in goals.toml",
             "long_term_women": "long-term sick women (leave sheet only; hidden below k)",
             "long_term_men": "long-term sick men (leave sheet only; hidden below k)",
             "source": "staff rows, the leave sheet, or both (different units)"},
    scoped=True,
)
def sick_leave(cur, f: Filters) -> pd.DataFrame:
    """One row per year in f.year_from..f.year_to (every year when unset).

    rate_g = Σ sick_days_g / Σ available_days_g. From staff rows, available days = fte × D with
    D = [health] available_days_per_fte in goals.toml (365: calendar days, the unit in which
    Försäkringskassan counts sickness days; set 250 when the HR system counts working days), so a
    half-time employee contributes half the days: the FTE weighting. From the leave sheet, its
    available_days, or staff × D where missing. ratio = rate_W / rate_M. People of another or unknown
    gender are left out (seldom k of them: their count would hide every figure, and a total would
    give their sick days away). Long-term cases (the
    leave sheet's long_term_sick; Arbetsgivarverket counts 60 days or more) are not derived from
    staff rows, which give a year's total, not spells. A long-term count below k is hidden here,
    as the row's own suppression does not look at it.
    """
    days_per_fte = float(settings.goals()["health"]["available_days_per_fte"])
    df = cur.execute(f"""{SICK_BY_GENDER}
        SELECT scope, year,
               coalesce(sum(people) FILTER (WHERE gender = 'woman'), 0) AS women,
               coalesce(sum(people) FILTER (WHERE gender = 'man'), 0)   AS men,
               sum(people) AS total,
               coalesce(sum(sick) FILTER (WHERE gender = 'woman'), 0)      AS sick_days_women,
               coalesce(sum(sick) FILTER (WHERE gender = 'man'), 0)        AS sick_days_men,
               coalesce(sum(available) FILTER (WHERE gender = 'woman'), 0) AS available_days_women,
               coalesce(sum(available) FILTER (WHERE gender = 'man'), 0)   AS available_days_men,
               sum(sick) / nullif(sum(available), 0)                       AS rate_total,
               sum(long_term) FILTER (WHERE gender = 'woman')              AS long_term_women,
               sum(long_term) FILTER (WHERE gender = 'man')                AS long_term_men,
               string_agg(DISTINCT source, ' + ' ORDER BY source)          AS source
        FROM by_gender
        WHERE gender IN ('woman', 'man')
        GROUP BY scope, year
        ORDER BY scope, year
    """, {"units": scopes(f), "year_from": f.year_from, "year_to": f.year_to, "days_per_fte": days_per_fte}).df()
    for c in ("women", "men", "total"):
        df[c] = df[c].astype("int64")
    df["rate_women"] = (df["sick_days_women"] / df["available_days_women"]).where(df["available_days_women"] > 0)
    df["rate_men"] = (df["sick_days_men"] / df["available_days_men"]).where(df["available_days_men"] > 0)
    df["ratio_women_men"] = (df["rate_women"] / df["rate_men"]).where(df["rate_men"] > 0)
    target = settings.goals()["health"]["max_ratio"]
    df["target_met"] = (df["ratio_women_men"] <= target).astype("boolean").where(df["ratio_women_men"].notna())
    k = settings.k_anonymity(K_SETTING)
    for c in ("long_term_women", "long_term_men"):
        df[c] = df[c].astype("Int64")
        df.loc[(df[c] > 0) & (df[c] < k), c] = pd.NA
    return unscoped(df[["scope", "year", "women", "men", "total", "sick_days_women", "sick_days_men",
               "available_days_women", "available_days_men", "rate_women", "rate_men", "rate_total",
               "ratio_women_men", "target_met", "long_term_women", "long_term_men", "source"]], f)
