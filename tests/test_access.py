"""Who may change data: the three deployments of access.py."""

from indicators.protect.access import check_passphrase, hash_passphrase, policy_from


def test_without_configuration_data_change_only_from_the_command_line():
    p = policy_from({})
    assert p.mode == "cli_only" and not p.viewing_needs_sign_in
    assert not p.may_change(email="a@b.se", passphrase="anything")


def test_passphrase_deployment():
    stored = hash_passphrase("jämställd 2026")
    p = policy_from({"balans": {"admin_passphrase": stored}})
    assert p.mode == "passphrase" and not p.viewing_needs_sign_in
    assert p.may_change(passphrase="jämställd 2026")
    assert not p.may_change(passphrase="jämställd 2025")
    assert not p.may_change()
    assert "jämställd" not in stored  # only the hash is kept


def test_sign_in_deployment_lists_administrators():
    p = policy_from(
        {"auth": {"redirect_uri": "x", "cookie_secret": "y"}, "balans": {"admins": ["HR.Analyst@uni.example "]}}
    )
    assert p.mode == "sign_in" and p.viewing_needs_sign_in
    assert p.may_change(email="hr.analyst@uni.example")
    assert not p.may_change(email="someone@uni.example")
    assert not p.may_change(email=None)


def test_malformed_hash_never_matches():
    assert not check_passphrase("plain-text", "plain-text")
    assert not check_passphrase(None, "")
