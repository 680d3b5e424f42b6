"""Unpaid care work (sub-goal 4): parental leave and care of a sick child (vab) by gender.

Sweden's parental insurance lets either parent take the days; the share taken by fathers is the
national follow-up measure of sub-goal 4 (Försäkringskassan, "Jämställt föräldraskap"). At an
employer the comparable figure is men's share of all parental-leave days taken by its staff,
measured against men's share of the staff: if men are 70 % of the staff and take 35 % of the days,
the ratio is 0.5.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import settings
from ..protect import arrays
from ..protect.privacy import CellRule, Group, Protection, Suppression
from ..protect.registry import Filters, register, scopes
from ..store import sql

# Parental leave and care of a sick child are sensitive figures with a k of their own ([privacy]
# k_care in goals.toml: a care-of-child day is a day a child was ill, and parental leave tells of a
# birth or adoption).
K_SETTING = "k_care"

# Per year and gender: headcount and days, each with what the cell-key method needs (privacy.py): the
# sums of the record keys (`ck`) and of the magnitude keys (`mk`), and the largest and second largest
# single contribution of each kind of day (a person's days from staff rows, summed in staff_cells as
# parental_max / parental_max2 / care_max / care_max2; a leave-sheet row's days, the row being one
# record). A unit and year whose staff rows give either leave column is counted from those rows
# (summed in staff_cells), every other one from the leave sheet's aggregates (sql.staff_else_leave).
CELLS_SECOND_PARENTAL = sql.second_largest_of_cells("parental_max", "parental_max2").format(filter="")
CELLS_SECOND_CARE = sql.second_largest_of_cells("care_max", "care_max2").format(filter="")
ROWS_SECOND_PARENTAL = sql.second_largest("l.parental_leave_days").format(filter="")
ROWS_SECOND_CARE = sql.second_largest("l.care_of_child_days").format(filter="")


def care_by_gender(f: Filters) -> sql.Fragment:
    """The CTEs above (sql.staff_else_leave) for registry.scopes(f) and f.year_from..f.year_to (a missing
    end open): `by_gender` with people, parental and care days, their keys and largest contributions."""
    return sql.staff_else_leave(
        scopes(f),
        f.year_from,
        f.year_to,
        cells="s.people, s.parental_leave_days, s.care_of_child_days, s.rkey_sum, s.mkey_sum, "
        "s.parental_max, s.parental_max2, s.care_max, s.care_max2",
        given="s.with_parental + s.with_care",
        staff_sums=f"""sum(people) AS people, sum(parental_leave_days) AS parental,
               sum(care_of_child_days) AS care, sum(rkey_sum) AS ck, sum(mkey_sum) AS mk,
               max(parental_max) AS parental_max, {CELLS_SECOND_PARENTAL} AS parental_max2,
               max(care_max) AS care_max, {CELLS_SECOND_CARE} AS care_max2""",
        leave_sums=f"""sum(l.staff), sum(l.parental_leave_days), sum(l.care_of_child_days),
               sum(l.rkey), sum(l.mkey), max(l.parental_leave_days), {ROWS_SECOND_PARENTAL},
               max(l.care_of_child_days), {ROWS_SECOND_CARE}""",
        leave_given="l.parental_leave_days IS NOT NULL OR l.care_of_child_days IS NOT NULL",
    )


CARE_COLUMNS = (
    "parental_days_women",
    "parental_days_men",
    "care_days_women",
    "care_days_men",
    "parental_per_woman",
    "parental_per_man",
    "care_per_woman",
    "care_per_man",
    "men_share_parental",
    "men_share_staff",
    "parity_ratio",
    "target_met",
)


def _per_person(cols: arrays.Columns, f: Filters) -> arrays.Columns:
    """days per person_g = days_g / headcount_g; men_share_parental = days_M / (days_W + days_M);
    men_share_staff = M / (W + M); parity_ratio = men_share_parental / men_share_staff; target_met
    against [care] min_parity_ratio. On the published (or the exact) days and headcounts, so that they
    agree with the figures shown beside them (a per-person figure from the true headcount beside the
    published one would give the true headcount back: days' / per_person)."""
    w, m = arrays.values(cols, "women"), arrays.values(cols, "men")
    parental_w, parental_m = arrays.values(cols, "parental_days_women"), arrays.values(cols, "parental_days_men")
    cols["parental_per_woman"] = arrays.ratio(parental_w, w)
    cols["parental_per_man"] = arrays.ratio(parental_m, m)
    cols["care_per_woman"] = arrays.ratio(arrays.values(cols, "care_days_women"), w)
    cols["care_per_man"] = arrays.ratio(arrays.values(cols, "care_days_men"), m)
    cols["men_share_parental"] = men_parental = arrays.ratio(parental_m, parental_w + parental_m)
    cols["men_share_staff"] = men_staff = arrays.ratio(m, w + m)
    cols["parity_ratio"] = parity = arrays.ratio(men_parental, men_staff)
    target = settings.goals()["care"]["min_parity_ratio"]
    cols["target_met"] = arrays.flags(parity >= target, np.isnan(parity))
    shown = ["scope", "year", "women", "men", "total", *CARE_COLUMNS, "source"]
    return {name: cols[name] for name in shown if name != "scope" or f.units}


# Headcounts are staff headcounts ("people": the same noise as on every other page that counts these
# people); the days are magnitudes, perturbed from their largest single contribution with the key of
# the women or men whose days they sum.
CARE_PROTECTION = Protection(
    counts={"women": "people", "men": "people", "total": "people"},
    magnitudes={
        "parental_days_women": "women",
        "parental_days_men": "men",
        "care_days_women": "women",
        "care_days_men": "men",
    },
    derive=_per_person,
    # The total is women + men, nothing left out, so the row rule need not compare it with them (on
    # published counts total' - women' - men' is noise, and would hide rows at random); a total of
    # 1..k-1 is hidden by a cell rule of its own, a larger one stays beside hidden women and men.
    rows=Suppression(counts=("women", "men"), total=None, hide=CARE_COLUMNS, k_setting=K_SETTING),
    cells=(CellRule(("total",), ("total",), K_SETTING),),
    group=Group(filters=()),  # the unit's days, whatever position or employment type is chosen
)


@register(id="care_leave", protection=CARE_PROTECTION, scoped=True, every_unit=True)
def care_leave(cur, f: Filters) -> pd.DataFrame:
    """One row per year in f.year_from..f.year_to (every year when unset): the trend.

    days per person_g = Σ days_g / headcount_g (a person without leave counts with 0 days; a
    missing cell where the unit gives the column for others is read as 0, as HR systems leave days
    not taken blank). men_share_parental = days_M / (days_W + days_M); men_share_staff = M / (W + M)
    by headcount; parity_ratio = men_share_parental / men_share_staff. People of another or unknown
    gender are left out of this table: there are seldom k of them, and showing their small count would
    hide everyone's figures (and, through the total, their own days). Sources: Försäkringskassan's
    fathers' share of parental-benefit days, applied to one employer's staff.

    Protection (CARE_PROTECTION): headcounts are perturbed by the cell-key method, the days by the
    top-contributor noise of their two largest contributions ([privacy] magnitude_noise, privacy.py)
    and published in whole days, and a row with 1..k_care-1
    women or men is hidden; the per-person figures and shares are worked out from what is published.
    A school's days minus those of its other departments therefore gives a hidden department's days
    only up to the noise of every cell involved.
    """
    rows = care_by_gender(f)
    two = ("women", "men")
    sums = sql.select_list(
        sql.gender_sums("sum(people)", key="sum(ck)", mkey="sum(mk)", genders=two),
        sql.gender_sums(
            "sum(parental)",
            largest="max(parental_max)",
            second=sql.second_largest_of_cells("parental_max", "parental_max2"),
            names="parental_days_{}",
            genders=two,
            total=None,
        ),
        sql.gender_sums(
            "sum(care)",
            largest="max(care_max)",
            second=sql.second_largest_of_cells("care_max", "care_max2"),
            names="care_days_{}",
            genders=two,
            total=None,
        ),
    )
    df = sql.execute(
        cur,
        f"""{rows}
        SELECT scope, year,
               {sums},
               string_agg(DISTINCT source, ' + ' ORDER BY source) AS source
        FROM by_gender
        WHERE gender IN ('woman', 'man')
        GROUP BY scope, year
        ORDER BY scope, year
    """,
        rows,
        sums,
    ).df()
    for c in ("women", "men", "total", "women__ck", "men__ck", "total__ck"):
        df[c] = df[c].astype("int64")
    return df
