"""The typed readers (an xlsx sheet straight into Arrow through fastexcel, a CSV file through DuckDB's
reader) give the checker exactly what the general readers give: the same problems (code, row,
column, parameters, header, the words in both languages) and the same rows, on every file of the
bad-input corpus, every template with one cell mistyped per column type, and the files of
tests/read_cases.py. And both give what Balans gave before the typed readers existed: the golden
file tests/data/problems_before_typed_readers.json was written by `python tests/read_cases.py` on
main at e71c8c5, before this change. A rule changed on purpose is a new golden file: the same
command on the new code, and the difference read line by line in the commit.
"""

from __future__ import annotations

import json
import zipfile
from functools import partial

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import read_cases
from indicators.store import check, read, readings, schema, xlsx
from indicators.store.xlsx import NOT_TEXT

GOLDEN = json.loads(read_cases.GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return read_cases.all_files(tmp_path_factory.mktemp("cases"))


def checked_both_ways(path, monkeypatch):
    typed = check.check_file(path)
    with monkeypatch.context() as m:
        m.setattr(read, "read_grids", partial(read.read_grids, typed=False))
        general = check.check_file(path)
    return typed, general


def test_the_cases_are_the_golden_files_cases(files):
    assert sorted(p.name for p in files) == sorted(GOLDEN)
    assert len(files) == 122


def test_typed_and_general_readers_give_the_same_problems_and_rows(files, monkeypatch):
    for path in files:
        typed, general = checked_both_ways(path, monkeypatch)
        assert read_cases.result(typed) == read_cases.result(general), path.name
        for a, b in zip(typed.sheets, general.sheets):
            pd.testing.assert_frame_equal(a.frame, b.frame, obj=f"{path.name}, sheet {a.name}")


def test_every_case_gives_what_balans_gave_before_the_typed_readers(files):
    for path in files:
        assert read_cases.result(check.check_file(path)) == GOLDEN[path.name], path.name


def test_error_cells_formulas_and_merged_cells_are_found_wherever_a_chunk_ends(files, tmp_path, monkeypatch):
    """xlsx.unreadable_and_merged reads a sheet's XML a chunk at a time: a mark (t="e", <f) or a
    </sheetData> cut by a chunk's edge is found as in the XML read whole (one chunk)."""
    made = read_cases._xlsx(
        tmp_path / "marks_at_the_end.xlsx",
        {"staff": [read_cases.STAFF_HEAD, *read_cases._staff(40)]},
        {"staff": {"H41": "#N/A", "I41": "=1/0"}},
    )
    openpyxl_book = read_cases.openpyxl.load_workbook(made)
    openpyxl_book["staff"].merge_cells("J40:K41")
    openpyxl_book.save(made)
    for path in [made, *(p for p in files if p.suffix == ".xlsx" and zipfile.is_zipfile(p))]:
        monkeypatch.setattr(xlsx, "_CHUNK", 1 << 30)
        whole = xlsx.unreadable_and_merged(path)
        sizes = (1, 2, 5, 11, 12, 13, 64) if path.stat().st_size < 20_000 else (7, 4096)
        for size in sizes:
            monkeypatch.setattr(xlsx, "_CHUNK", size)
            assert xlsx.unreadable_and_merged(path) == whole, (path.name, size)


def test_the_typed_readers_are_the_ones_that_ran(files):
    """Not a comparison of the general reader with itself: clean xlsx sheets and CSV files are read
    typed; a column of several types, a date, a header that is a number go the general way."""
    by_name = {p.name: p for p in files}
    typed = {
        name
        for name in (
            "at_b3.xlsx",
            "blank_rows.xlsx",
            "numeric_ids.xlsx",
            "demo_year.xlsx",
            "error_in_numbers.xlsx",
            "staff_ok.xlsx",
            "committees_ok.xlsx",
        )
    }
    for name in typed:
        assert all(g.below is not None for g in read.read_grids(by_name[name]).values()), name
    for name in ("mixed_fte.xlsx", "date_year.xlsx", "all_dates_year.xlsx", "number_in_header.xlsx", "yes_no.xlsx"):
        assert all(g.below is None for g in read.read_grids(by_name[name]).values()), name
    for name in ("plain.csv", "crlf_bom.csv", "quoted.csv", "short_lines.csv", "demo_year.csv"):
        path = by_name[name]
        assert read._csv_typed(path, path.read_bytes()) is not None, name
    for name in ("blank_lines.csv", "long_line.csv", "tabs_latin1.csv"):
        path = by_name[name]
        assert read._csv_typed(path, path.read_bytes()) is None, name


def test_no_header_spelling_is_a_number_a_date_or_yes_no():
    """The typed reader finds the header row from the first rows' text alone (a number, a date or
    yes/no there is NOT_TEXT, which names no column): exact only while no column can be named by a
    cell that is not text, i.e. while no accepted header, folded, is how such a cell reads."""
    for kind in schema.KINDS.values():
        for spelling in schema.header_lookup(kind):
            for value in (1, 2024.0, 0.5, True, False, pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-01").date()):
                assert spelling != schema.norm_header(value), (kind.name, spelling)
    assert schema.norm_header(NOT_TEXT) not in {s for k in schema.KINDS.values() for s in schema.header_lookup(k)}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.from_regex(readings._PLAIN_DECIMAL, fullmatch=True), min_size=1, max_size=50))
def test_plain_decimals_read_by_arrow_are_pandas_floats_to_the_last_bit(texts):
    """The CSV's numbers are parsed by Arrow when every cell is a plain decimal (readings._plain_decimals):
    the same float pd.to_numeric gives, bit for bit, sign of a zero included."""
    arrow = readings._plain_decimals(pd.Series(texts, dtype="str"))
    pandas = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce").astype("float64")
    assert arrow is not None
    assert arrow.to_numpy().view("int64").tolist() == pandas.to_numpy().view("int64").tolist()
