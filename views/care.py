"""Unpaid care work (sub-goal 4): parental leave and care of a sick child, by gender, against staff.

What the page shows, and in which order, is declared in indicators/present/pages.py."""

from views._draw import page

page("care")
