"""Harassment and victimisation (sub-goal 6): reported cases per 100 women and men; small counts hidden.

What the page shows, and in which order, is declared in indicators/present/pages.py."""

from views._draw import page

page("safety")
