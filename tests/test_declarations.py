"""declarations.py: columns.toml read and checked, and shipped with the package."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from indicators.catalogue import declarations
from indicators.present import columns

ROOT = Path(__file__).resolve().parents[1]


def test_a_bad_kind_in_the_file_is_a_clear_message(tmp_path, monkeypatch):
    bad = tmp_path / "columns.toml"
    bad.write_text('[column]\nwomen = { kind = "persons", sv = "Kvinnor", en = "Women" }\n', encoding="utf-8")
    monkeypatch.setattr(declarations, "CATALOGUE", bad)
    columns.catalogue.cache_clear()
    try:
        with pytest.raises(
            ValueError, match=r"columns.toml: \[column\] women: kind 'persons' is not one of count, share"
        ):
            columns.catalogue()
    finally:
        monkeypatch.undo()
        columns.catalogue.cache_clear()


def test_the_declarations_ship_with_the_package():
    # CI installs from a clean clone with `pip install -e .`: the file must be package data
    with open(ROOT / "pyproject.toml", "rb") as f:
        data = tomllib.load(f)
    assert "*.toml" in data["tool"]["setuptools"]["package-data"]["*"]
    assert columns.CATALOGUE.suffix == ".toml" and columns.CATALOGUE.exists()
