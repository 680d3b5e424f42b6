"""Careers for the demo university (issue 24): promotions with waiting times, visiting and adjunct
professors, on top of demo.py's people. (A module of its own, for the demo package when demo.py is split.)

demo.py fills *posts*, each held by one person after another, so nobody ever changed position: every
career was a leaver and an entrant. Here some of those pairs become one person: a holder who leaves a
post of one rung at the end of a year and a holder who starts a post of the next rung in the same
department the next year, of the same gender, are made the same person (the second takes the first's
id and birth year) with the chance RUNGS gives. So headcounts, salaries and every other column of
every year stay as they were, and the leaver and the entrant become a promotion after the years the
first post lasted: doktorand -> postdoktor -> biträdande lektor (fixed-term) -> universitetslektor
(permanent: a fixed-term contract turned permanent) -> professor, and adjunkt -> universitetslektor.
Then, as in KTH's plan (3.4.1: the rector's investment in women visiting professors from 2022), half
of the women professors recruited from outside from 2022 on are visiting professors (Gästprofessor,
fixed-term), and one professor in twenty-five is an adjunct one (Adjungerad professor, fixed-term), who
does not count as newly recruited. Nothing about real people.
"""

from __future__ import annotations

import pandas as pd

# (lower title, higher title, chance that a leaver of the lower post who has a match becomes the higher
# post's new holder), bottom up, so a person can climb several rungs.
RUNGS = (
    ("Doktorand", "Postdoktor", 0.15),
    ("Postdoktor", "Biträdande lektor", 0.30),
    ("Biträdande lektor", "Universitetslektor", 0.65),
    ("Adjunkt", "Universitetslektor", 0.10),
    ("Universitetslektor", "Professor", 0.50),
)
VISITING, ADJUNCT = "Gästprofessor", "Adjungerad professor"
RETIREMENT_AGE = 67  # as demo.py: nobody works past it
VISITING_FROM = 2022  # the rector's investment in women visiting professors (KTH's plan, 3.4.1)
VISITING_SHARE = 1 / 2
ADJUNCT_SHARE = 0.04


def _people(staff: pd.DataFrame) -> pd.DataFrame:
    """Per person: first and last year, the unit and title of each, gender, birth year."""
    ordered = staff.sort_values(["person_id", "year"])
    g = ordered.groupby("person_id", sort=False)
    return pd.DataFrame(
        {
            "first": g["year"].first(),
            "last": g["year"].last(),
            "first_unit": g["unit"].first(),
            "last_unit": g["unit"].last(),
            "first_title": g["position"].first(),
            "last_title": g["position"].last(),
            "gender": g["gender"].first(),
            "birth_year": g["birth_year"].first(),
        }
    )


def _promote(staff: pd.DataFrame, lower: str, higher: str, chance: float, rng) -> pd.DataFrame:
    """Leavers of `lower` matched to next year's new holders of `higher` in the same unit and gender;
    each match kept with `chance`, the new holder then being the leaver (id and birth year)."""
    people = _people(staff)
    first, last = int(staff["year"].min()), int(staff["year"].max())
    leavers = people[(people["last_title"] == lower) & (people["last"] < last)]
    # a new holder recruited from outside: not yet anyone's later career (first title is the higher one)
    starters = people[(people["first_title"] == higher) & (people["first"] > first)]
    leavers = leavers.assign(year=leavers["last"] + 1, unit=leavers["last_unit"])
    starters = starters.assign(year=starters["first"], unit=starters["first_unit"])
    pairs = []
    keys = ["unit", "gender", "year"]
    by_key = {k: g.index.to_numpy() for k, g in starters.groupby(keys)}
    for k, g in leavers.groupby(keys):
        candidates = by_key.get(k)
        if candidates is None:
            continue
        down = rng.permutation(g.index.to_numpy())
        up = rng.permutation(candidates)
        for a, b in zip(down, up):
            # the leaver's birth year must leave the later post's years within working age
            if rng.random() < chance and starters.at[b, "last"] - people.at[a, "birth_year"] <= RETIREMENT_AGE:
                pairs.append((b, a))
    if not pairs:
        return staff
    new_id = dict(pairs)
    birth = people["birth_year"]
    out = staff.copy()
    moved = out["person_id"].isin(new_id)
    out.loc[moved, "birth_year"] = (
        out.loc[moved, "person_id"].map(lambda p: birth[new_id[p]]).astype(out["birth_year"].dtype)
    )
    out.loc[moved, "person_id"] = out.loc[moved, "person_id"].map(new_id)
    return out


def careers(staff: pd.DataFrame, rng) -> pd.DataFrame:
    """The demo's staff with careers (the module docstring): same rows, same counts, some people linked."""
    for lower, higher, chance in RUNGS:
        staff = _promote(staff, lower, higher, chance, rng)
    people = _people(staff)
    professors = people[people["first_title"] == "Professor"]
    outside = professors[(professors["first"] >= VISITING_FROM) & (professors["gender"] == "K")]
    visiting = outside.index[rng.random(len(outside)) < VISITING_SHARE]
    rest = professors.index.difference(visiting)
    adjunct = rest[rng.random(len(rest)) < ADJUNCT_SHARE]
    out = staff.copy()
    for ids, title in ((visiting, VISITING), (adjunct, ADJUNCT)):
        rows = out["person_id"].isin(ids) & (out["position"] == "Professor")
        out.loc[rows, "position"] = title
        out.loc[rows, "employment_type"] = "temporary"
    return out
