"""Issue 21's attack: with only what a viewer downloads (the Pay page's art. 9 table in annual pay, for the
school and each department, protected), recover one person's variable pay: the 48 000 kr bonus of the
one woman in department D2 who is paid one. A bonus one person receives is that person's pay.

The school S: D1 has 6 women and 6 men professors, 5 of the women and 5 of the men paid on-call
(6 000-14 000 kr); D2 has 6 women and 6 men professors and one complementary payment, the target's
bonus. The attacks, as a viewer would try them, each with the attacker's best case (the true head
counts, known say from the staff directory), over many secret keys:

1. differencing: the school's receiving women times their mean, minus D1's: the bonus, were the figures
   exact; the protected means carry the top-contributor noise of each group (a quarter to three
   quarters of its largest payment), so the difference misses by that much;
2. the category: D2's professors' mean complementary pay (zeros included) times D2's six women: hidden
   now, as one woman receives (k of a gender receiving, for that mean);
3. the digits: every published amount is in whole hundreds, so no mean times a candidate count comes
   out whole for one count alone;
4. the shares of receivers: the school's receiving women minus D1's gives D2's count of one only as
   often as two p-table noises cancel, and it is hidden where it is published.

Each must miss the truth by more than a tenth for most keys (and the same arithmetic on exact figures
finds it, so the test could fail).
"""

from __future__ import annotations

import functools
import secrets

import numpy as np
import pandas as pd
import pytest

from helpers import checked, load, new_store
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.store import check

registry.load_all()
BONUS = 48_000
KEYS = 40


def files() -> tuple[pd.DataFrame, pd.DataFrame]:
    staff, comp = [], []
    for dept in ("D1", "D2"):
        for g in "KM":
            for i in range(6):
                pid = f"{dept}{g}{i}"
                monthly = 55_000 + 1_000 * i + (500 if g == "M" else 0)
                staff.append(
                    {
                        "year": 2025,
                        "person_id": pid,
                        "unit": dept,
                        "parent_unit": "S",
                        "position": "Professor",
                        "gender": g,
                        "monthly_salary": monthly,
                        "fte": 1.0,
                        "weekly_hours": 40,
                    }
                )
                comp.append({"year": 2025, "person_id": pid, "component": "grundlön", "amount": monthly * 12})
                if dept == "D1" and i < 5:
                    comp.append({"year": 2025, "person_id": pid, "component": "jour", "amount": 6_000 + 2_000 * i})
    comp.append({"year": 2025, "person_id": "D2K0", "component": "bonus", "amount": BONUS})
    return pd.DataFrame(staff), pd.DataFrame(comp)


@functools.cache
def sheets() -> tuple[check.Sheet, check.Sheet]:
    """files(), validated once (helpers.checked) for the attack's many databases."""
    staff, comp = files()
    return checked("staff", staff), checked("components", comp)


def tables(tmp_path, key_hex: str | None, exact: bool = False) -> dict[str, pd.DataFrame]:
    con = new_store(tmp_path / f"{key_hex or 'exact'}.duckdb", key_hex)
    staff, comp = sheets()
    load(con, "staff", staff)
    load(con, "components", comp)
    out = {
        u: registry.compute(con, "pay_transparency", Filters(unit=u, year=2025, pay="annual"), exact=exact).set_index(
            ["part", "category"]
        )
        for u in ("S", "D1", "D2")
    }
    con.close()
    return out


def attacks(t: dict[str, pd.DataFrame]) -> dict[str, float]:
    s, d1, d2 = (t[u].loc[("variable_pay", "all")] for u in ("S", "D1", "D2"))
    # true counts: S 6 receiving women, D1 5
    out = {"differencing": 6 * s["variable_mean_women"] - 5 * d1["variable_mean_women"]}
    prof = t["D2"].loc[("position", "professor")]
    out["category"] = 6 * prof["complementary_mean_women"]
    out["receivers"] = s["receivers_women"] - d1["receivers_women"]
    out["d2_receivers_shown"] = d2["receivers_women"]
    return out


def test_the_attack_finds_the_bonus_in_exact_figures(tmp_path):
    found = attacks(tables(tmp_path, None, exact=True))
    assert found["differencing"] == pytest.approx(BONUS) and found["category"] == pytest.approx(BONUS)
    assert found["receivers"] == 1


def test_a_viewer_cannot_recover_one_persons_variable_pay(tmp_path):
    misses, exact_counts = [], 0
    for _ in range(KEYS):
        t = tables(tmp_path, secrets.token_hex(32))
        found = attacks(t)
        assert pd.isna(found["d2_receivers_shown"])  # D2's one receiving woman is hidden where it is published
        misses.append(abs(found["differencing"] - BONUS))
        assert pd.isna(found["category"])  # 2. one receiving woman: her category's mean is not shown
        # D1's 5 receiving women beside 1 who is not are hidden now (k receiving and k not), so the
        # receivers' difference cannot even be taken; where it could, it must still miss mostly
        exact_counts += bool(pd.notna(found["receivers"]) and found["receivers"] == 1)
        for df in t.values():  # 3. every published amount in whole hundreds: no count from the digits
            for col in [c for c in df if c.endswith(("_women", "_men")) and ("mean" in c or "median" in c)]:
                values = df[col].dropna().to_numpy(dtype=float)
                assert np.all(values % 100 == 0), col
    misses = np.array(misses)
    # 1. differencing misses by more than a tenth of the bonus for most keys, and by thousands typically
    assert (misses > BONUS / 10).mean() >= 0.75, misses
    assert np.median(misses) > 5_000, misses
    # 4. the count of one comes back only when two count noises cancel (about a quarter of the keys)
    assert exact_counts < KEYS / 2, exact_counts


def test_a_mean_of_zero_does_not_give_back_a_hidden_count_of_receivers(tmp_path):
    # The outside attack of 2026-12-04 afternoon, on a viewer's downloads: D2's six men professors
    # receive no complementary pay. The count of receiving men is hidden on the variable_pay row (k
    # receiving and k not: 0 and 6), as is each person's fact of receiving; but the mean over everyone
    # (zeros included) is a magnitude, zero stays zero under its noise, so D2's overall row published
    # complementary_mean_men = 0 and said the same of all six (on the demo: 240 of 240 such zeros
    # true). The rule now: that mean needs k men receiving (zero included), on every pay row. D2 and its
    # professors: 0 men receiving (< 5), so hidden, and the gap with it; 1 woman receiving, likewise.
    # S: 6 women receiving (D1's 5 and D2's 1), 5 men (D1's): shown wherever the complementary row shows
    # its receivers (k true and published: the pay row's count is the same people with the same noise).
    shown = 0
    for _ in range(8):
        t = tables(tmp_path, secrets.token_hex(32))
        d2 = t["D2"]
        assert pd.isna(d2.loc[("variable_pay", "all"), "receivers_men"])  # hidden where it is published
        for row in (("overall", "all"), ("position", "professor")):
            hidden = ["complementary_mean_men", "complementary_mean_women", "complementary_gap_pct"]
            assert d2.loc[row, hidden].isna().all()
            assert d2.loc[row, ["basic_mean_men", "basic_mean_women", "mean_men"]].notna().all()  # only those
        s, receivers = t["S"].loc[("overall", "all")], t["S"].loc[("variable_pay", "all")]
        for g in ("women", "men"):
            if receivers[f"receivers_{g}"] >= 5:
                assert s[f"complementary_mean_{g}"] > 0
                shown += 1
    assert shown  # the rule does not hide everything
