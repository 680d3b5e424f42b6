"""store/salaries.py: DuckDB's quantile_cont and ntile reproduced in numpy, the same doubles and bands
as DuckDB gives (the pay tables from the salaries in memory are compared with their queries on the demo
in tests/test_cells.py)."""

from __future__ import annotations

import duckdb
import numpy as np

from indicators.store import salaries

QS = (0.1, 0.25, 0.5, 0.75, 0.9)


def test_quantile_cont_by_hand():
    # 10, 20, 30, 40: at q = 0.1 RN = 3 x 0.1 = 0.3, 10 x 0.7 + 20 x 0.3 = 13; the median RN 1.5, 25;
    # q = 0.75 RN 2.25, 30 + 10 x 0.25 = 32.5. One value: itself at every q; none: NaN (SQL's NULL).
    values = np.array([10.0, 20.0, 30.0, 40.0, 7.0])
    starts, counts = np.array([0, 4, 5]), np.array([4, 1, 0])
    assert salaries.quantile_cont(values, starts, counts, 0.1)[:2].tolist() == [13.0, 7.0]
    assert salaries.quantile_cont(values, starts, counts, 0.5)[:2].tolist() == [25.0, 7.0]
    assert salaries.quantile_cont(values, starts, counts, 0.75)[0] == 32.5
    assert np.isnan(salaries.quantile_cont(values, starts, counts, 0.5)[2])


def test_quantile_cont_is_duckdbs_to_the_last_bit():
    # groups of 1 to 12 salaries with cents, so that the interpolation's rounding shows (one in ten
    # differs in its last bit between one rounding and two: `fused`, as this DuckDB is built)
    rng = np.random.default_rng(3)
    sizes = np.arange(1, 13)
    group = np.repeat(np.arange(len(sizes)), sizes)
    pay = np.round(rng.uniform(20_000, 90_000, len(group)), 2)
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM (SELECT unnest($g) AS g, unnest($p) AS pay)",
        {"g": group.tolist(), "p": pay.tolist()},
    )
    expected = con.execute(
        f"SELECT {', '.join(f'quantile_cont(pay, {q})' for q in QS)}, median(pay) FROM t GROUP BY g ORDER BY g"
    ).fetchall()
    order, starts, counts = salaries.segments(group, len(sizes))
    ranked = pay[order]
    ranked = np.concatenate([np.sort(ranked[s : s + c]) for s, c in zip(starts, counts)])
    fused = salaries.interpolation_of(con)
    got = np.column_stack([salaries.quantile_cont(ranked, starts, counts, q, fused) for q in (*QS, 0.5)])
    assert got.tolist() == [list(row) for row in expected]


def test_ntile_is_duckdbs():
    # 7 rows in 4 bands: sizes 2, 2, 2, 1 (the first 7 mod 4 = 3 bands a row larger); 3 rows: 1, 2, 3
    assert salaries.ntile(7, 4).tolist() == [1, 1, 2, 2, 3, 3, 4]
    con = duckdb.connect()
    for n in range(0, 11):
        got = con.execute(f"SELECT ntile(4) OVER (ORDER BY i) FROM range({n}) r(i) ORDER BY i").fetchall()
        assert salaries.ntile(n, 4).tolist() == [r[0] for r in got]
