"""What Balans accepts: sheet kinds, their columns, header aliases and value vocabularies.

This module is the one table that the importer, the templates, the database and docs/data-formats.md are
built from. Adding a sheet kind means adding a `SheetKind` here (and its table in `store`), not
copying the importer. Canonical names are English snake_case; aliases are Swedish and English
and are matched case-, space- and accent-insensitively (see `norm_header`).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..settings import DATA_DIR


def norm_header(text: object) -> str:
    """Fold a header or vocabulary word for matching: case, spacing, '_' and '-' do not matter."""
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[\s_\-./]+", " ", s).strip()


def fold_accents(text: str) -> str:
    """'kön' -> 'kon': a second chance for headers typed without å, ä, ö."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# --- vocabularies -------------------------------------------------------------------------------

GENDER_WORDS = {
    "woman": ("k", "kvinna", "kvinnor", "f", "female", "w", "woman", "women", "kv"),
    "man": ("m", "man", "män", "male", "men"),
}
EMPLOYMENT_TYPES = {
    "permanent": ("permanent", "tillsvidare", "tillsvidareanställning", "tv", "fast", "fast anställning"),
    "temporary": ("temporary", "visstid", "visstidsanställning", "tidsbegränsad", "tb", "fixed term"),
}
BODY_TYPES = {
    "decision-making": ("decision-making", "decision making", "decision", "beslutande", "beslutsfattande"),
    "preparatory": ("preparatory", "beredande", "advisory", "rådgivande"),
    "other": ("other", "övrigt", "övriga", "annat"),
}
ROLES = {
    "chair": ("chair", "chairperson", "ordförande", "ordf"),
    "vice_chair": ("vice chair", "vice ordförande", "vice ordf", "vice"),
    "member": ("member", "ledamot", "ledamöter"),
    "deputy": ("deputy", "suppleant", "ersättare"),
    "secretary": ("secretary", "sekreterare"),
}
MEMBER_CATEGORIES = {
    "teacher": ("teacher", "teachers", "lärare", "lärarrepresentant", "faculty"),
    "student": ("student", "students", "studentrepresentant", "doktorand"),
    "external": ("external", "extern", "externa", "extern ledamot"),
    "staff": ("staff", "personal", "tekn adm", "teknisk administrativ personal", "övrig personal"),
}
BOOL_WORDS = {
    True: ("1", "yes", "ja", "j", "y", "true", "sant", "x", "chef", "manager"),
    False: ("0", "no", "nej", "n", "false", "falskt", ""),
}

# Units a header may give after the column's name ("sysselsättningsgrad (%)", "lön (kr/mån)",
# "sjukfrånvaro (timmar)"), folded as norm_header folds them. A unit Balans reads the column in
# decides its reading (FTE in percent or in fractions); any other refuses the column (check.py).
HEADER_UNITS = {
    "percent": ("%", "procent", "percent", "pct", "i %", "in %"),
    "fraction": ("0 1", "0–1", "0 till 1", "andel", "fraction"),
    "per_month": (
        "kr",
        "sek",
        "kronor",
        "kr mån",
        "sek mån",
        "kr månad",
        "per mån",
        "per månad",
        "i månaden",
        "kr per månad",
        "per month",
        "monthly",
        "sek per month",
    ),
    "per_year": ("per år", "kr år", "sek år", "kr per år", "om året", "per year", "annual", "yearly", "sek per year"),
    "days": ("dagar", "days", "dgr", "antal dagar"),
    "hours": ("timmar", "hours", "tim", "antal timmar", "hrs"),
}
# Whole headers that name a known column in a unit it is not written in.
UNIT_HEADERS = {
    "årslön": ("monthly_salary", "per_year"),
    "arslon": ("monthly_salary", "per_year"),
    "annual salary": ("monthly_salary", "per_year"),
    "yearly salary": ("monthly_salary", "per_year"),
    "årsinkomst": ("monthly_salary", "per_year"),
}
# The units a column of each type may be written in (Column.type); a header naming another is refused.
TYPE_UNITS = {
    "fte": {"percent", "fraction"},
    "money": {"per_month"},
    "days": {"days", "per_year"},
    "number": {"days", "per_year"},
    "amount": {"per_year"},
    "hours_week": {"hours"},
    "hours_year": {"hours", "per_year"},
    "weight": {"percent"},
}
# Contracted working time: more than this many hours a week is no contract (Arbetstidslagen allows at
# most 48 hours a week on average with overtime; 80 leaves room for any on-call arrangement), so such a
# value is refused as a typing error or another unit (a month's or a year's hours).
MAX_HOURS_WEEK = 80
WEEKS_PER_YEAR = 52
# Monthly full-time salaries at a Swedish university lie far below this, annual ones far above it
# (the lowest full-time annual salary is over 250 000 SEK): a value above it in the monthly column
# is refused as an annual amount, not read as a month's pay.
MONTHLY_SALARY_MAX = 250_000

# Columns of names are never stored; the import warns that it dropped them.
NAME_HEADERS = {
    "namn",
    "name",
    "förnamn",
    "efternamn",
    "first name",
    "last name",
    "surname",
    "full name",
    "fullständigt namn",
    "tilltalsnamn",
}


@dataclass(frozen=True)
class Column:
    """One column of a sheet kind.

    `type` says how values are read (see readings.VALUE_READERS): text, id, year, gender, fte,
    money, number, days, birth_year, bool, or choice (with `choices`).
    """

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    choices: dict[str, tuple[str, ...]] | None = None
    sv: str = ""  # the Swedish header shown in templates

    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class SheetKind:
    name: str
    table: str
    sheet_names: tuple[str, ...]
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()  # one row per these columns
    personal: bool = True  # rests on personal data: pseudonymised and suppressed
    example_rows: tuple[tuple, ...] = field(default=())

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


YEAR = Column("year", "year", ("år", "ar", "yr"), required=True, sv="år")
UNIT = Column("unit", "text", ("enhet", "organisation", "institution", "avdelning", "org"), sv="enhet")
GENDER = Column("gender", "gender", ("kön", "sex", "juridiskt kön"), required=True, sv="kön")

STAFF = SheetKind(
    name="staff",
    table="staff",
    sheet_names=("staff", "personal", "anställda", "personalstatistik", "employees", "hr"),
    columns=(
        YEAR,
        Column(
            "person_id",
            "id",
            ("anställningsnummer", "personnummer", "id", "anst nr", "employee id", "person"),
            required=True,
            sv="anställningsnummer",
        ),
        Column("unit", "text", UNIT.aliases, required=True, sv="enhet"),
        Column(
            "position",
            "text",
            ("befattning", "tjänstekategori", "tjänst", "job title", "title"),
            required=True,
            sv="befattning",
        ),
        GENDER,
        Column("parent_unit", "text", ("överordnad enhet", "skola", "school", "parent"), sv="överordnad enhet"),
        Column(
            "fte", "fte", ("sysselsättningsgrad", "omfattning", "tjänstgöringsgrad", "fte %"), sv="sysselsättningsgrad"
        ),
        Column("monthly_salary", "money", ("månadslön", "lön", "salary", "grundlön", "heltidslön"), sv="månadslön"),
        Column(
            "job_level",
            "number",
            ("befattningsnivå", "lönenivå", "värdering", "level", "job level"),
            sv="befattningsnivå",
        ),
        Column("manager", "bool", ("chef", "is manager", "chefsbefattning"), sv="chef"),
        Column("employment_type", "choice", ("anställningsform",), choices=EMPLOYMENT_TYPES, sv="anställningsform"),
        Column("birth_year", "birth_year", ("födelseår", "fodelsear", "born"), sv="födelseår"),
        Column(
            "parental_leave_days",
            "days",
            ("föräldraledighet", "föräldraledighet dagar", "parental leave"),
            sv="föräldraledighet",
        ),
        Column("care_of_child_days", "days", ("vab", "vård av barn", "care of child"), sv="vab"),
        Column("sick_leave_days", "days", ("sjukfrånvaro", "sjukdagar", "sick leave"), sv="sjukfrånvaro"),
        # Working time (issue 21): contracted hours a week, or the year's hours (hourly staff), so that
        # hourly pay can be computed (subgoals/pay/scope.py, HOURS).
        Column(
            "weekly_hours",
            "hours_week",
            (
                "veckoarbetstid",
                "arbetstid",
                "timmar per vecka",
                "arbetstid per vecka",
                "contracted hours",
                "weekly hours",
                "hours per week",
                "working hours",
            ),
            sv="veckoarbetstid",
        ),
        Column(
            "annual_hours",
            "hours_year",
            ("årsarbetstid", "timmar per år", "arbetade timmar", "annual hours", "hours per year", "hours worked"),
            sv="årsarbetstid",
        ),
    ),
    unique=("year", "person_id"),
    example_rows=(
        (2025, "A1001", "ARK-1", "Professor", "K", "ARK", 1.0, 68500, 9, "ja", "permanent", 1968, 0, 2, 3, 40, None),
        (2025, "A1002", "ARK-1", "Doktorand", "M", "ARK", 0.8, 32100, 2, "nej", "temporary", 1996, 20, 4, 0, 32, None),
    ),
)

COMMITTEES = SheetKind(
    name="committees",
    table="committees",
    sheet_names=("committees", "committee", "organ", "nämnder", "ledamöter", "kommittéer", "boards"),
    columns=(
        YEAR,
        Column("body", "text", ("organ", "nämnd", "grupp", "committee", "board"), required=True, sv="organ"),
        GENDER,
        Column("body_type", "choice", ("typ av organ", "organtyp", "type"), choices=BODY_TYPES, sv="typ av organ"),
        UNIT,
        Column("role", "choice", ("roll", "uppdrag", "funktion"), choices=ROLES, sv="roll"),
        Column(
            "member_category",
            "choice",
            ("ledamotskategori", "kategori", "category"),
            choices=MEMBER_CATEGORIES,
            sv="ledamotskategori",
        ),
        Column("person_id", "id", ("anställningsnummer", "personnummer", "id"), sv="anställningsnummer"),
    ),
    unique=("year", "body", "person_id"),
    # Committee seats are public: they are not suppressed (docs/privacy.md, "Privacy").
    personal=False,
    example_rows=(
        (2025, "Fakultetsrådet", "K", "decision-making", "UNI", "chair", "teacher", "C2001"),
        (2025, "Fakultetsrådet", "M", "decision-making", "UNI", "member", "student", "C2002"),
    ),
)

UNITS = SheetKind(
    name="units",
    table="units",
    sheet_names=("units", "enheter", "organisation", "organisationen", "org"),
    columns=(
        Column("unit", "text", ("enhet", "kod", "enhetskod", "code"), required=True, sv="enhet"),
        Column("name_sv", "text", ("namn sv", "svenskt namn", "benämning"), sv="namn (svenska)"),
        Column("name_en", "text", ("namn en", "engelskt namn", "name english"), sv="namn (engelska)"),
        Column("parent_unit", "text", ("överordnad enhet", "skola", "parent"), sv="överordnad enhet"),
    ),
    unique=("unit",),
    personal=False,
    example_rows=(
        ("UNI", "Universitetet", "The University", None),
        ("ARK", "Skolan för arkitektur", "School of Architecture", "UNI"),
    ),
)

LEVELS = {
    "first": ("first", "first cycle", "grundnivå", "grund", "gn", "bachelor", "kandidat"),
    "second": ("second", "second cycle", "avancerad nivå", "avancerad", "an", "master"),
    "third": ("third", "third cycle", "forskarnivå", "forskarutbildning", "fn", "phd", "doctoral"),
}
INCIDENT_CATEGORIES = {
    "harassment": ("harassment", "trakasserier", "trakasseri"),
    "sexual_harassment": ("sexual harassment", "sexuella trakasserier", "sexuellt trakasseri"),
    "discrimination": ("discrimination", "diskriminering"),
    "victimisation": (
        "victimisation",
        "victimization",
        "kränkande särbehandling",
        "repressalier",
        "bullying",
        "mobbning",
    ),
}

REQUIRED_UNIT = Column("unit", "text", UNIT.aliases, required=True, sv="enhet")


def _count(name: str, aliases: tuple[str, ...], sv: str, required: bool = False) -> Column:
    return Column(name, "count", aliases, required=required, sv=sv)


# Aggregated sheets (issue 6): counts per year, unit and gender, no person ids.
STUDENTS = SheetKind(
    name="students",
    table="students",
    sheet_names=("students", "studenter", "studentstatistik", "utbildning"),
    columns=(
        YEAR,
        REQUIRED_UNIT,
        Column(
            "programme",
            "text",
            ("program", "utbildningsprogram", "programkod", "utbildning"),
            required=True,
            sv="program",
        ),
        Column("level", "choice", ("nivå", "cycle", "utbildningsnivå"), required=True, choices=LEVELS, sv="nivå"),
        GENDER,
        _count("registered", ("registrerade", "antal registrerade", "studenter"), "registrerade"),
        _count("new_entrants", ("nybörjare", "nyantagna", "new students", "entrants"), "nybörjare"),
        _count("degrees", ("examina", "examinerade", "graduates", "examen"), "examina"),
    ),
    unique=("year", "unit", "programme", "level", "gender"),
    personal=False,
    example_rows=(
        (2025, "ARK", "Arkitektur", "first", "K", 120, 40, 25),
        (2025, "ARK", "Arkitektur", "first", "M", 95, 30, 21),
    ),
)

LEAVE = SheetKind(
    name="leave",
    table="leave",
    sheet_names=("leave", "frånvaro", "ledighet", "absence"),
    columns=(
        YEAR,
        REQUIRED_UNIT,
        GENDER,
        _count("staff", ("anställda", "antal anställda", "headcount", "antal"), "antal anställda", required=True),
        Column("available_days", "number", ("tillgängliga dagar", "arbetsdagar", "available"), sv="tillgängliga dagar"),
        Column("parental_leave_days", "number", ("föräldraledighet", "parental leave"), sv="föräldraledighet"),
        Column("care_of_child_days", "number", ("vab", "vård av barn", "care of child"), sv="vab"),
        Column("sick_leave_days", "number", ("sjukfrånvaro", "sjukdagar", "sick leave"), sv="sjukfrånvaro"),
        _count("long_term_sick", ("långtidssjuka", "long term sick"), "långtidssjuka"),
    ),
    unique=("year", "unit", "gender"),
    personal=False,
    example_rows=(
        (2025, "ARK", "K", 140, 30000, 2100, 600, 1500, 3),
        (2025, "ARK", "M", 160, 35000, 1300, 550, 900, 2),
    ),
)

INCIDENTS = SheetKind(
    name="incidents",
    table="incidents",
    sheet_names=("incidents", "ärenden", "anmälningar", "trakasserier", "cases"),
    columns=(
        YEAR,
        REQUIRED_UNIT,
        Column(
            "category",
            "choice",
            ("kategori", "typ", "ärendetyp"),
            required=True,
            choices=INCIDENT_CATEGORIES,
            sv="kategori",
        ),
        GENDER,
        _count("count", ("antal", "ärenden", "cases", "number"), "antal", required=True),
        _count("survey_respondents", ("svarande", "respondents"), "svarande i enkät"),
        _count("survey_exposed", ("utsatta", "exposed", "uppger sig utsatta"), "uppger sig utsatta"),
    ),
    unique=("year", "unit", "category", "gender"),
    personal=False,
    example_rows=(
        (2025, "ARK", "sexual_harassment", "K", 2, 300, 12),
        (2025, "ARK", "sexual_harassment", "M", 0, 280, 3),
    ),
)

RECRUITMENT = SheetKind(
    name="recruitment",
    table="recruitment",
    sheet_names=("recruitment", "rekrytering", "anställningsärenden", "befordran", "promotions"),
    columns=(
        YEAR,
        REQUIRED_UNIT,
        Column("position", "text", ("befattning", "tjänst"), required=True, sv="befattning"),
        GENDER,
        _count("applicants", ("sökande", "ansökningar"), "sökande"),
        _count("shortlisted", ("intervjuade", "kallade", "short list"), "intervjuade"),
        _count("offered", ("erbjudna", "erbjudanden"), "erbjudna"),
        _count("appointed", ("anställda", "tillsatta"), "anställda"),
        _count("promotion_applied", ("befordran sökt", "ansökt befordran"), "befordran sökt"),
        _count("promotion_granted", ("befordran beviljad", "beviljad befordran"), "befordran beviljad"),
    ),
    unique=("year", "unit", "position", "gender"),
    personal=False,
    example_rows=(
        (2025, "ARK", "Universitetslektor", "K", 14, 5, 1, 1, 3, 2),
        (2025, "ARK", "Universitetslektor", "M", 31, 6, 1, 1, 5, 3),
    ),
)

# National figures beside the unit (issue 24): how many women and men a published statistic counts
# in a position category (or among the newly recruited professors), with the document it comes from.
# Balans ships the figures it can cite (data/benchmarks.csv); this kind carries a user's own, e.g. for
# a subject area. Public figures: not pseudonymised, not perturbed.
BENCHMARK_CATEGORIES = {
    "professor": ("professor", "professorer", "professors"),
    "associate_professor": (
        "associate professor",
        "associate professors",
        "lektor",
        "lektorer",
        "universitetslektor",
        "universitetslektorer",
        "senior lecturer",
    ),
    "assistant_professor": (
        "assistant professor",
        "assistant professors",
        "biträdande lektor",
        "biträdande lektorer",
        "biträdande universitetslektor",
    ),
    "lecturer": ("lecturer", "lecturers", "adjunkt", "adjunkter", "universitetsadjunkt"),
    "postdoc": ("postdoc", "postdocs", "postdoktor", "postdoktorer"),
    "researcher": ("researcher", "researchers", "forskare"),
    "phd_student": ("phd student", "phd students", "doktorand", "doktorander"),
    "non_academic": ("non academic", "teknisk administrativ personal", "technical and administrative staff"),
    "new_professor": (
        "new professor",
        "new professors",
        "newly recruited professors",
        "nyrekryterade professorer",
        "nyrekryterad professor",
    ),
}

BENCHMARKS = SheetKind(
    name="benchmarks",
    table="benchmarks",
    sheet_names=("benchmarks", "benchmark", "jämförelsetal", "riket", "nationella jämförelsetal", "national"),
    columns=(
        YEAR,
        Column(
            "category",
            "choice",
            ("kategori", "befattningskategori", "anställningskategori", "position category", "position"),
            required=True,
            choices=BENCHMARK_CATEGORIES,
            sv="kategori",
        ),
        Column("women", "count", ("kvinnor", "antal kvinnor"), required=True, sv="kvinnor"),
        Column("men", "count", ("män", "antal män"), required=True, sv="män"),
        Column("source", "text", ("källa", "källdokument", "source document"), required=True, sv="källa"),
        Column("subject_area", "text", ("ämnesområde", "forskningsämnesområde", "subject", "field"), sv="ämnesområde"),
    ),
    unique=("year", "category", "subject_area"),
    personal=False,
    example_rows=(
        (
            2020,
            "professor",
            1967,
            4656,
            "SCB, Undervisande och forskande personal efter anställningskategori 2020",
            None,
        ),
        (
            2020,
            "associate_professor",
            5292,
            5798,
            "SCB, Undervisande och forskande personal efter anställningskategori 2020",
            None,
        ),
    ),
)


# Pay components (issue 21): what a person was paid in the year, per component, as payroll systems
# export their pay types (lönearter). Basic pay is the ordinary salary (hourly staff's wages too);
# every other component is complementary or variable pay in the sense of Directive 2023/970 art. 3(1)(a),
# fixed supplements included. The words are what Swedish payroll systems (and English ones) call them.
PAY_COMPONENTS = {
    "basic": (
        "grundlön",
        "basic pay",
        "månadslön",
        "fast lön",
        "timlön",
        "lön",
        "base salary",
        "basic salary",
        "base pay",
        "wages",
    ),
    "fixed_supplement": (
        "fast tillägg",
        "fixed supplement",
        "fasta tillägg",
        "lönetillägg",
        "funktionstillägg",
        "chefstillägg",
        "prefekttillägg",
        "befattningstillägg",
        "fixed allowance",
        "allowance",
        "supplement",
    ),
    "overtime": (
        "övertid",
        "overtime",
        "övertidsersättning",
        "mertid",
        "mertidsersättning",
        "fyllnadstid",
        "overtime pay",
    ),
    "on_call": ("jour", "on-call", "beredskap", "jourersättning", "beredskapsersättning", "on call pay", "standby"),
    "unsocial_hours": (
        "ob-tillägg",
        "unsocial hours",
        "ob",
        "obekväm arbetstid",
        "ob-ersättning",
        "unsocial hours supplement",
    ),
    "bonus": (
        "engångsbelopp",
        "one-off payment",
        "bonus",
        "engångsersättning",
        "prestationslön",
        "one-off",
        "bonuses",
        "performance pay",
    ),
    "in_kind": (
        "förmån",
        "benefit in kind",
        "förmåner",
        "naturaförmån",
        "bilförmån",
        "förmånsvärde",
        "benefits in kind",
    ),
}
COMPONENTS = SheetKind(
    name="components",
    table="pay_components",
    sheet_names=(
        "lönearter",
        "components",
        "lönekomponenter",
        "pay components",
        "löneposter",
        "lönespecifikation",
        "pay elements",
    ),
    columns=(
        YEAR,
        Column(
            "person_id",
            "id",
            ("anställningsnummer", "personnummer", "id", "anst nr", "employee id", "person"),
            required=True,
            sv="anställningsnummer",
        ),
        Column(
            "component",
            "choice",
            ("löneart", "lönekomponent", "lönetyp", "pay type", "pay element", "component"),
            required=True,
            choices=PAY_COMPONENTS,
            sv="löneart",
        ),
        Column(
            "amount",
            "amount",
            ("belopp", "summa kr", "utbetalt", "amount", "paid", "annual amount"),
            required=True,
            sv="belopp",
        ),
    ),
    unique=("year", "person_id", "component"),
    example_rows=(
        (2025, "A1001", "grundlön", 822000),
        (2025, "A1001", "prefekttillägg", 36000),
        (2025, "A1002", "grundlön", 308160),
        (2025, "A1002", "jour", 12400),
    ),
)

# A gender-neutral job evaluation (issue 21; subgoals/pay/evaluation.py): the four criteria of
# Diskrimineringslagen ch. 3 § 10 and Directive 2023/970 art. 4(4), each with sub-factors of their own.
CRITERIA = {
    "knowledge": (
        "kunskaper och färdigheter",
        "knowledge and skills",
        "kunskaper",
        "kunskap",
        "färdigheter",
        "knowledge",
        "skills",
    ),
    "responsibility": ("ansvar", "responsibility"),
    "effort": ("ansträngning", "effort"),
    "working_conditions": ("arbetsförhållanden", "working conditions", "arbetsmiljö", "conditions"),
}
FACTOR_PLAN = SheetKind(
    name="factor_plan",
    table="job_factors",
    sheet_names=("faktorplan", "factor plan", "factors", "värderingsfaktorer", "faktorer"),
    columns=(
        YEAR,
        Column(
            "criterion",
            "choice",
            ("huvudfaktor", "kriterium", "område", "criterion", "main factor"),
            required=True,
            choices=CRITERIA,
            sv="kriterium",
        ),
        Column(
            "subfactor",
            "text",
            ("delfaktor", "faktor", "sub-factor", "factor", "delkriterium"),
            required=True,
            sv="delfaktor",
        ),
        Column("name_sv", "text", ("benämning", "namn sv", "svenskt namn"), sv="benämning"),
        Column("name_en", "text", ("namn en", "engelskt namn", "name english"), sv="namn (engelska)"),
        Column("weight", "weight", ("vikt", "viktning", "vikt %", "weight"), required=True, sv="vikt"),
        Column(
            "levels", "levels", ("nivåer", "antal nivåer", "levels", "number of levels"), required=True, sv="nivåer"
        ),
    ),
    unique=("year", "subfactor"),
    personal=False,
    # A whole plan of four sub-factors, one a criterion, whose weights add up to 100 (a real plan has more:
    # Analys Lönelots' basic model has eleven).
    example_rows=(
        (
            2025,
            "kunskaper och färdigheter",
            "utbildning",
            "Utbildning och erfarenhet",
            "Education and experience",
            50,
            5,
        ),
        (2025, "ansvar", "ansvar_resultat", "Ansvar för resultat", "Responsibility for results", 25, 5),
        (2025, "ansträngning", "psykisk", "Psykisk ansträngning", "Mental effort", 15, 5),
        (2025, "arbetsförhållanden", "fysisk_miljö", "Fysisk arbetsmiljö", "Physical environment", 10, 5),
    ),
)
JOB_SCORES = SheetKind(
    name="job_scores",
    table="job_scores",
    sheet_names=("arbetsvärdering", "job evaluation", "job scores", "värdering av arbeten", "befattningsvärdering"),
    columns=(
        YEAR,
        Column(
            "job",
            "text",
            ("befattning", "arbete", "rollkod", "befattningskod", "job", "role code", "job title"),
            required=True,
            sv="befattning",
        ),
        Column("subfactor", "text", ("delfaktor", "faktor", "sub-factor", "factor"), required=True, sv="delfaktor"),
        Column("level", "level", ("nivå", "level", "bedömd nivå"), required=True, sv="nivå"),
    ),
    unique=("year", "job", "subfactor"),
    personal=False,
    example_rows=((2025, "Professor", "utbildning", 5), (2025, "Professor", "fysisk_miljö", 1)),
)

KINDS: dict[str, SheetKind] = {
    k.name: k
    for k in (
        STAFF,
        COMMITTEES,
        UNITS,
        STUDENTS,
        LEAVE,
        INCIDENTS,
        RECRUITMENT,
        BENCHMARKS,
        COMPONENTS,
        FACTOR_PLAN,
        JOB_SCORES,
    )
}


def header_lookup(kind: SheetKind) -> dict[str, str]:
    """Every accepted spelling of a header (folded) -> the canonical column name."""
    out: dict[str, str] = {}
    for col in kind.columns:
        for alias in col.all_names():
            out.setdefault(norm_header(alias), col.name)
            out.setdefault(fold_accents(norm_header(alias)), col.name)
    return out


def vocabulary_lookup(choices: dict) -> dict[str, object]:
    out: dict[str, object] = {}
    for canonical, words in choices.items():
        for w in words:
            out[norm_header(w)] = canonical
            out[fold_accents(norm_header(w))] = canonical
    return out


# --- positions ------------------------------------------------------------------------------------

# Career order (docs/design.md, "Positions and career order"). "other" collects titles missing from data/positions.csv.
POSITION_CATEGORIES = (
    "phd_student",
    "postdoc",
    "researcher",
    "assistant_professor",
    "lecturer",
    "associate_professor",
    "professor",
    "non_academic",
    "other",
)

# She Figures grades: A professor, B associate professor, C assistant professor, postdoc and
# researcher (meriteringsanställningar), D doctoral students. Lecturers (adjunkter) have no grade.
SHE_FIGURES_GRADE = {
    "professor": "A",
    "associate_professor": "B",
    "assistant_professor": "C",
    "postdoc": "C",
    "researcher": "C",
    "phd_student": "D",
}


@cache
def position_map(path: Path | None = None) -> dict[str, str]:
    """Job title (folded) -> position category, from the editable table data/positions.csv."""
    path = path or DATA_DIR / "positions.csv"
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for row in rows:
        cat = row["category"].strip()
        if cat not in POSITION_CATEGORIES:
            raise ValueError(f"{path}: unknown category {cat!r} for title {row['title']!r}")
        out[norm_header(row["title"])] = cat
        out[fold_accents(norm_header(row["title"]))] = cat
    return out
