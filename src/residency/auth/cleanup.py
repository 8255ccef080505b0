"""What sign-ins leave behind, deleted once it can no longer matter: tokens past their expiry,
sessions and login attempts that ended longer ago than RESIDENCY_AUTH_HISTORY_DAYS, spent or
expired set-password links, lockouts that no longer count. The nightly cleanup calls it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from residency.auth.models import (
    AuthSession,
    AuthToken,
    IdempotentRequest,
    LoginAttempt,
    LoginLock,
    PasswordToken,
)
from residency.config import get_settings


@dataclass(frozen=True)
class AuthCleanup:
    tokens: int
    sessions: int
    password_tokens: int
    login_attempts: int
    login_locks: int
    idempotent_requests: int


def remove_ended(session: Session, now: datetime, history: timedelta) -> AuthCleanup:
    """In the caller's transaction. `history`: how long an ended session, a login attempt and
    a replayable answer are kept (who signed in when, for an inquiry)."""
    kept_from = now - history
    # Throttling counts failures within its window and after the last lockout ended, so
    # neither older attempts nor lockouts that ended before the window count any more.
    window_start = now - timedelta(minutes=get_settings().login_window_minutes)
    ended = select(AuthSession.id).where(
        or_(AuthSession.expires_at <= kept_from, AuthSession.revoked_at <= kept_from)
    )
    # A token past its expiry is never accepted again. A spent refresh token stays until
    # then: presenting it again is how a stolen copy is detected.
    tokens = _delete(
        session, AuthToken, or_(AuthToken.expires_at <= now, AuthToken.session_id.in_(ended))
    )
    sessions = _delete(session, AuthSession, AuthSession.id.in_(ended))
    links = _delete(
        session,
        PasswordToken,
        or_(PasswordToken.expires_at <= now, PasswordToken.used_at.is_not(None)),
    )
    attempts = _delete(
        session, LoginAttempt, LoginAttempt.attempted_at < min(kept_from, window_start)
    )
    locks = _delete(session, LoginLock, LoginLock.locked_until < window_start)
    # Answers are replayed for a day (web/idempotency.py); these are long past that.
    answers = _delete(session, IdempotentRequest, IdempotentRequest.created_at < kept_from)
    return AuthCleanup(tokens, sessions, links, attempts, locks, answers)


def _delete(session: Session, model: type[Any], condition: Any) -> int:
    result = session.execute(
        delete(model).where(condition).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
