"""The files the readers are compared on (tests/test_read_paths.py), and a check's result as plain data.

Every file of the bad-input corpus, every import template with one cell mistyped per column type (as
tests/test_template_sweep.py makes them), and files made here for what those do not hold: a table
that starts at B3 under a title, blank rows and columns, a column that mixes numbers and text, dates,
yes/no cells, numeric ids, a header row with a number in it, a synthetic staff year of some thousand
rows, and CSV files with blank lines, quotes, a byte-order mark, decimal commas and short and long
lines. Nothing here imports the module layout of the checker, so that the same cases run on an
older Balans (the golden file's source, `python tests/read_cases.py OUT.json`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

import openpyxl
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
GOLDEN = ROOT / "tests" / "data" / "problems_before_typed_readers.json"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_template_sweep import ALL_CASES, ODD, template_rows, write  # noqa: E402

STAFF_HEAD = ["year", "person_id", "unit", "parent_unit", "position", "gender", "fte", "monthly_salary", "manager"]


def _xlsx(path: Path, sheets: dict[str, list[list]], cells: dict[str, dict[str, object]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        for ref, value in (cells or {}).get(name, {}).items():
            ws[ref] = value
    wb.save(path)
    return path


def _staff(n: int, change: dict | None = None) -> list[list]:
    rows = [
        [
            2024,
            f"P{i:03d}",
            "ARK-1",
            "ARK",
            "Professor" if i % 3 else "Lektor",
            "K" if i % 2 else "M",
            1 if i % 4 else 0.5,
            40000 + 100 * i,
            i % 5 == 0,
        ]
        for i in range(n)
    ]
    for (i, column), value in (change or {}).items():
        rows[i][STAFF_HEAD.index(column)] = value
    return rows


def made_files(folder: Path) -> list[Path]:
    """The files made here (see the module's docstring), written into folder."""
    out = []
    title = [["Personal 2024"], []]
    out.append(_xlsx(folder / "at_b3.xlsx", {"Blad1": [[None, *r] for r in title + [STAFF_HEAD] + _staff(6)]}))
    blank = [STAFF_HEAD, *_staff(3), [], [None] * 3, *_staff(3), [], []]
    out.append(_xlsx(folder / "blank_rows.xlsx", {"staff": blank}))
    out.append(_xlsx(folder / "mixed_fte.xlsx", {"staff": [STAFF_HEAD, *_staff(6, {(2, "fte"): "80 %"})]}))
    out.append(
        _xlsx(folder / "text_salary.xlsx", {"staff": [STAFF_HEAD, *_staff(6, {(4, "monthly_salary"): "45 000 kr"})]})
    )
    out.append(
        _xlsx(folder / "date_year.xlsx", {"staff": [STAFF_HEAD, *_staff(4, {(1, "year"): dt.date(2024, 1, 1)})]})
    )
    out.append(
        _xlsx(
            folder / "all_dates_year.xlsx",
            {"staff": [STAFF_HEAD, *[[dt.datetime(2024, 3, 1), *r[1:]] for r in _staff(3)]]},
        )
    )
    out.append(
        _xlsx(folder / "yes_no.xlsx", {"staff": [STAFF_HEAD, *_staff(6, {(1, "manager"): "ja", (2, "manager"): None})]})
    )
    out.append(
        _xlsx(
            folder / "numeric_ids.xlsx",
            {"staff": [STAFF_HEAD, *[[r[0], 1000 + i, *r[2:]] for i, r in enumerate(_staff(5))]]},
        )
    )
    out.append(_xlsx(folder / "number_in_header.xlsx", {"staff": [[*STAFF_HEAD, 2024], *_staff(4)]}))
    out.append(_xlsx(folder / "no_known_header.xlsx", {"staff": _staff(4)}))
    out.append(_xlsx(folder / "header_only.xlsx", {"staff": [STAFF_HEAD]}))
    out.append(
        _xlsx(
            folder / "unknown_and_empty_header.xlsx",
            {"staff": [[*STAFF_HEAD, "shoe size", None, "kommentar"], *[[*r, 42, "x", None] for r in _staff(4)]]},
        )
    )
    out.append(
        _xlsx(
            folder / "whitespace_and_totals.xlsx",
            {"staff": [STAFF_HEAD, *_staff(3, {(1, "unit"): "  ARK-2 ", (2, "position"): " "}), ["Totalt"]]},
        )
    )
    out.append(
        _xlsx(
            folder / "two_kinds_and_an_empty_sheet.xlsx",
            {
                "staff": [STAFF_HEAD, *_staff(3)],
                "tom": [],
                "committees": [["year", "body", "gender", "role"], [2024, "Styrelsen", "K", "ledamot"]],
            },
        )
    )
    out.append(
        _xlsx(
            folder / "error_in_numbers.xlsx",
            {"staff": [STAFF_HEAD, *_staff(5)]},
            {"staff": {"H3": "=1/0", "G4": "=A4*0"}},
        )
    )
    demo = _demo_year()
    demo.to_excel(folder / "demo_year.xlsx", index=False, sheet_name="staff")
    out.append(folder / "demo_year.xlsx")
    for name, text in CSV_TEXTS.items():
        path = folder / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        out.append(path)
    demo.to_csv(folder / "demo_year.csv", index=False)
    out.append(folder / "demo_year.csv")
    return out


def _demo_year() -> pd.DataFrame:
    from indicators import demo

    staff = demo.generate(seed=3, scale=0.5)["staff"]
    return staff[staff["year"] == staff["year"].max()]


_CSV_HEAD = ",".join(STAFF_HEAD)
_CSV_ROWS = [",".join(map(str, r)) for r in _staff(4)]
CSV_TEXTS = {
    "plain.csv": "\n".join([_CSV_HEAD, *_CSV_ROWS]) + "\n",
    "crlf_bom.csv": "\ufeff" + "\r\n".join([_CSV_HEAD, *_CSV_ROWS]) + "\r\n",
    "blank_lines.csv": "\n".join([_CSV_HEAD, _CSV_ROWS[0], "", _CSV_ROWS[1], ",,,,,,,,", _CSV_ROWS[2], "", ""]),
    "quoted.csv": "\n".join(
        [
            _CSV_HEAD,
            '2024,"P1","ARK-1","ARK","Professor, adj.",K,1,"41 000",False',
            '2024,P2,ARK-1,ARK,"Lektor ""senior""",M,"0,5",41000,True',
        ]
    )
    + "\n",
    "semicolons_decimal_commas.csv": "\n".join(
        [
            _CSV_HEAD.replace(",", ";"),
            "2024;007;ARK-1;ARK;Professor;K;0,8;41 000,50;ja",
            "2024;008;ARK-1;ARK;Lektor;kvinna;80%;41000;nej",
        ]
    )
    + "\n",
    "short_lines.csv": "\n".join([_CSV_HEAD, "2024,P1,ARK-1,ARK,Professor,K", *_CSV_ROWS[1:]]) + "\n",
    "long_line.csv": "\n".join([_CSV_HEAD, _CSV_ROWS[0] + ",extra", *_CSV_ROWS[1:]]) + "\n",
    "header_third_line.csv": "\n".join(["Personal 2024", "", _CSV_HEAD, *_CSV_ROWS]) + "\n",
    "tabs_latin1.csv": "\n".join(
        [
            _CSV_HEAD.replace(",", "\t").replace("gender", "kön"),
            "2024\tP1\tARK-1\tARK\tProfessor\tkvinna\t1\t41000\tnej",
            "2024\tP2\tARK-1\tARK\tLektor\tman\t1\t42000\tnej",
        ]
    ).encode("cp1252"),
    "na_words.csv": "\n".join(
        [_CSV_HEAD, "2024,NA,ARK-1,ARK,Professor,K,1,NULL,False", "2024,P2,ARK-1,ARK,Lektor,M,nan,41000,True"]
    )
    + "\n",
}


def sweep_files(folder: Path) -> list[Path]:
    """Each template with its six rows, and with one cell mistyped per column type (test_template_sweep)."""
    out = []
    for kind in sorted({c[0] for c in ALL_CASES}):
        head, rows = template_rows(kind)
        out.append(write(folder / f"{kind}_ok.xlsx", kind, head, rows))
    for kind, what, column, typed in ALL_CASES:
        head, rows = template_rows(kind)
        at = head.index(column)
        rows[ODD][at] = rows[ODD][at] * 12 if typed == "annual" else typed
        out.append(write(folder / f"{kind}_{column}_{what.replace(' ', '_')}.xlsx", kind, head, rows))
    return out


def all_files(folder: Path) -> list[Path]:
    bad = sorted(p for p in BAD.iterdir() if p.name != "expected.csv")
    return bad + sweep_files(folder) + made_files(folder)


def _plain(v):
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in sorted(v.items())}
    return v if isinstance(v, (str, int, float, bool)) or v is None else str(v)


def result(checked) -> dict:
    """A check's result as plain data: every problem in full, and each sheet's header row, headers and rows."""
    return {
        "problems": [
            {
                "file": p.file,
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "code": p.code,
                "level": p.level,
                "header": p.header,
                "params": _plain(p.params),
                "message": p.message,
                "sv": p.render("sv", headers=True),
            }
            for p in checked.problems
        ],
        "sheets": [
            {
                "name": s.name,
                "kind": s.kind.name,
                "header_row": s.header_row,
                "headers": s.headers,
                "columns": list(s.frame.columns),
                "rows": len(s.frame),
                "values": hashlib.sha256(s.frame.to_csv(index=False).encode()).hexdigest(),
            }
            for s in checked.sheets
        ],
    }


if __name__ == "__main__":
    import tempfile

    try:
        from indicators.store.check import check_file
    except ImportError:  # the Balans before the checker was split (the golden file's source)
        from indicators.store.ingest import check_file
    with tempfile.TemporaryDirectory() as tmp:
        out = {p.name: result(check_file(p)) for p in all_files(Path(tmp))}
    Path(sys.argv[1]).write_text(json.dumps(out, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
