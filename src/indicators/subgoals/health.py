"""Health (sub-goal 5, "jämställd hälsa"): sick leave by gender.

Swedish public employers report sick leave as a share of available working time (Förordning
(2000:605) om årsredovisning och budgetunderlag, 7 kap. 3 §); Försäkringskassan and SCB's labour
force survey (AKU) report it per gender. Women's sick leave in Sweden is markedly higher than men's,
which is why the national sub-goal follows the ratio women / men.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import settings
from ..protect import arrays
from ..protect.privacy import CellRule, Group, Protection, Suppression
from ..protect.registry import Filters, register, scopes
from ..store import sql
from .representation import fte_columns, fte_per_person

K_SETTING = "k_sick_leave"


# Per year and gender: headcount, sick days, available days and long-term cases, each with what the
# cell-key method needs (privacy.py): the sums of the record keys (`ck`) and magnitude keys (`mk`), and
# the largest and second largest single contribution. A unit and year whose staff rows give
# sick_leave_days is counted from those rows (summed in staff_cells), every other one from the leave
# sheet (sql.staff_else_leave). A leave-sheet row is one record: its keys and its days are one
# contribution.
def sick_by_gender(f: Filters) -> sql.Fragment:
    """The CTEs above (sql.staff_else_leave) for registry.scopes(f) and f.year_from..f.year_to (a missing
    end open): `by_gender` with people, sick and available days, long-term cases (the leave sheet's),
    their keys and the largest contributions. Available days need $days_per_fte."""
    return sql.staff_else_leave(
        scopes(f),
        f.year_from,
        f.year_to,
        cells="s.people, s.fte, s.sick_leave_days, s.rkey_sum, s.mkey_sum, s.sick_max, s.sick_max2",
        given="s.with_sick",
        staff_sums=f"""sum(people) AS people, coalesce(sum(sick_leave_days), 0) AS sick,
               sum(fte) * $days_per_fte AS available, NULL::INTEGER AS long_term,
               sum(rkey_sum) AS ck, sum(mkey_sum) AS mk, max(sick_max) AS sick_max,
               {sql.second_largest_of_cells("sick_max", "sick_max2").format(filter="")} AS sick_max2""",
        leave_sums=f"""sum(l.staff), sum(l.sick_leave_days),
               sum(coalesce(l.available_days, l.staff * $days_per_fte)), sum(l.long_term_sick),
               sum(l.rkey), sum(l.mkey), max(l.sick_leave_days),
               {sql.second_largest("l.sick_leave_days").format(filter="")}""",
        leave_given="l.sick_leave_days IS NOT NULL",
    )


SICK_COLUMNS = (
    "sick_days_women",
    "sick_days_men",
    "available_days_women",
    "available_days_men",
    "rate_women",
    "rate_men",
    "rate_total",
    "ratio_women_men",
    "target_met",
)


# Available days are published as whole full-time equivalents of [health] available_days_per_fte
# days, each the group's FTE-days per person times its published head count (representation's
# published FTE, `fte_columns`): neither a sum with a noise of its own (365 × FTE of full-timers
# beside a perturbed head count would give the true count back) nor scaled to the day (365 × FTE ×
# n'/n in whole days still lets only the true n make the FTE a multiple of 0.01).
AVAILABLE = {"available_days_women": "women", "available_days_men": "men"}


def _days_per_fte() -> float:
    return float(settings.goals()["health"]["available_days_per_fte"])


def _rates(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """Available days = D × FTE (whole FTE from the published head count, `AVAILABLE`; exact: as
    summed), D = [health] available_days_per_fte; rate_g = sick_days_g / available_days_g; rate_total
    over women and men together; the ratio rate_W / rate_M against [health] max_ratio. On the published
    (or the exact) days and counts."""
    cols = fte_columns(cols, f, AVAILABLE)
    for c in AVAILABLE:
        cols[c] = cols[c] * _days_per_fte()
    sick_w, sick_m = arrays.values(cols, "sick_days_women"), arrays.values(cols, "sick_days_men")
    available_w, available_m = arrays.values(cols, "available_days_women"), arrays.values(cols, "available_days_men")
    cols["rate_women"] = rate_w = arrays.ratio(sick_w, available_w)
    cols["rate_men"] = rate_m = arrays.ratio(sick_m, available_m)
    cols["rate_total"] = arrays.ratio(sick_w + sick_m, available_w + available_m)
    cols["ratio_women_men"] = ratio = arrays.ratio(rate_w, rate_m)
    target = settings.goals()["health"]["max_ratio"]
    cols["target_met"] = arrays.flags(ratio <= target, np.isnan(ratio))
    shown = [
        "scope",
        "year",
        "women",
        "men",
        "total",
        "sick_days_women",
        "sick_days_men",
        "available_days_women",
        "available_days_men",
        "rate_women",
        "rate_men",
        "rate_total",
        "ratio_women_men",
        "target_met",
        "long_term_women",
        "long_term_men",
        "source",
    ]
    return {name: cols[name] for name in shown if name != "scope" or f.units}


SICK_PROTECTION = Protection(
    counts={
        "women": "people",
        "men": "people",
        "total": "people",
        "long_term_women": "long_term_sick",
        "long_term_men": "long_term_sick",
    },
    magnitudes={"sick_days_women": "women", "sick_days_men": "men"},
    derive=_rates,
    rows=Suppression(
        counts=("women", "men"), hide=SICK_COLUMNS + ("long_term_women", "long_term_men"), k_setting=K_SETTING
    ),
    # Long-term cases are counts of their own (the leave sheet's): hidden below k on their own.
    cells=(
        CellRule(("long_term_women",), ("long_term_women",), K_SETTING),
        CellRule(("long_term_men",), ("long_term_men",), K_SETTING),
    ),
    group=Group(filters=()),  # the unit's days, whatever position or employment type is chosen
)


@register(id="sick_leave", protection=SICK_PROTECTION, scoped=True, every_unit=True)
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
    by a cell rule of its own (the row's rule does not look at it).
    """
    days_per_fte = _days_per_fte()
    rows = sick_by_gender(f)
    two = ("women", "men")
    sums = sql.select_list(
        sql.gender_sums("sum(people)", key="sum(ck)", mkey="sum(mk)", genders=two, cast="BIGINT"),
        sql.gender_sums(
            "sum(sick)",
            largest="max(sick_max)",
            second=sql.second_largest_of_cells("sick_max", "sick_max2"),
            names="sick_days_{}",
            genders=two,
            total=None,
        ),
        sql.gender_sums("sum(available)", names="available_days_{}", genders=two, total=None),
        sql.gender_sums(
            "sum(long_term)",
            key="sum(ck)",
            within="long_term IS NOT NULL",
            names="long_term_{}",
            genders=two,
            total=None,
            zero=False,
            cast="BIGINT",
        ),
    )
    df = sql.execute(
        cur,
        f"""{rows}
        SELECT scope, year,
               {sums},
               string_agg(DISTINCT source, ' + ' ORDER BY source)              AS source
        FROM by_gender
        WHERE gender IN ('woman', 'man')
        GROUP BY scope, year
        ORDER BY scope, year
    """,
        rows,
        sums,
        days_per_fte=days_per_fte,
    ).df()
    for c in ("long_term_women", "long_term_men"):
        df[c] = df[c].astype("Int64")
    for c in AVAILABLE:  # in full-time equivalents, per person counted (AVAILABLE)
        df[c] = df[c] / days_per_fte
    return fte_per_person(df, AVAILABLE)
