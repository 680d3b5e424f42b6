"""Import templates: one xlsx per sheet kind, made from schema so that they never drift from it.

Row 1 holds the canonical headers (each with its Swedish header as a cell note), then two example
rows; gender and the other vocabularies get a drop-down list.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..plan.workbook import template_bytes as plan_template_bytes
from .schema import DATA_DIR, KINDS, SheetKind

TEMPLATE_DIR = DATA_DIR / "templates"
DROPDOWNS = {"gender": ["K", "M", "annat"]}


def template_bytes(kind: SheetKind) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = kind.name
    for i, col in enumerate(kind.columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.name)
        note = f"Svenska: {col.sv or col.name}" + (" (obligatorisk / required)" if col.required else "")
        cell.comment = Comment(note, "Balans")
        ws.column_dimensions[get_column_letter(i)].width = max(12, len(col.name) + 2)
        words = DROPDOWNS.get(col.name) or (list(col.choices) if col.choices else None)
        if words:
            dv = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=not col.required)
            dv.error = "Välj ur listan / choose from the list"
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(i)}2:{get_column_letter(i)}100000")
    for r, row in enumerate(kind.example_rows, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_templates(folder: Path = TEMPLATE_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in KINDS.values():
        path = folder / f"balans_{kind.name}_template.xlsx"
        path.write_bytes(template_bytes(kind))
        paths.append(path)
    # the plan and pay-survey template: several sheets, its own import (plan/importer.py)
    path = folder / "balans_plan_template.xlsx"
    path.write_bytes(plan_template_bytes())
    paths.append(path)
    return paths
