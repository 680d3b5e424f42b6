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

from .. import settings
from ..protect import arrays

SHARE_COLUMNS = ("share_women", "ci_low", "ci_high", "balanced")

# The normal quantile of a two-sided 95 % interval, z = Φ⁻¹(0.975), as scipy.stats.norm.isf(0.025) gives
# it: the value statsmodels' proportion_confint(method="wilson") uses, so that the intervals are theirs to
# the last bit (tests/test_shares.py holds both).
Z_95 = 1.9599639845400545


def wilson(successes: pd.Series, n: pd.Series) -> tuple[pd.Series, pd.Series]:
    """95 % Wilson score interval, NaN where n is 0.

    Wilson (1927); recommended over the normal approximation for small groups (Brown, Cai and
    DasGupta 2001). Checks (docs/design.md, "Share of women"): 3/10 -> [0.1078, 0.6032]; 2/5 -> [0.1176, 0.7693].
    """
    low, high = wilson_interval(
        successes.to_numpy(dtype=float, na_value=np.nan), n.to_numpy(dtype=float, na_value=np.nan)
    )
    return pd.Series(low, index=n.index), pd.Series(high, index=n.index)


def wilson_interval(hits: np.ndarray, total: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`wilson` on float arrays: with p = hits / n and z = Z_95,

        centre = (p + z² / 2n) / (1 + z² / n),   half = z √(p(1 − p) / n + z² / 4n²) / (1 + z² / n),

    the interval [centre − half, centre + half] clipped to [0, 1] (Wilson 1927, eq. as in Brown, Cai and
    DasGupta 2001, (4)), written as statsmodels' proportion_confint writes it, operation for operation.
    Written here, not called there: importing statsmodels.stats.proportion brings scipy.stats, about 0.6 s
    of every process's start (the app's first visit, every command of the CLI) for these three lines
    (docs/dependencies.md)."""
    low, high = np.full(len(total), np.nan), np.full(len(total), np.nan)
    ok = total > 0
    if ok.any():
        n, p = total[ok], hits[ok] / total[ok]
        z2 = Z_95**2
        denom = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denom
        half = Z_95 * np.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n**2))
        half /= denom
        low[ok], high[ok] = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    return low, high


def share_columns(cols: arrays.Columns, measure: str = "headcount") -> arrays.Columns:
    """share_women = W / (W + M) (by FTE with measure "fte"), its Wilson interval on the headcounts and
    the balanced flag (settings.balanced), added to the columns."""
    women, men = arrays.values(cols, "women"), arrays.values(cols, "men")
    w, m = (arrays.values(cols, "fte_women"), arrays.values(cols, "fte_men")) if measure == "fte" else (women, men)
    share = arrays.ratio(w, w + m)
    cols["share_women"] = share
    cols["ci_low"], cols["ci_high"] = wilson_interval(women, women + men)
    balanced = settings.balanced(share)
    cols["balanced"] = arrays.flags(balanced == 1.0, np.isnan(balanced))
    return cols


def add_share_columns(df: pd.DataFrame, measure: str = "headcount") -> pd.DataFrame:
    """share_women, its Wilson interval and the balanced flag, from women/men (or fte_ columns)."""
    return arrays.frame(share_columns(arrays.columns_of(df), measure), df.index)
