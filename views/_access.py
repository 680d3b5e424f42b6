"""Who may do what in this session (indicators/protect/access.py decides; docs/deployment.md, "Who may
change data, and a safe deployment"): import and remove, edit a plan, and see exact figures. The
sidebar's switch to exact figures and the passphrase prompt of the Import and Plan pages live here.
"""

from __future__ import annotations

import streamlit as st

from indicators.catalogue import texts

t = texts("app")


def is_admin() -> bool:
    """Whether this session is an administrator's (access.py): signed in as one, or past the passphrase."""
    policy = st.session_state.get("_policy")
    if policy is None or policy.mode == "cli_only":
        return False
    if policy.mode == "sign_in":
        return policy.may_change(email=getattr(st.user, "email", None))
    return bool(st.session_state.get("_admin"))


def exact_chosen() -> bool:
    """Whether this session has exact figures on (the sidebar's switch, `exact_switch`), read before the
    switch is drawn, or on a run that does not draw it (a session's first screen, app.py): the choice
    is kept in the session either way."""
    if not is_admin():
        return False
    chosen = bool(st.session_state.get("exact_pick"))
    st.session_state["exact_pick"] = chosen  # Streamlit forgets a widget's value after a run without it
    return chosen


def exact_switch(lng: str) -> None:
    """The sidebar's switch to exact figures, for administrators only (docs/privacy.md, "Who sees what").

    Never in the URL: a copied link always opens the protected figures, whoever opens it. With a
    passphrase installation an administrator who has not yet given it can give it here."""
    policy = st.session_state.get("_policy")
    if is_admin():
        st.toggle(t("exact_toggle", lng), key="exact_pick", help=t("exact_help", lng))
        return
    if policy is not None and policy.mode == "passphrase":
        with st.expander(t("exact_toggle", lng)):
            attempt = st.text_input(t("exact_passphrase", lng), type="password", key="exact_passphrase")
            if attempt and policy.may_change(passphrase=attempt):
                st.session_state["_admin"] = True
                st.rerun()
            elif attempt:
                st.error(t("wrong_passphrase", lng))


def may_change(lng: str) -> bool:
    """Whether this session may import, remove and load the demo (access.py decides; docs/deployment.md)."""
    policy = st.session_state.get("_policy")
    if policy is None or policy.mode == "cli_only":
        st.info(t("cli_only", lng))
        return False
    if policy.mode == "sign_in":
        ok = policy.may_change(email=getattr(st.user, "email", None))
        if not ok:
            st.info(t("not_admin", lng))
        return ok
    if st.session_state.get("_admin"):
        return True
    attempt = st.text_input(t("passphrase", lng), type="password", key="passphrase")
    if attempt:
        if policy.may_change(passphrase=attempt):
            st.session_state["_admin"] = True
            return True
        st.error(t("wrong_passphrase", lng))
    return False


def may_import() -> bool:
    """Whether this session may import from the app, asked without a prompt: whether to offer a link
    to the Import page. Never in a read-only installation (no sign-in, no passphrase: data change
    only on the command line); with sign-in, only for an administrator; with a passphrase, always
    (the Import page asks for it, and whoever has it imports there)."""
    policy = st.session_state.get("_policy")
    if policy is None or policy.mode == "cli_only":
        return False
    if policy.mode == "sign_in":
        return is_admin()
    return True


def nothing_imported(lng: str) -> str:
    """What an empty installation says: where data come from, for this session."""
    policy = st.session_state.get("_policy")
    if may_import():
        return t("no_data", lng)
    return t("no_data_not_admin" if policy is not None and policy.mode == "sign_in" else "no_data_cli", lng)
