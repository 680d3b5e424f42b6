"""templates.py: one xlsx per sheet kind (data/templates/), made from schema, that imports as it is."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from indicators import cli
from indicators.store.schema import KINDS

ROOT = Path(__file__).resolve().parents[1]


def test_templates_import_cleanly(tmp_path, capsys):
    db = tmp_path / "t.duckdb"
    # The plan's template has an import of its own (tests/test_plan.py).
    templates = sorted(p for p in (ROOT / "data" / "templates").glob("*.xlsx") if p.name != "balans_plan_template.xlsx")
    assert len(templates) == len(KINDS)  # one per sheet kind
    assert cli.main(["import", *map(str, templates), "--db", str(db)]) == 0
    assert capsys.readouterr().out.count("batch ") == len(KINDS)
    wb = openpyxl.load_workbook(ROOT / "data" / "templates" / "balans_staff_template.xlsx")
    ws = wb["staff"]
    assert [c.value for c in ws[1]][:5] == ["year", "person_id", "unit", "position", "gender"]
    assert "kön" in ws["E1"].comment.text
    assert any("E2" in str(dv.sqref) for dv in ws.data_validations.dataValidation)
