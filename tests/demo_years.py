"""The synthetic demo data over more years than the demo's own (demo.FIRST..demo.LAST, 2015–2025),
made by the real generator and stored through the real import path, in a process of its own (the
generator's years are module constants; changing them here would change them for every test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make(db: Path, last: int) -> Path:
    """A DuckDB file at db holding the demo data for 2015..last."""
    code = (
        "import indicators.demo as d\n"
        "from indicators.demo import university\n"
        "from indicators.store import database\n"
        f"university.LAST = {int(last)}  # the generator's module reads it\n"
        f"con = database.connect({str(db)!r})\n"
        "d.load(con)\n"
        "con.close()\n"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    return db
