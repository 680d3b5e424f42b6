"""No raw person id anywhere: not in the database file, not in any export of any indicator."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers import app_test
from indicators import demo
from indicators.present import export
from indicators.protect import registry
from indicators.store import database

DEMO = {"seed": 7}  # conftest's demo_db; raw_ids() makes the same seed's sheets again


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
    con = database.connect(demo_db)
    con.execute("CHECKPOINT")
    con.close()
    assert found_ids(demo_db.read_bytes(), ids) == set()


def test_no_export_holds_a_raw_person_id(demo_db):
    ids = raw_ids()
    con = database.connect(demo_db)
    units = [database.ALL_UNITS] + [
        r[0]
        for r in con.execute("SELECT unit FROM units WHERE parent_unit IS NOT NULL ORDER BY unit LIMIT 3").fetchall()
    ]
    for ind in registry.load_all():
        for unit in units:
            table = registry.compute(con, ind, registry.Filters(unit=unit))
            assert found_ids(export.to_csv(table), ids) == set(), ind
            assert "person_id" not in table and "person_key" not in table, ind
    con.close()


@pytest.mark.slow  # a tour of every page
def test_no_page_shows_a_raw_person_id(demo_db, monkeypatch):
    """Every page rendered (AppTest) on the demo data: no raw id in any text or table it shows."""
    from pathlib import Path

    from indicators.present import pages

    ids = raw_ids()
    root = Path(__file__).resolve().parents[1]
    monkeypatch.setenv("BALANS_DB", str(demo_db))
    at = app_test(str(root / "app.py"), 300)
    at.query_params["lang"] = "en"
    at.run()
    for name in [p.file for p in pages.PAGES]:  # every page of the navigation (indicators/present/pages.py)
        at.switch_page(name).run()
        assert not at.exception, name
        shown = [str(getattr(e, "value", "")) for e in (*at.markdown, *at.text, *at.caption, *at.title)]
        shown += [e.proto.body for e in at.get("html")]  # the scorecard's cells, the sub-units' grid
        shown += [frame.value.to_csv() for frame in at.dataframe]
        shown += [chart.proto.spec for chart in at.get("plotly_chart")]
        assert found_ids("\n".join(shown).encode(), ids) == set(), name


def test_no_indicator_shows_a_group_smaller_than_k(demo_db):
    """On the demo data, for every unit: no published count of persons between 1 and k-1, in any
    count column an indicator declares (privacy.Protection), with the k that column is held to."""
    from indicators.protect import privacy

    con = database.connect(demo_db)
    units = [database.ALL_UNITS] + [r[0] for r in con.execute("SELECT unit FROM units ORDER BY unit").fetchall()]
    checked: dict[str, set[str]] = {}  # indicator -> the declared count columns its tables had
    for ind in registry.load_all().values():
        spec = ind.protection
        if spec is None:
            continue
        columns = {
            *spec.counts,
            *(spec.rows.counts if spec.rows else ()),
            *((spec.rows.total,) if spec.rows and spec.rows.total else ()),
        }
        for unit in units:
            table = registry.compute(con, ind.id, registry.Filters(unit=unit))
            assert not [c for c in table.columns if c.endswith((privacy.KEY, privacy.LARGEST))], ind.id
            for col in [c for c in columns if c in table]:
                checked.setdefault(ind.id, set()).add(col)
                k = privacy.threshold(spec, col)
                values = pd.to_numeric(table[col], errors="coerce").dropna()
                assert not ((values > 0) & (values < k)).any(), (ind.id, unit, col)
    con.close()
    # Every indicator that declares counts had some of them in its tables, so none passed by having
    # nothing to check (a renamed column would otherwise be skipped silently): 30 of the 32 protected
    # ones; equal_value_pairs declares none, its figures being equal_value's published groups, nor
    # national_benchmarks, the unit's published shares beside the country's public figures.
    declaring = sorted(
        i.id
        for i in registry.load_all().values()
        if i.protection is not None and (i.protection.counts or i.protection.rows)
    )
    assert sorted(checked) == declaring and len(declaring) == 30
