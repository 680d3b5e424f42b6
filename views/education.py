"""Education (sub-goal 3): women and men per programme and level, the trend, and completion.

What the page shows, and in which order, is declared in indicators/present/pages.py."""

from views._draw import page

page("education")
