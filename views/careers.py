"""Careers: who came, left, was promoted and moved; the newly recruited professors against the target; the
country beside the unit.

What the page shows, and in which order, is declared in indicators/present/pages.py."""

from views._draw import page

page("careers")
