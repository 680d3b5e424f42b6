"""The pay survey's record for a year: every difference the survey must analyse, with its analysis and
action, last year's actions, the art. 10 path of the categories at 5 % or more, and the consultation.

Diskrimineringslagen (2008:567) ch. 3 §§ 8-12 and DO's guidance ask each year for an analysis of
every difference in equal work and work of equal value (also under 1 %), whether it is explained by
the demands of the work, an action plan with costs and a schedule of at most three years for the
unexplained, an evaluation of last year's actions, and the consultation with the unions (ch. 3 §
11-12). The EU Pay Transparency Directive (2023/970) art. 10 adds, for a category of workers whose
gap is 5 % or more: justify it by objective, gender-neutral criteria, correct it within six months
(re-measured), or assess it jointly with the workers' representatives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from ..catalogue import text
from ..present import columns
from ..protect import registry
from ..store import database
from .fields import FINDING_EDITABLE
from .records import consultations, findings
from .rules import art10_status, as_date, empty


def compute_exact(con, indicator_id: str, filters: registry.Filters) -> pd.DataFrame:
    """The one call site where the pay survey reads indicator tables: exact figures. The written
    survey analyses every difference, small groups too (it is the employer's own record, handed to
    the unions and DO, not a publication), and only administrators see it (docs/privacy.md, "Who sees what")."""
    return registry.compute(con, indicator_id, filters, exact=True)


def _level(v) -> str:
    return "–" if empty(v) else f"{float(v):g}"


def differences(con, year: int) -> pd.DataFrame:
    """Every difference the survey must analyse for the whole organisation in `year`.

    * equal_work: every unit × position and every position across the organisation (group
      'UNIT · position', '* · position') whose women's and men's median differ at all — also under
      1 % (DO); gap = median_gap_pct, (median men − median women) / median men × 100; `flag` where it is
      beyond [pay] equal_work_tolerance;
    * equal_value: every pair of equal_value_pairs (a women-dominated group paid less than a group of
      equal or lower job level; group 'position a @ level < position b @ level'); gap = difference_pct,
      (mean b − mean a) / mean b × 100; all flagged;
    * pay_transparency: each category of the art. 9 report (position, job level) whose mean gap is
      at or beyond the art. 10 threshold (5 %); gap = mean_gap_pct.

    Columns: source, group_key, gap_pct, women, men, flag, hidden (the figures were suppressed).
    """
    registry.load_all()
    f = registry.Filters(unit=database.ALL_UNITS, year=year)
    parts = []
    ew = compute_exact(con, "equal_work", f)
    if not ew.empty:
        hidden = ew["suppressed"].astype(bool) if "suppressed" in ew else pd.Series(False, index=ew.index)
        gap = pd.to_numeric(ew["median_gap_pct"], errors="coerce")
        keep = hidden | (gap.notna() & (gap.abs() > 1e-9))
        ew = ew[keep]
        parts.append(
            pd.DataFrame(
                {
                    "source": "equal_work",
                    "group_key": [f"{u} · {p}" for u, p in zip(ew["unit"], ew["position"])],
                    "gap_pct": pd.to_numeric(ew["median_gap_pct"], errors="coerce"),
                    "women": ew["women"],
                    "men": ew["men"],
                    "flag": ew["flag"].astype("boolean"),
                    "hidden": hidden[keep],
                }
            )
        )
    ev = compute_exact(con, "equal_value_pairs", f)
    if not ev.empty:
        hidden = ev["suppressed"].astype(bool) if "suppressed" in ev else pd.Series(False, index=ev.index)
        parts.append(
            pd.DataFrame(
                {
                    "source": "equal_value",
                    "group_key": [
                        f"{pa} @ {_level(la)} < {pb} @ {_level(lb)}"
                        for pa, la, pb, lb in zip(
                            ev["position_a"], ev["job_level_a"], ev["position_b"], ev["job_level_b"]
                        )
                    ],
                    "gap_pct": pd.to_numeric(ev["difference_pct"], errors="coerce"),
                    "women": ev["women_a"],
                    "men": ev["men_a"],
                    "flag": pd.array([True] * len(ev), dtype="boolean"),
                    "hidden": hidden,
                }
            )
        )
    pt = compute_exact(con, "pay_transparency", f)
    if not pt.empty:
        pt = pt[pt["part"].isin(["position", "value_group", "job_level"])]  # value groups: the job evaluation's
        hidden = pt["suppressed"].astype(bool) if "suppressed" in pt else pd.Series(False, index=pt.index)
        flagged = pt["flag"].astype("boolean").fillna(False).astype(bool)
        pt, hidden = pt[flagged | hidden], hidden[flagged | hidden]
        parts.append(
            pd.DataFrame(
                {
                    "source": "pay_transparency",
                    "group_key": [f"{part}: {c}" for part, c in zip(pt["part"], pt["category"])],
                    "gap_pct": pd.to_numeric(pt["mean_gap_pct"], errors="coerce"),
                    "women": pt["women"],
                    "men": pt["men"],
                    "flag": pt["flag"].astype("boolean"),
                    "hidden": hidden,
                }
            )
        )
    columns = ["source", "group_key", "gap_pct", "women", "men", "flag", "hidden"]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)[columns]
    out["gap_pct"] = out["gap_pct"].where(~out["hidden"].astype(bool))
    return out


@dataclass
class PayRecord:
    """The written pay survey for one year: each part a table (see `pay_survey`)."""

    year: int
    last_year: pd.DataFrame
    differences: pd.DataFrame
    art10: pd.DataFrame
    consultations: pd.DataFrame
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # every difference with every saved column (the editor's)

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The parts in the record's order, each by its columns.toml table "pay_survey.<part>"."""
        return {
            "last_year": self.last_year,
            "differences": self.differences,
            "art10": self.art10,
            "consultations": self.consultations,
        }


def pay_survey(con, year: int, today: dt.date | None = None) -> PayRecord:
    """The pay survey's record for `year`, in the order DO's guidance writes it:

    1. last_year: the actions decided in last year's survey, with whether each was carried out;
    2. differences: every difference of `differences(year)` with its analysis (explained or not, the
       reason) and its action (cost, deadline, responsible); `status` says what is missing
       (analysis_missing, action_missing, explained, action_planned); a finding saved for a group
       that is not in this year's data is kept, marked not_in_data;
    3. art10: the art. 9 categories at 5 % or more and where each stands on the art. 10 path
       (`rules.art10_status`);
    4. consultations: the consultation with the unions (date, who).
    """
    today = today or dt.date.today()
    saved = findings(con, year)
    computed = differences(con, year)
    keys = ["source", "group_key"]
    merged = computed.merge(
        saved.drop(columns=["year"]).rename(columns={"gap_pct": "saved_gap_pct"}), on=keys, how="outer", indicator=True
    )
    merged["in_data"] = merged["_merge"] != "right_only"
    merged["gap_pct"] = merged["gap_pct"].where(merged["in_data"], merged["saved_gap_pct"])
    merged = merged.drop(columns="_merge")

    def status(r) -> str:
        if not r["in_data"]:
            return "not_in_data"
        if empty(r.get("explained")):
            return "analysis_missing"
        if bool(r["explained"]):
            return "explained"
        return "action_planned" if not empty(r.get("action")) else "action_missing"

    merged["status"] = [status(r) for _, r in merged.iterrows()] if len(merged) else pd.Series(dtype=object)
    order = {"equal_work": 0, "equal_value": 1, "pay_transparency": 2}
    merged = merged.sort_values(keys, key=lambda s: s.map(order) if s.name == "source" else s).reset_index(drop=True)
    diff_cols = [
        "finding_id",
        "source",
        "group_key",
        "gap_pct",
        "women",
        "men",
        "flag",
        "hidden",
        "in_data",
        "explained",
        "reason",
        "action",
        "action_cost_sek",
        "action_deadline",
        "action_responsible",
        "carried_from",
        "status",
    ]
    diffs = merged.reindex(columns=diff_cols)

    art = merged[merged["source"] == "pay_transparency"].copy()
    art["art10_status"] = [
        art10_status(g, p, None if empty(d) else as_date(d), None if empty(r) else as_date(r), rg, today)
        for g, p, d, r, rg in zip(
            art["gap_pct"], art["art10_path"], art["art10_date"], art["remeasured_on"], art["remeasured_gap_pct"]
        )
    ]
    art = art.reindex(
        columns=[
            "finding_id",
            "group_key",
            "gap_pct",
            "art10_path",
            "art10_date",
            "remeasured_on",
            "remeasured_gap_pct",
            "art10_with",
            "reason",
            "art10_status",
        ]
    ).reset_index(drop=True)

    last = con.execute(
        """
        SELECT finding_id, source, group_key, gap_pct, action, action_cost_sek, action_deadline,
               action_responsible, carried_out, evaluation
        FROM pay_findings WHERE year = ? AND action IS NOT NULL ORDER BY source, group_key""",
        [year - 1],
    ).df()
    return PayRecord(
        year,
        last,
        diffs,
        art,
        consultations(con, year).drop(columns=["updated_at", "updated_by"]),
        merged.reindex(columns=["finding_id", "source", "group_key", "gap_pct", "status", *FINDING_EDITABLE]),
    )


def group_words(source: str, key, lang: str, names: dict | None = None) -> str:
    """A difference's group (its key, as `differences` writes it and a finding is found by) in words:
    'U1 · professor' -> 'U1 · professorer'; 'lecturer @ 6 < professor @ 5' -> 'adjunkter, nivå 6 <
    professorer, nivå 5'; 'job_level: 10' -> 'befattningsnivå 10'; 'position: professor' ->
    'befattning (g): professorer'. names: unit code -> name. A key of another form is shown as it is."""
    if not isinstance(key, str):
        return key
    position = columns.declared("equal_work", "position")
    if source == "equal_work" and " · " in key:
        unit, _, pos = key.partition(" · ")
        unit = text("app", "whole_org", lang) if unit == database.ALL_UNITS else (names or {}).get(unit, unit)
        return f"{unit} · {columns.word(position, pos, lang)}"
    if source == "equal_value" and " < " in key:
        (a, _, la), (b, _, lb) = (side.partition(" @ ") for side in key.split(" < ", 1))
        return text(
            "plan",
            "group_value",
            lang,
            a=columns.word(position, a, lang),
            la=la,
            b=columns.word(position, b, lang),
            lb=lb,
        )
    if source == "pay_transparency" and ": " in key:
        part, _, category = key.partition(": ")
        named = columns.word(
            columns.declared("pay_transparency", "category"), category, lang, pd.Series({"part": part})
        )
        if part in ("job_level", "value_group"):  # "job level 5", "value group 7": the words name the part
            return named
        return f"{columns.word(columns.declared('pay_transparency', 'part'), part, lang)}: {named}"
    return key


def readable(df: pd.DataFrame, lang: str, names: dict | None = None) -> pd.DataFrame:
    """A part of the record with its groups in words (`group_words`), to read; the keys stay in the
    parts to fill in, where they say which finding a row is. The art. 10 part has no source: all its
    groups are the art. 9 report's."""
    if "group_key" not in df or df.empty:
        return df
    sources = df["source"] if "source" in df else pd.Series("pay_transparency", index=df.index)
    return df.assign(group_key=[group_words(s, k, lang, names) for s, k in zip(sources, df["group_key"])])
