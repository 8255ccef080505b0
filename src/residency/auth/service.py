"""Account use cases: create accounts, sign in, change and set passwords. Services flush; the
caller owns the transaction (a failed login is committed too: it counts toward the lockout)."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency import clock
from residency.audit.actor import Actor
from residency.audit.service import actor_of, record
from residency.auth import passwords, throttle, tokens
from residency.auth.models import PasswordToken, Role, User
from residency.auth.permissions import ROLES_WITH_A_PERSON
from residency.config import get_settings
from residency.errors import InputError, NotFoundError, RefusedError, Unauthenticated
from residency.people.models import Person

ONE_TIME_PASSWORD_LENGTH = 20
INVALID_PASSWORD_TOKEN = (
    "token: not a valid set-password token (it may be used or expired; ask an administrator "
    "for a new one)"
)


@dataclass(frozen=True)
class NewUser:
    email: str
    role: Role
    name: str = ""
    person_key: str | None = None
    password: str | None = None  # None: the account gets a one-time set-password token
    must_change_password: bool = False  # a one-time password, to be changed at first login


@dataclass(frozen=True)
class CreatedUser:
    user_id: int
    set_password_token: str | None  # for a link to the person; shown once, stored hashed


def normalised_email(email: str) -> str:
    cleaned = email.strip().lower()
    local, _, domain = cleaned.partition("@")
    if not local or "." not in domain or " " in cleaned or len(cleaned) > 254:
        raise InputError(f"email: {email!r} is not an e-mail address", field="email")
    return cleaned


def create_user(session: Session, new: NewUser) -> CreatedUser:
    email = normalised_email(new.email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InputError(f"email: {email!r} already has an account", field="email")
    person = _person_for(session, new.role, new.person_key)
    name = new.name or (person.name if person else "")
    user = User(
        email=email,
        name=name,
        role=new.role,
        person_id=person.id if person else None,
        created_at=clock.now(),
    )
    if new.password is not None:
        _set_password(user, new.password)
    user.must_change_password = new.must_change_password
    session.add(user)
    session.flush()
    token = None if new.password is not None else issue_password_token(session, user)
    record(
        session, "user.create", "user", user.id, after=account_json(user), person_key=new.person_key
    )
    return CreatedUser(user.id, token)


def account_json(user: User) -> dict[str, object]:
    """What the audit log keeps of an account (never a password or token)."""
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role.value,
        "person_id": user.person_id,
        "active": user.active,
        "must_change_password": user.must_change_password,
    }


def _person_for(session: Session, role: Role, key: str | None) -> Person | None:
    if role not in ROLES_WITH_A_PERSON:
        if key is not None:
            raise InputError(
                f"person_key: a {role.value} account is nobody's person (got {key!r})",
                field="person_key",
            )
        return None
    if key is None:
        raise InputError(
            f"person_key: a {role.value} account needs the person it is", field="person_key"
        )
    person = session.scalar(select(Person).where(Person.key == key))
    if person is None:
        raise InputError(f"person_key: no person has the key {key!r}", field="person_key")
    wanted = "resident" if role == Role.RESIDENT else "faculty"
    if person.kind.value != wanted:
        raise InputError(
            f"person_key: {key!r} is {person.kind.value}, not {wanted}", field="person_key"
        )
    if session.scalar(select(User.id).where(User.person_id == person.id)) is not None:
        raise InputError(f"person_key: {key!r} already has an account", field="person_key")
    return person


def one_time_password() -> str:
    # Letters, digits and symbols, so it meets the policy's classes; it must be changed anyway.
    alphabet = string.ascii_letters + string.digits + "!@#%^*-_+="
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(ONE_TIME_PASSWORD_LENGTH))
        if not passwords.policy_breaches(candidate):
            return candidate


def create_admin(session: Session, email: str, name: str, password: str | None) -> str | None:
    """An administrator straight in the database; returns the one-time password when none was
    given (it must be changed at first login)."""
    temporary = None if password is not None else one_time_password()
    new = NewUser(email, Role.ADMIN, name, None, password or temporary, temporary is not None)
    create_user(session, new)
    return temporary


def issue_password_token(session: Session, user: User) -> str:
    now = clock.now()
    secret = tokens.new_secret()
    session.add(
        PasswordToken(
            digest=tokens.digest(secret),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(hours=get_settings().set_password_token_hours),
        )
    )
    session.flush()
    return secret


def reset_password(session: Session, user_id: int) -> str:
    """A new one-time set-password token (the old password works until it is used)."""
    token = issue_password_token(session, user_by_id(session, user_id))
    record(session, "user.password_reset", "user", user_id)
    return token


def attempt_login(session: Session, email: str, password: str, client_address: str) -> User | None:
    """The user when the password is right; None (recorded toward the lockout) when not.
    Raises TooManyAttempts while the account or the address is locked."""
    cleaned = email.strip().lower()
    throttle.refuse_if_locked(session, cleaned, client_address)
    user = session.scalar(select(User).where(User.email == cleaned))
    stored = user.password_hash if user is not None and user.active else None
    valid = passwords.verify_password(stored, password)
    throttle.record_attempt(session, cleaned, client_address, valid)
    if not valid or user is None:
        return None
    if stored is not None and passwords.needs_rehash(stored):
        user.password_hash = passwords.hash_password(password)
    return user


def change_password(session: Session, principal: tokens.Principal, current: str, new: str) -> None:
    user = user_by_id(session, principal.user_id)
    if not passwords.verify_password(user.password_hash, current):
        raise InputError(
            "current_password: is not the account's password", field="current_password"
        )
    if new == current:
        raise InputError(
            "new_password: must differ from the current password", field="new_password"
        )
    _set_password(user, new)
    tokens.revoke_user_sessions(session, user.id, "password changed", principal.session_id)
    record(session, "user.password_change", "user", user.id)


def set_password_with_token(session: Session, token: str, new: str) -> User:
    found = session.get(PasswordToken, tokens.digest(token), with_for_update=True)
    if not _is_live(found):
        raise Unauthenticated(INVALID_PASSWORD_TOKEN, field="token")
    assert found is not None
    user = user_by_id(session, found.user_id)
    _set_password(user, new)
    found.used_at = clock.now()
    tokens.revoke_user_sessions(session, user.id, "password set")
    # The one-time token proves who acts: the account's holder, not an anonymous caller.
    caller = actor_of(session)
    session.info["actor"] = Actor("user", user.email, user.id, caller.client_address)
    record(session, "user.password_set", "user", user.id)
    return user


def password_token_is_live(session: Session, token: str) -> bool:
    """Whether the token would set a password now (the set-password page asks before the form
    is filled). Unknown, used and expired tokens alike are not: one lookup, one answer."""
    return _is_live(session.get(PasswordToken, tokens.digest(token)))


def _is_live(found: PasswordToken | None) -> bool:
    return (
        found is not None and found.used_at is None and clock.aware(found.expires_at) > clock.now()
    )


def _set_password(user: User, password: str) -> None:
    passwords.require_acceptable(password, email=user.email, name=user.name)
    user.password_hash = passwords.hash_password(password)
    user.must_change_password = False
    user.password_changed_at = clock.now()


def user_by_id(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"user: no user has the id {user_id}", field="user_id")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def update_user(
    session: Session,
    user_id: int,
    *,
    role: Role | None,
    active: bool | None,
    name: str | None,
    acting_user_id: int,
) -> User:
    user = user_by_id(session, user_id)
    before = account_json(user)
    if user_id == acting_user_id and (active is False or (role and role != user.role)):
        raise RefusedError(
            "user: you cannot deactivate yourself or change your own role", field="user_id"
        )
    if role is not None:
        if role in ROLES_WITH_A_PERSON and user.person_id is None:
            raise InputError(f"role: a {role.value} account needs a person", field="role")
        if role not in ROLES_WITH_A_PERSON and user.person_id is not None:
            raise InputError(f"role: a {role.value} account is nobody's person", field="role")
        user.role = role
    if name is not None:
        user.name = name
    if active is not None:
        user.active = active
        if not active:
            tokens.revoke_user_sessions(session, user.id, "account deactivated")
    session.flush()
    record(session, "user.update", "user", user.id, before=before, after=account_json(user))
    return user
