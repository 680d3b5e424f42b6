"""Pay (sub-goal 2, economic equality): what the yearly pay survey ("lönekartläggning") must examine.

Diskrimineringslagen (2008:567) ch. 3 §§ 8-10 asks every employer, each year, to survey pay for
equal work and for work of equal value; the EU Pay Transparency Directive (2023/970) adds a report
of the gap by category of worker. Indicators here:

* `pay_gap`, `pay_gap_trend`: the unadjusted gap, mean and median, for a unit and year (or years);
* `equal_work`: the same figures per unit x position and per position across the chosen unit;
* `equal_value`, `equal_value_pairs`: groups by position and job_level, and each women-dominated
  group paid less than a group that is not women-dominated with an equal or lower job_level;
* `pay_quartiles`: the share of women in each pay quartile (UK SI 2017/172 reg. 13);
* `pay_transparency`: the directive's art. 9 set, and `pay_transparency_xlsx` to export it;
* `adjusted_gap`: an OLS of log salary on gender and covariates (statsmodels);
* `salary_distribution`: percentiles by gender per position, for a box plot.

Salary: `monthly_salary` is the full-time monthly salary in SEK (DESIGN.md, the staff sheet). Balans
assumes it is already full-time: it is never divided by FTE and nothing is weighted by FTE. A file
that gives actual (part-time) pay must be converted before import.

Two genders: pay figures compare women and men; people recorded with another or unknown gender, and
people without a salary, are outside every pay table (a group of one or two would expose them).

Privacy (DESIGN.md): a pay figure is shown only where it rests on at least k women and k men
(`every_gender`). Means can be differenced: a hidden group's mean salary follows from the total's
mean and the shown groups' means and counts. So within each table, wherever hidden groups add up,
together with shown groups, to a total that is shown (here or in `pay_gap`), the hidden groups
together must also hold k women and k men; if not, the smallest shown group is hidden too, and so on
until that holds (complementary suppression, applied along every margin the table has). Percentiles
never touch the lowest or highest salary of a group (see `salary_distribution`), and no table shows
a minimum, maximum or quartile boundary.

What this does not prevent: differencing *between queries*. `pay_gap` for a sub-unit, or with the
positions filter set, publishes totals that no single table here knows of (pay_gap(unit, [lecturer])
is a unit's lecturers); subtracting such totals can isolate a group hidden in `equal_work`. Closing
that needs one rule for every query (e.g. perturbing each published mean by a small amount keyed on
its set of persons, as census "cell key" methods do) rather than per-table suppression.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from . import export, privacy, settings
from .privacy import Suppression
from .registry import Filters, compute, register, scopes, unscoped
from .representation import ALL_POSITIONS, STAFF_SCOPE, latest_year, scope_params
from .schema import POSITION_CATEGORIES

# Staff in scope with a salary, women and men only (see the module docstring).
PAY_SCOPE = f"""
    SELECT * FROM ({STAFF_SCOPE})
    WHERE monthly_salary > 0 AND gender IN ('woman', 'man')
"""

# The same over a range of years (trends); a missing bound means "from the first" / "to the last".
PAY_SCOPE_YEARS = """
    SELECT t.ancestor AS scope, s.* FROM staff s
    JOIN unit_tree t ON t.descendant = s.unit AND list_contains($units, t.ancestor)
    WHERE s.year BETWEEN coalesce($year_from, -32768) AND coalesce($year_to, 32767)
      AND ($positions IS NULL OR list_contains($positions, s.position_category))
      AND ($etype IS NULL OR s.employment_type = $etype)
      AND s.monthly_salary > 0 AND s.gender IN ('woman', 'man')
"""

# Counts, means and medians per gender; median() is the interpolated median (quantile_cont 0.5).
GENDER_PAY = """
    count(*) FILTER (WHERE gender = 'woman')                  AS women,
    count(*) FILTER (WHERE gender = 'man')                    AS men,
    avg(monthly_salary) FILTER (WHERE gender = 'woman')       AS mean_women,
    avg(monthly_salary) FILTER (WHERE gender = 'man')         AS mean_men,
    median(monthly_salary) FILTER (WHERE gender = 'woman')    AS median_women,
    median(monthly_salary) FILTER (WHERE gender = 'man')      AS median_men
"""

SALARY_COLUMNS = ("mean_women", "mean_men", "median_women", "median_men")
GAP_COLUMNS = ("mean_gap_pct", "median_gap_pct", "women_pct_of_men_mean", "women_pct_of_men_median")
PAY_FIGURES = SALARY_COLUMNS + GAP_COLUMNS
PAY_COLUMN_DOCS = {
    "women": "women with a salary", "men": "men with a salary",
    "mean_women": "mean full-time monthly salary, women (SEK)", "mean_men": "the same, men",
    "median_women": "median full-time monthly salary, women (SEK)", "median_men": "the same, men",
    "mean_gap_pct": "(mean men - mean women) / mean men x 100; positive: women are paid less",
    "median_gap_pct": "(median men - median women) / median men x 100",
    "women_pct_of_men_mean": "mean women / mean men x 100 (Medlingsinstitutet's form)",
    "women_pct_of_men_median": "median women / median men x 100",
}
# Every pay figure needs k women and k men; the counts go with the figures they would expose.
PAY_SUPPRESSION = Suppression(counts=("women", "men"), total=None, hide=PAY_FIGURES + ("flag",), every_gender=True)
PAY_SOURCE = ("Diskrimineringslagen (2008:567) ch. 3 §§ 8-10 (lönekartläggning); Medlingsinstitutet, "
              "'Vad säger den officiella lönestatistiken om löneskillnaden mellan kvinnor och män' (women's pay "
              "as a percentage of men's); UK SI 2017/172 reg. 8-9 (mean and median gap as a share of men's pay)")


def _pay_params(cur, f: Filters) -> dict:
    return scope_params(cur, f)


def _years_params(f: Filters) -> dict:
    return {"units": scopes(f), "year_from": f.year_from, "year_to": f.year_to,
            "positions": list(f.positions) or None, "etype": f.employment_type}


def add_gaps(df: pd.DataFrame) -> pd.DataFrame:
    """Gap = (men - women) / men x 100 (UK SI 2017/172 reg. 8-9, Eurostat's unadjusted GPG), mean and
    median; women's pay as a percentage of men's (Medlingsinstitutet). NaN where men's figure is missing."""
    for stat in ("mean", "median"):
        w, m = df[f"{stat}_women"].astype(float), df[f"{stat}_men"].astype(float)
        m = m.where(m > 0)
        df[f"{stat}_gap_pct"] = (m - w) / m * 100
        df[f"women_pct_of_men_{stat}"] = w / m * 100
    return df


def _order(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    rank = {p: i for i, p in enumerate((*POSITION_CATEGORIES, ALL_POSITIONS))}
    return df.sort_values(by, key=lambda s: s.map(rank) if s.name == "position" else s).reset_index(drop=True)


# --- suppression along margins ---------------------------------------------------------------------

def pay_small(women, men, k: int) -> bool:
    """A pay figure needs k women and k men (DESIGN.md, Privacy)."""
    return bool(women < k or men < k)


def count_small(women, men, k: int) -> bool:
    """The head-count rule (Statistics Sweden): a gender count of 1 to k-1, or fewer than k in all."""
    return bool(0 < women < k or 0 < men < k or women + men < k)


def protect(df: pd.DataFrame, k: int, lines: list[tuple[list, object]], small=pay_small) -> pd.Series:
    """Primary and complementary suppression: True for every row to hide.

    `lines` lists the groups of rows that add up to a total: (cells, margin) where margin is the
    label of the total's row in this table, or None when the total is shown elsewhere (pay_gap, or
    another table) and cannot be hidden from here. While a line with a shown margin has exactly one
    hidden cell (it is the margin minus the rest, whatever its size: a cell hidden only to protect
    another must not be worked out either), or hidden cells that together hold fewer than k women or
    k men (by `small`), the smallest shown cell of the line is hidden too; when none is left, the
    margin is. Repeated until nothing changes, since hiding a cell in one line can open another. Every
    line then has no hidden cell or at least two holding k of each together, so in a two-way table
    with its margins no hidden cell can be solved for alone (the usual condition for a table's
    complementary suppression; Hundepool et al., 'Statistical Disclosure Control', 2012, ch. 4).
    """
    women, men = df["women"].fillna(0), df["men"].fillna(0)
    hidden = pd.Series([small(w, m, k) for w, m in zip(women, men)], index=df.index, dtype=bool)
    changed = True
    while changed:
        changed = False
        for cells, margin in lines:
            if margin is not None and hidden[margin]:
                continue
            gone = [c for c in cells if hidden[c]]
            if not gone or (len(gone) > 1 and not small(women[gone].sum(), men[gone].sum(), k)):
                continue
            shown = [c for c in cells if not hidden[c]]
            if shown:
                hidden[min(shown, key=lambda c: (women[c] + men[c], str(c)))] = True
            elif margin is not None:
                hidden[margin] = True
            else:
                continue
            changed = True
    return hidden


def _lines(df: pd.DataFrame, cell_rows: pd.Series, by: str, margin_of: dict | None = None) -> list:
    """One line per value of `by` among the cell rows; its margin from margin_of (value -> label)."""
    out = []
    for value, group in df[cell_rows].groupby(by, dropna=False, sort=False):
        out.append((list(group.index), (margin_of or {}).get(value)))
    return out


# --- the unadjusted gap ------------------------------------------------------------------------------

@register(
    id="pay_gap",
    subgoal=2,
    title_sv="Löneskillnad mellan kvinnor och män",
    title_en="Gender pay gap",
    description_sv=(
        "Heltidslön per månad för kvinnor och män i enheten med underenheter: medel och median, "
        "löneskillnaden (män − kvinnor) / män × 100 och kvinnors lön i procent av mäns (Medlingsinstitutets "
        "mått). Ovägd: tar inte hänsyn till befattning, ålder eller annat. Lönen antas vara heltidslön. "
        "Visas bara när minst k kvinnor och k män har lön."),
    description_en=(
        "Full-time monthly salary of women and men in the unit with its sub-units: mean and median, the "
        "gap (men − women) / men × 100, and women's pay as a percentage of men's (Medlingsinstitutet's "
        "form). Unadjusted: position, age and the rest are not taken into account. Salaries are assumed "
        "to be full-time. Shown only where at least k women and k men have a salary."),
    unit_of_measure="percent",
    gep_area="careers",
    target="pay.gap_target_pct",
    source=PAY_SOURCE,
    suppression=PAY_SUPPRESSION,
    columns={"year": "year of the snapshot", "unit": "the chosen unit (with its sub-units)", **PAY_COLUMN_DOCS},
    scoped=True,
)
def pay_gap(cur, f: Filters) -> pd.DataFrame:
    """One row: the unadjusted gap for the unit and year.

    gap = (M - W) / M x 100 on the means and on the medians; W / M x 100 the Swedish form.
    Check (DESIGN.md): men 11, 20, 30, 39; women 10, 12, 21, 29 -> mean gap 28.0 %, median 34.0 %.
    """
    # pay_gap_trend's query over the one year: the same figures, written once.
    year = f.year if f.year is not None else latest_year(cur)
    return pay_gap_trend(cur, f.with_(year_from=year, year_to=year))


@register(
    id="pay_gap_trend",
    subgoal=2,
    title_sv="Löneskillnad över tid",
    title_en="Gender pay gap over the years",
    description_sv=("Löneskillnaden (medel och median) år för år för enheten med underenheter. "
                    "Ett år visas bara när minst k kvinnor och k män har lön."),
    description_en=("The pay gap (mean and median) year by year for the unit with its sub-units. "
                    "A year is shown only where at least k women and k men have a salary."),
    unit_of_measure="percent",
    gep_area="careers",
    target="pay.gap_target_pct",
    source=PAY_SOURCE,
    suppression=PAY_SUPPRESSION,
    columns={"year": "year", "unit": "the chosen unit (with its sub-units)", **PAY_COLUMN_DOCS},
    scoped=True,
)
def pay_gap_trend(cur, f: Filters) -> pd.DataFrame:
    """`pay_gap` for each year from f.year_from to f.year_to (every year with data when unset)."""
    df = cur.execute(f"""
        WITH scope AS ({PAY_SCOPE_YEARS})
        SELECT scope, year::INTEGER AS year, scope AS unit, {GENDER_PAY}
        FROM scope
        GROUP BY scope, year
        ORDER BY scope, year
    """, _years_params(f)).df()
    return unscoped(add_gaps(df), f)


# --- equal work --------------------------------------------------------------------------------------

@register(
    id="equal_work",
    subgoal=2,
    title_sv="Lika arbete: lön per enhet och befattning",
    title_en="Equal work: pay by unit and position",
    description_sv=(
        "Samma lönemått som löneskillnaden, för varje enhet × befattningskategori och för varje befattning "
        "i hela den valda enheten (nivå 'all'). Varje skillnad ska analyseras i lönekartläggningen; "
        "flaggan visar där kvinnors medianlön är under toleransen (goals.toml, 95 %) av mäns. "
        "Grupper med färre än k kvinnor eller k män döljs, och så många till att de dolda inte kan räknas fram."),
    description_en=(
        "The pay-gap figures for each unit × position category and for each position across the chosen unit "
        "(level 'all'). The pay survey must look at every gap; the flag marks where women's median is below "
        "the tolerance (goals.toml, 95 %) of men's. Groups with fewer than k women or k men are hidden, and as "
        "many more as it takes for the hidden ones not to be worked out."),
    unit_of_measure="percent",
    gep_area="careers",
    target="pay.equal_work_tolerance",
    source="Diskrimineringslagen (2008:567) ch. 3 § 10 ('lika arbete'); DO, 'Lönekartläggning' guidance",
    suppression=PAY_SUPPRESSION,
    columns={"year": "year", "level": "'unit': one unit's staff in the position; 'all': the whole chosen unit",
             "unit": "unit (for level 'all', the chosen unit)", "position": "position category",
             **PAY_COLUMN_DOCS, "flag": "women's median < tolerance x men's median"},
)
def equal_work(cur, f: Filters) -> pd.DataFrame:
    """Pay by gender per (unit, position) where staff sit, and per position across the chosen unit.

    flag = median_women < equal_work_tolerance x median_men (goals.toml, default 0.95).
    Suppression lines: each position's unit rows add up to its 'all' row; each unit's rows add up to
    that unit's staff (shown by pay_gap when it has no sub-units); the 'all' rows add up to the
    chosen unit's pay_gap.
    """
    params = _pay_params(cur, f)
    df = cur.execute(f"""
        WITH scope AS ({PAY_SCOPE})
        SELECT year::INTEGER AS year,
               CASE WHEN grouping(unit) = 1 THEN 'all' ELSE 'unit' END AS level,
               coalesce(unit, $unit) AS unit,
               position_category AS position,
               {GENDER_PAY}
        FROM scope
        GROUP BY GROUPING SETS ((year, unit, position_category), (year, position_category))
    """, params).df()
    df = _order(add_gaps(df), ["level", "position", "unit"])
    tolerance = float(settings.goals()["pay"]["equal_work_tolerance"])
    df["flag"] = (df["median_women"] < tolerance * df["median_men"]).astype("boolean")
    cells = df["level"] == "unit"
    totals = {p: i for i, p in df.loc[~cells, "position"].items()}
    lines = (_lines(df, cells, "position", totals) + _lines(df, cells, "unit")
             + [(list(df.index[~cells]), None)])
    df["suppressed"] = protect(df, settings.k_anonymity(), lines)
    return df


# --- work of equal value ------------------------------------------------------------------------------

EQUAL_VALUE_SUPPRESSION = Suppression(counts=("women", "men"), total="total",
                                      hide=("share_women", "mean_salary", "women_dominated"))


@register(
    id="equal_value",
    subgoal=2,
    title_sv="Likvärdigt arbete: grupper per befattning och befattningsnivå",
    title_en="Work of equal value: groups by position and job level",
    description_sv=(
        "Grupper av lika arbete (befattningskategori) på samma befattningsnivå (arbetsvärderingen, "
        "användarens indata): antal kvinnor och män, andel kvinnor, medellön, och om gruppen är "
        "kvinnodominerad (minst 60 % kvinnor, goals.toml). Personer utan befattningsnivå ingår inte."),
    description_en=(
        "Groups doing equal work (position category) at one job level (the job evaluation, the user's "
        "input): women, men, share of women, mean salary, and whether the group is women-dominated "
        "(at least 60 % women, goals.toml). People without a job level are left out."),
    unit_of_measure="SEK",
    gep_area="careers",
    target="pay.women_dominated",
    source="Diskrimineringslagen (2008:567) ch. 3 §§ 8-10 ('likvärdigt arbete', 'kvinnodominerat arbete')",
    suppression=EQUAL_VALUE_SUPPRESSION,
    columns={"year": "year", "position": "position category", "job_level": "job level (job evaluation)",
             "women": "women with a salary", "men": "men with a salary", "total": "women + men",
             "share_women": "women / (women + men)", "mean_salary": "mean full-time monthly salary, women and men (SEK)",
             "women_dominated": "share_women >= pay.women_dominated"},
)
def equal_value(cur, f: Filters) -> pd.DataFrame:
    """Groups = position category x job_level.

    Why not job_level alone (DESIGN.md's wording): Diskrimineringslagen ch. 3 § 10 compares a
    women-dominated *group of equal work* with groups whose work is of equal value (the same
    job_level) or of lower value but better paid. A group of work is a kind of job (the position
    category); its value is its job level. A job_level alone would mix, say, administrators and
    lecturers at one level into a single group, and a women-dominated kind of work inside it would
    disappear in the average. So a group is one position at one level, and the pairs compare groups
    across positions and levels.

    The group's mean is over women and men together, not by gender, so a group of only women (the
    typical women-dominated group) is shown: here the head-count rule applies (hidden with 1 to
    k-1 of a gender, or fewer than k in all), with complementary suppression per position, per level
    and over the whole table (each adds up to a total shown elsewhere).
    """
    df = cur.execute(f"""
        WITH scope AS ({PAY_SCOPE})
        SELECT year::INTEGER AS year, position_category AS position, job_level,
               count(*) FILTER (WHERE gender = 'woman') AS women,
               count(*) FILTER (WHERE gender = 'man')   AS men,
               count(*)                                  AS total,
               avg(monthly_salary)                       AS mean_salary
        FROM scope
        WHERE job_level IS NOT NULL
        GROUP BY year, position_category, job_level
    """, _pay_params(cur, f)).df()
    df = _order(df, ["job_level", "position"])
    df["share_women"] = (df["women"] / df["total"]).astype(float)
    df["women_dominated"] = (df["share_women"] >= float(settings.goals()["pay"]["women_dominated"])).astype("boolean")
    every = pd.Series(True, index=df.index)
    lines = _lines(df, every, "position") + _lines(df, every, "job_level") + [(list(df.index), None)]
    df["suppressed"] = protect(df, settings.k_anonymity(), lines, small=count_small)
    return df


@register(
    id="equal_value_pairs",
    subgoal=2,
    title_sv="Likvärdigt arbete: kvinnodominerade grupper med lägre lön",
    title_en="Work of equal value: women-dominated groups paid less",
    description_sv=(
        "Varje kvinnodominerad grupp (a) som i medeltal har lägre lön än en grupp (b) som inte är "
        "kvinnodominerad och har samma eller lägre befattningsnivå. Lönekartläggningen ska analysera varje par: "
        "skillnaden kan ha sakliga skäl, men de ska kunna visas. Bara synliga grupper jämförs."),
    description_en=(
        "Every women-dominated group (a) paid less on average than a group (b) that is not women-dominated and "
        "has an equal or lower job level. The pay survey must examine each pair: the difference may have "
        "objective reasons, but they must be shown. Only groups that are shown are compared."),
    unit_of_measure="SEK",
    gep_area="careers",
    target="pay.women_dominated",
    source="Diskrimineringslagen (2008:567) ch. 3 § 10; DO, 'Lönekartläggning' guidance",
    suppression=Suppression(counts=("women_a", "men_a", "women_b", "men_b"), total=None,
                            hide=("mean_salary_a", "mean_salary_b", "difference", "difference_pct")),
    columns={"year": "year",
             "position_a": "women-dominated group: position", "job_level_a": "its job level",
             "women_a": "women", "men_a": "men", "share_women_a": "share of women",
             "mean_salary_a": "mean salary (SEK)",
             "position_b": "the group paid more: position", "job_level_b": "its job level (<= job_level_a)",
             "women_b": "women", "men_b": "men", "share_women_b": "share of women",
             "mean_salary_b": "mean salary (SEK)",
             "difference": "mean_salary_b - mean_salary_a (SEK)",
             "difference_pct": "difference / mean_salary_b x 100"},
)
def equal_value_pairs(cur, f: Filters) -> pd.DataFrame:
    """Pairs (a, b): a women-dominated, b not, job_level_b <= job_level_a, mean_b > mean_a.

    Built from the `equal_value` groups after their suppression, so no pair rests on a hidden group.
    """
    groups = privacy.suppress(equal_value(cur, f), EQUAL_VALUE_SUPPRESSION, settings.k_anonymity())
    shown = groups[~groups["suppressed"]].drop(columns=["suppressed", "total"])
    keep = ["year", "position", "job_level", "women", "men", "share_women", "mean_salary"]
    a = shown[shown["women_dominated"].astype(bool)][keep]
    b = shown[~shown["women_dominated"].astype(bool)][keep]
    pairs = a.merge(b, on="year", suffixes=("_a", "_b"))
    pairs = pairs[(pairs["job_level_b"] <= pairs["job_level_a"]) & (pairs["mean_salary_b"] > pairs["mean_salary_a"])]
    pairs = pairs.assign(difference=pairs["mean_salary_b"] - pairs["mean_salary_a"])
    pairs["difference_pct"] = pairs["difference"] / pairs["mean_salary_b"] * 100
    columns = ["year"] + [f"{c}_{s}" for s in "ab" for c in keep[1:]] + ["difference", "difference_pct"]
    return pairs[columns].sort_values(["difference"], ascending=False).reset_index(drop=True)


# --- pay quartiles --------------------------------------------------------------------------------------

def quartile_bands(by_salary: pd.DataFrame) -> pd.DataFrame:
    """Women and men per pay quartile, UK SI 2017/172 reg. 13 with the government's guidance on ties.

    `by_salary`: one row per distinct salary (salary, women, men). People are ranked by salary and
    laid end to end, each taking a length of one, on a line of length n; the bands are its four
    quarters [0, n/4), [n/4, n/2), ... - "as equal in size as possible" taken literally: exactly n/4
    each. People on one salary form one stretch; a band holding a fraction f of that stretch gets f of
    its women and f of its men, so each band gets the same mix of women and men at that salary.
    Fractional persons follow (also for a single person at a boundary when n is not a multiple of 4).
    """
    by_salary = by_salary.sort_values("salary")
    n = float((by_salary["women"] + by_salary["men"]).sum())
    edges = [n * q / 4 for q in range(5)]
    women, men = [0.0] * 4, [0.0] * 4
    start = 0.0
    for w, m in zip(by_salary["women"].astype(float), by_salary["men"].astype(float)):
        end = start + w + m
        for q in range(4):
            overlap = min(end, edges[q + 1]) - max(start, edges[q])
            if overlap > 0:
                women[q] += overlap / (w + m) * w
                men[q] += overlap / (w + m) * m
        start = end
    out = pd.DataFrame({"quartile": [1, 2, 3, 4], "women": women, "men": men})
    out["total"] = out["women"] + out["men"]
    out["share_women"] = (out["women"] / out["total"]).where(out["total"] > 0)
    return out


def _quartiles(cur, f: Filters) -> tuple[pd.DataFrame, int, int]:
    """The bands and the scope's numbers of women and men (the people they rest on)."""
    params = _pay_params(cur, f)
    by_salary = cur.execute(f"""
        WITH scope AS ({PAY_SCOPE})
        SELECT monthly_salary AS salary,
               count(*) FILTER (WHERE gender = 'woman') AS women,
               count(*) FILTER (WHERE gender = 'man')   AS men
        FROM scope
        GROUP BY monthly_salary
        ORDER BY monthly_salary
    """, params).df()
    if by_salary.empty:
        return pd.DataFrame(columns=["year", "quartile", "women", "men", "total", "share_women"]), 0, 0
    bands = quartile_bands(by_salary)
    bands.insert(0, "year", params["year"])
    return bands, int(by_salary["women"].sum()), int(by_salary["men"].sum())


def _quartiles_hidden(bands: pd.DataFrame, women: int, men: int, k: int) -> pd.Series:
    """Shown only where the unit has k women and k men, and every band k persons (n >= 4k).

    The bands are ranks, not groups of work, and show no salary (no boundary is given), so a band
    of, say, no women is the finding rather than a disclosure: bands are not hidden one gender at a
    time, and as they are equal in size they are all shown or all hidden.
    """
    hidden = pay_small(women, men, k) or bool((bands["total"] < k).any())
    return pd.Series(hidden, index=bands.index, dtype=bool)


@register(
    id="pay_quartiles",
    subgoal=2,
    title_sv="Andel kvinnor per lönekvartil",
    title_en="Share of women in each pay quartile",
    description_sv=(
        "Alla med lön ordnas efter lön och delas i fyra lika stora grupper (kvartil 1 lägst). Personer med "
        "samma lön som hamnar på en gräns fördelas så att varje kvartil får samma andel kvinnor och män av dem "
        "(brittisk metod, SI 2017/172; bråkdelar av personer förekommer). Visas när enheten har minst k "
        "kvinnor och k män och varje kvartil minst k personer."),
    description_en=(
        "Everyone with a salary is ranked by salary and split into four equal groups (quartile 1 lowest). "
        "People on the same salary who straddle a boundary are split so each quartile gets the same mix of "
        "women and men among them (UK method, SI 2017/172; fractions of persons occur). Shown where the unit "
        "has at least k women and k men and every quartile at least k persons."),
    unit_of_measure="share",
    gep_area="careers",
    source="UK SI 2017/172 reg. 13 and the UK government's guidance 'Gender pay gap reporting: guidance for employers'",
    suppression=Suppression(counts=(), total="total", hide=("women", "men", "share_women")),
    columns={"year": "year", "quartile": "1 (lowest paid quarter) to 4 (highest)", "women": "women (may be fractional)",
             "men": "men (may be fractional)", "total": "persons in the band (n / 4)",
             "share_women": "women / total"},
)
def pay_quartiles(cur, f: Filters) -> pd.DataFrame:
    """Share of women per quartile band. Check (DESIGN.md): the eight salaries -> 50, 50, 100, 0 %."""
    bands, women, men = _quartiles(cur, f)
    bands["suppressed"] = _quartiles_hidden(bands, women, men, settings.k_anonymity())
    return bands


# --- EU Pay Transparency Directive, art. 9 ---------------------------------------------------------------

VARIABLE_PAY_NOTE = "not given: the staff sheet has no variable-pay column"
PARTS = ("overall", "variable_pay", "quartile", "position", "job_level")


def _level_label(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "not given"
    return str(int(v)) if float(v).is_integer() else str(v)


@register(
    id="pay_transparency",
    subgoal=2,
    title_sv="EU:s lönetransparensdirektiv, art. 9",
    title_en="EU Pay Transparency Directive, art. 9",
    description_sv=(
        "Direktivets (EU) 2023/970 rapport för enheten och året: löneskillnad i medel och median, skillnad i "
        "rörlig lön (saknas i personalfilen: 'ej angiven'), andel kvinnor per lönekvartil, och löneskillnaden "
        "per kategori av arbetstagare (befattning, och befattningsnivå där den finns). En kategori med en "
        "skillnad i medellön på minst 5 % (goals.toml) flaggas: om den inte kan motiveras sakligt kräver "
        "direktivet en gemensam lönebedömning (art. 10)."),
    description_en=(
        "The report of Directive (EU) 2023/970 for the unit and year: mean and median gap, the gap in variable "
        "pay (not in the staff sheet: 'not given'), the share of women per pay quartile, and the gap by category "
        "of worker (position, and job level where given). A category whose mean pay differs by 5 % or more "
        "(goals.toml) is flagged: unless objective, gender-neutral criteria justify it, the directive requires "
        "a joint pay assessment (art. 10)."),
    unit_of_measure="percent",
    gep_area="careers",
    target="pay.pay_transparency_threshold",
    source="Directive (EU) 2023/970 art. 3, 9 and 10; UK SI 2017/172 reg. 13 for the quartile bands",
    # The function applies the rules (pay figures: k women and k men with complementary suppression;
    # bands: as pay_quartiles); this spec is the backstop every row gets on top.
    suppression=Suppression(counts=(), total="total",
                            hide=("women", "men", *PAY_FIGURES, "share_women", "flag")),
    columns={"part": "overall | variable_pay | quartile | position | job_level",
             "category": "the quartile (1-4), position category or job level ('not given': no job level)",
             "year": "year", **PAY_COLUMN_DOCS, "total": "women + men",
             "share_women": "quartile rows: women / total",
             "flag": "category rows: |mean_gap_pct| >= pay.pay_transparency_threshold x 100",
             "note": "what a row without figures means"},
)
def pay_transparency(cur, f: Filters) -> pd.DataFrame:
    """Art. 9(1)(a)-(g) for one unit and year, long form with a `part` column.

    Gap = (M - W) / M x 100 on means and medians (art. 3(1)(c)); quartile bands as pay_quartiles;
    categories of worker: position category and job_level (art. 3(1)(f): workers performing the same
    work or work of equal value, grouped by the employer's gender-neutral criteria - the job level).
    Flag: |mean gap| >= threshold (art. 10(1)(a): 'a difference in average pay level ... of at least
    5 % in any category of workers'; in either direction, as the article does not say which).
    """
    params = _pay_params(cur, f)
    k = settings.k_anonymity()
    gaps = cur.execute(f"""
        WITH scope AS ({PAY_SCOPE})
        SELECT CASE WHEN grouping(position_category) = 0 THEN 'position'
                    WHEN grouping(job_level) = 0 THEN 'job_level' ELSE 'overall' END AS part,
               position_category, job_level,
               {GENDER_PAY}
        FROM scope
        GROUP BY GROUPING SETS ((), (position_category), (job_level))
    """, params).df()
    if gaps.empty:
        return pd.DataFrame(columns=["part", "category", "year", "women", "men", "total", *PAY_FIGURES,
                                     "share_women", "flag", "note"])
    if not gaps["job_level"].notna().any():
        gaps = gaps[gaps["part"] != "job_level"]  # no job evaluation given: no such category
    gaps = add_gaps(gaps)
    gaps["category"] = [p if part == "position" else _level_label(lv) if part == "job_level" else "all"
                        for part, p, lv in zip(gaps["part"], gaps["position_category"], gaps["job_level"])]
    gaps = gaps.drop(columns=["position_category", "job_level"]).reset_index(drop=True)
    overall = gaps.index[gaps["part"] == "overall"][0]
    lines = [(list(gaps.index[gaps["part"] == part]), overall) for part in ("position", "job_level")]
    gaps["suppressed"] = protect(gaps, k, lines)
    threshold = float(settings.goals()["pay"]["pay_transparency_threshold"]) * 100
    flag = (gaps["mean_gap_pct"].abs() >= threshold).astype("boolean")
    gaps["flag"] = flag.where(gaps["part"] != "overall", pd.NA)

    bands, women, men = _quartiles(cur, f)
    bands["suppressed"] = _quartiles_hidden(bands, women, men, k)
    bands = bands.assign(part="quartile", category=bands["quartile"].astype(str)).drop(columns=["quartile", "year"])
    variable = pd.DataFrame({"part": ["variable_pay"], "category": ["all"], "note": [VARIABLE_PAY_NOTE],
                             "suppressed": [False]})
    df = pd.concat([gaps, variable, bands], ignore_index=True)
    df["total"] = df["total"].fillna(df["women"] + df["men"])
    df["year"] = params["year"]
    df["part"] = pd.Categorical(df["part"], PARTS, ordered=True)
    # Rows in a fixed order (positions in career order, job levels by number, "not given" last): the
    # grouping sets come back from DuckDB in any order, and the same table must read the same each time.
    rank = {p: i for i, p in enumerate(POSITION_CATEGORIES)}
    df["_order"] = [rank.get(c, 0) if part == "position" else _level_order(c) if part == "job_level" else 0
                    for part, c in zip(df["part"], df["category"])]
    df = df.sort_values(["part", "_order"], kind="stable").drop(columns="_order")
    df["part"] = df["part"].astype(str)
    columns = ["part", "category", "year", "women", "men", "total", *PAY_FIGURES, "share_women", "flag", "note",
               "suppressed"]
    return df[columns].reset_index(drop=True)


def _level_order(label: str) -> float:
    try:
        return float(label)
    except (TypeError, ValueError):
        return math.inf


def pay_transparency_xlsx(con, filters: Filters) -> bytes:
    """The art. 9 report as one workbook: a sheet per part, suppression applied (via registry.compute)."""
    df = compute(con, "pay_transparency", filters)
    year = df["year"].iloc[0] if not df.empty else filters.year
    about = pd.DataFrame({
        "item": ["report", "unit", "year", "pay", "gap", "flag", "hidden"],
        "value": [
            "Directive (EU) 2023/970 art. 9 (Balans)", filters.unit, year,
            "full-time monthly salary (SEK); variable pay not given",
            "(men - women) / men x 100, mean and median",
            f"category with |mean gap| >= {settings.goals()['pay']['pay_transparency_threshold']:.0%}: "
            "to be justified by objective, gender-neutral criteria or assessed jointly (art. 10)",
            f"figures resting on fewer than {settings.k_anonymity()} women or men are left empty"]})
    figures = {
        "overall": ["women", "men", *PAY_FIGURES],
        "variable_pay": ["note"],
        "quartile": ["women", "men", "total", "share_women"],
        "position": ["women", "men", *PAY_FIGURES, "flag"],
        "job_level": ["women", "men", *PAY_FIGURES, "flag"],
    }
    sheets = {"about": about}
    for part, cols in figures.items():
        rows = df[df["part"] == part]
        if part == "job_level" and rows.empty:
            continue
        sheets[part] = rows[["category", "year", *cols, "suppressed"]]
    return export.to_xlsx(sheets)


# --- the adjusted gap ------------------------------------------------------------------------------------

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
    from scipy.stats import t as student_t
    from statsmodels.regression.linear_model import WLS

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


@register(
    id="adjusted_gap",
    subgoal=2,
    title_sv="Justerad löneskillnad (regression)",
    title_en="Adjusted pay gap (regression)",
    description_sv=(
        "Skillnaden i lön mellan kvinnor och män när befattning, enhet, åldersgrupp och befattningsnivå hålls "
        "lika: en OLS-regression av log(månadslön), redovisad som procent (negativ: kvinnor har lägre lön) med "
        "95 % konfidensintervall, och den andel av den ojusterade skillnaden som dessa faktorer förklarar. "
        "En liten justerad skillnad är INTE ett bevis på rättvis lön: faktorerna kan själva bära ojämställdhet "
        "(om kvinnor sällan blir professorer eller placeras på lägre nivåer 'förklarar' det skillnaden utan "
        "att göra den rättvis)."),
    description_en=(
        "The pay difference between women and men with position, unit, age band and job level held equal: an "
        "OLS regression of log(monthly salary), reported as a percentage (negative: women are paid less) with "
        "its 95 % confidence interval, and the share of the unadjusted gap these factors account for. "
        "A small adjusted gap is NOT evidence that pay is fair: the factors can themselves carry inequality "
        "(if women seldom become professors or are placed on lower job levels, that 'explains' the gap "
        "without making it fair)."),
    unit_of_measure="percent",
    gep_area="careers",
    source=("Blau and Kahn (2017), 'The Gender Wage Gap: Extent, Trends, and Explanations', J. Econ. Lit. 55(3); "
            "Eurostat, adjusted gender pay gap methodology; classical OLS (statsmodels)"),
    suppression=Suppression(counts=("women", "men"), total=None, every_gender=True,
                            hide=("n", "unadjusted_pct", "adjusted_pct", "adjusted_low_pct", "adjusted_high_pct",
                                  "share_explained")),
    columns={"year": "year", "unit": "the chosen unit (with its sub-units)", "women": "women in the model",
             "men": "men in the model", "n": "persons in the model",
             "unadjusted_pct": "(exp(b0) - 1) x 100, b0 = mean log salary of women - of men",
             "adjusted_pct": "(exp(b) - 1) x 100, b = the woman coefficient with the covariates",
             "adjusted_low_pct": "95 % interval of adjusted_pct, lower bound (percent, like adjusted_pct)",
             "adjusted_high_pct": "upper bound",
             "share_explained": "1 - b / b0: the share of the mean log gap the covariates account for",
             "covariates": "the covariates in the model (those with at least two values)"},
)
def adjusted_gap(cur, f: Filters) -> pd.DataFrame:
    """log(salary) = a + b·woman + position + unit + age band + job_level (+ error), OLS.

    Each covariate enters as categories (fixed effects) and only when it takes two or more values in
    scope; job_level where any is given (missing: its own category), age band from birth_year
    (<30, 30-39, 40-49, 50-59, 60+ at the snapshot; missing: 'unknown'). adjusted_pct = (e^b - 1) x 100
    with the interval (e^lo - 1, e^hi - 1) x 100 from the classical OLS standard error;
    unadjusted_pct the same from b0 (the difference in mean log salary, i.e. the model with the woman
    dummy alone). share_explained = 1 - b / b0. Person rows leave DuckDB only for the fit: the query
    asks for the six columns the model needs, and no row leaves this function.
    """
    params = _pay_params(cur, f)
    people = cur.execute(f"""
        WITH scope AS ({PAY_SCOPE})
        SELECT (gender = 'woman')::INTEGER AS woman, ln(monthly_salary) AS log_salary,
               position_category AS position, unit, year - birth_year AS age, job_level
        FROM scope
    """, params).df()
    women, men = int(people["woman"].sum()), int((1 - people["woman"]).sum())
    row = {"year": params["year"], "unit": f.unit, "women": women, "men": men, "n": len(people),
           "unadjusted_pct": np.nan, "adjusted_pct": np.nan, "adjusted_low_pct": np.nan, "adjusted_high_pct": np.nan,
           "share_explained": np.nan, "covariates": ""}
    if women and men:
        people["age_band"] = pd.cut(people["age"], AGE_BANDS[0], labels=AGE_BANDS[1], right=False)
        people["age_band"] = people["age_band"].astype(object).where(people["age_band"].notna(), "unknown")
        levels = people["job_level"]
        if levels.notna().any():  # label each distinct level once, not each of 100 000 people
            labels = {v: _level_label(v) for v in levels.dropna().unique()}
            people["job_level"] = levels.map(labels).fillna(_level_label(None))
        else:
            people["job_level"] = None
        covariates = [c for c in ("position", "unit", "age_band", "job_level")
                      if people[c].notna().any() and people[c].nunique() > 1]
        b0 = people.loc[people["woman"] == 1, "log_salary"].mean() - people.loc[people["woman"] == 0, "log_salary"].mean()
        row["unadjusted_pct"] = math.expm1(b0) * 100
        row["covariates"] = ", ".join(covariates)
        fit = _ols_woman(people, covariates)
        if fit is not None:
            b, lo, hi = fit
            row.update(adjusted_pct=math.expm1(b) * 100, adjusted_low_pct=math.expm1(lo) * 100,
                       adjusted_high_pct=math.expm1(hi) * 100,
                       share_explained=(1 - b / b0) if b0 else np.nan)
    return pd.DataFrame([row])


# --- salary distribution ---------------------------------------------------------------------------------

PERCENTILES = (("p10", 0.10), ("p25", 0.25), ("median", 0.50), ("p75", 0.75), ("p90", 0.90))


def _percentile_sql(name: str, q: float) -> str:
    # Interpolated percentile at rank (n-1)q (quantile_cont, R's type 7). Shown only when that rank
    # is at least 1 from either end: otherwise it is a mix of the lowest (or highest) salary and its
    # neighbour, and with the next percentile (often an exact order statistic) the lowest salary
    # could be solved for. So p25/p75 need n >= 5, p10/p90 n >= 11.
    return (f"CASE WHEN (count(*) - 1) * {round(min(q, 1 - q), 6)} >= 1 "
            f"THEN quantile_cont(monthly_salary, {q}) END AS {name}")


@register(
    id="salary_distribution",
    subgoal=2,
    title_sv="Lönespridning per befattning och kön",
    title_en="Salary distribution by position and gender",
    description_sv=(
        "Percentiler av heltidslönen (10, 25, 50, 75, 90) för kvinnor och män per befattningskategori, för ett "
        "lådagram. Aldrig lägsta eller högsta lön, aldrig enskilda löner; en percentil som skulle bero på den "
        "lägsta eller högsta lönen i en liten grupp lämnas tom, och befattningar med färre än k kvinnor eller "
        "k män döljs."),
    description_en=(
        "Percentiles of full-time salary (10, 25, 50, 75, 90) for women and men per position category, for a "
        "box plot. Never the lowest or highest salary, never an individual's; a percentile that would rest on "
        "the lowest or highest salary of a small group is left empty, and positions with fewer than k women "
        "or k men are hidden."),
    unit_of_measure="SEK",
    gep_area="careers",
    source="Percentiles by linear interpolation (Hyndman and Fan 1996, type 7)",
    suppression=Suppression(counts=("women", "men"), total=None, every_gender=True,
                            hide=("n",) + tuple(name for name, _ in PERCENTILES)),
    columns={"year": "year", "position": "position category ('all' = every position)",
             "gender": "woman | man", "n": "persons of this gender in the position",
             "women": "women in the position", "men": "men in the position",
             **{name: f"{int(q * 100)}th percentile of full-time monthly salary (SEK)" for name, q in PERCENTILES}},
)
def salary_distribution(cur, f: Filters) -> pd.DataFrame:
    """Long form, a row per position and gender; both genders' counts on each row for suppression."""
    df = cur.execute(f"""
        WITH scope AS ({PAY_SCOPE}),
        by_gender AS (
            SELECT coalesce(position_category, '{ALL_POSITIONS}') AS position, gender, count(*) AS n,
                   {", ".join(_percentile_sql(name, q) for name, q in PERCENTILES)}
            FROM scope
            GROUP BY GROUPING SETS ((position_category, gender), (gender))
        )
        SELECT $year::INTEGER AS year, position, gender, n,
               sum(CASE WHEN gender = 'woman' THEN n ELSE 0 END) OVER (PARTITION BY position)::INTEGER AS women,
               sum(CASE WHEN gender = 'man' THEN n ELSE 0 END) OVER (PARTITION BY position)::INTEGER   AS men,
               {", ".join(name for name, _ in PERCENTILES)}
        FROM by_gender
    """, _pay_params(cur, f)).df()
    return _order(df, ["position", "gender"])
