"""The figures of a worker's answer (Directive 2023/970 art. 7): their own pay level, gross annual and
hourly, and the average pay levels of women and of men in their category of workers, basic pay and
complementary components apart. Exact figures, for HR to write the answer (directive/art7.py writes
the letter and keeps the log of requests); nothing here is shown to a viewer.

* **The person** is found by the pseudonym of the id HR types (the same HMAC the import makes:
  privacy.pseudonymise of the id as the import reads it, a personnummer as its ten digits), so the raw
  id is never stored or compared in clear.
* **Their category** is the one the art. 9 report uses for (g): the value group of their job where the
  year has a job evaluation, else their job level, else their position category; over the whole
  employer (art. 7(1): "categories of workers performing the same work ... or work of equal value").
* **The averages** are the category's means per gender in the art. 9 table's exact figures
  (transparency.py: pay, basic pay and complementary pay, each over everyone of that gender in the
  category).
* **Too small to answer**: an average is given only where the group it averages holds at least
  [pay] art7_min_others (4) people besides the one asking; else it is withheld and the answer says so
  (a mean of two, one of them the asker's own pay, is the other person's pay). docs/pay-transparency.md,
  "Art. 7, the worker's answer", says what HR does then.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ... import settings
from ...protect import privacy, registry
from ...protect.registry import Filters
from ...store import sql
from ...store.readings import split_personnummer
from .evaluation import evaluated, job_key, job_values
from .scope import HOURS, PERSON_COMPONENTS, full_time_hours

MEASURES = ("annual", "hourly", "monthly")


def person_key(raw_id: str, year: int, key: bytes) -> str | None:
    """The pseudonym of an id as HR types it, made exactly as the import makes it: a personnummer
    (any of its written forms) as its ten digits, any other id as written (trimmed)."""
    text = str(raw_id).strip()
    if not text:
        return None
    pnr = split_personnummer(pd.Series([text]), pd.Series([float(year)]))
    if bool(pnr["is_pnr"].iloc[0]):
        text = pnr["key"].iloc[0]
    return privacy.pseudonymise(pd.Series([text]), key).iloc[0]


def min_others() -> int:
    return int(settings.goals()["pay"].get("art7_min_others", 4))


@dataclass
class GroupAverage:
    """One gender's averages in the category, in one measure: None where withheld (too few)."""

    people: int
    mean: float | None = None
    basic: float | None = None
    complementary: float | None = None
    withheld: bool = False


@dataclass
class WorkerAnswer:
    year: int
    found: bool
    gender: str | None = None
    category_part: str | None = None  # value_group, job_level or position
    category: str | None = None
    own: dict[str, dict[str, float | None]] = field(default_factory=dict)  # measure -> pay, basic, complementary
    groups: dict[str, dict[str, GroupAverage]] = field(default_factory=dict)  # measure -> gender -> averages
    components: bool = False  # pay components imported for the year (annual and hourly pay exist)

    @property
    def withheld(self) -> bool:
        return any(g.withheld for by in self.groups.values() for g in by.values())


def own_pay(cur, key: str, year: int) -> pd.Series | None:
    """The person's row of the year: gender, position, job level, value group, monthly salary, and
    their annual pay (gross, basic, complementary) and hours."""
    values = job_values()
    q = sql.statement(
        f"""
        SELECT s.gender, s.position, s.position_category, s.job_level, v.value_group, s.monthly_salary,
               c.gross, c.basic, c.complementary, {HOURS} AS hours
        FROM staff s LEFT JOIN ({PERSON_COMPONENTS}) c USING (year, person_key)
        LEFT JOIN ({values}) v ON v.year = s.year AND v.job = {job_key("s.position")}
        WHERE s.year = $year AND s.person_key = $person""",
        values,
        year=year,
        person=key,
        full_time_hours=full_time_hours(),
    )
    df = cur.execute(q.sql, dict(q.params)).df()
    return None if df.empty else df.iloc[0]


def answer(con, key: str | None, year: int) -> WorkerAnswer:
    """The art. 7 answer's figures for the person with pseudonym `key` in `year` (module docstring)."""
    cur = con.cursor()
    try:
        me = own_pay(cur, key, year) if key else None
        if me is None or me["gender"] not in ("woman", "man"):
            return WorkerAnswer(year, found=me is not None, gender=None if me is None else me["gender"])
        if evaluated(cur, year) and pd.notna(me["value_group"]):
            part, category = "value_group", str(int(me["value_group"]))
        elif pd.notna(me["job_level"]):
            part, category = "job_level", _label(me["job_level"])
        else:
            part, category = "position", me["position_category"]
        components = me["gross"] is not None and pd.notna(me["gross"])
        out = WorkerAnswer(year, True, me["gender"], part, category, components=components)
        hours = me["hours"] if pd.notna(me["hours"]) else None
        annual = (
            {"pay": me["gross"], "basic": me["basic"] or 0.0, "complementary": me["complementary"] or 0.0}
            if components
            else {"pay": None, "basic": None, "complementary": None}
        )
        out.own["annual"] = annual
        out.own["hourly"] = {k: (v / hours if v is not None and hours else None) for k, v in annual.items()}
        out.own["monthly"] = {
            "pay": float(me["monthly_salary"]) if pd.notna(me["monthly_salary"]) else None,
            "basic": None,
            "complementary": None,
        }
        for measure in MEASURES:
            table = registry.compute(con, "pay_transparency", Filters(year=year, pay=measure), exact=True)
            row = table[(table["part"] == part) & (table["category"] == category)]
            out.groups[measure] = {g: _average(row, g, out.gender) for g in ("women", "men")}
        return out
    finally:
        cur.close()


def _average(row: pd.DataFrame, gender: str, asker: str) -> GroupAverage:
    if row.empty or pd.isna(row.iloc[0][gender]):
        return GroupAverage(0, withheld=False)
    r = row.iloc[0]
    people = int(r[gender])
    others = people - (1 if (asker == "woman") == (gender == "women") else 0)
    if others < min_others():
        return GroupAverage(people, withheld=True)

    def get(c: str) -> float | None:
        return None if pd.isna(r[c]) else float(r[c])

    return GroupAverage(people, get(f"mean_{gender}"), get(f"basic_mean_{gender}"), get(f"complementary_mean_{gender}"))


def _label(v) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)
