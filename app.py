"""Balans: the entry point. Page config, who may see the app, the global filters, the pages.

`streamlit run app.py`. Every page is a thin file in pages/ that reads the view (filters, language,
presentation mode) chosen here and calls the `indicators` package.
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
from pages import _ui as ui  # noqa: E402

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

PAGES = [
    ("pages/overview_page.py", "page_overview", ":material/dashboard:", "overview"),
    ("pages/representation_page.py", "page_representation", ":material/groups:", "representation"),
    ("pages/pay_page.py", "page_pay", ":material/payments:", "pay"),
    ("pages/committees_page.py", "page_committees", ":material/gavel:", "committees"),
    ("pages/import_page.py", "page_import", ":material/upload:", "import"),
    ("pages/export_page.py", "page_export", ":material/download:", "export"),
    ("pages/method_page.py", "page_method", ":material/menu_book:", "method"),
]
# The files are not named after their URL paths: a fresh process treats a pages/ folder as
# Streamlit's legacy page discovery until st.navigation first runs, and would serve a deep link
# such as /representation straight from pages/representation.py, without this script's filters.
page = st.navigation([
    st.Page(path, title=t(key, lang), icon=icon, url_path=url, default=(i == 0))
    for i, (path, key, icon, url) in enumerate(PAGES)])

if store.has_synthetic(ui.connection().cursor()):
    st.warning(t("demo_banner", lang), icon=":material/science:")
page.run()
