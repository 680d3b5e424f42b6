"""Import a real xlsx written in the test, through check.check_file (the path a user's file takes)."""

from __future__ import annotations

import pandas as pd

from indicators.store import check, database


def import_workbook(con, path, sheets: dict[str, pd.DataFrame]) -> check.Checked:
    """Write each DataFrame as a sheet of an xlsx at `path`, check the file and import it."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df.to_excel(writer, sheet_name=name, index=False)
    checked = check.check_file(path)
    assert checked.ok, [str(p) for p in checked.errors]
    database.import_sheets(con, checked.sheets, sha256={})
    return checked
