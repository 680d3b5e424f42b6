"""Representation: women and men by position and sub-unit, the trend, the pipeline, the glass ceiling."""

from indicators import charts
from views import _ui as ui

v = ui.view()
ui.page_header("page_representation", v)
if not ui.empty_state(v):
    ui.prefetch(v, "representation", "representation_units", "representation_trend", "pipeline",
                "glass_ceiling", "segregation", "managers")
    k = ui.k_of("representation")
    names = ui.unit_names(v.lang)
    ui.section("representation", v, lambda df: charts.representation(df, v.lang, v.unit_label, v.year_label, k))
    ui.section("representation_units", v, lambda df: charts.units(df, v.lang, v.unit_label, names, k))
    ui.section("representation_trend", v, lambda df: charts.trend(df, v.lang, v.unit_label, v.filters.positions))
    ui.section("pipeline", v, lambda df: charts.pipeline(df, v.lang, v.unit_label, v.year_label))
    ui.section("glass_ceiling", v, lambda df: charts.gci(df, v.lang, v.unit_label, names, ui.k_of("glass_ceiling")))
    ui.section("segregation", v, lambda df: charts.segregation(df, v.lang, v.unit_label))
    ui.section("managers", v, lambda df: charts.share_over_years(df, v.lang, v.unit_label, "managers_lower", ui.k_of("managers")))
