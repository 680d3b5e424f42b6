"""No raw person id anywhere: not in the database file, not in any export of any indicator."""

from __future__ import annotations

import re

import pytest

from indicators import cli, demo, export, registry, store


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("scan") / "demo.duckdb"
    assert cli.main(["demo", "--seed", "7", "--db", str(db)]) == 0
    return db


def raw_ids() -> set[bytes]:
    frames = demo.generate(seed=7)
    ids = set()
    for frame in frames.values():
        if "person_id" in frame:
            ids |= {str(v).encode() for v in frame["person_id"].dropna()}
    return ids


def found_ids(data: bytes, ids: set[bytes]) -> set[bytes]:
    # Every id of the demo has the shape letter + digits: find those shapes, then look them up.
    return {m for m in re.findall(rb"[A-Z]\d{5,9}", data) if m in ids}


def test_the_database_file_holds_no_raw_person_id(demo_db):
    ids = raw_ids()
    assert len(ids) > 1000
    # The scan itself finds ids where they are (else this test could never fail).
    assert len(found_ids(demo.generate(seed=7)["staff"].head(50).to_csv().encode(), ids)) == 50
    con = store.connect(demo_db)
    con.execute("CHECKPOINT")
    con.close()
    assert found_ids(demo_db.read_bytes(), ids) == set()


def test_no_export_holds_a_raw_person_id(demo_db):
    ids = raw_ids()
    con = store.connect(demo_db)
    units = [store.ALL_UNITS] + [r[0] for r in con.execute(
        "SELECT unit FROM units WHERE parent_unit IS NOT NULL ORDER BY unit LIMIT 3").fetchall()]
    for ind in registry.load_all():
        for unit in units:
            table = registry.compute(con, ind, registry.Filters(unit=unit))
            assert found_ids(export.to_csv(table), ids) == set(), ind
            assert "person_id" not in table and "person_key" not in table, ind
    con.close()
