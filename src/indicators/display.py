"""A table as the pages show it: numbers in the language's format, codes in words, hidden rows
with their reason, headers translated. The page, the HTML report and the import page's problem list
all show tables through `display_table`. No Streamlit here.
"""

from __future__ import annotations

import pandas as pd

from . import i18n
from .i18n import t


def display_table(df: pd.DataFrame, lng: str, k: int) -> pd.DataFrame:
    """The table as shown: numbers in the language's format, hidden rows say why, headers translated."""
    out = pd.DataFrame(index=df.index)
    hidden = df["suppressed"].astype(bool) if "suppressed" in df else pd.Series(False, index=df.index)
    for col in df.columns:
        if col == "suppressed":
            continue
        s = df[col]
        if col == "position":
            out[col] = s.map(lambda p: i18n.position(p, lng))
        elif col == "stage":
            out[col] = s.map(lambda p: i18n.stage(p, lng))
        elif col in ("level", "measure", "category") and not pd.api.types.is_numeric_dtype(s):
            word = {"level": i18n.level, "measure": i18n.measure, "category": i18n.category}[col]
            out[col] = s.map(lambda p, word=word: word(p, lng))
        elif col == "body_type":
            out[col] = s.map(lambda p: i18n.body_type(p, lng))
        elif col == "status":
            out[col] = s.map(lambda p: i18n.status(p, lng))
        elif col == "year" or col.endswith("_id") or col == "batch_id":
            out[col] = s.map(lambda v: "" if pd.isna(v) else str(int(v)) if not isinstance(v, str) else v)
        elif pd.api.types.is_bool_dtype(s) or str(s.dtype) == "boolean":
            out[col] = s.map(lambda v: "–" if pd.isna(v) else ("✓" if v else "✗"))
        elif pd.api.types.is_numeric_dtype(s):
            if col.startswith(i18n.SHARE_LIKE) or col.endswith("_share"):
                out[col] = s.map(lambda v: i18n.percent(v, lng, 1))
            elif pd.api.types.is_integer_dtype(s) or (s.dropna() % 1 == 0).all():
                out[col] = s.map(lambda v: i18n.number(v, lng, 0))
            else:
                out[col] = s.map(lambda v: i18n.number(v, lng, 2))
        else:
            out[col] = s.map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    if hidden.any():
        # the chart's reason for the same row (i18n.hidden_reason): the split where the total is shown
        out[t("hidden", lng)] = [i18n.hidden_reason(r, k, lng) if h else "" for h, (_, r) in zip(hidden, df.iterrows())]
    out.columns = [i18n.column(c, lng) if c in df.columns else c for c in out.columns]
    return out

