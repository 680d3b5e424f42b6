"""Art. 10 of Directive 2023/970: the joint pay assessment of a category of workers whose mean pay gap is
5 % or more, not justified by objective, gender-neutral criteria and not remedied within six months.

The document holds, for the category (art. 10(2)), from the exact figures and the pay survey's record:

1. the category: women and men, and their shares (each measure of pay);
2. their average pay, basic pay and complementary components apart, and the differences (gaps in
   percent of men's pay), in gross annual and hourly pay and the full-time monthly salary;
3. the reasons: the pay survey's analysis of the category (explained or not, the reason) and where it
   stands on the art. 10 path (plan.rules.art10_status);
4. the share of women and of men who got a raise in the year after returning from parental leave,
   against those who took none, in the category and in the whole employer (subgoals/pay/assessment.py);
5. the measures: the action decided (cost, deadline, who), and the evaluation of last year's action
   for the same category;
6. the consultation with the workers' representatives.

It is exported as the pay survey's record is: one xlsx and one offline HTML document, in Swedish or
English. Exact figures: the document is for the employer and the workers' representatives.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import catalogue
from ..catalogue import numbers
from ..plan import records, rules
from ..present import export
from ..present.document import report_html
from ..protect import registry
from ..protect.registry import Filters
from ..store import sql
from ..subgoals.pay import assessment
from ..subgoals.pay.evaluation import job_key, job_values
from ..subgoals.pay.transparency import CATEGORY_PARTS

MEASURES = ("annual", "hourly", "monthly")


def _t(key: str, lang: str, **values) -> str:
    return catalogue.text("pay", key, lang, **values)


def group_key(part: str, category: str) -> str:
    """How the pay survey's record names a category (plan.survey.differences): "value_group: 3"."""
    return f"{part}: {category}"


def flagged(con, year: int) -> pd.DataFrame:
    """Every category of the art. 9 report at or beyond the art. 10 threshold in any measure of pay
    (exact figures): part, category, measure, mean_gap_pct, women, men."""
    rows = []
    for measure in MEASURES:
        df = registry.compute(con, "pay_transparency", Filters(year=year, pay=measure), exact=True)
        df = df[df["part"].isin(CATEGORY_PARTS) & df["flag"].astype("boolean").fillna(False).astype(bool)]
        rows += [
            {
                "part": r["part"],
                "category": r["category"],
                "measure": measure,
                "mean_gap_pct": r["mean_gap_pct"],
                "women": r["women"],
                "men": r["men"],
            }
            for _, r in df.iterrows()
        ]
    return pd.DataFrame(rows, columns=["part", "category", "measure", "mean_gap_pct", "women", "men"])


def _category_where(part: str, category: str, year: int) -> sql.Fragment:
    """The staff rows of the category (alias s), for the raises after leave within it."""
    if part == "position":
        return sql.Fragment("s.position_category = $category", {"category": category})
    if part == "job_level":
        return sql.Fragment("s.job_level = $level", {"level": float(category)})
    values = job_values()
    return sql.Fragment(
        f"{job_key('s.position')} IN (SELECT job FROM ({values}) WHERE year = $vyear AND value_group = $group)",
        {**values.params, "vyear": year, "group": int(category)},
    )


def _money(v, lang: str, measure: str) -> str:
    return "–" if v is None or pd.isna(v) else numbers.number(v, lang, 2 if measure == "hourly" else 0) + " kr"


def _pct(v, lang: str) -> str:
    return "–" if v is None or pd.isna(v) else numbers.pct_points(v, lang)


def sections(
    con, year: int, part: str, category: str, lang: str = "sv", today: dt.date | None = None
) -> list[tuple[str, str, pd.DataFrame | None]]:
    """The document's sections, each (heading, text, table in the language or None)."""
    today = today or dt.date.today()
    word = lambda k: _t(k, lang)  # noqa: E731
    people, pay = [], []
    for measure in MEASURES:
        df = registry.compute(con, "pay_transparency", Filters(year=year, pay=measure), exact=True)
        row = df[(df["part"] == part) & (df["category"] == category)]
        if row.empty:
            continue
        r = row.iloc[0]
        w, m = int(r["women"]), int(r["men"])
        name = catalogue.word("pay", "pay_measure", measure, lang)
        people.append(
            {
                word("a10_col_measure"): name,
                catalogue.text("charts", "women", lang): w,
                catalogue.text("charts", "men", lang): m,
                word("a10_col_share_women"): numbers.percent(w / (w + m), lang, 1) if w + m else "–",
                word("a10_col_share_men"): numbers.percent(m / (w + m), lang, 1) if w + m else "–",
            }
        )
        for label, stem, gap in (
            ("a10_pay", "mean", "mean_gap_pct"),
            ("a10_basic", "basic_mean", "basic_gap_pct"),
            ("a10_complementary", "complementary_mean", "complementary_gap_pct"),
        ):
            if measure == "monthly" and stem != "mean":
                continue
            pay.append(
                {
                    word("a10_col_measure"): name,
                    word("a10_col_what"): word(label),
                    catalogue.text("charts", "women", lang): _money(r[f"{stem}_women"], lang, measure),
                    catalogue.text("charts", "men", lang): _money(r[f"{stem}_men"], lang, measure),
                    word("a10_col_gap"): _pct(r[gap], lang),
                }
            )
    saved = records.findings(con, year)
    mine = saved[(saved["source"] == "pay_transparency") & (saved["group_key"] == group_key(part, category))]
    last = records.findings(con, year - 1)
    before = last[(last["source"] == "pay_transparency") & (last["group_key"] == group_key(part, category))]
    f = mine.iloc[0] if len(mine) else None
    gap_now = pay[0][word("a10_col_gap")] if pay else "–"
    stand = "–"
    if f is not None:
        date = lambda v: None if v is None or pd.isna(v) else pd.Timestamp(v).date()  # noqa: E731
        stand = catalogue.word(
            "plan",
            "art10_status",
            rules.art10_status(
                f["gap_pct"],
                f["art10_path"],
                date(f["art10_date"]),
                date(f["remeasured_on"]),
                f["remeasured_gap_pct"],
                today,
            ),
            lang,
        )
    reasons = pd.DataFrame(
        [
            {
                word("a10_col_explained"): "–"
                if f is None or pd.isna(f["explained"])
                else catalogue.word("vocabularies", "yes_no", str(bool(f["explained"])).lower(), lang),
                word("a10_col_reason"): "–" if f is None or pd.isna(f["reason"]) else f["reason"],
                word("a10_col_path"): "–"
                if f is None or pd.isna(f["art10_path"])
                else catalogue.word("plan", "art10_path", f["art10_path"], lang),
                word("a10_col_status"): stand,
                word("a10_col_with"): "–" if f is None or pd.isna(f["art10_with"]) else f["art10_with"],
            }
        ]
    )
    raises = []
    for scope, where in (
        (word("a10_in_category"), _category_where(part, category, year)),
        (word("a10_in_employer"), None),
    ):
        counts = assessment.raise_counts(con.cursor(), Filters(year=year), where)
        for _, r in counts.iterrows():
            share = lambda a, n: "–" if not n else numbers.percent(a / n, lang, 1)  # noqa: E731
            raises.append(
                {
                    word("a10_col_scope"): scope,
                    word("a10_col_group"): catalogue.word("pay", "leave_group", r["group"], lang),
                    catalogue.text(
                        "charts", "women", lang
                    ): f"{int(r['raised_women'])} / {int(r['women'])} ({share(r['raised_women'], r['women'])})",
                    catalogue.text(
                        "charts", "men", lang
                    ): f"{int(r['raised_men'])} / {int(r['men'])} ({share(r['raised_men'], r['men'])})",
                }
            )
    measures = pd.DataFrame(
        [
            {
                word("a10_col_action"): "–" if f is None or pd.isna(f["action"]) else f["action"],
                word("a10_col_cost"): "–"
                if f is None or pd.isna(f["action_cost_sek"])
                else numbers.number(f["action_cost_sek"], lang) + " kr",
                word("a10_col_deadline"): "–"
                if f is None or pd.isna(f["action_deadline"])
                else f"{pd.Timestamp(f['action_deadline']):%Y-%m-%d}",
                word("a10_col_responsible"): "–"
                if f is None or pd.isna(f["action_responsible"])
                else f["action_responsible"],
            }
        ]
    )
    b = before.iloc[0] if len(before) else None
    evaluation = pd.DataFrame(
        [
            {
                word("a10_col_last_action"): "–" if b is None or pd.isna(b["action"]) else b["action"],
                word("a10_col_carried_out"): "–"
                if b is None or pd.isna(b["carried_out"])
                else catalogue.word("plan", "carried_out", b["carried_out"], lang),
                word("a10_col_evaluation"): "–" if b is None or pd.isna(b["evaluation"]) else b["evaluation"],
            }
        ]
    )
    consult = records.consultations(con, year)
    consult = (
        pd.DataFrame(
            {
                word("a10_col_date"): [f"{pd.Timestamp(d):%Y-%m-%d}" for d in consult["held_on"]],
                word("a10_col_participants"): consult["participants"],
                word("a10_col_notes"): consult["notes"].fillna("–"),
            }
        )
        if len(consult)
        else None
    )
    return [
        (word("a10_people_head"), _t("a10_people", lang), pd.DataFrame(people)),
        (word("a10_pay_head"), _t("a10_pay_text", lang, gap=gap_now), pd.DataFrame(pay)),
        (word("a10_reasons_head"), _t("a10_reasons", lang), reasons),
        (word("a10_leave_head"), _t("a10_leave", lang), pd.DataFrame(raises) if raises else None),
        (word("a10_measures_head"), _t("a10_measures", lang), measures),
        (word("a10_evaluation_head"), _t("a10_evaluation", lang, year=year - 1), evaluation),
        (
            word("a10_consult_head"),
            _t("a10_consult", lang) if consult is not None else _t("a10_no_consult", lang),
            consult,
        ),
    ]


def title(part: str, category: str, year: int, lang: str) -> str:
    words = {"value_group": "value_group_n", "job_level": "job_level_n"}
    name = (
        _t(words[part], lang, n=category)
        if part in words
        else catalogue.word("vocabularies", "position", category, lang)
    )
    return _t("a10_title", lang, category=name, year=year)


def assessment_html(
    con,
    year: int,
    part: str,
    category: str,
    lang: str = "sv",
    employer: str = "",
    when: dt.datetime | None = None,
    today: dt.date | None = None,
) -> str:
    """The joint pay assessment as an HTML document that opens offline."""
    when = when or dt.datetime.now()
    parts = [(h, x, [], tb) for h, x, tb in sections(con, year, part, category, lang, today)]
    sub = _t("a10_sub", lang, employer=employer, when=f"{when:%Y-%m-%d %H:%M}")
    return report_html(title(part, category, year, lang), sub, parts, lang)


def assessment_xlsx(
    con, year: int, part: str, category: str, lang: str = "sv", employer: str = "", today: dt.date | None = None
) -> bytes:
    """The joint pay assessment as one workbook: a first sheet saying what it is, then a sheet a section."""
    about = pd.DataFrame(
        {_t("a10_col_what", lang): [title(part, category, year, lang), employer, _t("a10_exact", lang)]}
    )
    sheets = {_t("a10_about_sheet", lang): about}
    parts = sections(con, year, part, category, lang, today)
    for name, (_, text, table) in zip(export.sheet_names([h for h, _, _ in parts]), parts):
        sheets[name] = table if table is not None else pd.DataFrame({"": [text]})
    return export.to_xlsx(sheets)
