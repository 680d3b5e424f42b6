"""Recruitment and promotion: the funnel per sub-unit beside its roll-up (Simpson's paradox), promotions.

What the page shows, and in which order, is declared in indicators/present/pages.py."""

from views._draw import page

page("recruitment")
