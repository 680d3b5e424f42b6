"""shares.py: women's share, its Wilson interval and the 40/60 test, on the checks of docs/design.md."""

from __future__ import annotations

import math

import pandas as pd

from indicators.subgoals.shares import wilson


def test_wilson_checks_from_design():
    # docs/design.md, "Share of women": 3/10 -> [0.1078, 0.6032]; 2/5 -> [0.1176, 0.7693]; 20/100 -> [0.1334, 0.2888].
    low, high = wilson(pd.Series([3, 2, 20]), pd.Series([10, 5, 100]))
    assert low.round(4).tolist() == [0.1078, 0.1176, 0.1334]
    assert high.round(4).tolist() == [0.6032, 0.7693, 0.2888]


def test_wilson_of_an_empty_group_is_nan():
    low, high = wilson(pd.Series([0]), pd.Series([0]))
    assert math.isnan(low[0]) and math.isnan(high[0])
