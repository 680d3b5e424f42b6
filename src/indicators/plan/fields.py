"""The template's sheets and their fields, declared once: what the template writes, the import reads,
the exports fill in and the editor offers.

A field is a column of one of the plan's tables. Its header is its label in columns.toml (the sheet's
table: "plan", "pay_survey.differences", ...), so the template, the page and every download name a
column alike; the import also takes the English label, the column's own name and, in `also`, the
headers of an older template. A choice's words are a vocabulary of catalogue/plan.toml; `SPELLINGS`
adds what else an import takes for a code (the way `schema.py` takes 'K' for a woman).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalogue import vocabulary, word
from ..catalogue.declarations import declared
from ..store.schema import fold_accents, norm_header

# Accepted on import beyond the vocabulary's two words and the code itself.
SPELLINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "status": {
        "planned": ("planerat", "ej påbörjad", "new", "ny"),
        "in_progress": ("pågående", "påbörjad", "started"),
        "done": ("klar", "avslutad", "genomfört", "embedded", "completed"),
        "dropped": ("utgår", "avbruten", "stoppad", "cancelled"),
    },
    "source": {
        "equal_value": ("equal value",),
        "pay_transparency": ("lönetransparens art. 9", "pay transparency", "art. 9", "art 9"),
    },
    "explained": {"true": ("ja", "yes", "saklig"), "false": ("nej", "no", "inte förklarad", "oförklarad")},
    "art10_path": {
        "justified": ("sakligt motiverad",),
        "corrected": ("åtgärdad", "korrigerad"),
        "joint_assessment": ("gemensam bedömning",),
    },
    "carried_out": {"yes": ("genomförd", "done"), "partly": ("partially",), "no": ("ej genomförd", "not done")},
}
CODES = {"explained": {"true": True, "false": False}}  # a vocabulary whose codes are not its keys' text


def choices(vocab: str) -> dict:
    """code -> every word an import takes for it; the first is what the template's list offers (the Swedish)."""
    return {
        CODES.get(vocab, {}).get(code, code): (sv, en, code, *SPELLINGS.get(vocab, {}).get(code, ()))
        for code, (sv, en) in vocabulary("plan", vocab).items()
    }


@dataclass(frozen=True)
class Field:
    name: str  # the column of the table
    type: str  # id, unit, year, text, subgoal, indicator, number, money, date, choice, count, bool
    required: bool = False
    vocab: str | None = None  # choice, bool, indicator: its vocabulary in catalogue/plan.toml
    width: int = 14
    also: tuple[str, ...] = ()  # headers an older template gave it

    @property
    def choices(self) -> dict:
        return choices(self.vocab) if self.vocab else {}


MEASURE_FIELDS = (
    Field("measure_id", "id", width=10),
    Field("unit", "unit", required=True, width=10),
    Field("year", "year", required=True, width=8),
    Field("title_sv", "text", required=True, width=40, also=("title",)),
    Field("title_en", "text", width=40),
    Field("description", "text", width=50),
    Field("subgoal", "subgoal", required=True, width=8),
    Field("goal_area", "text", width=24),
    Field("indicator", "indicator", vocab="indicator", width=30),
    Field("target_value", "number", width=10),
    Field("target_year", "year", width=8),
    Field("responsible", "text", width=20),
    Field("start_date", "date", width=12),
    Field("deadline", "date", width=12),
    Field("status", "choice", vocab="status", width=12),
    Field("cost_sek", "money", width=12),
    Field("evidence", "text", width=40),
    Field("participants_women", "count", width=10),
    Field("participants_men", "count", width=10),
    Field("participants_other", "count", width=10, also=("participants other", "deltagare annat")),
)
FINDING_FIELDS = (
    Field("finding_id", "id", width=8, also=("finding id",)),
    Field("year", "year", required=True, width=8),
    Field("source", "choice", required=True, vocab="source", width=22),
    Field("group_key", "text", required=True, width=40),
    Field("gap_pct", "number", width=10),
    Field("explained", "bool", vocab="explained", width=14),
    Field("reason", "text", width=50),
    Field("action", "text", width=40),
    Field("action_cost_sek", "money", width=12),
    Field("action_deadline", "date", width=12),
    Field("action_responsible", "text", width=18),
    Field("art10_path", "choice", vocab="art10_path", width=22),
    Field("art10_date", "date", width=12),
    Field("remeasured_on", "date", width=12),
    Field("remeasured_gap_pct", "number", width=12),
    Field("art10_with", "text", width=30),
)
EVALUATION_FIELDS = (
    Field("finding_id", "id", required=True, width=8, also=("finding id",)),
    Field("year", "year", width=8),
    Field("group_key", "text", width=40),
    Field("action", "text", width=40),
    Field("carried_out", "choice", vocab="carried_out", width=12),
    Field("evaluation", "text", width=50),
)
CONSULTATION_FIELDS = (
    Field("year", "year", required=True, width=8),
    Field("held_on", "date", required=True, width=12),
    Field("participants", "text", required=True, width=50),
    Field("notes", "text", width=60),
)
# The columns of a finding that its analysis fills in (the pay survey's editor, `PayRecord.rows`).
FINDING_EDITABLE = (
    "explained",
    "reason",
    "action",
    "action_cost_sek",
    "action_deadline",
    "action_responsible",
    "art10_path",
    "art10_date",
    "remeasured_on",
    "remeasured_gap_pct",
    "art10_with",
)


@dataclass(frozen=True)
class PlanSheet:
    key: str  # its title in catalogue/plan.toml [vocab.sheet]
    table: str  # the columns.toml table whose labels are its headers
    names: tuple[str, ...]  # sheet names accepted besides its titles
    fields: tuple[Field, ...]

    def title(self, lang: str = "sv") -> str:
        """The template's sheet name: Swedish, as the template is."""
        return word("plan", "sheet", self.key, lang)

    def header(self, f: Field, lang: str = "sv") -> str:
        return declared(self.table, f.name).label(lang)

    def headers(self, f: Field) -> tuple[str, ...]:
        """Every header the import takes for f."""
        return (self.header(f, "sv"), self.header(f, "en"), f.name, *f.also)


SHEETS = (
    PlanSheet("measures", "plan", ("plan", "aktiviteter"), MEASURE_FIELDS),
    PlanSheet(
        "evaluation", "pay_survey.last_year", ("last year", "last years actions", "uppföljning"), EVALUATION_FIELDS
    ),
    PlanSheet("findings", "pay_survey.differences", ("skillnader",), FINDING_FIELDS),
    PlanSheet("consultations", "pay_survey.consultations", ("consultations", "facklig samverkan"), CONSULTATION_FIELDS),
)
SHEET_BY_KEY = {s.key: s for s in SHEETS}
# kind -> (table, key column) of the three tables the plan writes
TABLES = {
    "measures": ("plan_measures", "measure_id"),
    "findings": ("pay_findings", "finding_id"),
    "consultations": ("pay_consultations", "consultation_id"),
}
DATE_COLUMNS = {"start_date", "deadline", "action_deadline", "art10_date", "remeasured_on", "held_on"}


def sheet_for(name: str) -> PlanSheet | None:
    """The template's sheet a workbook's sheet name is (either title, or a name it used to have)."""
    folded = fold_accents(norm_header(name))
    for s in SHEETS:
        if folded in {fold_accents(norm_header(n)) for n in (s.title("sv"), s.title("en"), *s.names)}:
            return s
    return None
