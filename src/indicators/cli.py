"""The command line: `python -m indicators demo|check|import|export|list|history|remove|templates`.

Exit codes: 0 done; 1 the data were refused (every problem on stderr, one a line, naming file,
sheet, row and column; the database unchanged); 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from . import export, registry, store
from .ingest import Checked, check_file
from .privacy import KeyMissing

DONE, REFUSED, USAGE = 0, 1, 2


def _err(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def _open(args) -> "store.duckdb.DuckDBPyConnection":
    return store.connect(args.db)


def _report(checked: list[Checked]) -> None:
    for c in checked:
        for p in c.problems:
            _err(str(p))


def cmd_check(args) -> int:
    checked = [check_file(Path(f), kind=args.kind) for f in args.files]
    _report(checked)
    for c in checked:
        if not c.ok:
            print(f"{c.file}: refused, {len(c.errors)} problem(s)")
            continue
        for s in c.sheets:
            print(f"{c.file}: sheet {s.name}: {s.kind.name}, {len(s.frame)} rows, "
                  f"years {', '.join(map(str, s.years)) or '-'}")
    return DONE if all(c.ok for c in checked) else REFUSED


def cmd_import(args) -> int:
    from .importer import import_files
    con = _open(args)
    result = import_files(con, [Path(f) for f in args.files], kind=args.kind, replace=args.replace)
    _report(result.checked)
    if not result.ok:
        _err(result.refused)
        return REFUSED
    for bid in result.batch_ids:
        row = con.execute("SELECT kind, file_name, sheet, row_count, years FROM import_batches WHERE batch_id = ?",
                          [bid]).fetchone()
        years = ", ".join(map(str, row[4] or [])) or "-"
        print(f"batch {bid}: {row[0]} from {row[1]} (sheet {row[2]}), {row[3]} rows, years {years}")
    return DONE


def cmd_demo(args) -> int:
    from . import demo
    con = _open(args)
    if args.if_empty and store.has_data(con):
        return DONE
    if store.has_data(con) and not args.replace:
        _err(f"{store.db_path_of(con)} already holds data; use --replace to load the demo over it, "
             "or --db to write it elsewhere")
        return REFUSED
    try:
        ids = demo.load(con, seed=args.seed, scale=args.scale, replace_real=args.replace)
    except demo.DemoRefused as e:
        _err(*str(e).splitlines())
        return REFUSED
    n = con.execute("SELECT count(*) FROM staff").fetchone()[0]
    print(f"demo data (synthetic, seed {args.seed}, scale {args.scale:g}): {n} staff rows, "
          f"batches {', '.join(map(str, ids))}, in {store.db_path_of(con)}")
    return DONE


def cmd_export(args) -> int:
    inds = registry.load_all()
    from . import goals  # the scorecard is exported like an indicator but is not one (it spans all sub-goals)
    if args.indicator not in inds and args.indicator not in goals.TABLES:
        _err(f"unknown indicator {args.indicator!r}; `python -m indicators list` shows them")
        return USAGE
    con = _open(args)
    if args.unit != store.ALL_UNITS and not con.execute(
            "SELECT EXISTS (SELECT 1 FROM units WHERE unit = ?)", [args.unit]).fetchone()[0]:
        _err(f"unknown unit {args.unit!r}; units in the database: "
             + ", ".join(r[0] for r in con.execute("SELECT unit FROM units ORDER BY unit").fetchall()[:40]))
        return USAGE
    filters = registry.Filters(unit=args.unit, year=args.year, measure=args.measure)
    if args.indicator in goals.TABLES:
        table = goals.TABLES[args.indicator](con, filters)
    else:
        table = registry.compute(con, args.indicator, filters)
    if args.output and args.output.endswith(".xlsx"):
        Path(args.output).write_bytes(export.to_xlsx({args.indicator: table}))
        return DONE
    data = export.to_csv(table, swedish=args.swedish)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return DONE


def cmd_list(args) -> int:
    for ind in registry.load_all().values():
        print(f"{ind.id}\t{ind.subgoal}\t{ind.title(args.lang)}")
    return DONE


def cmd_history(args) -> int:
    con = _open(args)
    table = store.history(con)
    if table.empty:
        print("no imports yet")
        return DONE
    table["years"] = table["years"].map(lambda ys: ", ".join(map(str, ys)) if ys is not None else "-")
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_rows", 500):
        print(table.drop(columns=["sha256"]).to_string(index=False))
    return DONE


def cmd_remove(args) -> int:
    con = _open(args)
    n = store.remove_batch(con, args.batch)
    print(f"removed batch {args.batch} ({n} rows)")
    return DONE


def cmd_undo_remove(args) -> int:
    con = _open(args)
    print(f"restored batch {store.undo_remove(con)}")
    return DONE


def cmd_passphrase(args) -> int:
    """Print the secrets.toml line for an administrator passphrase (asked for, never echoed)."""
    import getpass
    from .access import hash_passphrase
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
    from .templates import write_templates
    for path in write_templates(Path(args.folder)) if args.folder else write_templates():
        print(path)
    return DONE


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m indicators",
                                description="Balans: gender-balance indicators for a university")
    sub = p.add_subparsers(dest="command", required=True)

    def with_db(sp):
        sp.add_argument("--db", help="the DuckDB file (default: $BALANS_DB or data/balans.duckdb)")
        return sp

    sp = with_db(sub.add_parser("demo", help="write the synthetic demo data set"))
    sp.add_argument("--seed", type=int, default=0)
    sp.add_argument("--scale", type=float, default=1.0, help="multiply the staff count (benchmarks)")
    sp.add_argument("--replace", action="store_true", help="load the demo over existing data")
    sp.add_argument("--if-empty", action="store_true", help="only when the database holds no data")
    sp.set_defaults(run=cmd_demo)

    sp = sub.add_parser("check", help="validate files without writing anything")
    sp.add_argument("files", nargs="+")
    sp.add_argument("--kind", choices=sorted(_kinds()))
    sp.set_defaults(run=cmd_check)

    sp = with_db(sub.add_parser("import", help="validate and import files"))
    sp.add_argument("files", nargs="+")
    sp.add_argument("--kind", choices=sorted(_kinds()))
    sp.add_argument("--replace", action="store_true", help="replace a kind and year imported before")
    sp.set_defaults(run=cmd_import)

    sp = with_db(sub.add_parser("export", help="write one indicator's table as CSV (or xlsx)"))
    sp.add_argument("indicator")
    sp.add_argument("--unit", default=store.ALL_UNITS, help="unit code, with its sub-units (default: all)")
    sp.add_argument("--year", type=int)
    sp.add_argument("--measure", choices=["headcount", "fte"], default="headcount")
    sp.add_argument("--swedish", action="store_true", help="semicolons and decimal commas")
    sp.add_argument("-o", "--output", help="file to write (.csv or .xlsx); default stdout")
    sp.set_defaults(run=cmd_export)

    sp = sub.add_parser("list", help="indicator ids, sub-goal and title")
    sp.add_argument("--lang", choices=["en", "sv"], default="en")
    sp.set_defaults(run=cmd_list)

    sp = with_db(sub.add_parser("history", help="import batches"))
    sp.set_defaults(run=cmd_history)

    sp = with_db(sub.add_parser("remove", help="remove one import batch and its rows"))
    sp.add_argument("batch", type=int)
    sp.set_defaults(run=cmd_remove)

    sp = with_db(sub.add_parser("undo-remove", help="bring back the batch removed last (until the next import)"))
    sp.set_defaults(run=cmd_undo_remove)

    sp = sub.add_parser("passphrase", help="make the secrets.toml entry for the app's administrator passphrase")
    sp.set_defaults(run=cmd_passphrase)

    sp = sub.add_parser("templates", help="write the xlsx import templates")
    sp.add_argument("folder", nargs="?")
    sp.set_defaults(run=cmd_templates)
    return p


def _kinds():
    from .schema import KINDS
    return KINDS


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (store.StoreError, KeyMissing) as e:
        _err(str(e))
        return REFUSED
    except BrokenPipeError:
        return DONE
