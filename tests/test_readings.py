"""How a column is read: from its header, from an explicit unit in a cell ("80 %"), or from the whole
column agreeing; never from one odd row (issue 20, item 1; docs/data-formats.md, "Data formats").

Real xlsx files through check.check_file, and hypothesis properties on the readers: one out-of-scale
value inserted into a valid column either refuses that row or leaves every other row's stored value
unchanged.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.store import readings
from indicators.store.check import check_file

HEAD = ["year", "person_id", "unit", "position", "gender", "fte", "monthly_salary"]


def xlsx(path, rows, sheet="staff"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def staff(ftes, salaries=None, head=HEAD) -> list[list]:
    salaries = salaries or [50000 + i for i in range(len(ftes))]
    return [head] + [
        [2024, f"E{i}", "U1", "Professor", "K" if i % 2 else "M", f, s] for i, (f, s) in enumerate(zip(ftes, salaries))
    ]


def errors(checked) -> list[tuple]:
    return [(p.row, p.column, p.code) for p in checked.errors]


# --- FTE: fractions or percent ---------------------------------------------------------------------


def test_one_mistyped_fte_among_fractions_is_refused_and_rescales_nothing(tmp_path):
    """The issue's file: 262 rows of fractions (1, 0.8, 0.5), one mistyped 1.2. Before, the 1.2 made the
    whole column percent and every FTE was stored divided by 100, with "no problems found"."""
    ftes = [(1, 0.8, 0.5)[i % 3] for i in range(262)]
    ftes[100] = 1.2  # data row 101 = spreadsheet row 102 (the header is row 1)
    c = check_file(xlsx(tmp_path / "hr.xlsx", staff(ftes)))
    assert errors(c) == [(102, "fte", "fte_percent_among_fractions")]
    message = c.errors[0].render("sv", headers=True)
    assert "rad 102, kolumn fte" in message and "'1.2'" in message and "261 av kolumnens 262" in message, message
    # with the row corrected, every FTE is stored as written
    ftes[100] = 1
    c = check_file(xlsx(tmp_path / "ok.xlsx", staff(ftes)))
    assert c.ok and c.sheets[0].frame["fte"].tolist() == ftes


def test_a_fraction_among_percentages_is_as_wrong(tmp_path):
    # 100, 80, 50 are percent; the 0.8 on row 3 is refused, and 1 (full time, or 1 %?) on row 5 too
    c = check_file(xlsx(tmp_path / "p.xlsx", staff([100, 0.8, 80, 1, 50, 100])))
    assert errors(c) == [(3, "fte", "fte_fraction_among_percent"), (5, "fte", "fte_fraction_among_percent")]
    assert "(1–100)" in c.errors[0].text("en")


def test_ones_are_full_time_fractions_so_one_percentage_among_them_is_the_odd_one(tmp_path):
    # four 1s and one 50: the 1s are fractions (full time), the 50 disagrees with them (row 4)
    c = check_file(xlsx(tmp_path / "o.xlsx", staff([1, 1, 50, 1, 1])))
    assert errors(c) == [(4, "fte", "fte_percent_among_fractions")]


def test_a_column_split_evenly_is_refused_row_by_row(tmp_path):
    c = check_file(xlsx(tmp_path / "t.xlsx", staff([0.5, 50])))
    assert errors(c) == [(2, "fte", "fte_mixed"), (3, "fte", "fte_mixed")]


def test_an_explicit_percent_sign_reads_that_cell_whatever_the_column(tmp_path):
    # The staff example of docs/data-formats.md: "100 %" and 0,8 in one column. The % says how its own
    # cell reads; the bare 0,8 agrees with the rest of the bare values (itself): a fraction.
    c = check_file(xlsx(tmp_path / "e.xlsx", staff(["100 %", "0,8", "50 %", 0.5])))
    assert c.ok, errors(c)
    assert c.sheets[0].frame["fte"].tolist() == [1.0, 0.8, 0.5, 0.5]


@pytest.mark.parametrize(
    "header", ["Sysselsättningsgrad (%)", "sysselsättningsgrad %", "FTE %", "fte (procent)", "Omfattning i %"]
)
def test_a_header_in_percent_reads_the_column_in_percent(tmp_path, header):
    head = HEAD[:5] + [header, "månadslön"]
    c = check_file(xlsx(tmp_path / "h.xlsx", staff([100, 80, 50], head=head)))
    assert c.ok, errors(c)
    assert c.sheets[0].frame["fte"].tolist() == [1.0, 0.8, 0.5]
    # a fraction under a percent header is refused, even when every value is one
    c = check_file(xlsx(tmp_path / "h2.xlsx", staff([1, 0.8, 0.5], head=head)))
    assert errors(c) == [(r, "fte", "fte_fraction_in_percent_column") for r in (2, 3, 4)]


def test_a_header_in_fractions_reads_the_column_in_fractions(tmp_path):
    head = HEAD[:5] + ["sysselsättningsgrad (0-1)", "månadslön"]
    c = check_file(xlsx(tmp_path / "f.xlsx", staff([1, 0.8, 80], head=head)))
    assert errors(c) == [(4, "fte", "fte_percent_in_fraction_column")]


# --- salaries: per month, never per year -----------------------------------------------------------


def test_an_annual_salary_in_the_monthly_column_is_refused_by_row(tmp_path):
    # 12 x 45 000 = 540 000 on row 3; 48 000 000 on row 4 is no salary at all
    c = check_file(xlsx(tmp_path / "s.xlsx", staff([1, 1, 1, 1], [45000, 540000, 48_000_000, 52000])))
    assert errors(c) == [(3, "monthly_salary", "salary_annual"), (4, "monthly_salary", "bad_salary")]
    assert "45 000" in c.errors[0].text("sv")  # 540 000 / 12, said in the message


@pytest.mark.parametrize("header", ["Årslön", "lön per år", "Annual salary", "lön (kr/år)"])
def test_a_header_of_annual_amounts_is_refused_as_a_column(tmp_path, header):
    head = HEAD[:6] + [header]
    c = check_file(xlsx(tmp_path / "a.xlsx", staff([1, 1], [540000, 600000], head=head)))
    assert errors(c) == [(None, "monthly_salary", "header_annual")]
    assert c.errors[0].header == header


@pytest.mark.parametrize("header", ["månadslön (kr)", "Månadslön, SEK", "lön (kr/mån)"])
def test_a_header_in_kronor_per_month_is_the_monthly_salary(tmp_path, header):
    c = check_file(xlsx(tmp_path / "m.xlsx", staff([1, 1], [45000, 52000], head=HEAD[:6] + [header])))
    assert c.ok, errors(c)
    assert c.sheets[0].frame["monthly_salary"].tolist() == [45000, 52000]


# --- days, never hours -----------------------------------------------------------------------------


def test_a_header_in_hours_is_refused_as_a_column(tmp_path):
    rows = staff([1, 1], head=HEAD + ["sjukfrånvaro (timmar)"])
    rows[1].append(40)
    rows[2].append(16)
    c = check_file(xlsx(tmp_path / "h.xlsx", rows))
    assert errors(c) == [(None, "sick_leave_days", "header_hours")]


def test_leave_days_above_the_available_days_are_refused(tmp_path):
    # hours in a column of days: 2 400 sick "days" of 1 500 available is more than everyone's every day
    rows = [
        ["år", "enhet", "kön", "antal anställda", "tillgängliga dagar", "sjukfrånvaro", "vab"],
        [2024, "U1", "K", 10, 2000, 120, 30],
        [2024, "U1", "M", 8, 1500, 2400, 20],
    ]
    c = check_file(xlsx(tmp_path / "l.xlsx", rows, sheet="frånvaro"))
    assert errors(c) == [(3, "sick_leave_days", "days_over_available")]
    assert "1500" in c.errors[0].text("en").replace(" ", "")


# --- properties --------------------------------------------------------------------------------------


def _read(reader, values: list, unit=None):
    raw = pd.Series(values, dtype=object)
    text = readings.as_text(raw)
    return reader(raw, text, unit) if unit else reader(raw, text)


def _one_odd_value_changes_no_other_row(reader, valid: list, odd, at: int) -> None:
    """The property: with `odd` inserted at `at`, that row is refused, or no other row's value changes;
    and a row that is not refused always keeps the value it has in the valid column alone."""
    alone = _read(reader, valid)
    assert not alone.bad.any(), valid
    mixed = valid[:at] + [odd] + valid[at:]
    res = _read(reader, mixed)
    others = [i for i in range(len(mixed)) if i != at]
    before = list(alone.values)
    after = [res.values.iloc[i] for i in others]
    bad_after = [bool(res.bad.iloc[i]) for i in others]
    assert bool(res.bad.iloc[at]) or after == before, (mixed, list(res.values), list(res.bad))
    for b, a, bad in zip(before, after, bad_after):
        assert bad or a == b, (mixed, list(res.values))
    if len(valid) >= 2:  # a clear majority: the others stand
        assert not any(bad_after), (mixed, list(res.bad))


fractions = st.lists(st.sampled_from([1, 0.8, 0.75, 0.5, 0.25, 0.2, 0.1, 1.0]), min_size=1, max_size=30)
percents = st.lists(st.sampled_from([100, 80, 75, 50, 25, 20, 10, 100.0, 62.5]), min_size=1, max_size=30)
odd_fte = st.one_of(
    st.floats(min_value=1.01, max_value=100).map(lambda v: round(v, 2)),
    st.floats(min_value=0.01, max_value=1).map(lambda v: round(v, 2)),
    st.floats(min_value=100.5, max_value=10_000),
    st.floats(max_value=0, min_value=-100),
    st.sampled_from(["80 %", "0,8", "120 %", "heltid", "1,2"]),
)


@settings(max_examples=300, deadline=None)  # no time limit: the machine is shared
@given(st.one_of(fractions, percents), odd_fte, st.data())
def test_one_odd_fte_refuses_its_row_or_changes_no_other(valid, odd, data):
    at = data.draw(st.integers(min_value=0, max_value=len(valid)))
    _one_odd_value_changes_no_other_row(readings.read_fte, valid, odd, at)


monthly = st.lists(st.integers(min_value=15_000, max_value=150_000), min_size=1, max_size=30)
odd_money = st.one_of(
    st.integers(min_value=250_001, max_value=3_000_000),
    st.integers(min_value=1, max_value=999),
    st.integers(min_value=15_000, max_value=150_000),
    st.sampled_from(["45 000 kr", "lots", "-5"]),
)


@settings(max_examples=200, deadline=None)
@given(monthly, odd_money, st.data())
def test_one_odd_salary_refuses_its_row_or_changes_no_other(valid, odd, data):
    at = data.draw(st.integers(min_value=0, max_value=len(valid)))
    _one_odd_value_changes_no_other_row(readings.read_money, valid, odd, at)


days = st.lists(st.integers(min_value=0, max_value=366), min_size=1, max_size=30)


@settings(max_examples=100, deadline=None)
@given(
    days, st.one_of(st.integers(min_value=367, max_value=3000), st.integers(max_value=-1), st.just("tre")), st.data()
)
def test_one_odd_day_count_refuses_its_row_or_changes_no_other(valid, odd, data):
    at = data.draw(st.integers(min_value=0, max_value=len(valid)))
    _one_odd_value_changes_no_other_row(readings.read_days, valid, odd, at)


# --- counts: a separator before three digits is thousands or a decimal, never guessed -------------------


def test_a_count_written_with_a_thousands_separator_is_refused_not_read_as_one(tmp_path):
    # "1,000" applicants read with a decimal comma was 1.0, a whole number: stored as 1 applicant
    rows = [
        ["år", "enhet", "befattning", "kön", "sökande"],
        [2024, "U1", "Lektor", "K", "1,000"],
        [2024, "U1", "Lektor", "M", "1 200"],
        [2024, "U2", "Lektor", "K", 14],
    ]
    c = check_file(xlsx(tmp_path / "r.xlsx", rows, sheet="rekrytering"))
    assert errors(c) == [(2, "applicants", "ambiguous_thousands")]
    assert c.sheets[0].frame["applicants"].tolist()[1:] == [1200, 14]


def test_a_count_too_large_for_the_store_is_refused_by_row_not_a_traceback(tmp_path):
    # The store's counts are INTEGER: at most 2**31 - 1 = 2 147 483 647. One more, and a number
    # above 2**63 (which the cast to integers could not hold: a traceback before), are refused on
    # their own rows; the rows around them are read as they are.
    rows = [
        ["år", "enhet", "befattning", "kön", "sökande"],
        [2024, "U1", "Lektor", "K", 2_147_483_647],
        [2024, "U1", "Lektor", "M", 2_147_483_648],
        [2024, "U2", "Lektor", "K", 1e20],
        [2024, "U2", "Lektor", "M", 14],
    ]
    c = check_file(xlsx(tmp_path / "r.xlsx", rows, sheet="rekrytering"))
    assert errors(c) == [(3, "applicants", "count_too_large"), (4, "applicants", "count_too_large")]
    assert f"at most {readings.spaced(readings.MAX_COUNT)}" in c.errors[0].text("en")
    assert "högst 2 147 483 647" in c.errors[0].text("sv")
    frame = c.sheets[0].frame["applicants"]
    assert frame[0] == 2_147_483_647 and frame.tolist()[-1] == 14
    # the same in a CSV, the number as text
    c = check_file(csv(tmp_path / "rekrytering.csv", [r[:4] + [str(r[4])] for r in rows]))
    assert [code for _, _, code in errors(c)] == ["count_too_large", "count_too_large"]


# --- a CSV's column read once per distinct value (readings.distinct) ----------------------------------


def csv(path, rows):
    path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    return path


def test_the_same_bad_value_on_many_rows_is_reported_on_each_row(tmp_path):
    # A CSV's columns are read once per distinct value and spread back over the rows: "abc" is read
    # once, but refused on each of its three rows, in row order. Header on row 1, so data row i is
    # row i + 2: "abc" at i = 1, 3, 4 -> rows 3, 5, 6. The empty FTE (i = 5, row 7) is no error (the
    # column is not required) and is stored missing; the salaries repeat with blanks between them.
    ftes = ["1", "abc", "0.5", "abc", "abc", "", "1"]
    salaries = ["45 000", "", "45 000", '"52 000,50"', "", "45 000", "45 000"]
    c = check_file(csv(tmp_path / "s.csv", staff(ftes, salaries)))
    assert errors(c) == [(3, "fte", "bad_fte"), (5, "fte", "bad_fte"), (6, "fte", "bad_fte")]
    assert [p.params["found"] for p in c.errors] == ["abc", "abc", "abc"]
    frame = c.sheets[0].frame
    assert frame["fte"].isna().tolist() == [False, True, False, True, True, True, False]
    assert frame["fte"].dropna().tolist() == [1.0, 0.5, 1.0]
    # 45 000 on rows 2, 4, 7, 8 and 52 000,50 (decimal comma) on row 5; rows 3 and 6 empty
    assert frame["monthly_salary"].isna().tolist() == [False, True, False, False, True, False, False]
    assert frame["monthly_salary"].dropna().tolist() == [45000.0, 45000.0, 52000.5, 45000.0, 45000.0]


def test_the_fte_majority_is_counted_by_rows_not_by_distinct_values(tmp_path):
    # Two distinct values, 0.5 on one row and 50 on three: 3 percentages against 1 fraction, so the
    # column is percent and the 0.5 (row 2) is refused; by distinct values it would be a 1-1 tie.
    c = check_file(csv(tmp_path / "f.csv", staff(["0.5", "50", "50", "50"])))
    assert errors(c) == [(2, "fte", "fte_fraction_among_percent")]
    assert (c.errors[0].params["n"], c.errors[0].params["total"]) == (3, 4)
    assert c.sheets[0].frame["fte"].tolist()[1:] == [0.5, 0.5, 0.5]


def test_read_fte_counts_each_cell_as_the_rows_it_stands_for():
    cells = pd.Series(["0.8", "80"], dtype="str")
    text = readings.as_text(cells)
    # alone, one fraction and one percentage: a tie, both refused
    alone = readings.read_fte(cells, text)
    assert alone.bad.tolist() == [True, True] and alone.code.tolist() == ["fte_mixed", "fte_mixed"]
    # standing for 1 and 3 rows: percent (3 of 4), the 0.8 refused, the 80 read as 0.8
    res = readings.read_fte(cells, text, counts=np.array([1, 3]))
    assert res.bad.tolist() == [True, False] and res.code.tolist()[0] == "fte_fraction_among_percent"
    assert res.values.tolist()[1] == 0.8 and res.params == {"n": 3, "total": 4}


def test_distinct_cells_a_missing_one_included_and_spread_back():
    raw = pd.Series(["b", None, "a", "b", " a"], index=[10, 11, 12, 13, 14], dtype="str")
    d = readings.distinct(raw)
    # in order of first appearance; the missing cell is one of them, as pd.to_numeric must see it
    assert d.cells.isna().tolist() == [False, True, False, False]
    assert d.cells.dropna().tolist() == ["b", "a", " a"]
    assert d.rows.tolist() == [0, 1, 2, 0, 3] and d.counts.tolist() == [2, 1, 1, 1]
    # spreading keeps the dtype: object stays object (pandas would infer str from the words)
    words = pd.Series(["x", None, "y", "z"], dtype=object)
    spread = d.spread(words)
    assert spread.dtype == object and spread.index.tolist() == [10, 11, 12, 13, 14]
    assert spread.tolist() == ["x", None, "y", "x", "z"]
    # the text is trimmed and the gap made "": not the column itself, so it is spread
    text = d.spread(readings.as_text(d.cells))
    assert text.tolist() == ["b", "", "a", "b", "a"] and text.index.tolist() == [10, 11, 12, 13, 14]
    # a column already trimmed and without a gap is its own text (the same object, nothing copied)
    clean = pd.Series(["1", "2", "1"], dtype="str")
    dc = readings.distinct(clean)
    assert dc.spread(readings.as_text(dc.cells)) is clean


def test_a_column_that_hardly_repeats_is_read_cell_by_cell():
    # 3000 different values in the first 4096 rows (over 2048): hashing would cost about what it saves
    assert readings.distinct(pd.Series([str(i) for i in range(3000)], dtype="str")) is None
    assert readings.distinct(pd.Series([str(i % 2000) for i in range(3000)], dtype="str")) is not None
    assert readings.distinct(pd.Series([1.0, 2.0, 1.0])) is None  # numbers already: nothing to parse
