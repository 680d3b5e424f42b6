"""The command line: `python -m indicators demo|check|import|export|list|history|remove|templates`.

Exit codes: 0 done; 1 the data were refused (every problem on stderr, one a line, naming file,
sheet, row and column; the database unchanged), or another writer held the store too long; 2 usage.

Commands that change data (import, remove, undo-remove, demo, publish) write the store under the
writer lock and publish a snapshot (writer.py); those that read (history, export) read the newest
snapshot (snapshot.py), so they work while the app or an import runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path

import pandas as pd

from . import catalogue, demo
from .plan.importer import check_plan_file, import_plan_files, is_plan_file
from .present import export
from .protect import privacy, registry
from .protect.access import hash_passphrase
from .protect.privacy import KeyMissing
from .store import database, snapshot, writer, years
from .store.check import Checked
from .store.importer import check_files, store_checked
from .store.schema import KINDS, POSITION_CATEGORIES
from .subgoals import goals

DONE, REFUSED, USAGE = 0, 1, 2


def _err(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def _read(args):
    """The newest published snapshot, read-only: never waits for a writer."""
    return writer.reader(args.db).connection()


def _write(args):
    """The store under the writer lock (waiting up to --wait seconds); published when done."""
    return writer.writing(
        args.db, wait=args.wait, on_wait=lambda h: _err(f"waiting for the writer lock: {writer.describe(h)}")
    )


def _report(checked: list[Checked]) -> None:
    for c in checked:
        for p in c.problems:
            _err(str(p))


def _plan_files(files: list[str]) -> list[str] | None:
    """The plan template's files among `files`; None (after a message) when plan and data files are mixed."""
    found = [f for f in files if is_plan_file(Path(f))]
    if found and len(found) != len(files):
        _err(
            "the plan template is imported on its own: run the import once for "
            + ", ".join(found)
            + " and once for the other files"
        )
        return None
    return found


def _cli_user() -> str:
    try:
        return "cli:" + getpass.getuser()
    except Exception:  # no login name (a container): still say where the change came from
        return "cli"


def cmd_check(args) -> int:
    plan_files = _plan_files(args.files)
    if plan_files is None:
        return USAGE
    if plan_files:
        # Read only: a check writes nothing; the plan's units must exist in the newest snapshot.
        con = _read(args)
        ok = True
        for f in plan_files:
            c = check_plan_file(con, Path(f))
            for p in c.problems:
                _err(str(p))
            ok &= c.ok
            print(f"{c.file}: " + (f"plan, {len(c.changes)} change(s)" if c.ok else "refused"))
        return DONE if ok else REFUSED
    # the files as one import would take them: sheets of one kind across the files checked together
    checked = check_files([Path(f) for f in args.files], kind=args.kind).checked
    _report(checked)
    for c in checked:
        if not c.ok:
            print(f"{c.file}: refused, {len(c.errors)} problem(s)")
            continue
        for s in c.sheets:
            print(
                f"{c.file}: sheet {s.name}: {s.kind.name}, {len(s.frame)} rows, "
                f"years {', '.join(map(str, s.years)) or '-'}"
            )
    return DONE if all(c.ok for c in checked) else REFUSED


def cmd_import(args) -> int:
    plan_files = _plan_files(args.files)
    if plan_files is None:
        return USAGE
    if plan_files:
        with _write(args) as con:
            return _import_plan(con, plan_files)
    # Checked before the lock is taken: refusing a bad file needs no database, and the lock is held
    # only while writing.
    result = check_files([Path(f) for f in args.files], kind=args.kind)
    lines = []
    if result.ok:
        with _write(args) as con:
            result = store_checked(con, result, replace=args.replace)
            for bid in result.batch_ids:
                row = con.execute(
                    "SELECT kind, file_name, sheet, row_count, years FROM import_batches WHERE batch_id = ?", [bid]
                ).fetchone()
                years = ", ".join(map(str, row[4] or [])) or "-"
                lines.append(f"batch {bid}: {row[0]} from {row[1]} (sheet {row[2]}), {row[3]} rows, years {years}")
    _report(result.checked)
    if not result.ok:
        _err(result.refused)
        return REFUSED
    print(*lines, sep="\n")
    return DONE


def _import_plan(con, files: list[str]) -> int:
    result = import_plan_files(con, [Path(f) for f in files], who=_cli_user())
    for p in result.problems:
        _err(str(p))
    if not result.ok:
        _err(*result.refusal().splitlines())
        return REFUSED
    w = result.written
    print(
        f"plan from {', '.join(files)}: {len(w.get('measures', []))} measure(s), "
        f"{len(w.get('findings', []))} pay-survey finding(s), {len(w.get('consultations', []))} consultation(s) saved"
    )
    return DONE


def cmd_demo(args) -> int:
    # Under the lock even with --if-empty and data present: leaving it publishes a store that holds
    # what no snapshot does (a first run after upgrading, a writer killed before publishing).
    with _write(args) as con:
        if args.if_empty and database.has_data(con):
            return DONE
        if database.has_data(con) and not args.replace:
            _err(
                f"{database.db_path_of(con)} already holds data; use --replace to load the demo over it, "
                "or --db to write it elsewhere"
            )
            return REFUSED
        try:
            ids = demo.load(con, seed=args.seed, scale=args.scale, replace_real=args.replace)
        except demo.DemoRefused as e:
            _err(*str(e).splitlines())
            return REFUSED
        n = con.execute("SELECT count(*) FROM staff").fetchone()[0]
        where = database.db_path_of(con)
    print(
        f"demo data (synthetic, seed {args.seed}, scale {args.scale:g}): {n} staff rows, "
        f"batches {', '.join(map(str, ids))}, in {where}"
    )
    return DONE


def _known_unit(con, unit: str) -> bool:
    """Whether --unit names a unit of the database (or the whole organisation); else says which exist."""
    if (
        unit == database.ALL_UNITS
        or con.execute("SELECT EXISTS (SELECT 1 FROM units WHERE unit = ?)", [unit]).fetchone()[0]
    ):
        return True
    _err(
        f"unknown unit {unit!r}; units in the database: "
        + ", ".join(r[0] for r in con.execute("SELECT unit FROM units ORDER BY unit").fetchall()[:40])
    )
    return False


CONFIDENTIAL = "exact figures — confidential: nothing is adjusted or hidden; share only with those entitled to them"


def _export_plan(args) -> int:
    """`export plan --unit U --year Y` and `export pay_survey --year Y` (xlsx, html or CSV)."""
    from .plan.followup import page_table, plan_view  # here, not at the top: the files bring openpyxl and Plotly
    from .plan.survey import pay_survey  # here, not at the top: as above, only this command needs them
    from .plan.workbook import pay_survey_html, pay_survey_xlsx, plan_xlsx  # here, not at the top: as above

    if args.year is None or (args.indicator == "plan" and args.unit == database.ALL_UNITS):
        _err("export plan needs --unit and --year; export pay_survey needs --year")
        return USAGE
    if args.indicator == "pay_survey":
        # The written pay survey rests on exact figures (the law asks for them), so it exists only in
        # the exact tier: asked for explicitly, and said to be confidential (docs/privacy.md, "Who sees what").
        if not args.exact:
            _err(
                "export pay_survey gives exact figures (confidential: the pay survey needs them); "
                "add --exact to confirm you are entitled to them"
            )
            return USAGE
        _err(CONFIDENTIAL)
    con = _read(args)
    if not _known_unit(con, args.unit):
        return USAGE
    out = (args.output or "").lower()
    if args.indicator == "plan":
        if out.endswith(".xlsx"):
            Path(args.output).write_bytes(plan_xlsx(con, args.unit, args.year))
            return DONE
        # the Plan page's download: the unit with its sub-units, in the page's language (views/plan.py)
        table, table_id = page_table(plan_view(con, args.unit, args.year, sub_units=True), args.lang), "plan"
    else:
        if out.endswith(".xlsx"):
            Path(args.output).write_bytes(pay_survey_xlsx(con, args.year))
            return DONE
        if out.endswith(".html"):
            note = "demodata (syntetiska)" if database.has_synthetic(con) else None
            Path(args.output).write_text(pay_survey_html(con, args.year, synthetic_note=note), encoding="utf-8")
            return DONE
        table, table_id = pay_survey(con, args.year).differences, "pay_survey.differences"
    return _write_csv(args, con, table, table_id)


def _write_csv(args, con, table: pd.DataFrame, table_id: str) -> int:
    """The table as the page's downloads write it: --swedish is the page's Swedish CSV, byte for byte
    (export.swedish_csv: Swedish headers and words, rounded as shown, unit names in Swedish), else the
    machine CSV (export.machine_csv: codes, full precision without float noise)."""
    from .present import pages  # here, not at the top: it brings Plotly, which the other commands do not need

    if args.swedish:  # Swedish whatever --lang: unit names too
        data = export.swedish_csv(table, table_id, pages.k_of(table_id), database.unit_names(con, "sv"))
    else:
        data = export.machine_csv(table, table_id)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return DONE


def _export_all(args, filters) -> int:
    """`export workbook -o F.xlsx` and `export report -o F.html`: what the Export page makes."""
    from . import report  # here, not at the top: it brings Plotly, which the other commands do not need

    out = args.output or ""
    suffix = ".xlsx" if args.indicator == "workbook" else ".html"
    if not out.lower().endswith(suffix):
        _err(f"export {args.indicator} needs -o/--output FILE{suffix}")
        return USAGE
    con = _read(args)
    if filters.year is None:  # as the app opens: the unit's latest complete year
        from .present import pages  # here, not at the top: it brings Plotly, which the other commands do not need

        filters = pages.governed(filters.with_(year=years.default_year(years.coverage(con, filters.unit))))
    if args.indicator == "workbook":
        data = report.workbook(con, filters, args.lang)
    else:
        data = report.html_report(con, filters, report.context(con, filters, args.lang), dt.datetime.now())
    Path(out).write_bytes(data)
    return DONE


# HR's documents of Directive 2023/970 (issue 21): exact figures only, as the pay survey.
DIRECTIVE_EXPORTS = ("art9_public", "art9_internal", "art7_letter", "art10")


def _export_directive(args) -> int:
    """`export art9_public|art9_internal --year Y --exact -o F.xlsx|.html|.json|.csv`, `export art7_letter
    --person ID --year Y --exact -o F.html`, `export art10 --category PART:CATEGORY --year Y --exact -o
    F.xlsx|.html`: HR's documents, in exact figures (docs/pay-transparency.md, "Pay transparency (Directive 2023/970)")."""
    from .directive import art7, art10  # here, not at the top: the documents bring openpyxl and Plotly
    from .present import art9  # here, not at the top: as above
    from .subgoals.pay import worker  # here, not at the top: only these commands need it

    name = args.indicator
    if not args.exact:
        _err(
            f"export {name} gives exact figures (confidential: the directive's reports need them); "
            "add --exact to confirm you are entitled to them"
        )
        return USAGE
    if args.year is None or not args.output:
        _err(f"export {name} needs --year and -o/--output FILE")
        return USAGE
    suffix = Path(args.output).suffix.lower()
    allowed = {
        "art9_public": (".xlsx", ".html", ".json", ".csv"),
        "art9_internal": (".xlsx", ".html", ".json", ".csv"),
        "art7_letter": (".html",),
        "art10": (".xlsx", ".html"),
    }[name]
    if suffix not in allowed:
        _err(f"export {name} writes {', '.join(allowed)} files, not {suffix or args.output}")
        return USAGE
    _err(CONFIDENTIAL)
    con = _read(args)
    if not _known_unit(con, args.unit):
        return USAGE
    registry.load_all()
    employer = (
        database.unit_names(con, args.lang).get(args.unit, args.unit)
        if args.unit != database.ALL_UNITS
        else _employer(con, args.lang)
    )
    if name.startswith("art9_"):
        report = art9.official(con, args.year, args.unit, employer)
        art9.write(report, name.removeprefix("art9_"), args.output, args.lang)
        return DONE
    if name == "art7_letter":
        if not args.person:
            _err("export art7_letter needs --person ID (the employee number or personnummer, as in the staff sheet)")
            return USAGE
        key = privacy.load_key(args.db or database.default_db_path(), data_exist=True)
        answer = worker.answer(con, worker.person_key(args.person, args.year, key), args.year)
        if not answer.found:
            _err(f"no employee with that id in the staff sheet for {args.year}")
            return REFUSED
        Path(args.output).write_text(art7.letter_html(answer, args.lang, employer), encoding="utf-8")
        if answer.withheld:
            _err(
                "the category is too small to state an average without revealing a colleague's pay: "
                'the letter says so (docs/pay-transparency.md, "Art. 7, the worker\'s answer")'
            )
        return DONE
    part, _, category = (args.category or "").partition(":")
    if part not in ("position", "value_group", "job_level") or not category:
        _err(
            "export art10 needs --category PART:CATEGORY, e.g. value_group:3, job_level:5 or position:lecturer "
            "(the art. 9 report's categories; `export art9_internal` lists them)"
        )
        return USAGE
    if suffix == ".xlsx":
        Path(args.output).write_bytes(art10.assessment_xlsx(con, args.year, part, category, args.lang, employer))
    else:
        Path(args.output).write_text(
            art10.assessment_html(con, args.year, part, category, args.lang, employer), encoding="utf-8"
        )
    return DONE


def _employer(con, lang: str) -> str:
    """The organisation's name: its single top unit's, else the whole organisation's words."""
    tops = [u for (u,) in con.execute("SELECT unit FROM units WHERE parent_unit IS NULL").fetchall()]
    return (
        database.unit_names(con, lang).get(tops[0], tops[0])
        if len(tops) == 1
        else catalogue.text("app", "whole_org", lang)
    )


def cmd_request(args) -> int:
    """`request receive|answer|list`: the log of workers' requests for pay information (art. 7)."""
    from .directive import art7  # here, not at the top: the letters bring the HTML document and Plotly
    from .subgoals.pay import worker  # here, not at the top: only this command needs it

    day = dt.date.fromisoformat(args.on) if getattr(args, "on", None) else dt.date.today()
    if args.action == "list":
        con = _read(args)
        table = art7.requests(con, args.year)
        if table.empty:
            print("no requests")
            return DONE
        return _write_csv(args, con, table, "pay_requests")
    if args.action == "answer" and args.request is None:
        _err("request answer needs the request's number (`request list` shows them)")
        return USAGE
    with _write(args) as con:
        if args.action == "receive":
            if not args.person or args.year is None:
                _err("request receive needs --person ID and --year Y (the year the worker asks about)")
                return USAGE
            key = worker.person_key(args.person, args.year, privacy.load_key(database.db_path_of(con), data_exist=True))
            if worker.own_pay(con.cursor(), key, args.year) is None:
                _err(f"no employee with that id in the staff sheet for {args.year}")
                return REFUSED
            rid = art7.receive(con, key, args.year, day, who=_cli_user(), via="cli", notes=args.notes)
            deadline = art7.status(day, None, day)[1]
            print(f"request {rid} received {day}, to be answered by {deadline}")
        else:
            try:
                art7.answered(con, args.request, day, who=_cli_user(), via="cli")
            except art7.UnknownRequest as e:
                _err(str(e))
                return REFUSED
            print(f"request {args.request} answered {day}")
    return DONE


def cmd_export(args) -> int:
    if args.indicator in ("plan", "pay_survey"):
        return _export_plan(args)
    if args.indicator in DIRECTIVE_EXPORTS:
        return _export_directive(args)
    inds = registry.load_all()
    from .present import pages  # here, not at the top: it brings Plotly, which the other commands do not need

    if (
        args.indicator not in inds
        and args.indicator not in goals.TABLES
        and args.indicator not in ("workbook", "report")
    ):
        _err(f"unknown indicator {args.indicator!r}; `python -m indicators list` shows them")
        return USAGE
    con = _read(args)
    if not _known_unit(con, args.unit):
        return USAGE
    positions = tuple(p for p in (args.positions or "").split(",") if p)
    unknown = [p for p in positions if p not in POSITION_CATEGORIES]
    if unknown:
        _err(
            f"unknown position categor{'y' if len(unknown) == 1 else 'ies'} {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(POSITION_CATEGORIES)}"
        )
        return USAGE
    # governed: as on the page of that year, a trend ends at --year (pages.py)
    filters = pages.governed(
        registry.Filters(
            unit=args.unit,
            year=args.year,
            year_from=args.year_from,
            year_to=args.year_to,
            positions=positions,
            measure=args.measure,
            employment_type=args.employment_type,
            exact=args.exact,
            pay=args.pay,
        )
    )
    if args.indicator in inds and privacy.widened(inds[args.indicator].protection, filters):
        _err(
            f"{args.indicator} gives salary figures for one position or for all positions, never for several "
            "together (a salary could otherwise be worked out by difference); give one --positions, none, or --exact"
        )
        return USAGE
    if args.exact:  # stderr, so that the CSV on stdout stays a table
        _err(CONFIDENTIAL)
    if args.indicator in ("workbook", "report"):
        return _export_all(args, filters)
    if args.indicator in goals.TABLES:
        table = goals.TABLES[args.indicator](con, filters)
    else:
        table = registry.compute(con, args.indicator, filters)
    if args.output and args.output.endswith(".xlsx"):
        title = inds[args.indicator].title(args.lang) if args.indicator in inds else args.indicator
        Path(args.output).write_bytes(
            export.workbook(
                [(title, table, args.indicator)],
                args.lang,
                pages.k_of(args.indicator),
                database.unit_names(con, args.lang),
            )
        )
        return DONE
    return _write_csv(args, con, table, args.indicator)


def cmd_list(args) -> int:
    for ind in registry.load_all().values():
        print(f"{ind.id}\t{ind.subgoal}\t{ind.title(args.lang)}")
    return DONE


def cmd_history(args) -> int:
    reader = writer.reader(args.db)
    table = database.history(reader.connection())
    if table.empty:
        print("no imports yet")
        return DONE
    table["years"] = table["years"].map(lambda ys: ", ".join(map(str, ys)) if ys is not None else "-")
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_rows", 500):
        print(table.drop(columns=["sha256"]).to_string(index=False))
    pointer = snapshot.read_pointer(reader.db)
    if pointer is not None:
        print(f"(snapshot generation {pointer.generation}, published {pointer.published_at.replace('T', ' ')})")
    return DONE


def cmd_remove(args) -> int:
    with _write(args) as con:
        n = database.remove_batch(con, args.batch)
    print(f"removed batch {args.batch} ({n} rows)")
    return DONE


def cmd_undo_remove(args) -> int:
    with _write(args) as con:
        batch_id = database.undo_remove(con)
    print(f"restored batch {batch_id}")
    return DONE


def cmd_publish(args) -> int:
    """Publish the store if a snapshot is behind it (a writer killed after committing); else say so."""
    generation = writer.refresh(args.db, wait=args.wait)
    pointer = snapshot.read_pointer(args.db or database.default_db_path())
    if generation is not None:
        print(f"published generation {generation}")
    elif pointer is not None:
        print(f"the snapshot is up to date (generation {pointer.generation})")
    else:
        print("nothing to publish: there is no database yet")
    return DONE


def cmd_passphrase(args) -> int:
    """Print the secrets.toml line for an administrator passphrase (asked for, never echoed)."""
    first = getpass.getpass("Administrator passphrase: ")
    if len(first) < 12:
        _err("use at least 12 characters")
        return USAGE
    if getpass.getpass("Again: ") != first:
        _err("the two did not match")
        return USAGE
    print("[balans]")
    print(f'admin_passphrase = "{hash_passphrase(first)}"')
    return DONE


def cmd_templates(args) -> int:
    # here, not at the top: they bring openpyxl, which only this command needs
    from .plan.workbook import template_bytes
    from .store.templates import TEMPLATE_DIR, write_templates  # (the same)

    folder = Path(args.folder) if args.folder else TEMPLATE_DIR
    # the plan and pay-survey template beside the sheet kinds': several sheets, its own import (plan/importer.py)
    plan_path = folder / "balans_plan_template.xlsx"
    paths = write_templates(folder)
    plan_path.write_bytes(template_bytes())
    for path in [*paths, plan_path]:
        print(path)
    return DONE


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m indicators", description="Balans: gender-balance indicators for a university"
    )
    sub = p.add_subparsers(dest="command", required=True)

    def with_db(sp, writes: bool = False):
        sp.add_argument("--db", help="the DuckDB file (default: $BALANS_DB or data/balans.duckdb)")
        if writes:
            sp.add_argument(
                "--wait",
                type=float,
                metavar="SECONDS",
                help=f"how long to wait for another writer (default: $BALANS_WRITE_WAIT or {writer.WAIT_SECONDS:g})",
            )
        return sp

    sp = with_db(sub.add_parser("demo", help="write the synthetic demo data set"), writes=True)
    sp.add_argument("--seed", type=int, default=0)
    sp.add_argument("--scale", type=float, default=1.0, help="multiply the staff count (benchmarks)")
    sp.add_argument("--replace", action="store_true", help="load the demo over existing data")
    sp.add_argument("--if-empty", action="store_true", help="only when the database holds no data")
    sp.set_defaults(run=cmd_demo)

    sp = with_db(sub.add_parser("check", help="validate files without writing anything"))
    sp.add_argument("files", nargs="+")
    sp.add_argument("--kind", choices=sorted(_kinds()))
    sp.set_defaults(run=cmd_check)

    sp = with_db(sub.add_parser("import", help="validate and import files"), writes=True)
    sp.add_argument("files", nargs="+")
    sp.add_argument("--kind", choices=sorted(_kinds()))
    sp.add_argument("--replace", action="store_true", help="replace a kind and year imported before")
    sp.set_defaults(run=cmd_import)

    sp = with_db(
        sub.add_parser(
            "export",
            help="write one indicator's table as CSV (or xlsx); `workbook` / `report`: every table as xlsx / HTML",
        )
    )
    sp.add_argument("indicator")
    sp.add_argument("--unit", default=database.ALL_UNITS, help="unit code, with its sub-units (default: all)")
    sp.add_argument("--year", type=int)
    sp.add_argument("--from", dest="year_from", type=int, help="first year of a trend (default: the first with data)")
    sp.add_argument("--to", dest="year_to", type=int, help="last year of a trend (default: the last with data)")
    sp.add_argument("--positions", help="position categories, comma-separated (default: all), as the app's filter")
    sp.add_argument("--employment-type", choices=["permanent", "temporary"])
    sp.add_argument("--measure", choices=["headcount", "fte"], default="headcount")
    sp.add_argument(
        "--pay",
        choices=["monthly", "annual", "hourly"],
        default="monthly",
        help="the measure of pay of the pay tables: full-time monthly salary (default), gross annual or hourly pay",
    )
    sp.add_argument("--person", help="art7_letter: the employee's id (employee number or personnummer)")
    sp.add_argument(
        "--category", help="art10: the category, PART:CATEGORY (value_group:3, job_level:5, position:lecturer)"
    )
    sp.add_argument(
        "--exact", action="store_true", help="exact figures, nothing adjusted or hidden (confidential: HR's pay survey)"
    )
    sp.add_argument("--swedish", action="store_true", help="semicolons and decimal commas")
    sp.add_argument(
        "--lang",
        choices=["sv", "en"],
        default="sv",
        help="headers and words of an xlsx, the workbook and the report (default: sv)",
    )
    sp.add_argument("-o", "--output", help="file to write (.csv or .xlsx; pay_survey also .html); default stdout")
    sp.set_defaults(run=cmd_export)

    sp = with_db(
        sub.add_parser("request", help="the log of workers' requests for pay information (art. 7)"), writes=True
    )
    sp.add_argument("action", choices=["receive", "answer", "list"])
    sp.add_argument("request", nargs="?", type=int, help="answer: the request's number")
    sp.add_argument("--person", help="receive: the employee's id (employee number or personnummer)")
    sp.add_argument("--year", type=int, help="receive: the year asked about; list: only that year")
    sp.add_argument("--on", help="the date received or answered, YYYY-MM-DD (default: today)")
    sp.add_argument("--notes")
    sp.add_argument("--swedish", action="store_true")
    sp.add_argument("--lang", choices=["sv", "en"], default="sv")
    sp.add_argument("-o", "--output")
    sp.set_defaults(run=cmd_request)

    sp = sub.add_parser("list", help="indicator ids, sub-goal and title")
    sp.add_argument("--lang", choices=["en", "sv"], default="en")
    sp.set_defaults(run=cmd_list)

    sp = with_db(sub.add_parser("history", help="import batches"))
    sp.set_defaults(run=cmd_history)

    sp = with_db(sub.add_parser("remove", help="remove one import batch and its rows"), writes=True)
    sp.add_argument("batch", type=int)
    sp.set_defaults(run=cmd_remove)

    sp = with_db(
        sub.add_parser("undo-remove", help="bring back the batch removed last (until the next import)"), writes=True
    )
    sp.set_defaults(run=cmd_undo_remove)

    sp = with_db(
        sub.add_parser("publish", help="publish the database for the readers if a writer stopped before it could"),
        writes=True,
    )
    sp.set_defaults(run=cmd_publish)

    sp = sub.add_parser("passphrase", help="make the secrets.toml entry for the app's administrator passphrase")
    sp.set_defaults(run=cmd_passphrase)

    sp = sub.add_parser("templates", help="write the xlsx import templates")
    sp.add_argument("folder", nargs="?")
    sp.set_defaults(run=cmd_templates)
    return p


def _kinds():
    return KINDS


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (database.StoreError, KeyMissing) as e:
        _err(str(e))
        return REFUSED
    except BrokenPipeError:
        return DONE
