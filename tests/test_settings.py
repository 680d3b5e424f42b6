"""settings.py: targets and thresholds read from data/goals.toml (the `goals` fixture points at a copy
with some settings changed)."""

from __future__ import annotations

import pytest

from indicators import settings


@pytest.mark.parametrize("share, expected", [(0.3999, False), (0.40, True), (0.5, True), (0.60, True), (0.6001, False)])
def test_balance_edges_both_included_by_default(goals, share, expected):
    goals()  # a copy of data/goals.toml as it ships
    assert settings.is_balanced(share) is expected


def test_balance_upper_edge_excluded_when_goals_say_so(goals):
    goals(balance={"upper_inclusive": False})
    assert settings.is_balanced(0.60) is False
    assert settings.is_balanced(0.40) is True
    assert settings.is_balanced(0.5999) is True
