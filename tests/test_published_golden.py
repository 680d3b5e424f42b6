"""The published tables of every indicator on the demo, byte for byte as they were before the speed
work of issue 25 (privacy.publish on arrays, the publish-time cells): a change that is meant to be
pure speed must leave every published number, every hidden cell and every column type as it was.

The golden file (tests/golden/published_demo.json.gz) holds, per indicator and filter set, the machine
CSV (export.machine_csv: every column, full precision) and the column types. It was written from the
code before the change; a change that is MEANT to alter published figures (a new rule, new demo data,
another goals.toml) writes it again, and says so in its commit:

    PYTHONPATH=src python tests/test_published_golden.py --write

The demo is made with a fixed pseudonymisation key (the key file written before the import), so the
record keys, and with them the noise, are the same on every run.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from indicators import cli
from indicators.present import export
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.store import writer
from indicators.subgoals import goals

GOLDEN = Path(__file__).with_name("golden") / "published_demo.json.gz"
FIXED_KEY = "42" * 32  # 32 bytes as hex: the demo's pseudonymisation key, fixed so the noise is

# Filter sets: several units (the organisation, the university's top, a school, a department, a small
# one), years, one and two positions (salary tables widen two to all), an employment type, FTE, a
# trend range, and the exact tier.
FILTERS: dict[str, Filters] = {
    "org": Filters(),
    "uni-2023": Filters(unit="UNI", year=2023),
    "bio": Filters(unit="BIO"),
    "bio2-2024": Filters(unit="BIO-2", year=2024),
    "ele-professor": Filters(unit="ELE", positions=("professor",)),
    "ele-two-positions": Filters(unit="ELE", positions=("professor", "lecturer")),
    "ind-temporary": Filters(unit="IND", employment_type="temporary"),
    "nat-fte": Filters(unit="NAT", measure="fte"),
    "ark-2018-2022": Filters(unit="ARK", year=2022, year_from=2018, year_to=2022),
    "adm3-2016": Filters(unit="ADM-3", year=2016),
    "bio-exact": Filters(unit="BIO", exact=True),
    "org-exact-two-positions": Filters(positions=("postdoc", "researcher"), exact=True, measure="fte"),
    "ele-permanent-phd": Filters(unit="ELE", year=2021, positions=("phd_student",), employment_type="permanent"),
}
SCOPED_UNITS = ["BIO", "BIO-1", "BIO-3", "ELE"]
SCORECARDS = {
    "scorecard": goals.scorecard,
    "scorecard_units": goals.scorecard_units,
    "scorecard_overview": goals.scorecard_overview,
}


def make_demo(folder: Path) -> Path:
    db = folder / "demo.duckdb"
    Path(f"{db}.key").write_text(FIXED_KEY)
    assert cli.main(["demo", "--seed", "7", "--db", str(db)]) == 0
    return db


def _entry(df, table: str) -> dict:
    # A stacked table's `scope` (compute_scoped) is no published column: written as text beside it.
    scope = list(map(str, df["scope"])) if "scope" in df else []
    return {
        "csv": export.machine_csv(df.drop(columns=["scope"], errors="ignore"), table).decode("utf-8"),
        "scope": scope,
        "dtypes": [f"{c}:{t}" for c, t in zip(df.columns, df.dtypes.astype(str))],
    }


def published(con) -> dict[str, dict]:
    """Every table the golden file holds, by `<table>|<filter set>`."""
    registry.load_all()
    out = {}
    for label, f in FILTERS.items():
        for ind in registry.REGISTRY:
            out[f"{ind}|{label}"] = _entry(registry.compute(con, ind, f), ind)
            if registry.REGISTRY[ind].scoped:
                out[f"{ind}|{label}|scoped"] = _entry(registry.compute_scoped(con, ind, f, SCOPED_UNITS), ind)
        for name, fn in SCORECARDS.items():
            out[f"{name}|{label}"] = _entry(fn(con, f), "scorecard")
    return out


@pytest.fixture(scope="module")
def demo_con(tmp_path_factory):
    reader = writer.reader(make_demo(tmp_path_factory.mktemp("golden")))
    yield reader.connection()
    reader.close()


def test_every_published_table_is_as_before(demo_con):
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as f:
        golden = json.load(f)
    now = published(demo_con)
    assert sorted(now) == sorted(golden)
    changed = [key for key in golden if now[key] != golden[key]]
    # Show the first difference in full: which table, which rows or which column types.
    if changed:
        key = changed[0]
        old, new = golden[key], now[key]
        if old["dtypes"] != new["dtypes"]:
            detail = f"types {old['dtypes']} -> {new['dtypes']}"
        else:
            diff = [(a, b) for a, b in zip(old["csv"].splitlines(), new["csv"].splitlines()) if a != b]
            detail = f"rows {diff[:3]}"
        pytest.fail(f"{len(changed)} of {len(golden)} tables changed, first {key}: {detail}")


if __name__ == "__main__" and "--write" in sys.argv:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        reader = writer.reader(make_demo(Path(tmp)))
        tables = published(reader.connection())
        reader.close()
    GOLDEN.parent.mkdir(exist_ok=True)
    with gzip.open(GOLDEN, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(tables, f, sort_keys=True)
    print(f"{len(tables)} tables written to {GOLDEN}")
