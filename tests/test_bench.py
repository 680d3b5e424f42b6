"""The benchmark runs end to end at a tiny scale and writes every key of issue 7 (no timings are
asserted: these machines are shared and noisy)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"import_xlsx_s", "import_xlsx_ratio_vs_openpyxl", "import_csv_1m_s", "page_queries_ms",
        "page_queries_ms_max", "scorecard_ms", "pandas_ratio", "rss_mb", "growth"}


def test_the_benchmark_runs_at_a_tiny_scale_and_reports_every_key(tmp_path):
    out = tmp_path / "bench.json"
    # --no-rss: the AppTest tour of every page is the slow part and is exercised by test_app.py.
    r = subprocess.run([sys.executable, "bench/run.py", "--scale", "0.01", "--repeat", "1", "--no-growth",
                        "--no-rss", "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(out.read_text())
    assert set(res) == KEYS
    assert {"overview", "representation", "pay", "committees"} <= set(res["page_queries_ms"])
    assert res["page_queries_ms_max"] == max(res["page_queries_ms"].values())
    assert res["growth"] == {"0.01": res["page_queries_ms"]}
    assert res["rss_mb"] is None
    assert "page_queries_ms_max" in r.stdout  # the printed table


def test_a_page_prefetches_exactly_the_sections_it_draws():
    # ui.prefetch lists a page's sections a second time; a section missing from it would be computed
    # alone, one listed but not drawn would be computed for nothing.
    import re
    for page in sorted((ROOT / "views").glob("[!_]*.py")):
        text = page.read_text()
        prefetched = [i for call in re.findall(r"ui\.prefetch\(v, ([^)]*)\)", text) for i in re.findall(r'"(\w+)"', call)]
        sections = re.findall(r'ui\.section\("(\w+)"', text)
        if len(sections) > 1:
            assert prefetched == sections, page.name
