"""Pay: the gap, equal work, equal value, quartiles, the EU directive's figures, the adjusted gap.

What the page shows, and in which order, is declared in indicators/present/pages.py."""

from views._draw import page

page("pay")
