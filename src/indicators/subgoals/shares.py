"""Women's share of a group, its interval and the balance test: the pandas side of every gender table.

Shares are women / (women + men): people recorded with another or unknown gender are counted and
shown, but outside the two-gender share (She Figures' convention). Here, not in representation.py,
because education, committees and recruitment take their shares the same way, and representation
builds on education's student counts (the pipeline's first stages): a module of its own ends the
import cycle the two had.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from .. import settings

SHARE_COLUMNS = ("share_women", "ci_low", "ci_high", "balanced")


def wilson(successes: pd.Series, n: pd.Series) -> tuple[pd.Series, pd.Series]:
    """95 % Wilson score interval (statsmodels), NaN where n is 0.

    Wilson (1927); recommended over the normal approximation for small groups (Brown, Cai and
    DasGupta 2001). Checks (docs/design.md, "Share of women"): 3/10 -> [0.1078, 0.6032]; 2/5 -> [0.1176, 0.7693].
    """
    total = n.to_numpy(dtype=float, na_value=np.nan)
    hits = successes.to_numpy(dtype=float, na_value=np.nan)
    low, high = np.full(len(total), np.nan), np.full(len(total), np.nan)
    ok = total > 0
    if ok.any():
        low[ok], high[ok] = proportion_confint(hits[ok], total[ok], alpha=0.05, method="wilson")
    return pd.Series(low, index=n.index), pd.Series(high, index=n.index)


def add_share_columns(df: pd.DataFrame, measure: str = "headcount") -> pd.DataFrame:
    """share_women, its Wilson interval and the balanced flag, from women/men (or fte_ columns)."""
    w, m = (df["fte_women"], df["fte_men"]) if measure == "fte" else (df["women"], df["men"])
    two = w + m
    df["share_women"] = (w / two).where(two > 0)
    df["ci_low"], df["ci_high"] = wilson(df["women"], df["women"] + df["men"])
    df["balanced"] = df["share_women"].map(settings.is_balanced).astype("boolean")
    return df
