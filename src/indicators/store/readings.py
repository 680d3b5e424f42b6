"""Reading cells: a column's raw cells and their text -> the values Balans stores, and which are bad.

One reader per column type (schema.Column.type, `VALUE_READERS`): numbers with decimal commas,
spaces and "kr"; FTE in fractions or percent; monthly salaries; days; counts; years; yes/no; the
fixed vocabularies; and the birth year and legal gender a personnummer gives. Each works on a whole
column at once (pandas, never a Python call per cell) and returns the values, a mask of the rows it
refuses and the problem code of each (catalogue/problems.toml). A column is read from its header, an explicit
unit in a cell ("80 %") or the whole column agreeing, never from one odd row (issue 20; docs/decisions.md,
"Decisions where the design was silent"). check.check_sheet turns the refusals into problems, and
runs the readers on a column of Arrow text's distinct values once (`distinct`, a CSV's columns), the
results spread back over the rows: the same reading, since each depends on a cell and on the set of
the column's values, never on how many rows hold each (read_fte's majority takes the rows' counts).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import schema
from .schema import fold_accents, norm_header


def as_text(s: pd.Series) -> pd.Series:
    """Cells as trimmed text; whole floats lose their '.0' (Excel stores 2024 as 2024.0).

    Vectorised by the column's inferred type: a 100 000-row sheet must not cost a Python call per cell.
    """
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind == "string":
        # Arrow-backed text: strip and the checks below run in C++, not once per cell in Python.
        return s.astype("str").fillna("").str.strip()
    if kind in ("integer", "floating", "mixed-integer-float", "empty"):
        num = pd.to_numeric(s, errors="coerce").astype("float64")
        text = num.astype(str)
        whole = num.notna() & (num % 1 == 0) & (num.abs() < 1e15)
        text[whole] = num[whole].astype("int64").astype(str)
        text[num.isna()] = ""
        return text.astype(object)
    if kind == "boolean":  # yes/no cells (an xlsx TRUE): str(True), without a Python call per cell
        return s.map({True: "True", False: "False"}, na_action="ignore").fillna("").astype(object)

    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    return s.map(one).astype(object)


def _is_date(s: pd.Series) -> pd.Series:
    if pd.api.types.infer_dtype(s, skipna=True) in ("integer", "floating", "string", "mixed-integer-float", "empty"):
        return pd.Series(False, index=s.index)
    return s.map(lambda v: isinstance(v, (dt.date, dt.datetime, pd.Timestamp))).astype(bool)


_MONEY_JUNK = re.compile(r"(?i)\s|\u00a0|\u202f|kr\.?|sek|:-")
NUMERIC_KINDS = ("integer", "floating", "mixed-integer-float", "empty")
NUMERIC_TYPES = {
    "year",
    "birth_year",
    "fte",
    "money",
    "number",
    "days",
    "count",
    "amount",
    "hours_week",
    "hours_year",
    "weight",
    "levels",
    "level",
}


def _parse_number_text(text: pd.Series) -> pd.Series:
    """Text with decimal commas, spaces as thousands separators, 'kr' or '%' -> float (NaN if not)."""
    t = text.str.replace(_MONEY_JUNK, "", regex=True).str.rstrip("%")
    both = t.str.contains(",", regex=False) & t.str.contains(".", regex=False)
    # "45.000,50" (Swedish) or "45,000.50" (English): the later mark is the decimal one.
    comma_last = t.str.rfind(",") > t.str.rfind(".")
    t = t.where(~(both & comma_last), t.str.replace(".", "", regex=False))
    t = t.where(~(both & ~comma_last), t.str.replace(",", "", regex=False))
    t = t.str.replace(",", ".", regex=False)
    return pd.to_numeric(t, errors="coerce")


def _to_number(raw: pd.Series, text: pd.Series) -> pd.Series:
    """Numbers as floats. Cells that already are numbers (or plain numeric text, as in a CSV) take
    pandas' C parser; only the rest ('45 000,50 kr') go through the slower text clean-up."""
    kind = pd.api.types.infer_dtype(raw, skipna=True)
    if kind in NUMERIC_KINDS:
        return pd.to_numeric(raw, errors="coerce").astype("float64")
    if kind == "string" and raw.dtype == "str":
        plain = _plain_decimals(raw)
        if plain is not None:
            return plain
    if kind != "string":  # dates and times are not numbers, whatever pandas would make of them
        raw = raw.where(~raw.map(_is_temporal, na_action="ignore").astype(bool))
    num = pd.to_numeric(raw, errors="coerce")
    num = pd.Series(num, index=raw.index, dtype="float64")
    rest = num.isna() & text.ne("")
    if rest.any():
        num[rest] = _parse_number_text(text[rest])
    return num


# At most 15 digits, at most two of them decimals: pandas' parser reads such a text as the integer of
# its digits divided once by 10 or 100, both exact, so the division rounds correctly, as Arrow's
# parser (correctly rounded) does. The same float either way, to the last bit. No minus: pandas reads
# "-0" as 0 or -0.0 depending on the column's other cells.
_PLAIN_DECIMAL = r"^\+?[0-9]{1,13}(\.[0-9]{1,2})?$"


def _plain_decimals(raw: pd.Series) -> pd.Series | None:
    """Arrow text that is all plain decimals (a CSV's numbers) as floats, parsed by Arrow in C++ instead
    of once per cell by pd.to_numeric; None when any cell is anything else (then pd.to_numeric reads)."""
    arrow = pa.array(raw.array)  # the column's own Arrow buffers, not a copy
    if pc.any(pc.invert(pc.match_substring_regex(arrow, _PLAIN_DECIMAL))).as_py():
        return None
    values = pc.cast(arrow, pa.float64()).to_numpy(zero_copy_only=False)
    return pd.Series(values, index=raw.index, dtype="float64")


def _is_temporal(v) -> bool:
    return isinstance(v, (dt.date, dt.datetime, dt.time, dt.timedelta, pd.Timestamp))


def map_words(text: pd.Series, lookup: dict) -> pd.Series:
    """Vocabulary words -> canonical values, folding each distinct word once (not once per row)."""
    codes, uniques = pd.factorize(text)
    canon = [lookup.get(norm_header(u), lookup.get(fold_accents(norm_header(u)))) for u in uniques]
    mapped = np.array(canon + [None], dtype=object)[codes]  # code -1 (missing) -> None
    return pd.Series(mapped, index=text.index, dtype=object)


@dataclass
class ColumnResult:
    values: pd.Series
    bad: pd.Series  # bool mask of rows with an unusable value
    code: str | pd.Series  # the problem code (catalogue/problems.toml) of a bad value, or one per row
    params: dict = field(default_factory=dict)  # its parameters besides the value found
    row_params: dict[str, pd.Series] = field(default_factory=dict)  # parameters that differ by row


@dataclass
class Distinct:
    """A text column as its distinct cells, each once, and which of them each row holds.

    A CSV's million rows hold a few hundred different values a column (ten years, five FTEs, 896
    salaries): a reader run on `cells` and spread back by `rows` does each parse, strip and vocabulary
    look-up once a value instead of once a row. That gives what the reader gives on the whole column
    because every reader reads a cell from the cell alone and from the *set* of the column's values
    (pd.to_numeric and infer_dtype look at which kinds of value the column holds, never at how many of
    each or in which order), and `cells` is that set exactly: a missing cell is one of them when the
    column has one. The one count a reader needs (read_fte's majority) it takes from `counts`.
    """

    cells: pd.Series  # the distinct values, in the column's dtype, on a 0..n-1 index
    rows: np.ndarray  # for each row, the position of its value in `cells`
    counts: np.ndarray  # for each distinct value, how many rows hold it
    column: pd.Series  # the column itself

    def spread(self, s: pd.Series) -> pd.Series:
        """A Series over `cells` -> the same over the column's rows (dtype kept). A Series that *is*
        `cells` (text already trimmed, as a CSV's cells are as a rule) spreads to the column itself:
        nothing is taken or copied."""
        if s.dtype == self.cells.dtype and s.equals(self.cells):
            return self.column
        # copy=False: the taken array is new already, and copying Arrow text is most of the cost
        taken = s.array.take(self.rows)
        return pd.Series(taken, index=self.column.index, name=self.column.name, dtype=s.dtype, copy=False)

    def spread_result(self, res: ColumnResult) -> ColumnResult:
        code = res.code if isinstance(res.code, str) else self.spread(res.code)
        row_params = {k: self.spread(v) for k, v in res.row_params.items()}
        return ColumnResult(self.spread(res.values), self.spread(res.bad), code, res.params, row_params)


# A column whose first 4096 rows are more than half different values is read cell by cell: hashing a
# column of mostly different values costs more than reading it (135 ms to encode the CSV's 211 563
# distinct ids in a million rows, 11 ms to trim them). The 896 salaries of the same rows take 21 ms.
_SAMPLE, _MOST_DISTINCT = 4096, 2048


def distinct(raw: pd.Series) -> Distinct | None:
    """The column's distinct cells (Arrow's dictionary encoding, one hash pass in C++), or None when it
    is not Arrow text (an xlsx's numbers, Python objects) or its first rows repeat too little."""
    if raw.dtype != "str" or getattr(raw.dtype, "storage", None) != "pyarrow":
        return None
    arrow = pa.array(raw.array)  # the column's own Arrow buffers; one array, so one dictionary
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    if pc.count_distinct(arrow.slice(0, _SAMPLE), mode="all").as_py() > _MOST_DISTINCT:
        return None
    encoded = pc.dictionary_encode(arrow, null_encoding="encode")
    rows = encoded.indices.to_numpy(zero_copy_only=False)  # int32: take and bincount need no intp copy
    cells = pd.Series(pd.array(encoded.dictionary, dtype=raw.dtype))
    counts = np.bincount(rows, minlength=len(cells))
    return Distinct(cells, rows, counts, raw)


def read_year(raw: pd.Series, text: pd.Series) -> ColumnResult:
    num = _to_number(raw, text)
    this_year = dt.date.today().year
    dates = _is_date(raw)
    ok = num.notna() & (num % 1 == 0) & num.between(1950, this_year + 1) & ~dates
    code = pd.Series("not_year", index=raw.index, dtype=object)
    code[dates] = "date_as_year"
    return ColumnResult(num.where(ok).astype("Int64"), ~ok, code, {"last": this_year + 1})


def read_birth_year(raw, text):
    num = _to_number(raw, text)
    ok = num.notna() & (num % 1 == 0) & num.between(1900, dt.date.today().year)
    return ColumnResult(num.where(ok).astype("Int64"), ~ok, "not_birth_year")


def read_text(raw, text):
    return ColumnResult(text, pd.Series(False, index=raw.index), "")


read_id = read_text


def read_gender(raw, text):
    # Anything else that is not empty is kept as "other": counted, but outside the two-gender shares.
    values = map_words(text, schema.vocabulary_lookup(schema.GENDER_WORDS)).fillna("other")
    return ColumnResult(values, pd.Series(False, index=raw.index), "")


def read_fte(raw, text, unit: str | None = None, counts: np.ndarray | None = None):
    """FTE as a fraction of full time, each cell read by the first of these that speaks:

    1. the cell's own unit: "80 %" is 0.8, whatever the rest of the column;
    2. the header's unit (`unit`: "percent" for "sysselsättningsgrad (%)", "fraction" for "(0-1)");
    3. the column's bare values agreeing: over 0 and at most 1 they are fractions (1 is full time),
       over 1 and at most 100 percent. The reading most bare values share is the column's.

    A bare value that disagrees with the column's reading is refused, row by row, and never changes
    how the other rows read (issue 20): a 1.2 among fractions, a 0.8 (or a 1) among percentages. When
    the two readings are equally many, every bare value is refused: nothing tells which is meant.

    counts: how many rows each of `raw`'s cells stands for, when they are a column's distinct values
    (Distinct.counts); the readings are counted by rows, never by distinct values.
    """
    num = _to_number(raw, text)
    explicit = text.str.endswith("%")
    bare = num.notna() & ~explicit & (num > 0) & (num <= 100)
    fraction_like, percent_like = bare & (num <= 1), bare & (num > 1)
    if counts is None:
        n_fraction, n_percent = int(fraction_like.sum()), int(percent_like.sum())
    else:
        n_fraction = int(counts[fraction_like.to_numpy(dtype=bool)].sum())
        n_percent = int(counts[percent_like.to_numpy(dtype=bool)].sum())
    params = {"n": max(n_fraction, n_percent), "total": n_fraction + n_percent}
    if unit is not None:
        reading = unit
        odd, code = (
            (fraction_like, "fte_fraction_in_percent_column")
            if unit == "percent"
            else (percent_like, "fte_percent_in_fraction_column")
        )
    elif n_fraction == n_percent and n_fraction:
        reading, odd, code = None, bare, "fte_mixed"
    elif n_percent > n_fraction:
        reading, odd, code = "percent", fraction_like, "fte_fraction_among_percent"
    else:
        reading, odd, code = "fraction", percent_like, "fte_percent_among_fractions"
    value = num.where(~explicit, num / 100)
    if reading == "percent":
        value = value.where(explicit, num / 100)
    ok = value.notna() & (value > 0) & (value <= 1) & ~odd
    codes = pd.Series("bad_fte", index=raw.index, dtype=object)
    codes[odd] = code
    return ColumnResult(value.where(ok), ~ok, codes, params)


def read_money(raw, text):
    """A monthly full-time salary in SEK, from 1 000 to schema.MONTHLY_SALARY_MAX. Above it, up to twelve
    times as much, is a year's pay in the monthly column: refused with the month it would be, never
    divided (a file of annual salaries is refused row by row, and its header names what it holds)."""
    num = _to_number(raw, text)
    top = schema.MONTHLY_SALARY_MAX
    ok = num.notna() & num.between(1000, top)
    codes = pd.Series("bad_salary", index=raw.index, dtype=object)
    codes[(num > top) & (num <= 12 * top)] = "salary_annual"
    annual = codes.eq("salary_annual")
    month = pd.Series("", index=raw.index, dtype=object)
    month[annual] = (num[annual] / 12).map(spaced)
    return ColumnResult(num.where(ok), ~ok, codes, {"top": spaced(top)}, {"month": month})


def spaced(x) -> str:
    """A whole number as a message writes it in both languages: 45 000 (spaces between thousands)."""
    return f"{float(x):,.0f}".replace(",", " ")


def read_number(raw, text):
    num = _to_number(raw, text)
    return ColumnResult(num, num.isna(), "not_number")


def read_days(raw, text):
    num = _to_number(raw, text)
    ok = num.notna() & (num >= 0) & (num <= 366)
    return ColumnResult(num.where(ok), ~ok, "bad_days")


# "1,000" or "12.500": a thousands separator, or a decimal mark before three decimals?
_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")


# The largest count the store holds: its count columns are INTEGER (store/database.py). Written out in
# problems.toml's count_too_large (a parameter would join every count problem's parameters).
MAX_COUNT = 2**31 - 1


def read_count(raw, text):
    """A whole number, 0 or more. Text like "1,000" is refused: read with a decimal comma it is 1, a
    whole number, and a count of 1000 would be stored as 1 without a word. A count above MAX_COUNT
    is refused too, by row, rather than left for the database (or the cast to integers) to fail on
    the whole file."""
    num = _to_number(raw, text)
    ambiguous = text.str.match(_THOUSANDS).fillna(False).astype(bool)
    whole = num.notna() & (num >= 0) & (num % 1 == 0) & ~ambiguous
    too_large = whole & (num > MAX_COUNT)
    ok = whole & ~too_large
    codes = pd.Series("bad_count", index=raw.index, dtype=object)
    codes[ambiguous] = "ambiguous_thousands"
    codes[too_large] = "count_too_large"
    return ColumnResult(num.where(ok).astype("Int64"), ~ok, codes)


def read_bool(raw, text):
    values = map_words(text, schema.vocabulary_lookup(schema.BOOL_WORDS))
    return ColumnResult(values, values.isna(), "bad_bool")


def read_amount(raw, text):
    """A pay component's amount for the year in SEK, 0 or more. A negative amount (a payroll's
    correction) is refused rather than netted: it belongs to the component it corrects."""
    num = _to_number(raw, text)
    ok = num.notna() & (num >= 0)
    codes = pd.Series("not_amount", index=raw.index, dtype=object)
    codes[num < 0] = "negative_amount"
    return ColumnResult(num.where(ok), ~ok, codes)


def read_hours_week(raw, text):
    """Contracted hours a week: above 0 and at most schema.MAX_HOURS_WEEK (80). More is refused, never
    read as a month's or a year's hours."""
    num = _to_number(raw, text)
    ok = num.notna() & (num > 0) & (num <= schema.MAX_HOURS_WEEK)
    return ColumnResult(num.where(ok), ~ok, "bad_hours_week", {"most": schema.MAX_HOURS_WEEK})


def read_hours_year(raw, text):
    """Hours of the year (hourly staff): above 0 and at most 80 hours a week for 52 weeks."""
    num = _to_number(raw, text)
    most = schema.MAX_HOURS_WEEK * schema.WEEKS_PER_YEAR
    ok = num.notna() & (num > 0) & (num <= most)
    return ColumnResult(num.where(ok), ~ok, "bad_hours_year", {"most": spaced(most)})


def read_weight(raw, text):
    """A sub-factor's weight in percent of the plan's points: above 0 and at most 100 ("20", "20 %")."""
    num = _to_number(raw, text)
    ok = num.notna() & (num > 0) & (num <= 100)
    return ColumnResult(num.where(ok), ~ok, "bad_weight")


def read_levels(raw, text):
    """How many levels a sub-factor has: a whole number from 2 to 7 (Analys Lönelots allows 2-7)."""
    num = _to_number(raw, text)
    ok = num.notna() & (num % 1 == 0) & num.between(2, 7)
    return ColumnResult(num.where(ok).astype("Int64"), ~ok, "bad_levels")


def read_level(raw, text):
    """A job's level on a sub-factor: a whole number from 1 (the plan's levels bound it at import)."""
    num = _to_number(raw, text)
    ok = num.notna() & (num % 1 == 0) & (num >= 1) & (num <= 7)
    return ColumnResult(num.where(ok).astype("Int64"), ~ok, "bad_level")


# The header's unit, when the column is not written in it (schema.TYPE_UNITS): a problem code.
HEADER_UNIT_CODES = {"hours": "header_hours", "per_year": "header_annual"}

VALUE_READERS = {
    "year": read_year,
    "birth_year": read_birth_year,
    "text": read_text,
    "id": read_id,
    "gender": read_gender,
    "fte": read_fte,
    "money": read_money,
    "number": read_number,
    "days": read_days,
    "bool": read_bool,
    "count": read_count,
    "amount": read_amount,
    "hours_week": read_hours_week,
    "hours_year": read_hours_year,
    "weight": read_weight,
    "levels": read_levels,
    "level": read_level,
}


def read_choice(raw, text, choices):
    values = map_words(text, schema.vocabulary_lookup(choices))
    return ColumnResult(values, values.isna(), "unknown_value", {"choices": list(choices)})


# Personnummer: YYMMDD-NNNN, YYMMDD+NNNN (100 years or older) or YYYYMMDDNNNN.
PNR = re.compile(r"^(?:(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d))$")


def split_personnummer(ids: pd.Series, years: pd.Series) -> pd.DataFrame:
    """Birth year and legal gender from personnummer-shaped ids (the 9th digit: odd man, even woman).

    Returns columns is_pnr, birth_year, gender and key (the ten digits, so that 19YYMMDD-NNNN and
    YYMMDDNNNN pseudonymise to the same person).
    """
    # Arrow text without a space (employee numbers, as a rule) is its own compact form: looking for a
    # space takes a fifth of the time of replacing none (19 against 104 ms on a million ids).
    spaced_ids = ids.dtype != "str" or ids.str.contains(" ", regex=False).any()
    compact = ids.str.replace(" ", "", regex=False) if spaced_ids else ids
    # Extracting the parts is the slow step: do it only for ids of the personnummer shape (none, in
    # a file of employee numbers), found with one vectorised match.
    shaped = compact.str.match(PNR).fillna(False).astype(bool)
    if not shaped.any():
        # Employee numbers only (the usual file): nothing below can give a value, and working it
        # out on a million missing parts took seconds: see
        # docs/performance.md, "Step 3, second pass: CPU time under load".
        none = pd.Series(False, index=ids.index)
        return pd.DataFrame(
            {
                "is_pnr": none,
                "birth_year": pd.Series(np.nan, index=ids.index, dtype="float64"),
                # (all missing, built from Arrow's nulls: half the time of filling in NaN)
                "gender": pd.Series(pd.array(pa.nulls(len(ids), pa.large_string()), dtype="str"), index=ids.index),
                "key": ids.where(none),
            }
        )
    parts = compact[shaped].str.extract(PNR).reindex(ids.index)
    # Only a real personnummer (or samordningsnummer, day + 60) gives a gender: a month 01-12, a day
    # 01-31 and the check digit (Luhn over the ten digits). Ten digits of an employee number that
    # merely look like one are an id like any other, and give nothing.
    month, day = pd.to_numeric(parts[2], errors="coerce"), pd.to_numeric(parts[3], errors="coerce")
    day = day.where(day <= 60, day - 60)
    ten = (parts[1] + parts[2] + parts[3] + parts[5] + parts[6]).fillna("")
    is_pnr = parts[1].notna() & month.between(1, 12) & day.between(1, 31) & _luhn_ok(ten)
    yy = pd.to_numeric(parts[1], errors="coerce")
    century = pd.to_numeric(parts[0], errors="coerce")
    ref = years.astype("float").fillna(dt.date.today().year)
    guess = 2000 + yy
    guess = guess.where(guess <= ref, guess - 100)
    guess = guess.where(parts[4] != "+", guess - 100)
    birth = (century * 100 + yy).where(century.notna(), guess)
    digit = pd.to_numeric(parts[5].str[-1], errors="coerce")
    gender = pd.Series(np.where(digit % 2 == 1, "man", "woman"), index=ids.index).where(is_pnr)
    key = (parts[1] + parts[2] + parts[3] + parts[5] + parts[6]).where(is_pnr)
    return pd.DataFrame({"is_pnr": is_pnr, "birth_year": birth.where(is_pnr), "gender": gender, "key": key})


def _luhn_ok(ten: pd.Series) -> pd.Series:
    """Whether ten-digit strings end in their Luhn check digit (Skatteverket's rule for personnummer:
    the nine first digits weighted 2, 1, 2, …, the digits of the products summed). Not ten digits: False."""
    ok = ten.str.fullmatch(r"\d{10}").fillna(False).astype(bool)
    if not ok.any():
        return ok
    digits = (np.frombuffer("".join(ten[ok]).encode("ascii"), dtype=np.uint8).reshape(-1, 10) - 48).astype(np.int64)
    products = digits[:, :9] * np.array([2, 1] * 4 + [2])
    total = (products // 10 + products % 10).sum(axis=1)
    out = pd.Series(False, index=ten.index)
    out[ok] = (10 - total % 10) % 10 == digits[:, 9]
    return out
