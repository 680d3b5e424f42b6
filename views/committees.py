"""Committees: every body of the unit with its balance and chair, and the trend by body type.

What the page shows, and in which order, is declared in indicators/present/pages.py."""

from views._draw import page

page("committees")
