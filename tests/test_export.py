"""Exports: the bytes a user opens in Excel."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from indicators.present import export


def table():
    return pd.DataFrame(
        {
            "unit": ['=HYPERLINK("x")', "+46", "-SUM(A1)", "@cmd", "\tTab", "\rCR", "Avd Ö"],
            "gap_pct": [-3.2, 1.5, 0.0, 2.25, -0.5, 10.0, 4.0],
            "women": [5, 6, 7, 8, 9, 10, 11],
        }
    )


def test_csv_has_a_bom_and_neutralises_formulas_but_not_numbers():
    data = export.to_csv(table())
    assert data.startswith("\ufeff".encode("utf-8"))
    text = data.decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), keep_default_na=False, engine="python")
    assert back["unit"].tolist()[:5] == ['\'=HYPERLINK("x")', "'+46", "'-SUM(A1)", "'@cmd", "'\tTab"]
    assert '"\'\rCR"' in text  # quoted, and neutralised
    assert back["gap_pct"].tolist()[0] == -3.2  # a negative gap stays a number


def test_swedish_csv_uses_semicolons_and_decimal_commas():
    text = export.to_csv(table(), swedish=True).decode("utf-8-sig")
    assert text.splitlines()[0] == "unit;gap_pct;women"
    assert "-3,2;5" in text


def test_xlsx_cells_are_text_not_formulas_and_numbers_numbers():
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx({"pay": table()})))
    ws = wb["pay"]
    assert ws["A2"].value == '\'=HYPERLINK("x")' and ws["A2"].data_type == "s"
    assert ws["B2"].value == -3.2 and ws["B2"].data_type == "n"


def test_hidden_cells_export_as_empty():
    df = pd.DataFrame({"women": pd.array([None, 7], dtype="Int64"), "suppressed": [True, False]})
    text = export.to_csv(df).decode("utf-8-sig")
    assert text.splitlines()[1] == ",True"


def test_sheet_names_are_what_excel_accepts():
    long = "Andel kvinnor per underenhet och befattning"  # 43 characters
    assert export.sheet_names(["Lön: median/medel [kr]", long, long.upper(), "", "*?"]) == [
        "Lön median medel kr",  # []:*?/\ are not allowed; runs of spaces close up
        "Andel kvinnor per underenhet oc",  # 31 characters
        "ANDEL KVINNOR PER UNDERENHE (2)",  # Excel compares names regardless of case: the first 27 + " (2)"
        "table",
        "table (2)",
    ]
    assert all(len(n) <= 31 for n in export.sheet_names([long] * 12))
