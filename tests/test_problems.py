"""A problem in a file, said in the page's language and naming the file's own headers, while the
command line keeps its English words and Balans' column names (tests/data/bad/expected.csv).

Every expected line below is written out by hand from how tests/data/make_bad_corpus.py (or the test
itself) builds the file: its sheet name, its header row, which row holds the bad value.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from indicators import cli
from indicators.store import check, database, importer

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"

# (file of the corpus, the page's Swedish line, the page's English line)
SWEDISH = [
    # SV_HEAD on row 3 under a title and an empty row: data on rows 4-6, the second (row 5) says "okänd"
    (
        "header_on_third_row_bad_value.xlsx",
        "header_on_third_row_bad_value.xlsx, flik staff, rad 5, kolumn Månadslön: inte en månadslön i kronor mellan "
        "1 000 och 250 000 (i filen: 'okänd')",
        "header_on_third_row_bad_value.xlsx, sheet staff, row 5, column Månadslön: not a monthly salary in SEK between "
        "1 000 and 250 000 (found 'okänd')",
    ),
    # sheet "organ", headers år, organ, kön, roll; the one seat (row 2) has the role "kung"; the roles
    # in schema.ROLES' order as the page names them
    (
        "committee_unknown_role.xlsx",
        "committee_unknown_role.xlsx, flik organ, rad 2, kolumn roll: okänt värde 'kung' (förväntat ett av: "
        "ordförande, vice ordförande, ledamot, suppleant, sekreterare)",
        "committee_unknown_role.xlsx, sheet organ, row 2, column roll: unknown value 'kung' (expected one of: "
        "chair, vice chair, member, deputy, secretary)",
    ),
    # the English headers and a second gender column headed "kön": the later one is the duplicate
    (
        "duplicated_header.xlsx",
        "duplicated_header.xlsx, flik staff, kolumn kön: samma kolumn som gender: behåll bara den ena",
        "duplicated_header.xlsx, sheet staff, column kön: the same column as gender: keep only one of them",
    ),
    # the file has no position column: the page names it as the template's Swedish header does
    (
        "missing_position_column.xlsx",
        "missing_position_column.xlsx, flik staff, kolumn befattning: den obligatoriska kolumnen saknas (godtas också: "
        "befattning, tjänstekategori, tjänst, job title)",
        "missing_position_column.xlsx, sheet staff, column position: the required column is missing (also accepted: "
        "befattning, tjänstekategori, tjänst, job title)",
    ),
    # header on row 1, three people on rows 2-4, "Totalt" on row 5
    (
        "totals_row.xlsx",
        "totals_row.xlsx, flik staff, rad 5: en summarad: ta bort den (Balans summerar själv, och en summa skulle "
        "räkna alla två gånger)",
        "totals_row.xlsx, sheet staff, row 5: a totals row: remove it (Balans adds up by itself, and a total would "
        "count everyone twice)",
    ),
    # seven headers, and "0,5" splits the FTE of the first data line (line 2) into two fields: eight
    (
        "decimal_commas_in_comma_csv.csv",
        "decimal_commas_in_comma_csv.csv: kolumnerna stämmer inte: rad 2 har 8 fält, fler än rubrikraden "
        "(decimalkomma i en kommaseparerad fil? spara den med semikolon)",
        "decimal_commas_in_comma_csv.csv: the columns do not line up: row 2 has 8 fields, more than the header "
        "(decimal commas in a comma-separated file? save it with semicolons)",
    ),
    (
        "renamed_png.xlsx",
        "renamed_png.xlsx: filen är ingen riktig .xlsx-arbetsbok (har den bytt namn?)",
        "renamed_png.xlsx: the file is not a real .xlsx workbook (was it renamed?)",
    ),
    # E0 on rows 2 and 4; reported at the second, in the file's own header person_id
    (
        "same_person_twice.xlsx",
        "same_person_twice.xlsx, flik staff, rad 4, kolumn person_id: samma person två gånger samma år (rad 2, 4)",
        "same_person_twice.xlsx, sheet staff, row 4, column person_id: the same person twice in one year (rows 2, 4)",
    ),
]


@pytest.mark.parametrize("name,sv,en", SWEDISH, ids=[c[0] for c in SWEDISH])
def test_a_page_says_it_in_its_language_with_the_files_headers(name, sv, en):
    problems = check.check_file(BAD / name).errors
    assert [p.render("sv", headers=True) for p in problems] == [sv]
    assert [p.render("en", headers=True) for p in problems] == [en]


def swedish_hr_file(path: Path, salary_row_4="mycket", gender_row_3=None, type_row_5="ibland") -> Path:
    """A staff sheet as Swedish HR writes it: lower-case Swedish headers, sheet "Personal"."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Personal"
    for row in (
        ["år", "anställningsnummer", "enhet", "befattning", "kön", "månadslön", "anställningsform"],
        [2025, "A1", "U1", "Professor", "K", 50000, "tillsvidare"],
        [2025, "A2", "U1", "Professor", gender_row_3, 51000, "tillsvidare"],
        [2025, "A3", "U1", "Doktorand", "M", salary_row_4, "visstid"],
        [2025, "A4", "U1", "Doktorand", "K", 30000, type_row_5],
    ):
        ws.append(row)
    wb.save(path)
    return path


def test_the_issues_file_in_swedish_and_on_the_command_line(tmp_path, capsys):
    """The issue's example: kön empty (row 3), månadslön not a salary (row 4), an unknown
    anställningsform (row 5). Columns are checked in the file's order, so the lines come in that order."""
    path = swedish_hr_file(tmp_path / "hr.xlsx")
    problems = check.check_file(path).problems
    assert [p.render("sv", headers=True) for p in problems] == [
        "hr.xlsx, flik Personal, rad 3, kolumn kön: tomt värde i en obligatorisk kolumn",
        "hr.xlsx, flik Personal, rad 4, kolumn månadslön: inte en månadslön i kronor mellan 1 000 och 250 000 "
        "(i filen: 'mycket')",
        "hr.xlsx, flik Personal, rad 5, kolumn anställningsform: okänt värde 'ibland' (förväntat ett av: "
        "tillsvidare, visstid)",
    ]
    # the command line: exactly the words it always printed, Balans' own column names
    cli_lines = [
        "hr.xlsx, sheet Personal, row 3, column gender: empty value in a required column",
        "hr.xlsx, sheet Personal, row 4, column monthly_salary: not a monthly salary in SEK between 1 000 and "
        "250 000 (found 'mycket')",
        "hr.xlsx, sheet Personal, row 5, column employment_type: unknown value 'ibland' (expected one of: "
        "permanent, temporary)",
    ]
    assert [str(p) for p in problems] == cli_lines
    assert cli.main(["import", str(path), "--db", str(tmp_path / "b.duckdb")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:3] == cli_lines


def test_the_preview_shows_the_files_headers_words_and_empty_cells(tmp_path):
    # A valid variant of the file: A3's salary left empty (it is optional), every type known.
    path = swedish_hr_file(tmp_path / "ok.xlsx", salary_row_4=None, gender_row_3="K", type_row_5="visstid")
    checked = check.check_file(path)
    assert checked.ok, [str(p) for p in checked.problems]
    sv = checked.sheets[0].preview("sv")
    # the file's own headers; the raw id left out; Balans' derived category under a label of its own
    assert list(sv.columns) == [
        "Rad",
        "år",
        "enhet",
        "befattning",
        "kön",
        "månadslön",
        "anställningsform",
        "Befattningskategori",
    ]
    assert sv["kön"].tolist() == ["kvinna", "kvinna", "man", "kvinna"]
    assert sv["anställningsform"].tolist() == ["tillsvidare", "tillsvidare", "visstid", "visstid"]
    assert sv["Befattningskategori"].tolist() == ["professorer", "professorer", "doktorander", "doktorander"]
    # Swedish thousands with a no-break space; the missing salary an empty cell, not "None"
    assert sv["månadslön"].tolist() == ["50\u00a0000", "51\u00a0000", "", "30\u00a0000"]
    assert sv["Rad"].tolist() == ["2", "3", "4", "5"]
    en = checked.sheets[0].preview("en")
    assert en["kön"].tolist() == ["woman", "woman", "man", "woman"]
    assert en["Position category"].tolist() == ["professors", "professors", "PhD students", "PhD students"]
    assert en["månadslön"].tolist() == ["50,000", "51,000", "", "30,000"]


def test_a_refused_reimport_comes_in_parts_for_the_page(tmp_path):
    template = ROOT / "data" / "templates" / "balans_staff_template.xlsx"
    con = database.connect(tmp_path / "b.duckdb")
    assert importer.import_files(con, [template]).ok
    again = importer.import_files(con, [template])
    # the command line's words stay; the page gets the same clash in parts
    assert again.refused.endswith("; use --replace to replace it")
    assert again.refused.startswith(
        "balans_staff_template.xlsx, sheet staff: staff for 2025 was already imported "
        "in batch 1 (balans_staff_template.xlsx, "
    )
    assert len(again.clashes) == 1
    clash = again.clashes[0]
    assert {k: clash[k] for k in ("file", "sheet", "kind", "years", "batch_id", "file_name")} == {
        "file": "balans_staff_template.xlsx",
        "sheet": "staff",
        "kind": "staff",
        "years": [2025],
        "batch_id": 1,
        "file_name": "balans_staff_template.xlsx",
    }


def test_a_problem_without_a_code_keeps_its_words():
    p = check.Problem("hr.xlsx", "staff", 7, "fte", "FTE must be above 0")
    assert str(p) == "hr.xlsx, sheet staff, row 7, column fte: FTE must be above 0"
    assert p.render("sv", headers=True) == "hr.xlsx, flik staff, rad 7, kolumn fte: FTE must be above 0"


def test_years_are_written_as_spans():
    from indicators.catalogue.numbers import year_span
    from indicators.catalogue.phrases import kind_years

    assert year_span(range(2015, 2026)) == "2015\u20132025"  # the demo's eleven years
    assert year_span([2018, 2015, 2017]) == "2015, 2017\u20132018"
    assert kind_years("staff", [2026], "sv") == "personal för 2026"
    assert kind_years("units", [], "en") == "units"  # a units sheet has no years
