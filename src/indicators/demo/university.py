"""The invented university: the sheets the demo imports, drawn to look real, about nobody.

`generate()` returns the sheets Balans imports (docs/data-formats.md, "Data formats"):
`units`, `staff` (one row per person and year, 2015-2025), `committees` (one row per seat and
year), and the aggregated `students`, `leave`, `incidents` and `recruitment` (see PROGRAMMES and
below). The numbers are drawn to look like a Swedish technical university:

* Staff fill *posts* in departments. Each post is held by one person after another, each for a
  tenure typical of the position (doctoral students 4-5 years, professors 10-25), so headcounts are
  steady and people are followed across years under one id. A few posts open after 2015 (growth).
* Everyone has a fixed gender, drawn when they are hired; the chance of hiring a woman rises with
  the hire year, so the share of women among professors climbs slowly (about 15 % to 22 %) because
  cohorts are replaced, not because anyone changes. Schools differ in gender mix (BIO most women,
  ELE fewest); technical/administrative staff are about 65 % women.
* Pay: a base per position and job level, 2.5 % a year of general increases, personal lognormal
  noise, a manager supplement, and women paid a little less within positions - a gap that narrows
  from about 4 % in 2015 to 1.5 % in 2025, so the pay pages have something to find.
* Leave: women take more parental leave but men's share rises; care of a sick child (vab) is
  nearly equal; sick leave is a little higher for women; most people have none of either.
* Committees: seats are posts too, held for terms of 2-4 years (students 1-2). Each body has its
  own tendency, which drifts towards balance, so more bodies are balanced each year.

`scale` multiplies staff headcounts and, above 1, the number of committee bodies (as numbered
copies); everything is vectorised, so `scale=20` (about 0.5 M staff rows) takes under a second.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from . import careers, evaluation, payroll

FIRST, LAST = 2015, 2025
RETIREMENT_AGE = 67
# Succession chains start this long before FIRST so that the people in post in 2015 have the
# mixed lengths of service of a real, long-running organisation rather than all starting together.
BURN_IN = 30

# The file name the demo's batches are stored under: the import history says it as "demo data"
# (catalogue/vocabularies.toml [vocab.demo_file]).
DEMO_FILE = "demo (synthetic)"

UNIVERSITY = ("UNI", "Universitetet", "The University")

# code: (Swedish name, English name, log-odds shift of the chance of hiring a woman, departments)
SCHOOLS = {
    "ARK": (
        "Skolan för arkitektur och samhällsbyggnad",
        "School of Architecture and the Built Environment",
        0.3,
        [
            ("arkitektur och gestaltning", "Architecture and Design"),
            ("stadsplanering och regional utveckling", "Urban and Regional Planning"),
            ("byggteknik", "Building Technology"),
            ("geodesi och geoinformatik", "Geodesy and Geoinformatics"),
            ("vatten- och miljöteknik", "Water and Environmental Engineering"),
        ],
    ),
    "BIO": (
        "Skolan för bioteknik och hälsa",
        "School of Biotechnology and Health",
        0.9,
        [
            ("proteinteknik", "Protein Engineering"),
            ("medicinsk teknik", "Medical Technology"),
            ("industriell bioteknik", "Industrial Biotechnology"),
            ("genteknik", "Gene Technology"),
            ("ergonomi och arbetshälsa", "Ergonomics and Occupational Health"),
        ],
    ),
    "ELE": (
        "Skolan för elektroteknik och datavetenskap",
        "School of Electrical Engineering and Computer Science",
        -0.6,
        [
            ("datavetenskap", "Computer Science"),
            ("programvaruteknik", "Software Engineering"),
            ("kommunikationssystem", "Communication Systems"),
            ("reglerteknik", "Automatic Control"),
            ("elkraftteknik", "Electric Power Engineering"),
            ("människa-datorinteraktion", "Human-Computer Interaction"),
        ],
    ),
    "IND": (
        "Skolan för industriell teknik",
        "School of Industrial Engineering",
        -0.2,
        [
            ("produktionsteknik", "Production Engineering"),
            ("maskinkonstruktion", "Machine Design"),
            ("industriell ekonomi", "Industrial Economics"),
            ("energiteknik", "Energy Technology"),
            ("materialvetenskap", "Materials Science"),
        ],
    ),
    "NAT": (
        "Skolan för naturvetenskap",
        "School of Natural Sciences",
        -0.05,
        [
            ("matematik", "Mathematics"),
            ("fysik", "Physics"),
            ("kemi", "Chemistry"),
            ("tillämpad fysik", "Applied Physics"),
        ],
    ),
}
ADMINISTRATION = (
    "ADM",
    "Universitetsförvaltningen",
    "University Administration",
    [
        ("HR-avdelningen", "Human Resources Office"),
        ("Ekonomiavdelningen", "Finance Office"),
        ("IT-avdelningen", "IT Office"),
        ("Studentavdelningen", "Student Affairs Office"),
        ("Kommunikationsavdelningen", "Communications Office"),
    ],
)
DEPARTMENT_SIZE = 80  # posts in an academic department at scale 1 (each varies by +-30 %; ~10 % open after 2015)
OFFICE_SIZE = 45


class Post(NamedTuple):
    title: str
    share: float  # of an academic department's posts
    adm_share: float  # of an administrative office's posts
    women: float  # chance that a hire in 2015 is a woman (before the school's shift)
    rise: float  # ... plus this much per later hire year
    tenure: tuple[int, int]
    age: tuple[int, int]  # age when hired
    level: tuple[int, int]  # job-evaluation level
    salary: int  # full-time monthly salary in 2015 at the middle level, SEK
    temporary: float  # chance of a fixed-term employment
    manager: float  # chance of being a manager (for non-academic staff: at level 6+)


# The hire-year chances are set so that the *stock* in post lands near the targets: e.g. professors
# serve ~17 years, so those in post in 2015 were hired ~9 years earlier at a lower rate.
POSTS = (
    Post("Doktorand", 0.25, 0, 0.29, 0.003, (4, 5), (24, 31), (2, 3), 31000, 1.0, 0),
    Post("Postdoktor", 0.07, 0, 0.31, 0.003, (1, 3), (28, 35), (4, 5), 40000, 1.0, 0),
    Post("Forskare", 0.08, 0, 0.28, 0.004, (2, 12), (30, 55), (4, 6), 45000, 0.4, 0),
    Post("Biträdande lektor", 0.05, 0, 0.30, 0.006, (4, 6), (31, 38), (5, 6), 46000, 1.0, 0),
    Post("Adjunkt", 0.05, 0, 0.37, 0.002, (5, 25), (28, 55), (4, 5), 44000, 0.1, 0),
    Post("Universitetslektor", 0.12, 0, 0.23, 0.003, (8, 25), (33, 52), (6, 7), 52000, 0, 0.03),
    Post("Professor", 0.10, 0, 0.18, 0.005, (10, 25), (40, 58), (8, 10), 68000, 0, 0.25),
    Post("Administratör", 0.19, 0.80, 0.73, 0, (2, 25), (23, 60), (2, 7), 38000, 0.1, 0.25),
    Post("Tekniker", 0.09, 0.20, 0.34, 0.003, (2, 25), (23, 60), (2, 7), 38000, 0.1, 0.25),
)
NON_ACADEMIC = (7, 8)  # indices of Administratör and Tekniker in POSTS
SALARY_GROWTH = 0.025
MANAGER_SUPPLEMENT = 0.06
OTHER_GENDER = 0.003
FTE_VALUES = np.array([1.0, 0.8, 0.75, 0.5, 0.2])
FTE_CHANCES = {"K": [0.78, 0.09, 0.05, 0.06, 0.02], "M": [0.86, 0.06, 0.03, 0.04, 0.01]}


def pay_gap(year):
    """Women's shortfall within a position: 4 % in 2015 narrowing to 1.5 % in 2025."""
    return 0.04 - 0.0025 * (np.asarray(year) - FIRST)


# (name, body type, unit, usual share of women in 2015 (low, high), seat categories
#  teacher/student/external/staff, category of the chair)
_UNI_BODIES = [
    ("Universitetsstyrelsen", "decision-making", (0.3, 0.55), (0.3, 0.15, 0.45, 0.1), "external"),
    ("Fakultetsrådet", "decision-making", (0.2, 0.45), (0.7, 0.2, 0.0, 0.1), "teacher"),
    ("Anställningsnämnden", "preparatory", (0.15, 0.45), (0.8, 0.1, 0.05, 0.05), "teacher"),
    ("Utbildningsnämnden", "decision-making", (0.3, 0.55), (0.6, 0.3, 0.0, 0.1), "teacher"),
    ("Rektors ledningsgrupp", "preparatory", (0.25, 0.5), (0.7, 0.05, 0.0, 0.25), "teacher"),
    ("Rådet för jämställdhet och lika villkor", "other", (0.55, 0.8), (0.4, 0.25, 0.0, 0.35), "teacher"),
]
_SCHOOL_BODIES = [
    ("Skolans ledningsgrupp", "preparatory", (0.15, 0.5), (0.7, 0.05, 0.0, 0.25), "teacher"),
    ("Jämställdhetsgruppen", "other", (0.5, 0.8), (0.4, 0.25, 0.0, 0.35), "teacher"),
    ("Forskarutbildningsnämnd", "decision-making", (0.15, 0.45), (0.7, 0.3, 0.0, 0.0), "teacher"),
]
_PROGRAMME_COUNCIL = ("Programrådet", "preparatory", (0.2, 0.5), (0.6, 0.35, 0.05, 0.0), "teacher")
CATEGORIES = np.array(["teacher", "student", "external", "staff"], dtype=object)


def _base_bodies() -> list[tuple]:
    bodies = [(name, kind, "UNI", *rest) for name, kind, *rest in _UNI_BODIES]
    for i, code in enumerate(SCHOOLS):
        extra = [_PROGRAMME_COUNCIL] if i % 2 == 0 else []  # some schools have one, some not
        for name, kind, *rest in _SCHOOL_BODIES + extra:
            bodies.append((f"{name} {code}", kind, code, *rest))
    adm = ADMINISTRATION[0]
    bodies.append(
        (f"Förvaltningens ledningsgrupp {adm}", "preparatory", adm, (0.4, 0.7), (0.0, 0.0, 0.0, 1.0), "staff")
    )
    bodies.append((f"Jämställdhetsgruppen {adm}", "other", adm, (0.55, 0.85), (0.0, 0.0, 0.0, 1.0), "staff"))
    return bodies


def _succession(rng, tenure: np.ndarray, open_year: np.ndarray):
    """People holding posts one after another.

    `tenure` is (posts, k) years of service of the k successive holders of each post. Returns, for
    every holder in post at some time in FIRST..LAST: post index, column (to look up per-holder
    draws), the year they started, and their first and last year within FIRST..LAST.
    """
    n, k = tenure.shape
    already = rng.integers(0, tenure[:, 0])
    first = np.where(open_year > FIRST, open_year, FIRST - BURN_IN - already)
    start = first[:, None] + np.cumsum(tenure, axis=1) - tenure
    end = start + tenure - 1
    assert (end[:, -1] >= LAST).all(), "succession chain too short"
    keep = (start <= LAST) & (end >= np.maximum(open_year, FIRST)[:, None])
    post, col = np.nonzero(keep)
    return post, col, start[keep], np.maximum(start[keep], FIRST), np.minimum(end[keep], LAST)


def _expand(first: np.ndarray, last: np.ndarray):
    """One row per active year: (holder index, year) for each holder's years first..last."""
    n_years = last - first + 1
    holder = np.repeat(np.arange(len(first)), n_years)
    offset = np.arange(len(holder)) - np.repeat(np.cumsum(n_years) - n_years, n_years)
    return holder, first[holder] + offset


def _ids(prefix: str, n: int, width: int, rng) -> np.ndarray:
    """Unique, unordered synthetic ids: an affine map i -> a*i+b mod 10^w is a bijection if gcd(a,10)=1."""
    width = max(width, len(str(n)))
    mod = 10**width
    numbers = (np.arange(n, dtype=np.int64) * 7919 + int(rng.integers(mod))) % mod
    return (prefix + pd.Series(numbers).astype(str).str.zfill(width)).to_numpy(dtype=object)


def _chances(p: np.ndarray, shift: np.ndarray) -> np.ndarray:
    logit = np.log(p / (1 - p)) + shift
    return 1 / (1 + np.exp(-logit))


def _units() -> pd.DataFrame:
    rows = [(*UNIVERSITY, None)]
    departments = []
    for code, (sv, en, _, depts) in SCHOOLS.items():
        rows.append((code, sv, en, "UNI"))
        for i, (dsv, den) in enumerate(depts, 1):
            departments.append((f"{code}-{i}", f"Institutionen för {dsv}", f"Department of {den}", code))
    code, sv, en, offices = ADMINISTRATION
    rows.append((code, sv, en, "UNI"))
    departments += [(f"{code}-{i}", osv, oen, code) for i, (osv, oen) in enumerate(offices, 1)]
    return pd.DataFrame(rows + departments, columns=["unit", "name_sv", "name_en", "parent_unit"])


def _staff(rng, scale: float, units: pd.DataFrame) -> pd.DataFrame:
    depts = units[units["unit"].str.contains("-")].reset_index(drop=True)
    is_adm = (depts["parent_unit"] == ADMINISTRATION[0]).to_numpy()
    shift = depts["parent_unit"].map({c: s[2] for c, s in SCHOOLS.items()}).fillna(0.0).to_numpy()
    size = np.where(is_adm, OFFICE_SIZE, DEPARTMENT_SIZE) * rng.uniform(0.7, 1.3, len(depts)) * scale
    size = np.maximum(np.rint(size).astype(np.int64), 1)
    shares = np.array([[p.adm_share if adm else p.share for p in POSTS] for adm in is_adm])
    counts = rng.multinomial(size, shares / shares.sum(axis=1, keepdims=True))  # (departments, posts)

    parts = []
    for j, post in enumerate(POSTS):
        dept = np.repeat(np.arange(len(depts)), counts[:, j])
        n = len(dept)
        if n == 0:
            continue
        # The dept's first post stays open throughout; ~10 % of the others open later (growth).
        first_post = np.r_[True, dept[1:] != dept[:-1]]
        late = ~first_post & (rng.random(n) < 0.10)
        open_year = np.where(late, rng.integers(FIRST + 1, LAST + 1, n), FIRST)
        shortest = max(1, min(post.tenure[0], RETIREMENT_AGE - post.age[1]))
        k = (LAST - FIRST + BURN_IN) // shortest + 2
        age = rng.integers(post.age[0], post.age[1] + 1, (n, k))
        tenure = np.minimum(rng.integers(post.tenure[0], post.tenure[1] + 1, (n, k)), RETIREMENT_AGE - age)
        slot, col, hired, first, last = _succession(rng, np.maximum(tenure, 1), open_year)
        m = len(slot)
        d = dept[slot]
        p_woman = _chances(np.clip(post.women + post.rise * (hired - FIRST), 0.02, 0.98), shift[d])
        level = rng.integers(post.level[0], post.level[1] + 1, m)
        # Among technical/administrative staff only the senior levels lead units.
        manager_chance = post.manager * (level >= 6) if j in NON_ACADEMIC else np.full(m, post.manager)
        parts.append(
            pd.DataFrame(
                {
                    "post": j,
                    "dept": d,
                    "hired": hired,
                    "first": first,
                    "last": last,
                    "woman": rng.random(m) < p_woman,
                    "birth_year": hired - age[slot, col],
                    "level": level,
                    "manager": rng.random(m) < manager_chance,
                    "temporary": rng.random(m) < post.temporary,
                }
            )
        )
    people = pd.concat(parts, ignore_index=True)
    n_people = len(people)
    woman = people["woman"].to_numpy()
    other = rng.random(n_people) < OTHER_GENDER
    gender = np.where(other, "X", np.where(woman, "K", "M"))
    fte_k = rng.choice(FTE_VALUES, n_people, p=FTE_CHANCES["K"])
    fte_m = rng.choice(FTE_VALUES, n_people, p=FTE_CHANCES["M"])
    fte = np.where(woman, fte_k, fte_m)
    fte = np.where(people["post"].to_numpy() == 0, np.maximum(fte, 0.8), fte)  # doctoral posts ≥ 80 %
    personal_pay = rng.normal(0, 0.07, n_people)
    person_id = _ids("D", n_people, 7, rng)

    holder, year = _expand(people["first"].to_numpy(), people["last"].to_numpy())
    n_rows = len(holder)
    post = people["post"].to_numpy()[holder]
    dept = people["dept"].to_numpy()[holder]
    level = people["level"].to_numpy()[holder]
    manager = people["manager"].to_numpy()[holder]
    female = woman[holder]

    # Every department needs a head each year: where none was drawn, the highest-level person
    # (the same one while they stay) takes the role.
    group = (year - FIRST) * len(depts) + dept
    headless = np.bincount(group, weights=manager, minlength=(LAST - FIRST + 1) * len(depts)) == 0
    rows = np.flatnonzero(headless[group])
    if len(rows):
        rank = level[rows] + rng.random(n_people)[holder[rows]]
        order = rows[np.lexsort((-rank, group[rows]))]
        _, first_of_group = np.unique(group[order], return_index=True)
        manager[order[first_of_group]] = True

    base = np.array([p.salary for p in POSTS], dtype=float)[post]
    mid_level = np.array([(p.level[0] + p.level[1]) / 2 for p in POSTS])[post]
    step = np.where(np.isin(post, NON_ACADEMIC), 1.09, 1.04)  # job level matters most for non-academic pay
    salary = (
        base
        * step ** (level - mid_level)
        * (1 + SALARY_GROWTH) ** (year - FIRST)
        * np.exp(personal_pay[holder] + rng.normal(0, 0.01, n_rows))
        * np.where(female, 1 - pay_gap(year), 1.0)
        * np.where(manager, 1 + MANAGER_SUPPLEMENT, 1.0)
    )
    salary = (np.rint(salary / 100) * 100).astype(np.int64)

    birth_year = people["birth_year"].to_numpy()[holder]
    age = year - birth_year
    since = year - FIRST
    family = np.exp(-(((age - 34) / 6.0) ** 2))  # small children around 28-40
    on_leave = rng.random(n_rows) < family * np.where(female, 0.40, 0.30 + 0.008 * since)
    leave_mean = np.where(female, 75.0, 25.0 + 1.5 * since)
    parental = np.where(on_leave, np.minimum(rng.gamma(1.5, leave_mean / 1.5), 240), 0)
    school_age = np.exp(-(((age - 40) / 8.0) ** 2))
    vab = np.where(
        rng.random(n_rows) < school_age * np.where(female, 0.50, 0.45), rng.geometric(1 / np.where(female, 5.0, 4.5)), 0
    )
    sick = np.where(
        rng.random(n_rows) < np.where(female, 0.55, 0.47), 1 + rng.negative_binomial(0.6, 0.6 / (0.6 + 6.0), n_rows), 0
    )

    # Rows in a stable, readable order: by year, department, then person.
    order = np.lexsort((holder, dept, year))
    titles = np.array([p.title for p in POSTS], dtype=object)
    temporary = people["temporary"].to_numpy()[holder] | np.isin(post, [0, 1, 3])
    return pd.DataFrame(
        {
            "year": year[order].astype(np.int64),
            "person_id": person_id[holder[order]],
            "unit": depts["unit"].to_numpy(dtype=object)[dept[order]],
            "parent_unit": depts["parent_unit"].to_numpy(dtype=object)[dept[order]],
            "position": titles[post[order]],
            "gender": gender[holder[order]].astype(object),
            "fte": fte[holder[order]],
            "monthly_salary": salary[order],
            "job_level": level[order].astype(np.int64),
            "manager": manager[order],
            "employment_type": np.where(temporary[order], "temporary", "permanent").astype(object),
            "birth_year": birth_year[order].astype(np.int64),
            "parental_leave_days": np.rint(parental[order]).astype(np.int64),
            "care_of_child_days": vab[order].astype(np.int64),
            "sick_leave_days": np.minimum(sick[order], 260).astype(np.int64),
        }
    )


def _committees(rng, scale: float) -> pd.DataFrame:
    base = _base_bodies()
    n_bodies = max(len(base), round(len(base) * scale))
    copy = np.arange(n_bodies) // len(base) + 1
    which = np.arange(n_bodies) % len(base)
    names = np.array([b[0] for b in base], dtype=object)[which]
    names = np.where(copy > 1, names + " " + copy.astype(str).astype(object), names)
    kinds = np.array([b[1] for b in base], dtype=object)[which]
    units = np.array([b[2] for b in base], dtype=object)[which]
    low = np.array([b[3][0] for b in base])[which]
    high = np.array([b[3][1] for b in base])[which]
    mix = np.array([b[4] for b in base])[which]
    chair_cat = np.array([list(CATEGORIES).index(b[5]) for b in base])[which]
    women_2015 = rng.uniform(low, high)
    pull = rng.uniform(0.05, 0.35, n_bodies)  # how fast each body moves towards balance
    seats = rng.integers(6, 16, n_bodies)

    body = np.repeat(np.arange(n_bodies), seats)
    seat = np.arange(len(body)) - np.repeat(np.cumsum(seats) - seats, seats)
    n_seats = seats[body]
    role = np.full(len(body), "member", dtype=object)
    role[seat == 0] = "chair"
    role[seat == 1] = "secretary"
    role[(seat == 2) & (n_seats >= 8)] = "vice_chair"
    role[(n_seats >= 10) & (seat >= n_seats - n_seats // 5)] = "deputy"
    u = rng.random(len(body))[:, None]
    cat = (u > np.cumsum(mix[body], axis=1)).sum(axis=1).clip(0, 3)
    cat = np.where(seat == 0, chair_cat[body], np.where(seat == 1, 3, cat))

    student = cat == 1
    k = (LAST - FIRST + BURN_IN) + 2
    terms = np.where(student[:, None], rng.integers(1, 3, (len(body), k)), rng.integers(2, 5, (len(body), k)))
    slot, _, started, first, last = _succession(rng, terms, np.full(len(body), FIRST))
    b = body[slot]
    drift = np.exp(-pull[b] * np.maximum(started - FIRST, 0))
    p_woman = 0.5 + (women_2015[b] - 0.5) * drift
    p_woman = np.where(role[slot] == "secretary", 0.75, p_woman)  # secretaries are mostly women
    woman = rng.random(len(slot)) < p_woman
    person_id = _ids("C", len(slot), 6, rng)

    holder, year = _expand(first, last)
    s = slot[holder]
    order = np.lexsort((seat[s], body[s], year))
    holder, year, s = holder[order], year[order], s[order]
    return pd.DataFrame(
        {
            "year": year.astype(np.int64),
            "body": names[body[s]],
            "body_type": kinds[body[s]],
            "unit": units[body[s]],
            "role": role[s],
            "member_category": CATEGORIES[cat[s]],
            "gender": np.where(woman[holder], "K", "M").astype(object),
            "person_id": person_id[holder],
        }
    )


# --- aggregated sheets (issue 6) ----------------------------------------------------------------
# school: [(programme, level, yearly new entrants at scale 1, share of women among them in 2015)].
# Engineering programmes about 20-30 % women, architecture and biotechnology 55-65 %.
PROGRAMMES = {
    "ARK": [
        ("Arkitektur", "first", 90, 0.62),
        ("Samhällsbyggnad", "first", 160, 0.45),
        ("Urban Planning and Design", "second", 45, 0.58),
        ("Forskarutbildning ARK", "third", 18, 0.45),
    ],
    "BIO": [
        ("Bioteknik", "first", 110, 0.60),
        ("Medicinsk teknik", "first", 100, 0.55),
        ("Biotechnology", "second", 50, 0.64),
        ("Forskarutbildning BIO", "third", 20, 0.52),
    ],
    "ELE": [
        ("Datateknik", "first", 220, 0.22),
        ("Elektroteknik", "first", 120, 0.18),
        ("Computer Science", "second", 120, 0.24),
        ("Forskarutbildning ELE", "third", 35, 0.20),
    ],
    "IND": [
        ("Maskinteknik", "first", 200, 0.24),
        ("Industriell ekonomi", "first", 130, 0.34),
        ("Sustainable Energy Engineering", "second", 60, 0.30),
        ("Forskarutbildning IND", "third", 25, 0.25),
    ],
    "NAT": [
        ("Teknisk fysik", "first", 130, 0.26),
        ("Kemivetenskap", "first", 90, 0.50),
        ("Mathematics", "second", 35, 0.30),
        ("Forskarutbildning NAT", "third", 22, 0.30),
    ],
}
STUDENT_RISE = 0.004  # the share of women among entrants rises this much a year
YEARS_ENROLLED = {"first": 4.2, "second": 1.9, "third": 4.8}  # registered ≈ entrants × this
COMPLETION = {"first": (0.70, 0.64), "second": (0.85, 0.82), "third": (0.80, 0.80)}  # (women, men)
# Reported cases per 100 staff a year, (women, men) affected; the survey every second year.
INCIDENT_RATES = {
    "harassment": (0.6, 0.4),
    "sexual_harassment": (0.8, 0.1),
    "discrimination": (0.4, 0.3),
    "victimisation": (1.2, 0.9),
}
SURVEY_EXPOSED = {
    "harassment": (0.06, 0.04),
    "sexual_harassment": (0.05, 0.012),
    "discrimination": (0.05, 0.04),
    "victimisation": (0.08, 0.06),
}
SURVEY_RESPONSE = 0.55
# Recruitment: (title, calls a year per school at scale 1, applicants per call, women's share of
# applicants, chance to be shortlisted, to be offered if shortlisted). Women apply less, but pass
# each stage a little more often (WOMEN_EDGE), as in many Athena Swan analyses.
CALLS = [
    ("Doktorand", 8, 25, 0.30, 0.20, 0.30),
    ("Postdoktor", 4, 30, 0.30, 0.20, 0.25),
    ("Biträdande lektor", 2, 45, 0.28, 0.12, 0.20),
    ("Universitetslektor", 2, 35, 0.25, 0.15, 0.25),
    ("Professor", 1, 20, 0.18, 0.30, 0.25),
]
WOMEN_EDGE = 1.1
ACCEPTS = 0.9
# Promotions applied for a year per school (women, men) and granted chance: lecturer to professor, and
# assistant professor to lecturer.
PROMOTIONS = {"Universitetslektor": ((2.0, 6.0), 0.6), "Biträdande lektor": ((2.0, 4.0), 0.8)}


def _grid(**axes) -> pd.DataFrame:
    """Every combination of the given values, as columns (the long frame the draws fill in)."""
    index = pd.MultiIndex.from_product(list(axes.values()), names=list(axes))
    return index.to_frame(index=False)


def _students(rng, scale: float) -> pd.DataFrame:
    """Registered students, new entrants and degrees per school, programme, level, year and gender."""
    progs = pd.DataFrame(
        [(school, *p) for school, ps in PROGRAMMES.items() for p in ps],
        columns=["unit", "programme", "level", "entrants", "women"],
    )
    g = _grid(prog=np.arange(len(progs)), year=np.arange(FIRST, LAST + 1))
    p = progs.iloc[g["prog"]].reset_index(drop=True)
    entrants = rng.poisson(p["entrants"].to_numpy() * scale * rng.uniform(0.9, 1.1, len(g)))
    share = np.clip(p["women"].to_numpy() + STUDENT_RISE * (g["year"].to_numpy() - FIRST), 0.05, 0.95)
    new_women = rng.binomial(entrants, share)
    enrolled = p["level"].map(YEARS_ENROLLED).to_numpy()
    done_w = p["level"].map({k: v[0] for k, v in COMPLETION.items()}).to_numpy()
    done_m = p["level"].map({k: v[1] for k, v in COMPLETION.items()}).to_numpy()
    women = pd.DataFrame(
        {
            "gender": "K",
            "new_entrants": new_women,
            "registered": rng.poisson(new_women * enrolled),
            "degrees": rng.binomial(new_women, done_w),
        }
    )
    men = pd.DataFrame(
        {
            "gender": "M",
            "new_entrants": entrants - new_women,
            "registered": rng.poisson((entrants - new_women) * enrolled),
            "degrees": rng.binomial(entrants - new_women, done_m),
        }
    )
    keys = pd.DataFrame({"year": g["year"], "unit": p["unit"], "programme": p["programme"], "level": p["level"]})
    out = pd.concat([pd.concat([keys, women], axis=1), pd.concat([keys, men], axis=1)], ignore_index=True)
    out = out.sort_values(["year", "unit", "programme", "gender"], ignore_index=True)
    return out[["year", "unit", "programme", "level", "gender", "registered", "new_entrants", "degrees"]]


def _leave(staff: pd.DataFrame) -> pd.DataFrame:
    """The leave sheet an HR system exports: the staff rows' days summed per department, year and
    gender, with available days (fte × 365) and long-term sick (60 days or more). Balans takes a
    department's days from its staff rows when they are there, so this sheet adds only the long-term
    cases; it shows the format."""
    s = staff.assign(available=staff["fte"] * 365, long_term=staff["sick_leave_days"] >= 60)
    out = s.groupby(["year", "unit", "gender"], as_index=False, sort=True).agg(
        staff=("person_id", "size"),
        available_days=("available", "sum"),
        parental_leave_days=("parental_leave_days", "sum"),
        care_of_child_days=("care_of_child_days", "sum"),
        sick_leave_days=("sick_leave_days", "sum"),
        long_term_sick=("long_term", "sum"),
    )
    out["available_days"] = out["available_days"].round(1)
    return out


def _incidents(rng, staff: pd.DataFrame) -> pd.DataFrame:
    """Reported cases per school, year, category and gender: small Poisson counts in proportion to
    the school's staff; survey respondents and exposed every second (odd) year."""
    heads = staff[staff["gender"].isin(["K", "M"])].groupby(["year", "parent_unit", "gender"]).size()
    g = _grid(
        year=np.arange(FIRST, LAST + 1),
        unit=list(SCHOOLS) + [ADMINISTRATION[0]],
        category=list(INCIDENT_RATES),
        gender=["K", "M"],
    )
    n = heads.reindex(pd.MultiIndex.from_frame(g[["year", "unit", "gender"]])).fillna(0).to_numpy()
    woman = (g["gender"] == "K").to_numpy()
    rate = np.where(
        woman,
        g["category"].map({c: r[0] for c, r in INCIDENT_RATES.items()}),
        g["category"].map({c: r[1] for c, r in INCIDENT_RATES.items()}),
    )
    exposed = np.where(
        woman,
        g["category"].map({c: r[0] for c, r in SURVEY_EXPOSED.items()}),
        g["category"].map({c: r[1] for c, r in SURVEY_EXPOSED.items()}),
    )
    survey = (g["year"] % 2 == 1).to_numpy()
    respondents = rng.binomial(n.astype(np.int64), SURVEY_RESPONSE)
    g["count"] = rng.poisson(n * rate / 100)
    g["survey_respondents"] = pd.Series(respondents, dtype="Int64").where(survey)
    g["survey_exposed"] = pd.Series(rng.binomial(respondents, exposed), dtype="Int64").where(survey)
    return g


def _recruitment(rng, scale: float) -> pd.DataFrame:
    """Recruitment funnels per school, year, position and gender, and promotions."""
    calls = pd.DataFrame(CALLS, columns=["position", "calls", "applicants", "women", "shortlist", "offer"])
    g = _grid(year=np.arange(FIRST, LAST + 1), unit=list(SCHOOLS), call=np.arange(len(calls)))
    c = calls.iloc[g["call"]].reset_index(drop=True)
    shift = g["unit"].map({code: s[2] for code, s in SCHOOLS.items()}).to_numpy()
    applicants = rng.poisson(c["calls"] * c["applicants"] * scale)
    p_woman = _chances(c["women"].to_numpy() + 0.004 * (g["year"].to_numpy() - FIRST), shift)
    women = rng.binomial(applicants, p_woman)
    parts = []
    for gender, n, edge in (("K", women, WOMEN_EDGE), ("M", applicants - women, 1.0)):
        shortlisted = rng.binomial(n, np.minimum(c["shortlist"] * edge, 1))
        offered = rng.binomial(shortlisted, np.minimum(c["offer"] * edge, 1))
        appointed = rng.binomial(offered, ACCEPTS)
        applied_mean = c["position"].map({t: v[0][0 if gender == "K" else 1] for t, v in PROMOTIONS.items()})
        granted_p = c["position"].map({t: v[1] for t, v in PROMOTIONS.items()}) * (edge if gender == "K" else 1)
        has = applied_mean.notna().to_numpy()
        applied = rng.poisson(applied_mean.fillna(0).to_numpy() * scale)
        granted = rng.binomial(applied, np.minimum(granted_p.fillna(0).to_numpy(), 1))
        parts.append(
            pd.DataFrame(
                {
                    "year": g["year"],
                    "unit": g["unit"],
                    "position": c["position"],
                    "gender": gender,
                    "applicants": n,
                    "shortlisted": shortlisted,
                    "offered": offered,
                    "appointed": appointed,
                    "promotion_applied": pd.Series(applied, dtype="Int64").where(has),
                    "promotion_granted": pd.Series(granted, dtype="Int64").where(has),
                }
            )
        )
    return pd.concat(parts, ignore_index=True).sort_values(["year", "unit", "position", "gender"], ignore_index=True)


def generate(seed: int = 0, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Return {"units", "staff", "committees", "students", "leave", "incidents", "recruitment",
    "components", "factor_plan", "job_scores"}: a synthetic data set, nothing about real people."""
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale!r}")
    rng = np.random.default_rng(seed)
    units = _units()
    staff = _staff(rng, scale, units)
    committees = _committees(rng, scale)
    # Careers (issue 24) on a generator of their own, after the committees: the same seed draws the same
    # posts, salaries and seats as before, and some leavers and entrants become one person's promotion.
    staff = careers.careers(staff, np.random.default_rng([seed, 24]))
    # A generator of its own, so that adding these sheets left the staff and committees of a seed as they were.
    agg = np.random.default_rng([seed, 6])
    # Working time and pay components (issue 21), from a generator of their own too, and the job evaluation.
    pay = np.random.default_rng([seed, 21])
    staff = staff.assign(weekly_hours=payroll.working_time(pay, staff))
    years = sorted(int(y) for y in staff["year"].unique())
    return {
        "units": units,
        "staff": staff,
        "committees": committees,
        "students": _students(agg, scale),
        "leave": _leave(staff),
        "incidents": _incidents(agg, staff),
        "recruitment": _recruitment(agg, scale),
        "components": payroll.components(pay, staff, MANAGER_SUPPLEMENT),
        "factor_plan": evaluation.factor_plan(years),
        "job_scores": evaluation.job_scores(years),
    }
