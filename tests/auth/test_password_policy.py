"""The password policy, rule by rule, and Argon2id hashing. Pure: no database."""

from __future__ import annotations

import pytest

from residency.auth.passwords import (
    hash_password,
    policy_breaches,
    require_acceptable,
    verify_password,
)
from residency.errors import InputError

GOOD = "Quiet-Lantern-Fjord-42"


def test_a_strong_password_breaks_nothing() -> None:
    assert policy_breaches(GOOD, "avery.alder@example.org", "Avery Alder") == []


def test_the_postmortem_example_is_accepted() -> None:
    assert policy_breaches("SecureP@ss1234") == []


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Qz7!pLm2", "at least 12 characters"),
        ("Qz7!pLm2" * 17, "at most 128 characters"),
        ("quietlanternfjordmoss", "at least 3 of lower-case, upper-case, digits and symbols"),
        ("Password123!", "not a commonly used or easily guessed password"),
        ("Qwertyuiop123!", "not a commonly used or easily guessed password"),
    ],
)
def test_each_rule_is_named(password: str, rule: str) -> None:
    assert any(rule in breach for breach in policy_breaches(password)), policy_breaches(password)


def test_the_email_name_part_is_refused() -> None:
    breaches = policy_breaches("Xk3!averyalder-Fjord", "averyalder@example.org")
    assert "must not contain the e-mail address's name part" in breaches


def test_the_persons_name_is_refused() -> None:
    breaches = policy_breaches("Birchwood-Quiet-7731!", "x@example.org", "Blake Birchwood")
    assert "must not contain the person's name" in breaches


def test_one_message_names_every_rule_broken() -> None:
    with pytest.raises(InputError) as refused:
        require_acceptable("admin123")
    message = str(refused.value)
    assert refused.value.field == "password"
    assert "at least 12 characters (it has 8)" in message
    assert "at least 3 of lower-case" in message
    assert "not a commonly used" in message


def test_passwords_are_hashed_with_argon2id_and_verified() -> None:
    stored = hash_password(GOOD)
    assert stored.startswith("$argon2id$")
    assert GOOD not in stored
    assert verify_password(stored, GOOD)
    assert not verify_password(stored, GOOD + "x")


def test_no_hash_never_verifies() -> None:
    assert not verify_password(None, GOOD)
    assert not verify_password("not-a-hash", GOOD)
