"""What the Plan page's data editors need: the columns each offers, and what an edited table changes
against the rows it was given (a `records.Changes`, written by records.apply_changes like any other).
No Streamlit here: views/plan.py draws the editors from these.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .fields import FINDING_EDITABLE
from .records import Changes, plain
from .rules import empty

# The measures' editor, in this order (its labels: columns.toml's "plan").
EDITOR_COLUMNS = (
    "measure_id",
    "unit",
    "title_sv",
    "title_en",
    "subgoal",
    "goal_area",
    "responsible",
    "start_date",
    "deadline",
    "status",
    "indicator",
    "target_value",
    "target_year",
    "cost_sek",
    "evidence",
    "participants_women",
    "participants_men",
    "participants_other",
    "description",
)


def same(a, b) -> bool:
    """Whether an edited cell holds what it held (7 and 7.0, a date and its Timestamp, two empties)."""
    if empty(a) and empty(b):
        return True
    if empty(a) or empty(b):
        return False
    if isinstance(a, (dt.date, pd.Timestamp)) or isinstance(b, (dt.date, pd.Timestamp)):
        return pd.Timestamp(a) == pd.Timestamp(b)
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


def finding_changes(original: pd.DataFrame, edited: pd.DataFrame, year: int) -> Changes:
    """The pay survey's editor (one row per difference, `PayRecord.rows`): each row whose analysis,
    action or art. 10 cells differ becomes a finding of `year`, identified by its source and group (a
    difference analysed for the first time becomes a new finding). Rows are neither added nor deleted
    here: the differences come from the data."""
    changes = Changes()
    for (_, old), (_, new) in zip(original.iterrows(), edited.iterrows()):
        diff = {c: plain(new.get(c)) for c in FINDING_EDITABLE if c in edited and not same(new.get(c), old.get(c))}
        if diff:
            changes.findings.append(
                {
                    "year": year,
                    "source": old["source"],
                    "group_key": old["group_key"],
                    "gap_pct": plain(old.get("gap_pct")),
                    **diff,
                }
            )
    return changes


def evaluation_changes(original: pd.DataFrame, edited: pd.DataFrame) -> Changes:
    """Last year's actions, evaluated: the rows whose `carried_out` or `evaluation` changed."""
    changes = Changes()
    for (_, old), (_, new) in zip(original.iterrows(), edited.iterrows()):
        if not (
            same(new.get("carried_out"), old.get("carried_out")) and same(new.get("evaluation"), old.get("evaluation"))
        ):
            changes.evaluations.append(
                {
                    "finding_id": int(old["finding_id"]),
                    "carried_out": plain(new.get("carried_out")),
                    "evaluation": plain(new.get("evaluation")),
                }
            )
    return changes


def editor_changes(original: pd.DataFrame, edited: pd.DataFrame, year: int) -> Changes:
    """What st.data_editor's result changes against the rows it was given: a row whose id is gone is
    deleted, a row without an id is new (in `year`), a row with an id saves only the cells that differ."""
    changes = Changes()
    before = {int(r["measure_id"]): r for _, r in original.iterrows()}
    kept = set()
    for _, r in edited.iterrows():
        row_id = r.get("measure_id")
        if empty(row_id):
            values = {c: plain(r.get(c)) for c in EDITOR_COLUMNS if c != "measure_id" and not empty(r.get(c))}
            if values:
                changes.measures.append({**values, "year": year})
            continue
        row_id = int(row_id)
        kept.add(row_id)
        old = before.get(row_id)
        if old is None:
            continue
        diff = {
            c: plain(r.get(c))
            for c in EDITOR_COLUMNS
            if c in edited and c != "measure_id" and not same(r.get(c), old.get(c))
        }
        if diff:
            changes.measures.append({"measure_id": row_id, **diff})
    changes.delete_measures = [i for i in before if i not in kept]
    return changes
