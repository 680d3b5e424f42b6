"""Numbers as each language writes them: code, not words (the words are the books beside this module).

Swedish numbers have a decimal comma and space-grouped thousands (Språkrådet: "12 345,6", a no-break
space so the number never wraps) and a true minus sign; the percent sign follows a space, as Swedish
and SI usage both write it. A missing value is written "–". Imports nothing of Balans.
"""

from __future__ import annotations

import math
import re

try:  # pandas' NA when pandas is there (it always is in the app)
    from pandas import NA as pd_NA
except ImportError:  # pragma: no cover
    pd_NA = object()

MISSING = "–"


def missing(x) -> bool:
    """None, NaN, NA or an infinite number."""
    # Without exceptions on the common path: tables format thousands of cells a run.
    if x is None:
        return True
    if isinstance(x, (int, float)) or hasattr(x, "dtype"):
        try:
            return not math.isfinite(x)
        except (TypeError, ValueError):
            return True
    return x is pd_NA or x != x


def number(x, lang: str = "en", decimals: int = 0) -> str:
    """12345.6 -> '12 345,6' (sv) or '12,345.6' (en); a missing value -> '–'."""
    if missing(x):
        return MISSING
    text = f"{float(x):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "\u2212") if lang == "sv" and text.startswith("-") else text


def percent(share, lang: str = "en", decimals: int = 0) -> str:
    """A share 0..1 as '27 %' (a space before % in both languages, as Swedish and SI write it)."""
    return MISSING if missing(share) else f"{number(float(share) * 100, lang, decimals)}\u00a0%"


def pct_points(value, lang: str = "en", decimals: int = 1) -> str:
    """A value already in percent (a pay gap of 3.2) as '3,2 %'."""
    return MISSING if missing(value) else f"{number(value, lang, decimals)}\u00a0%"


def decimal_commas(text: str, lang: str) -> str:
    """Decimal points between digits as commas in Swedish ("≥ 0.8" -> "≥ 0,8"); other text as it is."""
    return re.sub(r"(?<=\d)\.(?=\d)", ",", text) if lang == "sv" else text


def plotly_separators(lang: str) -> str:
    """Plotly's `separators` (decimal mark, then thousands): a chart's numbers as `number` writes them."""
    return ",\u00a0" if lang == "sv" else ".,"


def year_span(years) -> str:
    """[2015, 2016, ..., 2025] -> '2015–2025'; [2015, 2017, 2018] -> '2015, 2017–2018'; none -> ''."""
    ys = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs)
