"""The factor plan edited by an administrator (issue 21): weights, levels and names of the year's
sub-factors, saved in one transaction with every change in plan_audit, as the pay survey's record is.

The plan is imported from its template (the import kind factor_plan); editing here changes the stored
rows of that year. What the import refuses is refused here too: weights above 0 and at most 100 that
add up to 100, 2 to 7 levels, and no level below what a job is already scored at.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import catalogue

EDITABLE = ("name_sv", "name_en", "weight", "levels")


class FactorsRefused(Exception):
    """The edit was refused; nothing was written. `problems`: messages in the language asked for."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def check(con, year: int, edited: pd.DataFrame, lang: str = "en") -> list[str]:
    """What is wrong with an edited plan (empty: it may be saved)."""
    out = []
    word = lambda code, **p: catalogue.pick(catalogue.book("pay").vocab["problem"][code], lang).format(**p)  # noqa: E731
    weights = pd.to_numeric(edited["weight"], errors="coerce")
    levels = pd.to_numeric(edited["levels"], errors="coerce")
    for s, w in zip(edited["subfactor"], weights):
        if pd.isna(w) or not 0 < w <= 100:
            out.append(f"{s}: " + word("bad_weight", found=w))
    for s, n in zip(edited["subfactor"], levels):
        if pd.isna(n) or n % 1 or not 2 <= n <= 7:
            out.append(f"{s}: " + word("bad_levels", found=n))
    if not out and abs(weights.sum() - 100) > 1e-6:
        out.append(word("weights_not_100", year=year, total=f"{weights.sum():g}"))
    scored = dict(
        con.execute(
            """SELECT lower(trim(subfactor)), max(level) FROM job_scores WHERE year = ?
                                 GROUP BY 1""",
            [year],
        ).fetchall()
    )
    for s, n in zip(edited["subfactor"], levels):
        top = scored.get(str(s).strip().lower())
        if top is not None and not pd.isna(n) and n < top:
            out.append(f"{s}: " + word("level_above", found=top, levels=int(n)))
    return out


def save(con, year: int, edited: pd.DataFrame, *, who: str, via: str = "app", lang: str = "en") -> int:
    """Write the edited sub-factors of `year` (matched by sub-factor); returns how many changed."""
    problems = check(con, year, edited, lang)
    if problems:
        raise FactorsRefused(problems)
    before = con.execute("SELECT * FROM job_factors WHERE year = ? ORDER BY subfactor", [year]).df()
    changed = 0
    con.begin()
    try:
        for i, old in before.iterrows():
            new = edited[edited["subfactor"] == old["subfactor"]]
            if new.empty:
                continue
            new = new.iloc[0]
            values = {c: (None if pd.isna(new[c]) else new[c]) for c in EDITABLE}
            if all(_same(old[c], values[c]) for c in EDITABLE):
                continue
            con.execute(
                """UPDATE job_factors SET name_sv = ?, name_en = ?, weight = ?, levels = ?
                           WHERE year = ? AND subfactor = ?""",
                [
                    values["name_sv"],
                    values["name_en"],
                    float(values["weight"]),
                    int(values["levels"]),
                    year,
                    old["subfactor"],
                ],
            )
            audit_id = con.execute("SELECT coalesce(max(audit_id), 0) + 1 FROM plan_audit").fetchone()[0]
            con.execute(
                "INSERT INTO plan_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    audit_id,
                    dt.datetime.now(),
                    who,
                    "job_factors",
                    year * 1000 + i,
                    "update",
                    old[["subfactor", *EDITABLE]].to_json(force_ascii=False),
                    pd.Series({"subfactor": old["subfactor"], **values}).to_json(force_ascii=False),
                    via,
                ],
            )
            changed += 1
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return changed


def _same(a, b) -> bool:
    if (a is None or (isinstance(a, float) and pd.isna(a))) and (b is None or (isinstance(b, float) and pd.isna(b))):
        return True
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)
