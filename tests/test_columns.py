"""Every column of every table declared (columns.toml), and every output formatting from it: the page,
the Swedish CSV, the workbook and the machine CSV say the same thing, the page's way or the machine's.

The demo is loaded into a real DuckDB file; every registered indicator, every scorecard table of
goals.py and the plan's tables are computed as the app computes them, and a column that
columns.toml does not declare fails the test. The formats are checked on small tables whose every
expected string and byte is worked out by hand in the comments.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers import NBSP, representation_rows
from indicators import demo
from indicators.directive import art7
from indicators.plan.followup import page_table, plan_view, progress
from indicators.plan.records import audit
from indicators.plan.survey import pay_survey
from indicators.present import columns, export
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.store import check, database, importer
from indicators.subgoals import goals
from indicators.subgoals.pay import evaluation

ROOT = Path(__file__).resolve().parents[1]
BAD_FILE = ROOT / "tests" / "data" / "bad" / "negative_salary.xlsx"
BOM = "\ufeff"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = database.connect(tmp_path_factory.mktemp("columns") / "d.duckdb")
    demo.load(c, seed=0, scale=0.1)
    demo.load_plan(c)
    registry.load_all()
    # a worker's request for pay information in the log (issue 21), answered and open
    import datetime as dt

    key = c.execute("SELECT person_key FROM staff WHERE year = 2025 LIMIT 1").fetchone()[0]
    art7.answered(c, art7.receive(c, key, 2025, dt.date(2026, 2, 1), who="test"), dt.date(2026, 3, 1), who="test")
    art7.receive(c, key, 2025, dt.date(2026, 3, 10), who="test")
    yield c
    c.close()


@pytest.fixture(scope="module")
def year(con):
    return con.execute("SELECT max(year) FROM staff").fetchone()[0]


def every_table(con, year) -> dict[str, pd.DataFrame]:
    """Every table a page, the report or the workbook shows, by the id columns.toml declares it under."""
    first = con.execute("SELECT min(year) FROM staff").fetchone()[0]
    f = Filters(year=year, year_from=first, year_to=year)
    out = {i: registry.compute(con, i, f) for i in registry.load_all()}
    for name in ("scorecard", "scorecard_units", "scorecard_overview"):
        out[f"goals.{name}"] = getattr(goals, name)(con, f)
    out["plan"] = page_table(plan_view(con, database.ALL_UNITS, year), "sv")
    out["plan_progress"] = progress(con, database.ALL_UNITS, year)
    out["plan_audit"] = audit(con)  # the Plan page's change log
    for part, df in pay_survey(con, year).sheets().items():
        out[f"pay_survey.{part}"] = df
    # The Import page's tables: the history, and the problems of a file of the bad-input corpus (a
    # negative salary: a problem with a sheet, a row and a column).
    out["import_history"] = database.history(con).drop(columns=["sha256"])
    out["problems"] = importer.problem_table([check.check_file(BAD_FILE)], "sv")
    out["pay_requests"] = art7.requests(con)  # the log of workers' requests (issue 21)
    out["factor_plan"] = evaluation.factor_plan(con, year)  # the Pay transparency page's editor
    return out


def test_every_column_of_every_table_is_declared(con, year):
    tables = every_table(con, year)
    # every registered indicator (24 today), the three scorecard tables, the plan, its progress and its
    # change log, the pay survey's four parts
    # and the log of pay requests, and the factor plan
    assert len(tables) == len(registry.REGISTRY) + 3 + 3 + 4 + 2 + 1 + 1
    undeclared = {table: columns.missing(df, table) for table, df in tables.items()}
    assert {t: m for t, m in undeclared.items() if m} == {}
    # the indicators' own column lists (the Method page's) are declared too, with a meaning in both languages
    for ind in registry.REGISTRY.values():
        for name in ind.columns:
            c = columns.declared(ind.id, name)
            assert c.sv and c.en, (ind.id, name)
            assert bool(c.about_sv) == bool(c.about_en), (ind.id, name)


def test_every_table_formats_in_every_output(con, year):
    for table, df in every_table(con, year).items():
        for lang in ("sv", "en"):
            page = columns.shown(df, table, lang, 5)
            assert len(page) == len(df), table
            # no two columns under one heading (the second would hide the first), and each shown
            heads = [c.label(lang) for c in columns.visible(df, table, lang)]
            assert len(set(heads)) == len(heads), (table, lang, heads)
            assert list(page.columns)[: len(heads)] == heads, table
            # never a raw float on the page: every cell is text
            assert all(isinstance(v, str) for col in page for v in page[col]), table
        assert export.machine_csv(df, table).startswith(BOM.encode())
        assert export.swedish_csv(df, table).startswith(BOM.encode())


def test_the_catalogue_names_only_tables_that_exist(con, year):
    known = set(every_table(con, year)) | {"scorecard"}
    assert set(columns.catalogue().tables) - known == set()


def test_an_undeclared_column_is_named():
    with pytest.raises(columns.UndeclaredColumn) as e:
        columns.shown(pd.DataFrame({"women": [1], "shoe_size": [42]}), "representation", "sv")
    assert str(e.value) == "column 'shoe_size' of table 'representation' is not declared in columns.toml"


# --- hand-worked formats ---------------------------------------------------------------------------


def test_the_page_in_swedish():
    page = columns.shown(representation_rows(), "representation", "sv", k=5)
    assert list(page.columns) == ["År", "Befattning", "Kvinnor", "Totalt", "Andel kvinnor", "Jämn", "dolt"]
    # 5/9 = 55.555…% -> one decimal, a decimal comma and a no-break space before %
    assert page.iloc[0].tolist() == ["2025", "professorer", "5", "349", f"55,6{NBSP}%", "✓", ""]
    assert page.iloc[1].tolist() == ["2025", "doktorander", "–", "–", "–", "–", "dolt: färre än 5 personer"]


def test_the_page_in_english():
    page = columns.shown(representation_rows(), "representation", "en", k=5)
    assert list(page.columns) == ["Year", "Position", "Women", "Total", "Share of women", "Balanced", "hidden"]
    assert page.iloc[0].tolist() == ["2025", "professors", "5", "349", f"55.6{NBSP}%", "✓", ""]
    assert page.iloc[1, -1] == "hidden: fewer than 5 persons"


def test_the_machine_csv_keeps_codes_and_full_precision():
    data = export.machine_csv(representation_rows(), "representation")
    # codes as headers and values, 5/9 to ten decimals (0.5555555556), 349.0 as 349, true/false,
    # empty where hidden, CRLF rows, a byte-order mark
    assert data == (
        BOM + "year,position,women,total,share_women,balanced,suppressed\r\n"
        "2025,professor,5,349,0.5555555556,true,false\r\n"
        "2025,phd_student,,,,,true\r\n"
    ).encode("utf-8")


def test_the_machine_csv_has_no_float_noise():
    df = pd.DataFrame(
        {
            "year": [2024, 2025],
            "mean_gap_pct": [2.7755575615628914e-17, 103.60000000000001],
            "median_gap_pct": [-3.2, -0.0],
        }
    )
    text = export.machine_csv(df, "pay_gap").decode("utf-8-sig")
    # 2.8e-17 is 0 to ten decimals; 103.60000000000001 is 103.6; a negative number stays a number
    # (no apostrophe: only text is neutralised), and -0.0 is 0
    assert text == "year,mean_gap_pct,median_gap_pct\r\n2024,0,-3.2\r\n2025,103.6,0\r\n"


def test_two_runs_give_identical_bytes(con, year):
    f = Filters(year=year, year_from=year - 3, year_to=year)
    for indicator in ("sick_leave", "pay_gap_trend", "representation"):
        first = export.machine_csv(registry.compute(con, indicator, f), indicator)
        second = export.machine_csv(registry.compute(con, indicator, f), indicator)
        assert first == second, indicator


def test_the_swedish_csv():
    data = export.swedish_csv(representation_rows(), "representation", k=5)
    # Swedish headers (a share's says it is in percent), ';', 55,6 as Swedish Excel reads a number,
    # the words of the codes, and the reason of the hidden row
    assert data == (
        BOM + "År;Befattning;Kvinnor;Totalt;Andel kvinnor (%);Jämn;dolt\r\n"
        "2025;professorer;5;349;55,6;✓;\r\n"
        "2025;doktorander;;;;;dolt: färre än 5 personer\r\n"
    ).encode("utf-8")


def test_the_swedish_csv_writes_numbers_a_spreadsheet_reads():
    df = pd.DataFrame(
        {
            "year": [2025],
            "mean_women": [50474.329670329666],
            "median_gap_pct": [-9.6875],
            "women_pct_of_men_mean": [91.5126],
        }
    )
    text = export.swedish_csv(df, "pay_gap").decode("utf-8-sig").splitlines()
    # SEK to whole kronor without grouping (50 474 would be text), the gap -9.6875 % rounded half away
    # from zero to -9,7 with an ASCII minus, the unit in each header
    assert text == [
        "År;Medellön kvinnor (kr);Ojusterad löneskillnad, median (% av mäns);Kvinnors medellön i % av mäns",
        "2025;50474;-9,7;91,5",
    ]


def test_text_that_would_run_as_a_formula_is_neutralised():
    df = pd.DataFrame(
        {
            "year": [2025],
            "body": ['=HYPERLINK("http://x")'],
            "body_type": ["preparatory"],
            "unit": ["-U1"],
            "women": [3],
            "men": [4],
            "total": [7],
            "share_women": [3 / 7],
            "suppressed": [False],
        }
    )
    machine = export.machine_csv(df, "committee_bodies").decode("utf-8-sig")
    assert '\'=HYPERLINK(""http://x"")' in machine and ",'-U1," in machine
    swedish = export.swedish_csv(df, "committee_bodies").decode("utf-8-sig")
    # 3/7 = 42.857…% -> 42,9; the body type in Swedish
    assert swedish.splitlines()[1] == '2025;"\'=HYPERLINK(""http://x"")";beredande;\'-U1;3;4;7;42,9'


def test_rounding_is_half_away_from_zero_on_the_decimal_digits():
    # 2.675 is stored as 2.67499999999999982236431605997495353221893310546875: Python's round gives
    # 2.67, Excel and a reader 2.68; the page, the Swedish CSV and the workbook's cell all say 2.68
    assert round(2.675, 2) == 2.67
    assert columns.rounded(2.675, 2) == 2.68
    assert columns.rounded(-0.125, 2) == -0.13
    assert columns.plain(0.1 + 0.2) == "0.3"  # 0.30000000000000004 without its noise
    assert columns.plain(1e-11) == "0"
    assert columns.plain(123456789.0) == "123456789"


def test_a_rate_is_a_share_or_per_hundred_as_its_table_declares():
    # sick leave: 843 of 57816 available days = 0.014580738895807391 -> 1,5 %;
    # harassment: 3 cases per 200 women = 1.5 per 100 -> 1,5 (no %)
    sick = pd.DataFrame({"year": [2025], "rate_women": [0.014580738895807391]})
    cases = pd.DataFrame({"year": [2025], "rate_women": [1.5]})
    assert columns.shown(sick, "sick_leave", "sv").iloc[0, 1] == f"1,5{NBSP}%"
    assert columns.shown(cases, "incidents", "sv").iloc[0, 1] == "1,5"
    assert columns.shown(cases, "incidents", "sv").columns[1] == "Per 100 kvinnor"
    # promotions: 9 of 20 women's applications granted = 0.45 -> 45,0 % (the table showed "0,45")
    promo = pd.DataFrame({"year": [2025], "success_women": [0.45], "success_ratio": [0.45 / 0.5]})
    assert columns.shown(promo, "promotions", "sv").iloc[0].tolist() == ["2025", f"45,0{NBSP}%", "0,90"]


def test_the_scorecard_shows_each_value_as_its_page_does():
    card = pd.DataFrame(
        {
            "unit": ["*", "*", "*"],
            "subgoal": [1, 2, 4],
            "title_sv": ["Makt och inflytande", "Ekonomisk jämställdhet", "x"],
            "title_en": ["Power", "Economy", "x"],
            "indicator": ["committee_summary", "pay_gap_trend", "care_leave"],
            "value": [0.4910714285714285, 11.8, 0.7391],
            "target": ["40–60 %", "|gap| ≤ 5 %", "≥ 0.8"],
            "status": ["met", "not_met", "not_met"],
            "previous": [0.5, 15.3, None],
            "direction": ["down", "down", None],
        }
    )
    sv = columns.shown(card, "goals.scorecard_overview", "sv", names={"*": "Universitetet"})
    assert list(sv.columns) == ["Enhet", "Delmål", "Indikator", "Värde", "Mål", "Status", "Förra året", "Riktning"]
    assert columns.label("goals.scorecard", "previous", "en") == "Last year"
    # each as its sub-goal's headline reads (columns.toml [headline]): a share in whole percent
    # (55/112 = 49.1 % -> 49 %), a pay gap already in percent (11.8 %), a ratio (0.7391 -> 0,74)
    assert sv["Värde"].tolist() == [f"49{NBSP}%", f"11,8{NBSP}%", "0,74"]
    assert sv["Förra året"].tolist() == [f"50{NBSP}%", f"15,3{NBSP}%", "–"]
    # no English in the Swedish card: |gap| and 0.8 are said in Swedish (columns.target_words)
    # a number held to its unit and its sign by no-break spaces (issue 22: "±5 / %" was split at 1280 px)
    assert sv["Mål"].tolist() == ["40–60\u00a0%", "skillnad inom ±5\u00a0%", "≥\u00a00,8"]
    assert sv["Delmål"].tolist()[:2] == ["1. Makt och inflytande", "2. Ekonomisk jämställdhet"]
    assert sv["Enhet"].tolist()[0] == "Universitetet" and sv["Riktning"].tolist() == ["↓", "↓", "–"]
    en = columns.shown(card, "goals.scorecard", "en")
    assert (
        en["Target"].tolist()[1:] == ["gap within ±5\u00a0%", "≥\u00a00.8"]
        and en["Unit"].tolist()[0] == "The whole organisation"
    )
    assert export.machine_csv(card, "scorecard").decode("utf-8-sig").splitlines()[2] == (
        "*,2,Ekonomisk jämställdhet,Economy,pay_gap_trend,11.8,|gap| ≤ 5 %,not_met,15.3,down"
    )


def test_codes_are_words_in_the_swedish_view():
    df = pd.DataFrame(
        {
            "part": ["overall", "variable_pay", "quartile", "job_level", "value_group"],
            "category": ["all", "all", "4", "2", "7"],
            "year": [2025] * 5,
            "note": [None, "no_components", None, None, None],
        }
    )
    page = columns.shown(df, "pay_transparency", "sv")
    assert page["Del"].tolist() == [
        "alla (a, c)",
        "kompletterande lön (b, d, e)",
        "lönekvartil (f)",
        "befattningsnivå (g)",
        "värdegrupp (g)",
    ]
    # a category's code is read by its part: a quartile 4, a job level 2 (no quartile), a value group 7
    assert page["Kategori"].tolist() == ["alla", "alla", "högsta kvartilen", "befattningsnivå 2", "värdegrupp 7"]
    assert page["Anmärkning"].tolist()[1].startswith("saknas: inga lönearter är importerade för året")
    stages = pd.DataFrame({"year": [2025] * 3, "stage": ["phd_student", "C", "A"]})
    # She Figures grades named by who is in them (vocabularies.toml [vocab.position]), the grade in brackets
    assert columns.shown(stages, "pipeline", "sv")["Steg"].tolist() == [
        "doktorander",
        "meriteringsanställda (grad C)",
        "professorer (grad A)",
    ]


def test_the_workbook_holds_numbers_with_their_formats():
    extra = pd.DataFrame({"year": [2025], "mean_women": [50474.329670329666], "median_gap_pct": [7.456]})
    data = export.workbook(
        [
            ("Andel kvinnor per befattning", representation_rows(), "representation"),
            ("Lön: median/medel [kr]", extra, "pay_gap"),
        ],
        "sv",
        k=5,
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    # sheets named by their titles in the order given (Excel forbids : / [ ]; the spaces left are single)
    assert wb.sheetnames == ["Andel kvinnor per befattning", "Lön median medel kr"]
    ws = wb["Andel kvinnor per befattning"]
    assert [c.value for c in ws[1]] == ["År", "Befattning", "Kvinnor", "Totalt", "Andel kvinnor", "Jämn", "dolt"]
    year, position, women, total, share, balanced, hidden = ws[2]
    assert (year.value, year.number_format) == (2025, "0")
    assert position.value == "professorer"
    assert (women.value, women.number_format) == (5, "#,##0")
    assert (total.value, total.number_format) == (349, "#,##0")
    # a share is a fraction with a percent format, to ten decimals (Excel shows 55.6 %)
    assert (share.value, share.number_format) == (0.5555555556, "0.0%")
    assert balanced.value == "✓" and hidden.value is None
    assert ws.cell(row=3, column=3).value is None and ws.cell(row=3, column=7).value == "dolt: färre än 5 personer"
    pay = wb["Lön median medel kr"]
    assert (pay["B2"].value, pay["B2"].number_format) == (50474.3296703297, "#,##0")
    assert (pay["C2"].value, pay["C2"].number_format) == (7.456, '0.0" %"')
    assert pay["B1"].value == "Medellön kvinnor"


def test_the_workbook_in_english_and_a_plain_sheet():
    note = pd.DataFrame({"exact figures — confidential": ["Exact figures — confidential."]})
    data = export.workbook(
        [("exact-confidential", note, None), ("Share of women", representation_rows(), "representation")], "en"
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["exact-confidential", "Share of women"]
    assert wb["exact-confidential"]["A2"].value == "Exact figures — confidential."
    assert [c.value for c in wb["Share of women"][1]][:2] == ["Year", "Position"]
    assert wb["Share of women"]["B2"].value == "professors"


def test_the_method_page_reads_the_meanings_in_both_languages():
    rows = columns.describe("incidents", ["rate_women", "women"], "sv")
    assert rows == [
        ("rate_women", "Per 100 kvinnor", "kvinnor / kvinnor (bas) × 100"),
        ("women", "Kvinnor", "ärenden där den utsatta är en kvinna"),
    ]
    assert columns.describe("sick_leave", ["rate_women"], "en") == [
        ("rate_women", "Sick-leave rate, women", "sick_days_women / available_days_women")
    ]


def test_no_code_is_left_untranslated_in_the_swedish_view(con, year):
    # A code column in Swedish shows words: what a vocabulary does not know stays a code, and only
    # unit codes, programmes' own names (the programme column's one code is "all"), job levels (numbers)
    # and "man" (the same word in Swedish) may read as they are.
    units = {r[0] for r in con.execute("SELECT unit FROM units").fetchall()} | {database.ALL_UNITS}
    units |= {r[0] for r in con.execute("SELECT DISTINCT programme FROM students").fetchall()}
    left = {}
    for table, df in every_table(con, year).items():
        for name in df.columns:
            c = columns.declared(table, name)
            if c.kind != "code" or not c.shown_in("sv"):
                continue
            same = {str(v) for v in df[name].dropna().unique() if columns.word(c, v, "sv") == str(v)}
            same -= units | {"man"}
            same = {v for v in same if not v.replace(".", "").isdigit()}
            if same:
                left[(table, name)] = sorted(same)
    assert left == {}
