"""Opaque tokens stored as digests. Every request looks its token up in the database, so a
logout, a password change or a stolen refresh token ends a session at once in every process
(a signed token would live until it expires).

A session is a family: login opens it with an access and a refresh token; a refresh spends the
refresh token and issues a new pair in the same family; presenting a spent refresh token again
revokes the family, since one of the two holders is a thief."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from residency import clock
from residency.auth.models import AuthSession, AuthToken, Role, TokenPurpose, User
from residency.config import get_settings
from residency.errors import Unauthenticated

TOKEN_BYTES = 32  # 256 bits of randomness


@dataclass(frozen=True)
class Principal:
    """Who a request acts for: plain values, safe to pass anywhere."""

    user_id: int
    email: str
    name: str
    role: Role
    person_id: int | None
    session_id: int
    must_change_password: bool


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token lives
    session_id: int
    user_id: int


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def open_session(session: Session, user: User, client_address: str | None) -> IssuedTokens:
    return _issue_pair(session, _new_family(session, user, client_address))


def open_cookie_session(session: Session, user: User, client_address: str | None) -> str:
    """A web pages' session: one cookie token living as long as a refresh token."""
    family = _new_family(session, user, client_address)
    return _issue(session, family, TokenPurpose.COOKIE, family.expires_at)


def _new_family(session: Session, user: User, client_address: str | None) -> AuthSession:
    now = clock.now()
    family = AuthSession(
        user_id=user.id,
        created_at=now,
        expires_at=now + _refresh_life(),
        client_address=client_address,
    )
    session.add(family)
    session.flush()
    return family


def refresh(session: Session, refresh_token: str) -> IssuedTokens:
    token = session.get(AuthToken, digest(refresh_token), with_for_update=True)
    if token is None or token.purpose != TokenPurpose.REFRESH:
        raise Unauthenticated("refresh_token: not a valid refresh token", field="refresh_token")
    family = token.session
    if token.used_at is not None:
        revoke_session(session, family.id, "refresh token reused")
        raise Unauthenticated(
            "refresh_token: already used; the session is revoked as a precaution (sign in again)",
            field="refresh_token",
        )
    if family.revoked_at is not None or _expired(token.expires_at):
        raise Unauthenticated(
            "refresh_token: the session has ended (sign in again)", field="refresh_token"
        )
    token.used_at = clock.now()
    _expire_access_tokens(session, family.id)
    return _issue_pair(session, family)


def authenticate(session: Session, token: str, purpose: TokenPurpose) -> Principal:
    found = session.execute(
        select(AuthToken, AuthSession, User)
        .join(AuthSession, AuthToken.session_id == AuthSession.id)
        .join(User, AuthSession.user_id == User.id)
        .where(AuthToken.digest == digest(token))
    ).first()
    if found is None:
        raise Unauthenticated("not signed in: the token is not valid")
    row, family, user = found
    if row.purpose != purpose or row.used_at is not None:
        raise Unauthenticated("not signed in: the token is not valid")
    if family.revoked_at is not None or not user.active:
        raise Unauthenticated("not signed in: the session was ended")
    if _expired(row.expires_at) or _expired(family.expires_at):
        raise Unauthenticated("not signed in: the token has expired")
    return Principal(
        user.id,
        user.email,
        user.name,
        user.role,
        user.person_id,
        family.id,
        user.must_change_password,
    )


def revoke_session(session: Session, session_id: int, reason: str) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=clock.now(), revoked_reason=reason)
    )


def revoke_user_sessions(
    session: Session, user_id: int, reason: str, keep_session_id: int | None = None
) -> None:
    query = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if keep_session_id is not None:
        query = query.where(AuthSession.id != keep_session_id)
    session.execute(query.values(revoked_at=clock.now(), revoked_reason=reason))


def _issue_pair(session: Session, family: AuthSession) -> IssuedTokens:
    access_life = timedelta(minutes=get_settings().access_token_minutes)
    access = _issue(session, family, TokenPurpose.ACCESS, clock.now() + access_life)
    refresh_token = _issue(session, family, TokenPurpose.REFRESH, clock.aware(family.expires_at))
    return IssuedTokens(
        access, refresh_token, int(access_life.total_seconds()), family.id, family.user_id
    )


def _issue(session: Session, family: AuthSession, purpose: TokenPurpose, expires: datetime) -> str:
    secret = new_secret()
    session.add(
        AuthToken(digest=digest(secret), session_id=family.id, purpose=purpose, expires_at=expires)
    )
    session.flush()
    return secret


def _expire_access_tokens(session: Session, session_id: int) -> None:
    session.execute(
        update(AuthToken)
        .where(
            AuthToken.session_id == session_id,
            AuthToken.purpose == TokenPurpose.ACCESS,
            AuthToken.used_at.is_(None),
        )
        .values(used_at=clock.now())
    )


def _expired(moment: datetime) -> bool:
    return clock.aware(moment) <= clock.now()


def _refresh_life() -> timedelta:
    return timedelta(days=get_settings().refresh_token_days)
