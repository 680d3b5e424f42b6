"""Representation: women and men by position and sub-unit, the trend, the pipeline, the glass ceiling.

What the page shows, and in which order, is declared in indicators/present/pages.py."""

from views._draw import page

page("representation")
