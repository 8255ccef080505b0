"""The password policy, applied in one place on create, change and reset, and Argon2id hashing.

The policy names every rule a password breaks in one message, so a person fixes it in one try.
Guessability comes from zxcvbn's estimator (its dictionaries of common passwords, names and
patterns): a score under 3 means an attacker's guessing finds it too soon."""

from __future__ import annotations

import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from residency.config import get_settings
from residency.errors import InputError

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_CLASSES = 3
MIN_GUESS_SCORE = 3  # zxcvbn: 0 too guessable ... 4 very unguessable
_CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")


def policy_breaches(password: str, email: str = "", name: str = "") -> list[str]:
    """Every rule of the policy the password breaks, in words; empty when it is acceptable."""
    breaches = []
    if len(password) < MIN_LENGTH:
        breaches.append(f"at least {MIN_LENGTH} characters (it has {len(password)})")
    if len(password) > MAX_LENGTH:
        breaches.append(f"at most {MAX_LENGTH} characters (it has {len(password)})")
    classes = sum(bool(re.search(pattern, password)) for pattern in _CLASSES)
    if classes < MIN_CLASSES:
        breaches.append(
            f"at least {MIN_CLASSES} of lower-case, upper-case, digits and symbols "
            f"(it has {classes})"
        )
    breaches += _personal_breaches(password, email, name)
    if len(password) <= MAX_LENGTH and _guess_score(password, email, name) < MIN_GUESS_SCORE:
        breaches.append("not a commonly used or easily guessed password")
    return breaches


def _personal_breaches(password: str, email: str, name: str) -> list[str]:
    lowered = password.lower()
    breaches = []
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 3 and local_part in lowered:
        breaches.append("must not contain the e-mail address's name part")
    if any(len(word) >= 3 and word in lowered for word in re.split(r"[\s.\-_']+", name.lower())):
        breaches.append("must not contain the person's name")
    return breaches


def _guess_score(password: str, email: str, name: str) -> int:
    hints = [part for part in (email, email.split("@", 1)[0], *name.split()) if part]
    return int(zxcvbn(password, user_inputs=hints)["score"])


def require_acceptable(password: str, *, email: str = "", name: str = "") -> None:
    breaches = policy_breaches(password, email, name)
    if breaches:
        raise InputError(
            "password: breaks the password policy: " + "; ".join(breaches), field="password"
        )


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=4)


def hasher() -> PasswordHasher:
    settings = get_settings()
    return _hasher(settings.password_hash_time_cost, settings.password_hash_memory_kib)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Costs the same whether or not there is a hash, so a missing account cannot be timed."""
    try:
        return hasher().verify(stored_hash or _decoy_hash(), password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return hasher().check_needs_rehash(stored_hash)


@lru_cache(maxsize=4)
def _decoy_for(time_cost: int, memory_kib: int) -> str:
    return _hasher(time_cost, memory_kib).hash("decoy password for unknown accounts")


def _decoy_hash() -> str:
    settings = get_settings()
    return _decoy_for(settings.password_hash_time_cost, settings.password_hash_memory_kib)
