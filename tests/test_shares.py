"""shares.py: women's share, its Wilson interval and the 40/60 test, on the checks of docs/design.md."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from indicators.subgoals.shares import Z_95, wilson, wilson_interval


def test_wilson_checks_from_design():
    # docs/design.md, "Share of women": 3/10 -> [0.1078, 0.6032]; 2/5 -> [0.1176, 0.7693]; 20/100 -> [0.1334, 0.2888].
    low, high = wilson(pd.Series([3, 2, 20]), pd.Series([10, 5, 100]))
    assert low.round(4).tolist() == [0.1078, 0.1176, 0.1334]
    assert high.round(4).tolist() == [0.6032, 0.7693, 0.2888]


def test_wilson_of_an_empty_group_is_nan():
    low, high = wilson(pd.Series([0]), pd.Series([0]))
    assert math.isnan(low[0]) and math.isnan(high[0])


def test_wilson_is_statsmodels_to_the_last_bit():
    # shares.wilson_interval writes the interval itself (importing statsmodels' proportion_confint brought
    # scipy.stats into every process's start, 0.6 s): every k of n for n from 0 to 300, and k = 0, 1, n/2
    # and n for some large n, equal to proportion_confint(method="wilson") bit for bit, NaN where n is 0;
    # Z_95 is scipy's norm.isf(0.025), the quantile statsmodels uses.
    assert Z_95 == stats.norm.isf(0.025)
    pairs = [(k, n) for n in range(301) for k in range(n + 1)]
    pairs += [(k, n) for n in (999, 1000, 123_457) for k in (0, 1, n // 2, n)]
    hits, total = (np.array(x, dtype=float) for x in zip(*pairs))
    low, high = wilson_interval(hits, total)
    some = total > 0
    expected = proportion_confint(hits[some], total[some], alpha=0.05, method="wilson")
    assert np.array_equal(low[some], expected[0]) and np.array_equal(high[some], expected[1])
    assert np.isnan(low[~some]).all() and np.isnan(high[~some]).all()
    # clipped as statsmodels clips: k = 0 starts at 0, k = n ends at 1
    assert np.nanmin(low) == 0.0 and np.nanmax(high) == 1.0
