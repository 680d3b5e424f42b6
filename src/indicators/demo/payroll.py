"""The demo university's pay (issue 21): working time and pay components, synthetic and plausible,
drawn from the demo's staff rows (university.py, after careers.py has joined its people).

* **Working time**: contracted hours a week = 40 × FTE; for 3 % of the part-timers the HR file gives
  none (so the art. 9 report's quality flags have something to count).
* **Components** per person and year, as a payroll system exports them:
  - basic pay (grundlön): the full-time monthly salary × 12 × FTE, less 80 % of it for the days of
    parental leave (the employer's supplement tops up Försäkringskassan's benefit to about that);
    for heads (managers) the salary without their supplement;
  - fixed supplements (prefekttillägg): the heads' supplement, the 6 % of the salary university.py adds;
  - on-call (jour och beredskap) for technical staff, men somewhat more often (40 % against 28 %),
    6 000-30 000 kr a year; unsocial hours (ob-tillägg) for 15 % of them, 3 000-12 000 kr;
  - overtime for a fifth of administrative and technical staff, 2 000-20 000 kr;
  - one-off payments (engångsbelopp) for 4 % of everyone, 5 000-25 000 kr;
  - benefits in kind (förmån) for a tenth of the heads, 12 000-40 000 kr.

The job evaluation is demo/evaluation.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FULL_TIME = 40


def working_time(rng, staff: pd.DataFrame) -> pd.Series:
    """Contracted hours a week: 40 x FTE; none given for 3 % of the part-timers."""
    hours = (FULL_TIME * staff["fte"].astype(float)).round(1)
    missing = (staff["fte"] < 1) & (rng.random(len(staff)) < 0.03)
    return hours.where(~missing)


def components(rng, staff: pd.DataFrame, manager_supplement: float) -> pd.DataFrame:
    """One row per person, year and component (the module docstring), amounts in whole kronor."""
    n = len(staff)
    fte = staff["fte"].to_numpy(dtype=float)
    monthly = staff["monthly_salary"].to_numpy(dtype=float)
    manager = staff["manager"].to_numpy(dtype=bool)
    title = staff["position"].to_numpy(dtype=object)
    man = (staff["gender"] == "M").to_numpy()
    leave = np.minimum(staff["parental_leave_days"].to_numpy(dtype=float), 365)
    own = np.where(manager, monthly / (1 + manager_supplement), monthly)
    year_of = 12 * fte * (1 - 0.8 * leave / 365)
    technical, admin = title == "Tekniker", title == "Administratör"

    def amounts(mask, low, high):
        return np.where(mask, np.rint(rng.uniform(low, high, n) / 100) * 100, 0)

    parts = {
        "grundlön": np.rint(own * year_of / 100) * 100,
        "prefekttillägg": np.where(manager, np.rint((monthly - own) * year_of / 100) * 100, 0),
        "jour": amounts(technical & (rng.random(n) < np.where(man, 0.40, 0.28)), 6_000, 30_000),
        "ob-tillägg": amounts(technical & (rng.random(n) < 0.15), 3_000, 12_000),
        "övertid": amounts((technical | admin) & (rng.random(n) < 0.20), 2_000, 20_000),
        "engångsbelopp": amounts(rng.random(n) < 0.04, 5_000, 25_000),
        "förmån": amounts(manager & (rng.random(n) < 0.10), 12_000, 40_000),
    }
    frames = [
        pd.DataFrame(
            {
                "year": staff["year"].to_numpy(),
                "person_id": staff["person_id"].to_numpy(),
                "component": name,
                "amount": values,
            }
        )[values > 0]
        for name, values in parts.items()
    ]
    return pd.concat(frames, ignore_index=True).astype({"amount": "int64"})
