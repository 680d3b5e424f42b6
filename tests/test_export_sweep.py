"""Every `python -m indicators export` a user can ask for finishes without a traceback (issue 20, item 4).

One demo database (scale 0.3, built once for the module) and the command line's main() called in
process, so the sweep costs the exports and not a Python start-up each: every indicator of `list`
and the scorecard's two tables, in the machine CSV, the Swedish CSV and xlsx, for the whole
university and for one department; the plan, the pay survey, the workbook and the report likewise.
A refusal is allowed only as exit code 2 with a message (plan for the whole university, a pay survey
without --exact where that is required); anything raised is a traceback and fails.
"""

from __future__ import annotations

import contextlib
import io
from html import escape

import openpyxl
import pytest

from indicators import cli
from indicators.present import export, pages
from indicators.protect import registry
from indicators.subgoals import goals

DEPARTMENT = "ARK-1"  # a department of the demo's School of Architecture
UNITS = ("*", DEPARTMENT)
YEAR = 2025

DEMO = {"scale": 0.3}  # conftest's demo_db, at the scale the sweep can afford


def run(*args) -> tuple[int, bytes, str]:
    """main() in process: (exit code, stdout bytes, stderr text). An exception is a traceback: it fails."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as e:  # argparse: a usage error
            code = e.code
    out.flush()
    assert "Traceback" not in err.getvalue(), err.getvalue()
    return code, out.buffer.getvalue(), err.getvalue()


def check_output(code: int, data: bytes, err: str, fmt: str, path=None) -> None:
    assert code == 0, err
    if fmt == "xlsx":
        book = openpyxl.load_workbook(path)
        assert book.sheetnames
    elif fmt == "html":
        assert path.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    else:
        assert data.startswith("\ufeff".encode()), data[:40]
        header = data.decode("utf-8-sig").split("\r\n")[0]
        assert header and (";" in header if fmt == "swedish" else True), header


FORMATS = ("csv", "swedish", "xlsx")
TABLES = sorted(registry.load_all()) + sorted(goals.TABLES)


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("indicator", TABLES)
def test_every_indicator_exports_in_every_format(demo_db, tmp_path, indicator, unit):
    for fmt in FORMATS:
        args = ["export", indicator, "--unit", unit, "--year", YEAR, "--db", demo_db]
        path = tmp_path / f"{indicator}.xlsx"
        if fmt == "swedish":
            args.append("--swedish")
        if fmt == "xlsx":
            args += ["-o", path]
        check_output(*run(*args), fmt, path)


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("what", ["plan", "pay_survey"])
def test_plan_and_pay_survey_export_in_every_format(demo_db, tmp_path, what, unit):
    formats = (*FORMATS, "html") if what == "pay_survey" else FORMATS
    for fmt in formats:
        path = tmp_path / f"{what}.{fmt}"
        args = ["export", what, "--unit", unit, "--year", YEAR, "--db", demo_db, "--exact"]
        if fmt == "swedish":
            args.append("--swedish")
        if fmt in ("xlsx", "html"):
            args += ["-o", path]
        code, data, err = run(*args)
        if what == "plan" and unit == "*":
            # a plan is a unit's: the whole university is refused as a usage error, with a message
            assert code == 2 and "--unit" in err, (code, err)
            continue
        check_output(code, data, err, fmt, path)
        # without --exact: the table, or (where exact figures are required) exit 2 with a message
        code, data, err = run(*[a for a in args if a != "--exact"])
        assert code == 0 or (code == 2 and err.strip()), (code, err)


@pytest.mark.parametrize("unit", UNITS)
def test_workbook_and_report_export(demo_db, tmp_path, unit):
    """What the Export page makes, from the command line: one sheet per indicator in page order, titled
    as on its page (pages.report_sections), then the plan; the report's sections in the same order."""
    files = {}
    for what, fmt in (("workbook", "xlsx"), ("report", "html")):
        path = files[what] = tmp_path / f"{what}.{fmt}"
        check_output(
            *run("export", what, "--unit", unit, "--year", YEAR, "--lang", "en", "--db", demo_db, "-o", path), fmt, path
        )
        # and without a year: the unit's latest complete year, as the app opens
        again = tmp_path / f"{what}_latest.{fmt}"
        check_output(*run("export", what, "--unit", unit, "--db", demo_db, "-o", again), fmt, again)
    if unit != DEPARTMENT:
        return
    titles = [s.title("en") for s in pages.report_sections()]
    sheets = openpyxl.load_workbook(files["workbook"], read_only=True).sheetnames
    assert sheets == export.sheet_names(titles + ["Plan and follow-up"])
    # The demo's ARK-1 is the Department of Architecture and Design.
    name = "Department of Architecture and Design"
    text = files["report"].read_text(encoding="utf-8")
    assert f"<h1>Balans – report for {name}, {YEAR}</h1>" in text
    positions = [text.index(f"<h2>{escape(s.title('en', name, YEAR))}</h2>") for s in pages.report_sections()]
    assert positions == sorted(positions)
    code, _, err = run("export", "report", "-o", tmp_path / "all.txt", "--db", demo_db)
    assert code == 2 and "needs -o/--output FILE.html" in err
