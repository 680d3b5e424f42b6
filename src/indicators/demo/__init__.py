"""A synthetic data set for Balans: an invented university, nothing about real people.

By job: `university` draws the sheets (`generate`), `loading` checks and stores them as synthetic batches
and removes them again (`load`, `remove`, never over really imported data), `plan` writes the demo's
plan of measures and its pay survey's record (`load_plan`). What the rest of Balans uses is here.
"""

from __future__ import annotations

from .loading import DemoRefused, RealDataInTheWay, load, real_data_in_the_way, remove
from .plan import load_plan
from .university import FIRST, LAST, generate

__all__ = [
    "FIRST",
    "LAST",
    "DemoRefused",
    "RealDataInTheWay",
    "generate",
    "load",
    "load_plan",
    "real_data_in_the_way",
    "remove",
]
