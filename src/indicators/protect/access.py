"""Who may change data from the app (import, remove batches, load the demo).

Three deployments, chosen by what .streamlit/secrets.toml holds:

- sign-in configured (an [auth] section for Streamlit's st.login, OIDC): everyone must sign in to
  see anything, and only the e-mail addresses in [balans] admins may change data;
- no sign-in, but [balans] admin_passphrase set to a hash made by `python -m indicators passphrase`:
  viewing is open, changing data asks for the passphrase;
- neither: viewing is open and data can only be changed from the command line on the server.

A unit's own editors (`[balans] editors = {ELE = ["a@uni.example"]}`, sign-in only: an editor is
known by the address they signed in with) may change that unit's plan of measures, and nothing else;
administrators may change every unit's plan and the pay survey's record.

This module decides; the app only asks it. No Streamlit here, so the rules are testable as plain code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass, field
from typing import Mapping

SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


@dataclass(frozen=True)
class Policy:
    mode: str  # "sign_in", "passphrase" or "cli_only"
    admins: frozenset[str] = frozenset()
    passphrase_hash: str | None = None
    editors: Mapping[str, frozenset[str]] = field(default_factory=dict, hash=False)  # unit -> e-mail addresses

    @property
    def viewing_needs_sign_in(self) -> bool:
        return self.mode == "sign_in"

    def may_change(self, *, email: str | None = None, passphrase: str | None = None) -> bool:
        if self.mode == "sign_in":
            return email is not None and email.strip().lower() in self.admins
        if self.mode == "passphrase":
            return passphrase is not None and check_passphrase(self.passphrase_hash, passphrase)
        return False

    def may_edit_plan(self, unit: str, *, email: str | None = None, passphrase: str | None = None) -> bool:
        """A unit's plan: administrators, and the unit's own editors (exactly that unit, not its parent's
        or its sub-units': a school's editors are listed for the school)."""
        if self.may_change(email=email, passphrase=passphrase):
            return True
        return (
            self.mode == "sign_in"
            and email is not None
            and email.strip().lower() in self.editors.get(unit, frozenset())
        )

    def plan_units(self, *, email: str | None = None) -> set[str]:
        """The units whose plan this signed-in person edits as an editor (administrators: see may_change)."""
        if self.mode != "sign_in" or email is None:
            return set()
        who = email.strip().lower()
        return {unit for unit, people in self.editors.items() if who in people}


def _editors(balans: Mapping) -> dict[str, frozenset[str]]:
    raw = balans.get("editors", {}) or {}
    return {
        str(unit): frozenset(str(a).strip().lower() for a in ([people] if isinstance(people, str) else people))
        for unit, people in raw.items()
    }


def policy_from(secrets: Mapping) -> Policy:
    balans = secrets.get("balans", {}) or {}
    if secrets.get("auth"):
        return Policy(
            "sign_in", admins=frozenset(a.strip().lower() for a in balans.get("admins", [])), editors=_editors(balans)
        )
    if balans.get("admin_passphrase"):
        return Policy("passphrase", passphrase_hash=str(balans["admin_passphrase"]))
    return Policy("cli_only")


def hash_passphrase(passphrase: str, salt: bytes | None = None) -> str:
    """scrypt (memory-hard, in the standard library): 'scrypt$<salt>$<hash>', both base64."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, **SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def check_passphrase(stored: str | None, attempt: str) -> bool:
    try:
        scheme, salt, digest = (stored or "").split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(digest)
    got = hashlib.scrypt(attempt.encode("utf-8"), salt=base64.b64decode(salt), **SCRYPT)
    return hmac.compare_digest(expected, got)
