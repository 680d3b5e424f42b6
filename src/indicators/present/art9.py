"""The art. 9 report of Directive (EU) 2023/970 as files: the Pay page's workbook of the table it shows,
and HR's official report, whole and exact.

**The official report** (`official`; docs/pay-transparency.md, "The art. 9 report") is HR's, in exact
figures, for the employer's whole organisation (or a unit) and one reference year, in three measures of
pay: gross annual pay and gross hourly pay (the directive's pay levels, art. 3(1)(e)) and the full-time
monthly salary (the Swedish pay survey's). It is two files, each saying which it is:

* **public**, (a)-(f): the mean and median gaps, the gaps in complementary or variable components
  among those receiving them, the shares receiving them, and the quartile bands, for the monitoring
  body and for publication (art. 9(1)(a)-(f), 9(6)-(7));
* **internal**, (g): the gap by category of workers, basic pay and complementary components apart,
  with each category at 5 % or more flagged for its art. 10 path, for the workers' representatives and,
  on request, the labour inspectorate (art. 9(1)(g), 9(9)).

Each is written as xlsx and HTML in the page's language and as a versioned machine-readable file: JSON
(`to_json`) and CSV (`to_csv`, the same fields one a row), format FORMAT version FORMAT_VERSION,
modelled on what Egapro (SocialGouv/egapro, `packages/api/egapro/schema/raw.yml`) stores per indicator:
the result, the favoured population, the counts behind it, why it could not be computed
(`not_computable`, Egapro's `non_calculable`), and per category its values; with the data-quality flags
and their confidence index (subgoals/pay/quality.py) before anyone signs. The field list is in
docs/pay-transparency.md, "The machine-readable report".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import catalogue, settings
from ..catalogue import numbers
from ..protect.registry import Filters, compute
from ..store import database
from ..subgoals.pay import quality
from ..subgoals.pay.transparency import CATEGORY_PARTS
from . import columns, export
from .document import report_html

FORMAT = "balans.eu-2023-970.art9"
FORMAT_VERSION = "1.0"
MEASURES = ("annual", "hourly", "monthly")
PUBLIC_PARTS = ("overall", "variable_pay", "quartile")
FILES = ("public", "internal")
TABLE = "pay_transparency"


def _t(key: str, lang: str, **values) -> str:
    return catalogue.text("pay", key, lang, **values)


# --- the Pay page's download ------------------------------------------------------------------------


def pay_transparency_xlsx(con, filters: Filters, lang: str = "sv") -> bytes:
    """The art. 9 table as the page shows it (protected, or exact when `filters.exact`), as a workbook in
    the page's language: a first sheet saying what it is and how its figures were made, then a sheet a
    part, each with the declared columns (numbers as numbers)."""
    df = compute(con, TABLE, filters)
    year = df["year"].iloc[0] if not df.empty else filters.year
    measure = catalogue.word("pay", "pay_measure", filters.pay, lang)
    about = pd.DataFrame(
        {
            _t("art9_about_item", lang): [
                _t("art9_report", lang),
                _t("art9_unit", lang),
                _t("art9_year", lang),
                _t("art9_measure", lang),
                _t("art9_figures", lang),
                _t("art9_gap", lang),
                _t("art9_flag", lang),
            ],
            _t("art9_about_value", lang): [
                catalogue.text("app", "art9_report_what", lang),
                filters.unit,
                str(year),
                measure,
                catalogue.text("app", "exact_banner", lang)
                if filters.exact
                else catalogue.text("app", "protected_note", lang),
                _t("art9_gap_text", lang),
                _t("art9_flag_text", lang, pct=_threshold_pct()),
            ],
        }
    )
    names = database.unit_names(con, lang)
    sheets = [(_t("art9_about_sheet", lang), about, None)]
    for part in ("overall", "variable_pay", "quartile", *CATEGORY_PARTS):
        rows = df[df["part"] == part]
        if not rows.empty:
            sheets.append(
                (columns.word(columns.declared(TABLE, "part"), part, lang), rows.reset_index(drop=True), TABLE)
            )
    return export.workbook(sheets, lang, 5, names)


def _threshold_pct() -> str:
    return f"{float(settings.goals()['pay']['pay_transparency_threshold']) * 100:g}"


# --- the official report ----------------------------------------------------------------------------


@dataclass
class Official:
    """The exact art. 9 tables of one year, a measure each, with the data-quality flags."""

    year: int
    unit: str
    employer: str
    generated: dt.datetime
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    quality: pd.DataFrame = field(default_factory=pd.DataFrame)
    confidence: float | None = None


def official(
    con, year: int, unit: str = database.ALL_UNITS, employer: str = "", when: dt.datetime | None = None
) -> Official:
    """HR's report for `year`: pay_transparency in exact figures for each measure, and the quality flags."""
    tables = {m: compute(con, TABLE, Filters(unit=unit, year=year, pay=m), exact=True) for m in MEASURES}
    cur = con.cursor()
    try:
        flags = quality.flags(cur, year, unit)
    finally:
        cur.close()
    return Official(year, unit, employer or unit, when or dt.datetime.now(), tables, flags, quality.confidence(flags))


def _num(v):
    """A JSON number (None for a missing one), floats to 10 decimals (no float noise)."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, (bool,)) or type(v).__name__ == "bool_":
        return bool(v)
    f = float(v)
    return int(f) if f.is_integer() and abs(f) < 2**53 else round(f, 10)


def _favoured(gap) -> str | None:
    """Egapro's population_favorable: who is paid more (the gap's sign), or equal."""
    g = _num(gap)
    return None if g is None else "men" if g > 0 else "women" if g < 0 else "equal"


def _not_computable(row: pd.Series | None, measure: str, what: str) -> str | None:
    """Why a figure is missing (Egapro's non_calculable), as a code docs/pay-transparency.md lists."""
    if row is None:
        return "no_pay_in_measure" if measure != "monthly" else "no_salaries"
    note = row.get("note")
    if isinstance(note, str) and note:
        return note
    if what == "variable" and (not _num(row.get("receivers_women")) or not _num(row.get("receivers_men"))):
        return "no_receivers_of_one_gender"
    if not _num(row.get("women")) or not _num(row.get("men")):
        return "no_women_or_no_men"
    return None


def _gap_result(row: pd.Series | None, measure: str, women: str, men: str, gap: str, what: str = "pay") -> dict:
    reason = _not_computable(row, measure, what)
    if row is None:
        return {"result_pct": None, "favoured": None, "women": None, "men": None, "not_computable": reason}
    result = _num(row.get(gap))
    return {
        "result_pct": result,
        "favoured": _favoured(result),
        "women": _num(row.get(women)),
        "men": _num(row.get(men)),
        "not_computable": None if result is not None else reason,
    }


def _public(o: Official, measure: str) -> dict:
    df = o.tables[measure]
    one = lambda part: df[df["part"] == part].iloc[0] if (df["part"] == part).any() else None  # noqa: E731
    overall, variable = one("overall"), one("variable_pay")
    bands = df[df["part"] == "quartile"]
    receiving = _gap_result(
        variable, measure, "share_receiving_women", "share_receiving_men", "share_receiving_women", "variable"
    )
    receiving = {
        "women_pct": None if variable is None else _pct100(variable.get("share_receiving_women")),
        "men_pct": None if variable is None else _pct100(variable.get("share_receiving_men")),
        "receivers_women": None if variable is None else _num(variable.get("receivers_women")),
        "receivers_men": None if variable is None else _num(variable.get("receivers_men")),
        "women": None if variable is None else _num(variable.get("women")),
        "men": None if variable is None else _num(variable.get("men")),
        "not_computable": None
        if variable is not None and _num(variable.get("share_receiving_women")) is not None
        else receiving["not_computable"] or _not_computable(variable, measure, "pay"),
    }
    return {
        "people": {
            "women": None if overall is None else _num(overall["women"]),
            "men": None if overall is None else _num(overall["men"]),
        },
        "a_mean_gap": _gap_result(overall, measure, "mean_women", "mean_men", "mean_gap_pct"),
        "b_mean_gap_complementary": _gap_result(
            variable, measure, "variable_mean_women", "variable_mean_men", "variable_mean_gap_pct", "variable"
        ),
        "c_median_gap": _gap_result(overall, measure, "median_women", "median_men", "median_gap_pct"),
        "d_median_gap_complementary": _gap_result(
            variable, measure, "variable_median_women", "variable_median_men", "variable_median_gap_pct", "variable"
        ),
        "e_share_receiving_complementary": receiving,
        "f_quartile_bands": [
            {
                "band": int(b["category"]),
                "women": _num(b["women"]),
                "men": _num(b["men"]),
                "women_pct": _pct100(b["share_women"]),
                "men_pct": None if _num(b["share_women"]) is None else round(100 - _pct100(b["share_women"]), 10),
            }
            for _, b in bands.iterrows()
        ],
    }


def _pct100(share):
    s = _num(share)
    return None if s is None else round(s * 100, 10)


def _internal(o: Official, measure: str) -> dict:
    df = o.tables[measure]
    cats = df[df["part"].isin(CATEGORY_PARTS)]
    return {
        "g_categories": [
            {
                "part": c["part"],
                "category": c["category"],
                "women": _num(c["women"]),
                "men": _num(c["men"]),
                "mean_gap_pct": _num(c["mean_gap_pct"]),
                "median_gap_pct": _num(c["median_gap_pct"]),
                "favoured": _favoured(c["mean_gap_pct"]),
                "pay": {
                    "mean_women": _num(c["mean_women"]),
                    "mean_men": _num(c["mean_men"]),
                    "median_women": _num(c["median_women"]),
                    "median_men": _num(c["median_men"]),
                },
                "basic": {
                    "mean_women": _num(c["basic_mean_women"]),
                    "mean_men": _num(c["basic_mean_men"]),
                    "gap_pct": _num(c["basic_gap_pct"]),
                },
                "complementary": {
                    "mean_women": _num(c["complementary_mean_women"]),
                    "mean_men": _num(c["complementary_mean_men"]),
                    "gap_pct": _num(c["complementary_gap_pct"]),
                },
                "art10_flag": bool(_num(c["flag"])) if _num(c["flag"]) is not None else None,
            }
            for _, c in cats.iterrows()
        ]
    }


def to_json(o: Official, file: str) -> dict:
    """The machine-readable report (FORMAT, FORMAT_VERSION): `file` "public" ((a)-(f)) or "internal" ((g))."""
    parts = _public if file == "public" else _internal
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "file": file,
        "file_description": {lang: _t(f"art9_file_{file}", lang) for lang in ("sv", "en")},
        "directive": "Directive (EU) 2023/970, article 9(1)" + ("(a)-(f)" if file == "public" else "(g)"),
        "reference_year": o.year,
        "employer": {"unit": o.unit, "name": o.employer},
        "generated_at": o.generated.isoformat(timespec="seconds"),
        "figures": "exact",
        "art10_threshold_pct": float(_threshold_pct()),
        "measures": {
            m: {"name": {lang: catalogue.word("pay", "pay_measure", m, lang) for lang in ("sv", "en")}, **parts(o, m)}
            for m in MEASURES
        },
        "quality": {
            "confidence_index": None if o.confidence is None else round(o.confidence, 4),
            "people": int(o.quality.attrs.get("people", 0)),
            "flags": [{"code": r["flag"], "people": int(r["people"])} for _, r in o.quality.iterrows()],
        },
    }


def _leaves(prefix: list[str], value) -> list[tuple[str, object]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(prefix + [str(k)], v)]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value, start=1) for leaf in _leaves(prefix + [str(i)], v)]
    return [(".".join(prefix), value)]


CSV_FIELDS = ("format", "format_version", "file", "reference_year", "unit", "measure", "field", "value")


def to_csv(o: Official, file: str) -> bytes:
    """The same report one value a row: format, format_version, file, reference_year, unit, measure
    (empty for the report's own fields), field (the JSON path under the measure, dot-separated; list
    items numbered from 1), value. UTF-8 with a byte-order mark, CRLF, as every CSV of Balans."""
    doc = to_json(o, file)
    rows = [list(CSV_FIELDS)]
    base = [doc["format"], doc["format_version"], file, str(o.year), o.unit]
    for measure, body in doc["measures"].items():
        for path, value in _leaves([], body):
            rows.append([*base, measure, path, "" if value is None else _csv_value(value)])
    for path, value in _leaves(["quality"], doc["quality"]):
        rows.append([*base, "", path, "" if value is None else _csv_value(value)])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return export._safe(str(v)) if isinstance(v, str) else str(v)


def _rows(o: Official, file: str, measure: str) -> pd.DataFrame:
    df = o.tables[measure]
    keep = df["part"].isin(PUBLIC_PARTS if file == "public" else CATEGORY_PARTS)
    return df[keep].reset_index(drop=True)


def _about(o: Official, file: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _t("art9_about_item", lang): [
                _t("art9_report", lang),
                _t("art9_which_file", lang),
                _t("art9_unit", lang),
                _t("art9_year", lang),
                _t("art9_figures", lang),
                _t("art9_gap", lang),
                _t("art9_flag", lang),
                _t("art9_confidence", lang),
                _t("art9_format", lang),
            ],
            _t("art9_about_value", lang): [
                catalogue.text("app", "art9_report_what", lang),
                _t(f"art9_file_{file}", lang),
                o.employer,
                str(o.year),
                catalogue.text("app", "exact_banner", lang),
                _t("art9_gap_text", lang),
                _t("art9_flag_text", lang, pct=_threshold_pct()),
                "–" if o.confidence is None else numbers.percent(o.confidence, lang, 1),
                f"{FORMAT} {FORMAT_VERSION}",
            ],
        }
    )


def _quality_table(o: Official, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _t("art9_flag_col", lang): [catalogue.word("pay", "quality", f, lang) for f in o.quality["flag"]],
            _t("art9_people_col", lang): [int(p) for p in o.quality["people"]],
        }
    )


def to_xlsx(o: Official, file: str, lang: str) -> bytes:
    """The report as a workbook in `lang`: what it is, a sheet per measure of pay, the quality flags."""
    sheets = [(_t("art9_about_sheet", lang), _about(o, file, lang), None)]
    for m in MEASURES:
        sheets.append((catalogue.word("pay", "pay_measure", m, lang), _rows(o, file, m), TABLE))
    sheets.append((_t("art9_quality_head", lang), _quality_table(o, lang), None))
    return export.workbook(sheets, lang, 5)


def to_html(o: Official, file: str, lang: str) -> str:
    """The report as an offline HTML document in `lang`."""
    sections = [(_t("art9_which_file", lang), _t(f"art9_file_{file}", lang), [], None)]
    for m in MEASURES:
        rows = _rows(o, file, m)
        sections.append(
            (
                catalogue.word("pay", "pay_measure", m, lang).capitalize(),
                "",
                [],
                columns.shown(rows, TABLE, lang) if not rows.empty else None,
            )
        )
    sections.append(
        (
            _t("art9_quality_head", lang),
            _t(
                "art9_quality_text",
                lang,
                confidence="–" if o.confidence is None else numbers.percent(o.confidence, lang, 1),
            ),
            [],
            _quality_table(o, lang),
        )
    )
    title = _t(f"art9_title_{file}", lang, year=o.year)
    sub = f"{o.employer} · {catalogue.text('app', 'exact_banner', lang)} · {o.generated:%Y-%m-%d %H:%M} · {FORMAT} {FORMAT_VERSION}"
    return report_html(title, sub, sections, lang)


def write(o: Official, file: str, path, lang: str = "sv") -> None:
    """The report to `path`, its form by the suffix: .xlsx, .html, .json or .csv."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        path.write_bytes(to_xlsx(o, file, lang))
    elif suffix == ".html":
        path.write_text(to_html(o, file, lang), encoding="utf-8")
    elif suffix == ".json":
        path.write_text(json.dumps(to_json(o, file), ensure_ascii=False, indent=2), encoding="utf-8")
    elif suffix == ".csv":
        path.write_bytes(to_csv(o, file))
    else:
        raise ValueError(suffix)
