"""Balans: the entry point. Page config, who may see the app, the global filters, the pages.

`streamlit run app.py`. Every page is declared once in indicators/present/pages.py (title, URL path, icon,
its sections in order); views/<page>.py draws it with `views._draw.page(id)` for the view (filters, language,
presentation mode) chosen here. The folder is not called pages/:
Streamlit treats a pages/ folder beside the entry point as its legacy page discovery until
st.navigation has run once in the process, so the first deep link after a restart (/representation)
would end in a "Page not found" dialog.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
for p in (ROOT, ROOT / "src"):  # works from a clone without `pip install -e .`
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import streamlit as st

from indicators.catalogue import texts
from indicators.catalogue.phrases import synthetic_note
from indicators.present import pages
from indicators.protect import access
from indicators.store import database
from views import _data as data
from views import _draw as draw
from views import _filters as filters

t = texts("app")

# The icon is an emoji, which Streamlit draws into the page itself: a :material/…: page icon is
# fetched from fonts.gstatic.com, and an intranet installation must need nothing from outside.
st.set_page_config(page_title="Balans", page_icon="⚖️", layout="wide")


def secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml at all: the open, read-only deployment
        return {}


policy = access.policy_from(secrets())
st.session_state["_policy"] = policy
if policy.viewing_needs_sign_in and not st.user.is_logged_in:
    st.title("Balans")
    st.button(t("sign_in", "sv"), on_click=st.login)  # both languages: said before one is chosen
    st.stop()

try:
    data.open_snapshot()  # the newest published snapshot is the one this run reads
except (database.StoreError, Exception) as e:  # a locked or damaged file: say so, never a traceback
    st.error(str(e))
    st.stop()

view = filters.read_view()  # from the link and the session; the sidebar's filters show it below
filters.style(view.present)
lang = view.lang


# The navigation, from the page declaration (indicators/present/pages.py). The first page (the overview) is
# the default at "/", and also answers at its own path, /overview, through a hidden entry: Streamlit
# serves a default page only at the root, so a link to /overview used to open "Page not found".
def nav_entries(p: pages.Page) -> list:
    entry = dict(title=t(p.title, lang), icon=p.icon)
    if p is not pages.PAGES[0]:
        return [st.Page(p.file, url_path=p.path, **entry)]
    return [
        st.Page(p.file, url_path="start", default=True, **entry),
        st.Page(p.file, url_path=p.path, visibility="hidden", **entry),
    ]


page = st.navigation(
    {
        t(group, lang) if group else "": [e for p in group_pages for e in nav_entries(p)]
        for group, group_pages in pages.navigation()
    },
    expanded=True,
)  # every page listed: no "View 3 more", Streamlit's own English

declared = pages.at_path(page.url_path)
view = filters.employment_filter(declared)  # only where the page's tables carry it
# The filters come before the page, except on the first screen of a page of declared sections
# (views/_draw.page): there they follow with the rest of the page, once the browser has drawn the first
# chart. Arriving before it, their widgets kept the browser busy while it drew that chart
# (docs/performance.md, "The filters after the first chart"). A page drawn by its own file (Plan, Pay
# transparency, Import, Export, Method) has them first: it may end its run with st.stop(), after
# which nothing more is drawn, and the filters (the language, the administrator's passphrase) with it.
first_screen = draw.first_screen_pending() and bool(declared and declared.sections)
if not first_screen:
    with st.sidebar:
        filters.sidebar(view, declared)
for notice in view.notices:  # an unknown unit or year in the link: said, not silently replaced
    st.warning(notice, icon=":material/link_off:")
# Demo data in what the view shows: the banner says which kinds and years are synthetic (after a real
# year was imported over the demo, the real figures are not called synthetic); none, none is shown.
synthetic = data.synthetic_years()
if any(view.shown_years & set(years) for years in synthetic.values()):
    if view.present:  # one quiet line above the band: the first screen is the headline chart's
        st.markdown(f'<p class="balans-note">⚗ {synthetic_note(synthetic, lang)}</p>', unsafe_allow_html=True)
    else:
        st.warning(synthetic_note(synthetic, lang), icon=":material/science:")
try:
    page.run()
finally:  # a page whose sections drew no chart (an empty installation, a unit without data): nothing to wait for
    if first_screen and not draw.ended_at_gate():
        with st.sidebar:
            filters.sidebar(view, declared)
