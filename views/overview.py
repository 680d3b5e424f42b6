"""Overview: the six sub-goals for the chosen unit and year (each row opens its page), then the same
for each sub-unit.

What the page shows, and in which order, is declared in indicators/present/pages.py."""

from views._draw import page

page("overview")
