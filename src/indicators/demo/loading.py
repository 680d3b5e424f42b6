"""Loading the demo: its sheets checked through the real import path and stored as synthetic batches,
never over data that were really imported, and removed again."""

from __future__ import annotations

from ..catalogue.phrases import kind_name
from ..plan.records import remove_synthetic
from ..store import database
from ..store.check import check_sheet
from ..store.read import frame_to_grid
from ..store.schema import KINDS
from .plan import load_plan
from .university import DEMO_FILE, generate


class DemoRefused(Exception):
    """The generator and the validator disagree: a bug in Balans, not the user's doing."""


class RealDataInTheWay(DemoRefused):
    """Loading the demo would replace data that were really imported (not synthetic): refused.

    `batches` lists them as dicts of batch_id, kind, file_name and years (those the demo would
    replace), so that a page can say it in its own language; str() is the command line's English."""

    def __init__(self, batches: list[dict]):
        self.batches = batches
        lines = [
            f"batch {b['batch_id']}: {b['kind']} from {b['file_name']}, years {', '.join(map(str, b['years'])) or '-'}"
            for b in batches
        ]
        super().__init__(
            "the demo data would replace data that were really imported (not synthetic):\n"
            + "\n".join(lines)
            + "\nremove those batches first, or load the demo into another "
            "database (--db)"
        )


def real_data_in_the_way(con, years: dict[str, list[int]], units: list[str] = ()) -> list[dict]:
    """The batches of real (not synthetic) data that loading data of these kinds and years would
    replace (import_sheets with replace=True deletes a kind's rows of those years): a batch of the
    same kind, not replaced already, sharing a year; and, since the units kind has no years, a real
    units batch naming one of these units."""
    out: dict[int, dict] = {}
    for kind, wanted in years.items():
        if not wanted:
            continue
        rows = con.execute(
            """SELECT batch_id, kind, file_name, list_intersect(years, ?::INTEGER[])
               FROM import_batches
               WHERE kind = ? AND NOT synthetic AND replaced_by IS NULL
                 AND len(list_intersect(years, ?::INTEGER[])) > 0""",
            [wanted, kind, wanted],
        ).fetchall()
        for batch_id, k, file_name, overlap in rows:
            out[batch_id] = {"batch_id": batch_id, "kind": k, "file_name": file_name, "years": sorted(overlap)}
    if len(units):
        for batch_id, k, file_name in con.execute(
            """SELECT DISTINCT b.batch_id, b.kind, b.file_name
                   FROM units u JOIN import_batches b USING (batch_id)
                   WHERE NOT b.synthetic AND u.unit IN (SELECT unnest(?::VARCHAR[]))""",
            [list(units)],
        ).fetchall():
            out[batch_id] = {"batch_id": batch_id, "kind": k, "file_name": file_name, "years": []}
    return [out[b] for b in sorted(out)]


def load(con, seed: int = 0, scale: float = 1.0, *, replace_real: bool = False) -> list[int]:
    """Validate the generated sheets through the real import path and store them as synthetic
    batches (replacing any earlier demo data of those kinds and years); return the batch ids.

    Real data (batches not marked synthetic) of the same kinds and years are never replaced unless
    replace_real is set (the command line's `demo --replace`): RealDataInTheWay, nothing written.
    Shared by `python -m indicators demo` and the app's "load the demo data" button, so both refuse.
    """
    frames = generate(seed=seed, scale=scale)
    if not replace_real:  # before the validation below, which takes seconds at scale 1
        in_the_way = real_data_in_the_way(
            con,
            {k: sorted(int(y) for y in f["year"].unique()) for k, f in frames.items() if "year" in f},
            frames["units"]["unit"].tolist() if "units" in frames else [],
        )
        if in_the_way:
            raise RealDataInTheWay(in_the_way)
    sheets = []
    for name in frames:  # units, staff, committees and any aggregated kinds the generator makes
        # Named as a Swedish university's file names its sheets (the Swedish kind, which Balans recognises),
        # so that the import history shows the demo's sheets as a Swedish file would, in either language.
        sheet, problems = check_sheet(DEMO_FILE, kind_name(name, "sv"), frame_to_grid(frames[name]), KINDS[name], 0)
        errors = [str(p) for p in problems if p.level == "error"]
        if errors:
            raise DemoRefused("\n".join(errors[:20]))
        sheets.append(sheet)
    ids = database.import_sheets(con, sheets, sha256={}, replace=True, synthetic=True)
    load_plan(con)
    return ids


def remove(con) -> int:
    """Remove every synthetic batch; return how many were removed."""
    ids = [
        r[0] for r in con.execute("SELECT batch_id FROM import_batches WHERE synthetic ORDER BY batch_id").fetchall()
    ]
    remove_synthetic(con)
    for batch_id in ids:
        database.remove_batch(con, batch_id)
    return len(ids)
