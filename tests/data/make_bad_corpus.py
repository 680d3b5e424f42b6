"""Write the corpus of bad (and merely unusual) files in tests/data/bad/, and expected.csv beside them.

Run it again after changing a case: `python tests/data/make_bad_corpus.py`. Each case names the
outcome Balans must give: exit 1 with a message that contains the text given (naming what and
where), or exit 0 where the file is unusual but unambiguous and is imported.
Two cases are made by the test itself instead, being too large to keep in git: a file over the upload
limit, and 100 000 rows with one bad row at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent / "bad"
HEAD = ["year", "person_id", "unit", "position", "gender", "fte", "monthly_salary"]
SV_HEAD = ["År", "Anställningsnummer", "Enhet", "Befattning", "Kön", "Sysselsättningsgrad", "Månadslön"]


def rows(n=3, year=2024):
    return [[year, f"E{i}", "U1", "Professor", "K" if i % 2 else "M", 1.0, 50000 + i] for i in range(n)]


def xlsx(path, data, sheet="staff", start_row=1, merge=None, as_text=False):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(data, start=start_row):
        for c, v in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=v)
            if as_text and isinstance(v, str):
                cell.data_type = "s"  # text that merely looks like a formula
    if merge:
        ws.merge_cells(merge)
    wb.save(path)


def text(path, content: str, encoding="utf-8"):
    path.write_bytes(content.encode(encoding))


def as_csv(data, sep=",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerows(data)
    return buf.getvalue()


# (file name, exit code, text the message must contain)
CASES: list[tuple[str, int, str]] = []


def case(name, code, expect):
    def wrap(fn):
        CASES.append((name, code, expect, fn))
        return fn

    return wrap


@case("renamed_png.xlsx", 1, "not a real .xlsx workbook")
def _(p):
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


@case("empty.xlsx", 1, "the file is empty")
def _(p):
    p.write_bytes(b"")


@case("empty.csv", 1, "the file is empty")
def _(p):
    p.write_bytes(b"")


@case("truncated.xlsx", 1, "damaged or truncated")
def _(p):
    xlsx(p, [HEAD, *rows()])
    p.write_bytes(p.read_bytes()[:600])


@case("password_protected.xlsx", 1, "password-protected")
def _(p):
    # An encrypted workbook is an OLE compound file holding an EncryptedPackage stream.
    p.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 2048
    )


@case("bomb.xlsx", 1, "compressed bomb")
def _(p):
    # Small on disk, but its archive declares more than a gigabyte of sheet XML.
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 24)
            for _ in range(66):  # 66 x 16 MiB = 1.03 GiB
                f.write(chunk)


@case("not_a_spreadsheet.pdf", 1, "not a spreadsheet type")
def _(p):
    p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")


@case("missing_position_column.xlsx", 1, "column position: the required column is missing")
def _(p):
    xlsx(p, [[h for h in HEAD if h != "position"], *[[r[0], r[1], r[2], r[4], r[5], r[6]] for r in rows()]])


@case("duplicated_header.xlsx", 1, "column kön: the column gender appears twice")
def _(p):
    xlsx(p, [HEAD + ["kön"], *[r + ["K"] for r in rows()]])


@case("merged_header.xlsx", 1, "merged header cells A1:B1")
def _(p):
    xlsx(p, [HEAD, *rows()], merge="A1:B1")


@case("header_on_third_row.xlsx", 0, "")
def _(p):
    xlsx(p, [["Personalstatistik 2024"], [], SV_HEAD, *rows()])


@case("header_on_third_row_bad_value.xlsx", 1, "row 5, column monthly_salary")
def _(p):
    data = rows()
    data[1][6] = "okänd"
    xlsx(p, [["Personalstatistik 2024"], [], SV_HEAD, *data])


@case("totals_row.xlsx", 1, "row 5: a totals row")
def _(p):
    xlsx(p, [HEAD, *rows(), ["Totalt", None, None, None, None, 3, 150003]])


@case("formula_without_result.xlsx", 1, "row 3, column monthly_salary: a formula with no saved result")
def _(p):
    data = rows()
    data[1][6] = "=A2*20"
    xlsx(p, [HEAD, *data])


@case("error_cells.xlsx", 1, "row 2, column monthly_salary: an error cell (#N/A)")
def _(p):
    data = rows()
    data[0][6] = "#N/A"
    data[2][6] = "#DIV/0!"
    xlsx(p, [HEAD, *data])


@case("date_as_year.xlsx", 1, "row 3, column year: a date where a year belongs")
def _(p):
    data = rows()
    data[1][0] = dt.datetime(2024, 12, 31)
    xlsx(p, [HEAD, *data])


@case("salary_text_with_kr.xlsx", 0, "")
def _(p):
    data = rows()
    for r in data:
        r[6] = f"{r[6]:,} kr".replace(",", " ")
    xlsx(p, [HEAD, *data])


@case("negative_salary.xlsx", 1, "row 2, column monthly_salary: not a monthly salary")
def _(p):
    data = rows()
    data[0][6] = -42000
    xlsx(p, [HEAD, *data])


@case("absurd_salary.xlsx", 1, "row 4, column monthly_salary: not a monthly salary")
def _(p):
    data = rows()
    data[2][6] = 48_000_000
    xlsx(p, [HEAD, *data])


@case("fte_150_percent.xlsx", 1, "row 3, column fte: FTE must be above 0 and at most 100 %")
def _(p):
    data = rows()
    for r in data:
        r[5] = "100%"
    data[1][5] = "150%"
    xlsx(p, [HEAD, *data])


@case("year_1899.xlsx", 1, "row 2, column year: not a year")
def _(p):
    xlsx(p, [HEAD, *rows(year=1899)])


@case("year_2099.xlsx", 1, "row 2, column year: not a year")
def _(p):
    xlsx(p, [HEAD, *rows(year=2099)])


@case("same_person_twice.xlsx", 1, "the same person twice in one year (rows 2, 4)")
def _(p):
    data = rows()
    data[2][1] = data[0][1]
    xlsx(p, [HEAD, *data])


@case("unit_with_two_parents.xlsx", 1, "unit U1 appears with two parent units (S1 and S2)")
def _(p):
    data = [r + ["S1"] for r in rows()]
    data[2][7] = "S2"
    xlsx(p, [HEAD + ["parent_unit"], *data])


@case("gender_all_blank.xlsx", 1, "column gender: the column is empty in every row")
def _(p):
    data = rows()
    for r in data:
        r[4] = None
    xlsx(p, [HEAD, *data])


@case("cp1252_semicolons.csv", 0, "")
def _(p):
    data = [SV_HEAD] + [[r[0], r[1], "Avd Ö", "Universitetslektor", r[4], "0,5", "52 300,50"] for r in rows()]
    text(p, as_csv(data, ";"), "cp1252")


@case("utf16_tabs.csv", 0, "")
def _(p):
    text(p, as_csv([HEAD, *rows()], "\t"), "utf-16")


@case("decimal_commas_in_comma_csv.csv", 1, "the columns do not line up")
def _(p):
    body = "\n".join(f"{r[0]},{r[1]},{r[2]},{r[3]},{r[4]},0,5,{r[6]}" for r in rows())
    text(p, ",".join(HEAD) + "\n" + body + "\n")


@case("no_separator.csv", 1, "no column separator")
def _(p):
    text(p, "just some text\nwithout columns\n")


@case("unknown_gender_words.xlsx", 0, "")
def _(p):
    data = rows()
    data[0][4] = "icke-binär"  # kept as other/unknown: counted, outside the two-gender shares
    xlsx(p, [HEAD, *data])


@case("unknown_employment_type.xlsx", 1, "column employment_type: unknown value 'ibland'")
def _(p):
    xlsx(p, [HEAD + ["employment_type"], *[r + ["ibland"] for r in rows()]])


@case("no_header_at_all.xlsx", 1, "cannot tell what this sheet holds")
def _(p):
    xlsx(p, [[1, 2, 3], [4, 5, 6]], sheet="Blad1")


@case("committee_unknown_role.xlsx", 1, "column role: unknown value 'kung'")
def _(p):
    xlsx(p, [["år", "organ", "kön", "roll"], [2024, "Fakultetsrådet", "K", "kung"]], sheet="organ")


@case("sql_and_formula_names.xlsx", 0, "")
def _(p):
    # Names with quotes, semicolons and SQL fragments are data like any other.
    data = rows()
    data[0][2] = "Robert'); DROP TABLE staff;--"
    data[1][2] = '=HYPERLINK("http://example.invalid","klick")'
    data[2][2] = 'Avd "Ö"; \\ %'
    xlsx(p, [HEAD, *data], as_text=True)


def workbook(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, data in sheets.items():
        ws = wb.create_sheet(name)
        for row in data:
            ws.append(row)
    wb.save(path)


def people(first: int, n: int, year=2009):
    return [[year, f"P{i}", "U1", "Professor", "K" if i % 2 else "M", 1.0, 45000 + i] for i in range(first, first + n)]


# Issue 20: sheets of one kind and year combine; the same person in two of them is refused by sheet and row.
@case(
    "two_staff_sheets_same_person.xlsx",
    1,
    "sheet staff 2, row 2, column person_id: the same person in the same year as on sheet staff, row 22",
)
def _(p):
    # "staff" 25 people (P0-P24 on rows 2-26), "staff 2" 20 (P20-P39): P20-P24 twice, P20 first on row 22
    workbook(p, {"staff": [HEAD, *people(0, 25)], "staff 2": [HEAD, *people(20, 20)]})


@case("two_staff_sheets_same_year.xlsx", 0, "")
def _(p):
    workbook(p, {"staff": [HEAD, *people(0, 25)], "staff 2": [HEAD, *people(25, 15)]})


@case("staff_and_committees_sheets.xlsx", 0, "")
def _(p):
    workbook(
        p,
        {
            "Personal": [HEAD, *people(0, 4)],
            "organ": [
                ["år", "organ", "kön", "roll"],
                [2009, "Fakultetsrådet", "K", "ordförande"],
                [2009, "Fakultetsrådet", "M", "ledamot"],
            ],
        },
    )


@case(
    "staff_without_gender.xlsx",
    1,
    "column gender: the required column is missing, and no id in the file is a personnummer",
)
def _(p):
    xlsx(p, [[h for h in HEAD if h != "gender"], *[r[:4] + r[5:] for r in people(0, 40)]])


@case("fte_one_mistyped.xlsx", 1, "row 102, column fte: '1.2' among fractions: 261 of the column's 262 values")
def _(p):
    data = people(0, 262)
    for i, r in enumerate(data):
        r[5] = (1, 0.8, 0.5)[i % 3]
    data[100][5] = 1.2
    xlsx(p, [HEAD, *data])


@case("salary_annual.xlsx", 1, "row 3, column monthly_salary: '540000' is more than a monthly salary can be")
def _(p):
    data = rows()
    data[1][6] = 540000
    xlsx(p, [HEAD, *data])


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    with open(HERE / "expected.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "exit", "message"])
        for name, code, expect, build in CASES:
            build(HERE / name)
            w.writerow([name, code, expect])
    print(f"{len(CASES)} files in {HERE}")


if __name__ == "__main__":
    main()
