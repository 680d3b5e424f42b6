"""The scorecard in plain pandas, on DataFrames already in memory: what a notebook user would write.

A yardstick for the benchmark (pandas_ratio = this time / indicators.goals.scorecard's), not part of
the package. It computes the six headline values of goals.HEADLINES for one unit and year and for
the year before, with the same formulas as the indicators:

1. committee_summary.share_women (body_type 'all'): voting seats (no secretaries, no deputies) W / (W + M);
2. pay_gap.median_gap_pct: (median M - median W) / median M x 100 over salaries > 0;
3. students_trend.share_women (level 'all', measure 'registered'): registered W / (W + M);
4. care_leave.parity_ratio: men's share of parental-leave days / men's share of the headcount, from
   staff rows where a unit and year give leave columns, else from the leave sheet;
5. sick_leave.ratio_women_men: rate_W / rate_M, rate = sick days / (FTE x available_days_per_fte),
   staff rows first, the leave sheet for the other units and years;
6. incidents.exposed_share_women (sexual_harassment): survey exposed / respondents, women, where at
   least k_incidents women answered.

A unit's own target (the plan's measures for the year, not dropped, linked to the headline's
indicator, with a target value; the nearest target year, then the newest measure) judges the unit
instead of goals.toml, as in goals.scorecard: the benchmark's unit (the first school, ADM in the demo)
has one in the demo plan (the pay gap, 5 % by 2026), so the reference applies the rule rather than
picking a unit without a target; the comparison then covers the rule too.

It computes the true figures, and `check_same` compares them with the exact scorecard
(`Filters(exact=True)`: nothing perturbed); the primary rule of privacy.suppress (a gender count
from 1 to k-1, every gender below k for pay, a total from 1 to k-1) is kept here for the hidden
statuses, which never occur at the school the benchmark picks. `check_same` says where the two disagree.
"""

from __future__ import annotations

import math

import pandas as pd

from indicators import goals, safety, settings
from indicators.store import ALL_UNITS

WM = ("woman", "man")


def load(con) -> dict[str, pd.DataFrame]:
    """Every table the scorecard reads, as DataFrames (the reader's part: not timed)."""
    return {t: con.execute(f"SELECT * FROM {t}").df()
            for t in ("staff", "committees", "students", "leave", "incidents", "unit_tree", "plan_measures")}


def _own_target(frames, unit: str, year: int, subgoal: int) -> float | None:
    """The unit's own target value for the sub-goal's headline in its plan for `year`, or None."""
    m = frames["plan_measures"]
    m = m[(m["unit"] == unit) & (m["year"] == year) & (m["status"] != "dropped")
          & (m["indicator"] == goals.plan_link(goals.HEADLINES[subgoal])) & m["target_value"].notna()]
    if m.empty:
        return None
    return float(m.sort_values(["target_year", "measure_id"], ascending=[True, False], na_position="last")
                 .iloc[0]["target_value"])


def _in_unit(df: pd.DataFrame, units: set | None) -> pd.DataFrame:
    return df if units is None else df[df["unit"].isin(units)]


def _small(women, men, total, k: int, every_gender: bool = False) -> bool:
    """privacy.suppress's primary rule: a count of women or men from 1 to k-1 (every_gender: below
    k), or a total from 1 to k-1 (a small count of other/unknown gender hides only itself)."""
    if every_gender:
        return women < k or men < k
    return 0 < women < k or 0 < men < k or 0 < total < k


def _committees(fr, units, year):
    c = fr["committees"]
    c = c[(c["year"] == year) & ~c["role"].fillna("member").isin(("secretary", "deputy"))]
    if units is not None:
        c = c[c["unit"].isin(units)]
    if c.empty:
        return None
    n = c["gender"].value_counts()
    w, m = n.get("woman", 0), n.get("man", 0)
    return w / (w + m) if w + m else None


def _pay(fr, units, year):
    s = _in_unit(fr["staff"], units)
    s = s[(s["year"] == year) & (s["monthly_salary"] > 0) & s["gender"].isin(WM)]
    if s.empty:
        return None
    by = s.groupby("gender")["monthly_salary"]
    n, med = by.size(), by.median()
    if _small(n.get("woman", 0), n.get("man", 0), 0, settings.k_anonymity(), every_gender=True):
        return "hidden"
    mw, mm = med.get("woman", math.nan), med.get("man", math.nan)
    return (mm - mw) / mm * 100 if mm > 0 else None


def _students(fr, units, year):
    s = _in_unit(fr["students"], units)
    s = s[s["year"] == year]
    if s.empty:
        return None
    n = s.groupby("gender")["registered"].sum()
    w, m, o = n.get("woman", 0), n.get("man", 0), n.get("other", 0)
    if _small(w, m, w + m + o, settings.k_anonymity()):
        return "hidden"
    return w / (w + m) if w + m else None


def _by_gender(fr, units, year, staff_cols, leave_cols):
    """Per gender: people and the sums of the columns, staff rows for the units and years that give
    them, the leave sheet for the rest (as care.CARE_BY_GENDER and health.SICK_BY_GENDER)."""
    s = _in_unit(fr["staff"], units)
    s = s[s["year"] == year]
    given = s[list(staff_cols)].notna().any(axis=1).groupby(s["unit"]).any()
    from_staff = set(given[given].index)
    s = s[s["unit"].isin(from_staff)]
    people = s.groupby("gender").size()
    sums = s.groupby("gender")[list(staff_cols)].sum()
    fte = s["fte"].fillna(1).groupby(s["gender"]).sum()
    lv = _in_unit(fr["leave"], units)
    lv = lv[(lv["year"] == year) & ~lv["unit"].isin(from_staff) & lv[list(leave_cols)].notna().any(axis=1)]
    return people, sums, fte, lv


def _care(fr, units, year):
    people, sums, _, lv = _by_gender(fr, units, year, ("parental_leave_days", "care_of_child_days"),
                                     ("parental_leave_days", "care_of_child_days"))
    heads = people.add(lv.groupby("gender")["staff"].sum(), fill_value=0)
    days = sums["parental_leave_days"].add(lv.groupby("gender")["parental_leave_days"].sum(), fill_value=0)
    w, m = heads.get("woman", 0), heads.get("man", 0)
    if w + m == 0:
        return None
    if _small(w, m, w + m, settings.k_anonymity()):
        return "hidden"
    dw, dm = days.get("woman", 0), days.get("man", 0)
    if dw + dm == 0 or m == 0:
        return None
    return (dm / (dw + dm)) / (m / (w + m))


def _sick(fr, units, year):
    per_fte = float(settings.goals()["health"]["available_days_per_fte"])
    people, sums, fte, lv = _by_gender(fr, units, year, ("sick_leave_days",), ("sick_leave_days",))
    heads = people.add(lv.groupby("gender")["staff"].sum(), fill_value=0)
    sick = sums["sick_leave_days"].add(lv.groupby("gender")["sick_leave_days"].sum(), fill_value=0)
    available = (fte * per_fte).add(
        lv["available_days"].fillna(lv["staff"] * per_fte).groupby(lv["gender"]).sum(), fill_value=0)
    w, m = heads.get("woman", 0), heads.get("man", 0)
    if w + m == 0:
        return None
    if _small(w, m, w + m, settings.k_anonymity("k_sick_leave")):
        return "hidden"
    rw = sick.get("woman", 0) / available.get("woman", math.nan)
    rm = sick.get("man", 0) / available.get("man", math.nan)
    return rw / rm if rm > 0 else None


def _incidents(fr, units, year):
    k = settings.k_anonymity("k_incidents")
    i = _in_unit(fr["incidents"], units)
    i = i[i["year"] == year]
    if not (i["category"] == safety.TARGET_CATEGORY).any():
        return None
    # Case counts per category (and all categories) in the year: a small one hides its row, and a
    # row hidden alone in the year takes the smallest other with it (the partition rule).
    cases = i.pivot_table(index="category", columns="gender", values="count", aggfunc="sum", fill_value=0)
    cases.loc[safety.ALL] = cases.sum()
    total = cases.sum(axis=1)
    small = pd.Series([_small(r.get("woman", 0), r.get("man", 0), t, k) for (_, r), t in zip(cases.iterrows(), total)],
                      index=cases.index)
    if small.sum() == 1 and len(small) > 1:
        small[total[~small].idxmin()] = True
    if small[safety.TARGET_CATEGORY]:
        return "hidden"
    women = i[(i["category"] == safety.TARGET_CATEGORY) & (i["gender"] == "woman")]
    respondents = women["survey_respondents"].sum()
    return women["survey_exposed"].sum() / respondents if respondents >= k else None


HEADLINE_VALUES = {1: _committees, 2: _pay, 3: _students, 4: _care, 5: _sick, 6: _incidents}


def scorecard(frames: dict[str, pd.DataFrame], filters) -> pd.DataFrame:
    """subgoal, value, previous, status for the unit and year of the filters (year must be set)."""
    tree = frames["unit_tree"]
    units = None if filters.unit == ALL_UNITS else set(tree.loc[tree["ancestor"] == filters.unit, "descendant"])
    rows = []
    for subgoal, fn in HEADLINE_VALUES.items():
        value, previous = fn(frames, units, filters.year), fn(frames, units, filters.year - 1)
        value = None if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        own = _own_target(frames, filters.unit, filters.year, subgoal)
        h = goals.HEADLINES[subgoal]
        met = None if value is None or value == "hidden" else (
            h.judge(float(value)) if own is None else goals.own_met(h, float(value), own))
        status = "hidden" if value == "hidden" else "no_data" if value is None else "met" if met else "not_met"
        rows.append({"subgoal": subgoal, "value": None if isinstance(value, str) else value,
                     "previous": None if isinstance(previous, str) else previous, "status": status})
    return pd.DataFrame(rows)


def check_same(ours: pd.DataFrame, ref: pd.DataFrame, rel: float = 1e-9) -> None:
    """Raise AssertionError naming every sub-goal whose status, value or previous value differ."""
    a = ours.set_index("subgoal")
    wrong = []
    for r in ref.itertuples():
        for col in ("status", "value", "previous"):
            x, y = a.loc[r.subgoal, col], getattr(r, col)
            nx, ny = x is None or (not isinstance(x, str) and pd.isna(x)), y is None or (not isinstance(y, str) and pd.isna(y))
            if nx and ny:
                continue
            if nx != ny or (isinstance(x, str) and x != y) or (
                    not isinstance(x, str) and not math.isclose(float(x), float(y), rel_tol=rel, abs_tol=1e-12)):
                wrong.append(f"sub-goal {r.subgoal} {col}: ours {x!r}, pandas {y!r}")
    assert not wrong, "the pandas reference disagrees with goals.scorecard: " + "; ".join(wrong)
