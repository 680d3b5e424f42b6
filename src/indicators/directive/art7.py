"""Art. 7 of Directive 2023/970: a worker's request for pay information, its answer and the log of requests.

A worker may ask, in writing, for their own pay level and the average pay levels, by sex, of the
workers doing the same work or work of equal value; the employer answers within two months (art. 7(4)),
in writing, and tells every worker of this right each year (art. 7(3)). Here:

* **the log** (store table pay_requests): each request with the pseudonym of the person (the raw id HR
  types is hashed as the import hashes it and never stored), the year asked about, when it was
  received and answered, and notes; the deadline is two months after receipt (`plan.rules.add_months`), and
  a request not answered is *due soon* within 14 days of it and *overdue* after it. Every change is
  written to plan_audit, as the pay survey's record is;
* **the letter** (`letter_sections`, `letter_html`): in Swedish or English, the person's pay level
  (gross annual and hourly, and the full-time monthly salary), the average pay levels of women and of
  men in their category, basic pay and complementary components apart, where a group is too small
  what that means, and the right to ask and what to do next.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import catalogue
from ..catalogue import numbers
from ..plan.rules import add_months
from ..present.document import report_html
from ..subgoals.pay import worker
from ..subgoals.pay.worker import WorkerAnswer

DEADLINE_MONTHS = 2  # art. 7(4): "within a reasonable period of time, but in any event within two months"
DUE_SOON_DAYS = 14
STATUSES = ("answered", "overdue", "due_soon", "open")


def _t(key: str, lang: str, **values) -> str:
    return catalogue.text("pay", key, lang, **values)


def _audit(con, who: str, request_id: int, action: str, before: dict | None, after: dict | None, via: str) -> None:
    """A row of plan_audit, as every change to the pay survey's record writes one."""
    audit_id = con.execute("SELECT coalesce(max(audit_id), 0) + 1 FROM plan_audit").fetchone()[0]

    def plain(row: dict | None) -> str | None:
        return None if row is None else pd.Series(row).to_json(date_format="iso", force_ascii=False)

    con.execute(
        "INSERT INTO plan_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [audit_id, dt.datetime.now(), who, "pay_requests", request_id, action, plain(before), plain(after), via],
    )


def _request(con, request_id: int) -> dict | None:
    cur = con.execute("SELECT * EXCLUDE (synthetic) FROM pay_requests WHERE request_id = ?", [request_id])
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    return None if row is None else dict(zip(names, row))


def receive(
    con,
    key: str,
    year: int,
    received_on: dt.date,
    *,
    who: str,
    via: str = "app",
    notes: str | None = None,
    synthetic: bool = False,
) -> int:
    """Log a request received (the person by pseudonym); returns its id. One transaction, audited."""
    con.begin()
    try:
        request_id = con.execute("SELECT coalesce(max(request_id), 0) + 1 FROM pay_requests").fetchone()[0]
        con.execute(
            "INSERT INTO pay_requests VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)",
            [request_id, key, year, received_on, notes, dt.datetime.now(), who, synthetic],
        )
        _audit(con, who, request_id, "insert", None, _request(con, request_id), via)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return request_id


class UnknownRequest(Exception):
    pass


def answered(con, request_id: int, on: dt.date, *, who: str, via: str = "app") -> None:
    """Mark a request answered on `on`. One transaction, audited."""
    before = _request(con, request_id)
    if before is None:
        raise UnknownRequest(f"there is no request {request_id}")
    con.begin()
    try:
        con.execute(
            "UPDATE pay_requests SET answered_on = ?, updated_at = ?, updated_by = ? WHERE request_id = ?",
            [on, dt.datetime.now(), who, request_id],
        )
        _audit(con, who, request_id, "update", before, _request(con, request_id), via)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def status(received_on: dt.date, answered_on, today: dt.date) -> tuple[str, dt.date, int]:
    """(status, deadline, days left) of a request: answered; overdue (the deadline passed unanswered);
    due_soon (at most DUE_SOON_DAYS left); open."""
    deadline = add_months(received_on, DEADLINE_MONTHS)
    left = (deadline - today).days
    if answered_on is not None and not pd.isna(answered_on):
        return "answered", deadline, left
    return ("overdue" if left < 0 else "due_soon" if left <= DUE_SOON_DAYS else "open"), deadline, left


def requests(con, year: int | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """The log: request_id, year, received_on, deadline, answered_on, status, days_left, notes (no
    person: the pseudonym stays in the store)."""
    today = today or dt.date.today()
    df = con.execute(
        """SELECT request_id, year, received_on, answered_on, notes FROM pay_requests
                        WHERE ($year IS NULL OR year = $year) ORDER BY received_on, request_id""",
        {"year": year},
    ).df()
    rows = [
        status(pd.Timestamp(r).date(), a if not pd.isna(a) else None, today)
        for r, a in zip(df["received_on"], df["answered_on"])
    ]
    df.insert(3, "deadline", [d for _, d, _ in rows])
    df["status"] = [s for s, _, _ in rows]
    df["days_left"] = [n if s != "answered" else None for s, _, n in rows]
    for c in ("received_on", "deadline", "answered_on"):
        df[c] = pd.to_datetime(df[c]).dt.date
    return df[["request_id", "year", "received_on", "deadline", "answered_on", "status", "days_left", "notes"]]


# --- the letter ---------------------------------------------------------------------------------------


def _money(v, lang: str, decimals: int = 0) -> str:
    return "–" if v is None or pd.isna(v) else f"{numbers.number(v, lang, decimals)} kr"


def category_words(ans: WorkerAnswer, lang: str) -> str:
    if ans.category_part == "value_group":
        return _t("value_group_n", lang, n=ans.category)
    if ans.category_part == "job_level":
        return _t("job_level_n", lang, n=ans.category)
    return catalogue.word("vocabularies", "position", ans.category, lang)


def letter_sections(ans: WorkerAnswer, lang: str, employer: str, today: dt.date) -> tuple[str, str, list]:
    """(title, subtitle, sections) of the answer: sections as document.report_html takes them."""
    title = _t("art7_title", lang)
    sub = _t("art7_sub", lang, employer=employer, date=f"{today:%Y-%m-%d}", year=ans.year)
    if not ans.found or ans.gender not in ("woman", "man"):
        return title, sub, [(_t("art7_not_found_head", lang), _t("art7_not_found", lang, year=ans.year), [], None)]
    hourly_dec = 2
    own = pd.DataFrame(
        {
            _t("art7_col_measure", lang): [_t("art7_annual", lang), _t("art7_hourly", lang), _t("art7_monthly", lang)],
            _t("art7_col_total", lang): [
                _money(ans.own["annual"]["pay"], lang),
                _money(ans.own["hourly"]["pay"], lang, hourly_dec),
                _money(ans.own["monthly"]["pay"], lang),
            ],
            _t("art7_col_basic", lang): [
                _money(ans.own["annual"]["basic"], lang),
                _money(ans.own["hourly"]["basic"], lang, hourly_dec),
                "–",
            ],
            _t("art7_col_complementary", lang): [
                _money(ans.own["annual"]["complementary"], lang),
                _money(ans.own["hourly"]["complementary"], lang, hourly_dec),
                "–",
            ],
        }
    )
    rows = []
    for measure, label in (("annual", "art7_annual"), ("hourly", "art7_hourly"), ("monthly", "art7_monthly")):
        for gender in ("women", "men"):
            g = ans.groups.get(measure, {}).get(gender)
            if g is None:
                continue
            dec = hourly_dec if measure == "hourly" else 0
            withheld = _t("art7_withheld_cell", lang)
            rows.append(
                {
                    _t("art7_col_measure", lang): _t(label, lang),
                    _t("art7_col_group", lang): catalogue.text("charts", gender, lang),
                    _t("art7_col_people", lang): str(g.people),
                    _t("art7_col_total", lang): withheld if g.withheld else _money(g.mean, lang, dec),
                    _t("art7_col_basic", lang): withheld
                    if g.withheld
                    else ("–" if measure == "monthly" else _money(g.basic, lang, dec)),
                    _t("art7_col_complementary", lang): withheld
                    if g.withheld
                    else ("–" if measure == "monthly" else _money(g.complementary, lang, dec)),
                }
            )
    averages = pd.DataFrame(rows)
    sections = [
        (
            _t("art7_own_head", lang),
            _t("art7_own", lang, year=ans.year) + ("" if ans.components else " " + _t("art7_no_components", lang)),
            [],
            own,
        ),
        (
            _t("art7_avg_head", lang),
            _t("art7_avg", lang, category=category_words(ans, lang), year=ans.year),
            [],
            averages,
        ),
    ]
    if ans.withheld:
        sections.append((_t("art7_small_head", lang), _t("art7_small", lang, n=worker.min_others()), [], None))
    sections.append((_t("art7_rights_head", lang), _t("art7_rights", lang), [], None))
    return title, sub, sections


def letter_html(ans: WorkerAnswer, lang: str, employer: str, today: dt.date | None = None) -> str:
    """The answer as an HTML document that opens offline (and prints), in Swedish or English."""
    return report_html(*letter_sections(ans, lang, employer, today or dt.date.today()), lang)
