"""The plan's files: the template a unit's equality group fills in, a unit's plan in the template's
form, and the written pay survey as a workbook (to complete and import again) and as an offline HTML
document (to hand in).

One writer for every workbook (`workbook`): the template's sheets with their headers (the columns'
Swedish labels, columns.toml; the English in each header's note), drop-down lists from a hidden
sheet, and read-only sheets after them that the import ignores. The record's parts are written as
the page shows them (columns.shown).
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..catalogue import text, vocabulary, word
from ..present import columns
from ..present.document import report_html
from .fields import SHEETS, Field, choices
from .links import share_like
from .records import measures
from .rules import empty
from .survey import PayRecord, pay_survey, readable

# The template's drop-down lists: column -> the words offered (the Swedish of each vocabulary).
LISTS = ("status", "source", "explained", "art10_path", "carried_out", "subgoal", "indicator", "goal_area")


def _list_words(name: str) -> list:
    if name == "subgoal":
        return [1, 2, 3, 4, 5, 6]
    if name == "goal_area":  # suggestions: a unit's own goal areas are allowed too
        return [sv for sv, _ in vocabulary("plan", "goal_area").values()]
    return [words[0] for words in choices(name).values()]


def _value_for_cell(f: Field, v):
    if empty(v):
        return None
    if f.vocab:
        return f.choices[v][0] if v in f.choices else v
    if isinstance(v, pd.Timestamp):
        return v.date()
    if hasattr(v, "item"):
        return v.item()
    return v


def _share_as_percent(rows: pd.DataFrame) -> pd.DataFrame:
    """Share targets are written as percent (35, not 0.35): that is how a JML group writes them."""
    rows = rows.copy()
    if "target_value" in rows and "indicator" in rows:
        share = rows["indicator"].map(share_like)
        rows.loc[share, "target_value"] = rows.loc[share, "target_value"].astype(float) * 100
    return rows


def workbook(
    sheets: dict[str, pd.DataFrame | None], extra: dict[str, pd.DataFrame] | None = None, title: str | None = None
) -> bytes:
    """An xlsx with the plan sheets (key -> rows; None or empty: headers only), Swedish headers with the
    English one as a cell note, drop-down lists (from a hidden sheet), then `extra` sheets
    (read-only parts of a record, which the import ignores)."""
    wb = Workbook()
    info = wb.active
    info.title = word("plan", "sheet", "about", "sv")
    lists = wb.create_sheet(word("plan", "sheet", "lists", "sv"))
    ranges = {}
    for c, name in enumerate(LISTS, start=1):
        words = _list_words(name)
        lists.cell(row=1, column=c, value=name)
        for r, w in enumerate(words, start=2):
            lists.cell(row=r, column=c, value=w)
        letter = get_column_letter(c)
        ranges[name] = f"{lists.title}!${letter}$2:${letter}${len(words) + 1}"
    lists.sheet_state = "hidden"
    for spec in SHEETS:
        if spec.key not in sheets:
            continue
        ws = wb.create_sheet(spec.title("sv"))
        for i, f in enumerate(spec.fields, start=1):
            header = spec.header(f, "sv")
            cell = ws.cell(row=1, column=i, value=header)
            cell.font = Font(bold=True)
            note = text("plan", "header_note", "sv", en=spec.header(f, "en"))
            cell.comment = Comment(note + (text("plan", "header_required", "sv") if f.required else ""), "Balans")
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = max(f.width, len(header) + 2)
            source = ranges.get(f.name)
            if source:
                dv = DataValidation(type="list", formula1=source, allow_blank=not f.required)
                if f.name == "goal_area":  # suggestions: a unit's own goal areas are allowed too
                    dv.showErrorMessage = False
                else:
                    dv.error = text("plan", "choose_from_list", "sv")
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}2000")
        rows = sheets.get(spec.key)
        if rows is not None and not rows.empty:
            rows = _share_as_percent(rows)
            for r, (_, values) in enumerate(rows.iterrows(), start=2):
                for c, f in enumerate(spec.fields, start=1):
                    ws.cell(row=r, column=c, value=_value_for_cell(f, values.get(f.name)))
        ws.freeze_panes = "A2"
    for name, df in (extra or {}).items():
        ws = wb.create_sheet(name[:31])
        for c, col in enumerate(df.columns, start=1):
            ws.cell(row=1, column=c, value=str(col)).font = Font(bold=True)
            ws.column_dimensions[get_column_letter(c)].width = max(12, min(50, len(str(col)) + 4))
        for r, (_, values) in enumerate(df.iterrows(), start=2):
            for c, v in enumerate(values, start=1):
                ws.cell(row=r, column=c, value=None if empty(v) else (v.item() if hasattr(v, "item") else v))
    info.cell(row=1, column=1, value=title or text("plan", "workbook_title", "sv")).font = Font(bold=True, size=14)
    for r, line in enumerate(text("plan", "template_help", "sv").splitlines(), start=3):
        info.cell(row=r, column=1, value=line)
    info.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_bytes() -> bytes:
    """The empty template a JML group fills in (every sheet, headers and drop-down lists)."""
    return workbook({s.key: None for s in SHEETS})


def plan_xlsx(con, unit: str, year: int) -> bytes:
    """The unit's plan for the year in the template's form: edit it and import it again."""
    return workbook(
        {"measures": measures(con, unit, year)}, title=text("plan", "plan_workbook_title", "sv", unit=unit, year=year)
    )


def record_tables(con, year: int, lang: str = "sv", today: dt.date | None = None) -> tuple[PayRecord, dict]:
    """The record and its parts as the page shows them, each named by its heading."""
    record = pay_survey(con, year, today)
    return record, {
        text("plan", f"part_{k}", lang)[:31]: columns.shown(readable(v, lang), f"pay_survey.{k}", lang)
        for k, v in record.sheets().items()
    }


def pay_survey_xlsx(con, year: int, lang: str = "sv", today: dt.date | None = None) -> bytes:
    """The written pay survey for the year as one workbook: the parts to fill in (last year's actions,
    the differences with their analysis, the consultation) in the template's form, so that the file can
    be completed and imported again; then the art. 10 overview and every part as it reads."""
    record, shown = record_tables(con, year, lang, today)
    diffs = record.differences.assign(year=year)
    last = record.last_year.assign(year=year - 1)
    return workbook(
        {"evaluation": last, "findings": diffs, "consultations": record.consultations},
        extra=shown,
        title=text("plan", "record_title", lang, year=year),
    )


def pay_survey_html(
    con,
    year: int,
    lang: str = "sv",
    when: dt.datetime | None = None,
    today: dt.date | None = None,
    synthetic_note: str | None = None,
) -> str:
    """The same record as an HTML document that opens offline (document.report_html, no chart)."""
    record = pay_survey(con, year, today)
    sections = []
    for key, df in record.sheets().items():
        hidden = key == "differences" and bool(df["hidden"].fillna(False).astype(bool).any())
        note = text("plan", "none", lang) if df.empty else text("plan", "hidden_note", lang) if hidden else ""
        sections.append(
            (
                text("plan", f"part_{key}", lang),
                note,
                None,
                None if df.empty else columns.shown(readable(df, lang), f"pay_survey.{key}", lang),
            )
        )
    when = when or dt.datetime.now()
    sub = (
        text("plan", "record_intro", lang)
        + f" · {when:%Y-%m-%d %H:%M}"
        + (f" · {synthetic_note}" if synthetic_note else "")
    )
    return report_html(text("plan", "record_title", lang, year=year), sub, sections, lang)
