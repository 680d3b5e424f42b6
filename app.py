"""Balans: the entry point. Page config, who may see the app, the global filters, the pages.

`streamlit run app.py`. Every page is a thin file in views/ that reads the view (filters, language,
presentation mode) chosen here and calls the `indicators` package. The folder is not called pages/:
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

import streamlit as st  # noqa: E402

from indicators import access, store  # noqa: E402
from indicators.i18n import t  # noqa: E402
from views import _ui as ui  # noqa: E402

st.set_page_config(page_title="Balans", page_icon=":material/balance:", layout="wide")


def secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml at all: the open, read-only deployment
        return {}


policy = access.policy_from(secrets())
st.session_state["_policy"] = policy
if policy.viewing_needs_sign_in and not st.user.is_logged_in:
    st.title("Balans")
    st.button("Logga in / Sign in", on_click=st.login)
    st.stop()

try:
    ui.connection()
except (store.StoreError, Exception) as e:  # a locked or damaged file: say so, never a traceback
    st.error(str(e))
    st.stop()

with st.sidebar:
    view = ui.filters_sidebar()
ui.style(view.present)
lang = view.lang

# (section, pages): file in views/, i18n key of its title, icon, URL path (kept stable for old links).
PAGES = [
    ("", [("overview", "page_overview", ":material/dashboard:", "overview")]),
    ("nav_subgoals", [
        ("representation", "page_representation", ":material/groups:", "representation"),
        ("committees", "page_committees", ":material/gavel:", "committees"),
        ("pay", "page_pay", ":material/payments:", "pay"),
        ("recruitment", "page_recruitment", ":material/person_search:", "recruitment"),
        ("education", "page_education", ":material/school:", "education"),
        ("care", "page_care", ":material/family_restroom:", "care"),
        ("health", "page_health", ":material/healing:", "health"),
        ("safety", "page_safety", ":material/shield:", "safety"),
    ]),
    ("nav_data", [
        ("import", "page_import", ":material/upload:", "import"),
        ("export", "page_export", ":material/download:", "export"),
        ("method", "page_method", ":material/menu_book:", "method"),
    ]),
]
page = st.navigation({
    t(section, lang) if section else "": [
        st.Page(f"views/{name}.py", title=t(key, lang), icon=icon, url_path=url, default=(name == "overview"))
        for name, key, icon, url in pages]
    for section, pages in PAGES})

for notice in view.notices:  # an unknown unit or year in the link: said, not silently replaced
    st.warning(notice, icon=":material/link_off:")
if store.has_synthetic(ui.connection().cursor()):
    st.warning(t("demo_banner", lang), icon=":material/science:")
page.run()
