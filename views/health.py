"""Health (sub-goal 5): the sick-leave rate of women and of men over the years.

What the page shows, and in which order, is declared in indicators/present/pages.py."""

from views._draw import page

page("health")
