"""Reading and validating files: real xlsx, xls, ods and csv files written here and read back."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from indicators.store import check
from indicators.store.check import check_file
from indicators.store.readings import split_personnummer
from indicators.store.schema import norm_header

HEAD = ["year", "person_id", "unit", "position", "gender", "fte", "monthly_salary"]
GOOD = [2024, "E1", "U1", "Professor", "K", 1.0, 60000]


def xlsx(path, rows, sheet="staff", start_row=1):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=start_row):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)
    wb.save(path)
    return path


def errors(checked):
    return [(p.row, p.column, p.message) for p in checked.errors]


def one_error(checked):
    errs = errors(checked)
    assert len(errs) == 1, errs
    return errs[0]


# --- headers and values --------------------------------------------------------------------------


def test_swedish_headers_any_case_and_spacing(tmp_path):
    path = xlsx(
        tmp_path / "s.xlsx",
        [["ÅR", "Anställningsnummer", " Enhet ", "Befattning", "kön", "Sysselsättningsgrad", "Månadslön"], GOOD],
    )
    c = check_file(path)
    assert c.ok, errors(c)
    assert list(c.sheets[0].frame.columns[1:8]) == HEAD


def test_headers_without_accents_are_still_understood():
    assert norm_header("  Kön_ ") == "kön"
    from indicators.store.schema import STAFF, header_lookup

    assert header_lookup(STAFF)["kon"] == "gender"
    assert header_lookup(STAFF)["sysselsattningsgrad"] == "fte"


@pytest.mark.parametrize(
    "code,expected",
    [
        ("K", "woman"),
        ("kvinna", "woman"),
        ("F", "woman"),
        ("Female", "woman"),
        ("W", "woman"),
        ("kvinnor", "woman"),
        ("M", "man"),
        ("män", "man"),
        ("male", "man"),
        ("MEN", "man"),
        ("X", "other"),
        ("icke-binär", "other"),
        ("okänt", "other"),
    ],
)
def test_gender_codes(tmp_path, code, expected):
    path = xlsx(tmp_path / "g.xlsx", [HEAD, [2024, "E1", "U1", "Professor", code, 1, 60000]])
    c = check_file(path)
    assert c.ok
    assert c.sheets[0].frame["gender"][0] == expected


def test_fte_as_fraction_or_percent_and_decimal_commas(tmp_path):
    # One column in percent (values over 1 tell), another file in fractions with a decimal comma.
    pct = xlsx(
        tmp_path / "p.xlsx",
        [
            HEAD,
            [2024, "E1", "U1", "Professor", "K", 80, 60000],
            [2024, "E2", "U1", "Professor", "K", "50 %", "45 500,50 kr"],
        ],
    )
    frac = xlsx(tmp_path / "f.xlsx", [HEAD, [2024, "E1", "U1", "Professor", "K", "0,75", "61 000"]])
    a, b = check_file(pct), check_file(frac)
    assert a.ok and b.ok, (errors(a), errors(b))
    assert a.sheets[0].frame["fte"].tolist() == [0.8, 0.5]
    assert a.sheets[0].frame["monthly_salary"].tolist() == [60000, 45500.5]
    assert b.sheets[0].frame["fte"].tolist() == [0.75]
    assert b.sheets[0].frame["monthly_salary"].tolist() == [61000]


def test_personnummer_gives_birth_year_and_legal_gender():
    ids = pd.Series(["850709-9805", "19850709-9813", "E123", "121212+1212"])
    out = split_personnummer(ids, pd.Series([2024, 2024, 2024, 2024]))
    # 9th digit (second to last): 0 even -> woman, 1 odd -> man; '+' means a hundred years or more.
    assert out["is_pnr"].tolist() == [True, True, False, True]
    assert out["birth_year"].tolist()[:2] == [1985, 1985]
    assert out["birth_year"].tolist()[3] == 1912
    assert out["gender"].tolist()[:2] == ["woman", "man"]
    assert out["key"][0] == "8507099805"


def test_ids_without_a_personnummer_give_the_same_frame_the_long_way_does():
    # No id of the personnummer's shape takes a short cut (readings.split_personnummer); the frame is
    # the one the full working gives when one id is shaped, on the other rows: not a personnummer,
    # nothing derived, the same dtypes.
    ids = pd.Series(["E123", "", "x 2"], index=[4, 6, 8], dtype="str")
    years = pd.Series([2024, None, 2024], index=ids.index, dtype="Int64")
    short = split_personnummer(ids, years)
    long = split_personnummer(pd.concat([ids, pd.Series(["850709-9805"], index=[9])]), years.reindex([4, 6, 8, 9]))
    pd.testing.assert_frame_equal(short, long.loc[[4, 6, 8]])
    assert not short["is_pnr"].any() and short[["birth_year", "gender", "key"]].isna().all().all()


def test_personnummer_fills_missing_gender_column(tmp_path):
    path = xlsx(
        tmp_path / "p.xlsx", [["år", "personnummer", "enhet", "befattning"], [2024, "19850709-9805", "U1", "Lektor"]]
    )
    c = check_file(path)
    assert c.ok, errors(c)
    row = c.sheets[0].frame.iloc[0]
    assert (row["gender"], row["birth_year"], row["position_category"]) == ("woman", 1985, "associate_professor")


def test_name_column_is_dropped_with_a_warning(tmp_path):
    path = xlsx(tmp_path / "n.xlsx", [HEAD + ["Namn"], GOOD + ["Anna Andersson"]])
    c = check_file(path)
    assert c.ok
    assert "Namn" not in c.sheets[0].frame and "namn" not in c.sheets[0].frame
    assert any("names is never stored" in p.message for p in c.warnings)


def test_headers_on_the_third_row_keep_spreadsheet_row_numbers(tmp_path):
    bad = [2024, "E2", "U1", "Professor", "K", 1, "lots"]
    path = xlsx(tmp_path / "h.xlsx", [HEAD, GOOD, bad], start_row=3)
    # header on row 3, GOOD on row 4, bad on row 5
    assert one_error(check_file(path))[:2] == (5, "monthly_salary")


# --- one bad file per validation rule ----------------------------------------------------------


def test_missing_required_column(tmp_path):
    path = xlsx(tmp_path / "m.xlsx", [["year", "person_id", "unit", "gender"], [2024, "E1", "U1", "K"]])
    row, column, message = one_error(check_file(path))
    assert (row, column) == (None, "position") and "missing" in message


def test_empty_required_value(tmp_path):
    path = xlsx(tmp_path / "e.xlsx", [HEAD, GOOD, [2024, "E2", None, "Professor", "M", 1, 50000]])
    assert one_error(check_file(path))[:2] == (3, "unit")


def test_empty_gender_is_an_error(tmp_path):
    path = xlsx(tmp_path / "e.xlsx", [HEAD, GOOD, [2024, "E2", "U1", "Professor", None, 1, 50000]])
    assert one_error(check_file(path))[:2] == (3, "gender")


@pytest.mark.parametrize("salary", ["lots", -5000, 5_000_000, 12])
def test_bad_salary(tmp_path, salary):
    path = xlsx(tmp_path / "s.xlsx", [HEAD, GOOD, [2024, "E2", "U1", "Professor", "M", 1, salary]])
    row, column, message = one_error(check_file(path))
    assert (row, column) == (3, "monthly_salary") and "salary" in message


@pytest.mark.parametrize("fte", ["150 %", 150, -1, 0])
def test_fte_out_of_range(tmp_path, fte):
    path = xlsx(tmp_path / "f.xlsx", [HEAD, GOOD, [2024, "E2", "U1", "Professor", "M", fte, 50000]])
    row, column, message = one_error(check_file(path))
    assert (row, column) == (3, "fte") and "FTE" in message


@pytest.mark.parametrize("year", [1899, 2099, "2024a"])
def test_year_out_of_range(tmp_path, year):
    path = xlsx(tmp_path / "y.xlsx", [HEAD, [year, "E2", "U1", "Professor", "M", 1, 50000]])
    assert one_error(check_file(path))[:2] == (2, "year")


def test_date_where_a_year_belongs(tmp_path):
    path = xlsx(tmp_path / "d.xlsx", [HEAD, [dt.datetime(2024, 12, 31), "E2", "U1", "Professor", "M", 1, 50000]])
    row, column, message = one_error(check_file(path))
    assert (row, column) == (2, "year") and "date" in message


def test_same_person_twice_in_one_year(tmp_path):
    path = xlsx(tmp_path / "d.xlsx", [HEAD, GOOD, [2024, "E9", "U1", "Lektor", "M", 1, 50000], GOOD])
    row, column, message = one_error(check_file(path))
    assert (row, column) == (4, "person_id") and "rows 2, 4" in message


def test_unit_with_two_parents(tmp_path):
    head = HEAD + ["parent_unit"]
    path = xlsx(tmp_path / "p.xlsx", [head, GOOD + ["S1"], [2024, "E2", "U1", "Lektor", "M", 1, 50000, "S2"]])
    row, column, message = one_error(check_file(path))
    assert (row, column) == (3, "parent_unit") and "two parent units" in message


def test_unknown_vocabulary_value(tmp_path):
    path = xlsx(tmp_path / "v.xlsx", [HEAD + ["employment_type"], GOOD + ["sometimes"]])
    row, column, message = one_error(check_file(path))
    assert (row, column) == (2, "employment_type") and "permanent, temporary" in message


def test_duplicated_header(tmp_path):
    path = xlsx(tmp_path / "d.xlsx", [HEAD + ["kön"], GOOD + ["M"]])
    assert one_error(check_file(path))[1] == "kön"


def test_every_problem_is_collected_not_just_the_first(tmp_path):
    path = xlsx(
        tmp_path / "many.xlsx",
        [HEAD, [1899, "E1", "U1", "Professor", None, 2000, "x"], [2024, "E2", None, "Professor", "K", 1, 50000]],
    )
    assert sorted((r, c) for r, c, _ in errors(check_file(path))) == [
        (2, "fte"),
        (2, "gender"),
        (2, "monthly_salary"),
        (2, "year"),
        (3, "unit"),
    ]


@pytest.mark.parametrize(
    "content,suffix,words",
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, ".xlsx", "not a real .xlsx"),
        (b"", ".xlsx", "empty"),
        (b"PK\x03\x04 truncated", ".xlsx", "damaged or truncated"),
        (b"hello", ".pdf", "not a spreadsheet"),
    ],
)
def test_not_a_spreadsheet(tmp_path, content, suffix, words):
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    c = check_file(path)
    assert len(c.errors) == 1 and words in c.errors[0].message
    assert str(c.errors[0]).startswith(f"bad{suffix}: ")


# --- other formats -----------------------------------------------------------------------------


def test_csv_cp1252_with_semicolons_and_decimal_commas(tmp_path):
    text = (
        "år;anställningsnummer;enhet;befattning;kön;sysselsättningsgrad;månadslön\r\n"
        "2024;E1;Avd Ö;Universitetslektor;K;0,5;52 300,50\r\n"
    )
    path = tmp_path / "hr.csv"
    path.write_bytes(text.encode("cp1252"))
    c = check_file(path)
    assert c.ok, errors(c)
    row = c.sheets[0].frame.iloc[0]
    assert (row["unit"], row["fte"], row["monthly_salary"]) == ("Avd Ö", 0.5, 52300.5)


def test_csv_utf16(tmp_path):
    path = tmp_path / "hr.csv"
    path.write_bytes(("\t".join(HEAD) + "\n" + "\t".join(map(str, GOOD)) + "\n").encode("utf-16"))
    assert check_file(path).ok


def test_ods_and_xls(tmp_path):
    df = pd.DataFrame([GOOD], columns=HEAD)
    df.to_excel(tmp_path / "hr.ods", sheet_name="staff", index=False, engine="odf")
    import xlwt

    book = xlwt.Workbook()
    ws = book.add_sheet("staff")
    for r, row in enumerate([HEAD, GOOD]):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    book.save(str(tmp_path / "hr.xls"))
    for name in ("hr.ods", "hr.xls"):
        c = check_file(tmp_path / name)
        assert c.ok, (name, errors(c))
        assert c.sheets[0].frame["monthly_salary"].tolist() == [60000]


def test_one_workbook_with_staff_and_committees(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Personal"
    for row in [HEAD, GOOD]:
        wb["Personal"].append(row)
    ws = wb.create_sheet("Sheet2")  # a neutral name: the kind comes from the headers
    for row in [["år", "organ", "kön", "roll"], [2024, "Fakultetsrådet", "K", "ordförande"]]:
        ws.append(row)
    wb.save(tmp_path / "both.xlsx")
    c = check_file(tmp_path / "both.xlsx")
    assert c.ok, errors(c)
    assert [(s.name, s.kind.name) for s in c.sheets] == [("Personal", "staff"), ("Sheet2", "committees")]
    assert c.sheets[1].frame["role"].tolist() == ["chair"]


def test_large_sheet_reports_the_one_bad_row_at_the_end(tmp_path):
    n = 20_000
    df = pd.DataFrame(
        {
            "year": 2024,
            "person_id": [f"E{i}" for i in range(n)],
            "unit": "U1",
            "position": "Doktorand",
            "gender": "K",
            "monthly_salary": "30000",
        }
    )
    df.loc[n - 1, "monthly_salary"] = "n/a"
    df.to_csv(tmp_path / "big.csv", index=False)
    assert one_error(check_file(tmp_path / "big.csv"))[:2] == (n + 1, "monthly_salary")


def test_unmapped_titles_are_counted_as_other_with_a_warning(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [HEAD, [2024, "E1", "U1", "Chief Vibes Officer", "K", 1, 60000]])
    c = check_file(path)
    assert c.ok
    assert c.sheets[0].frame["position_category"][0] == "other"
    assert any("Chief Vibes Officer" in p.message for p in c.warnings)


def test_problem_text_names_file_sheet_row_and_column():
    p = check.Problem("hr.xlsx", "staff", 7, "fte", "FTE must be above 0")
    assert str(p) == "hr.xlsx, sheet staff, row 7, column fte: FTE must be above 0"
