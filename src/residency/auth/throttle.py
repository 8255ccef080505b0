"""Login throttling kept in the database, so it holds across API processes: after N failed
logins within a window, an account (and separately a client address) refuses every login, the
right password included, until a lockout ends. An unknown e-mail is counted and locked like a
real account, so the answers never tell which accounts exist."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from residency import clock
from residency.auth.models import LoginAttempt, LoginLock
from residency.config import get_settings
from residency.errors import TooManyAttempts


def account_key(email: str) -> str:
    return f"account:{email}"


def address_key(client_address: str) -> str:
    return f"address:{client_address}"


def refuse_if_locked(session: Session, email: str, client_address: str) -> None:
    now = clock.now()
    for key, what in (
        (account_key(email), "this account"),
        (address_key(client_address), "this client address"),
    ):
        lock = session.get(LoginLock, key)
        if lock is not None and clock.aware(lock.locked_until) > now:
            wait = clock.aware(lock.locked_until) - now
            seconds = max(1, int(wait.total_seconds() + 0.999))
            raise TooManyAttempts(
                f"too many failed logins: {what} refuses logins for {_minutes(seconds)}",
                retry_after_s=seconds,
            )


def record_attempt(session: Session, email: str, client_address: str, succeeded: bool) -> None:
    now = clock.now()
    session.add(
        LoginAttempt(
            email=email, client_address=client_address, attempted_at=now, succeeded=succeeded
        )
    )
    session.flush()
    if succeeded:
        return
    settings = get_settings()
    for key, column in (
        (account_key(email), LoginAttempt.email),
        (address_key(client_address), LoginAttempt.client_address),
    ):
        value = key.split(":", 1)[1]
        since = _count_from(session, key, email if column is LoginAttempt.email else None, now)
        failures = session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(
                column == value,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.attempted_at > since,
            )
        )
        if (failures or 0) >= settings.login_max_failures:
            _lock(session, key, now + timedelta(minutes=settings.login_lockout_minutes))


def _count_from(session: Session, key: str, email: str | None, now: datetime) -> datetime:
    """Failures count within the window, after the last lockout ended, and, for an account,
    after its last successful login."""
    start = now - timedelta(minutes=get_settings().login_window_minutes)
    lock = session.get(LoginLock, key)
    if lock is not None:
        start = max(start, clock.aware(lock.locked_until))
    if email is not None:
        success = session.scalar(
            select(func.max(LoginAttempt.attempted_at)).where(
                LoginAttempt.email == email, LoginAttempt.succeeded.is_(True)
            )
        )
        if success is not None:
            start = max(start, clock.aware(success))
    return start


def _lock(session: Session, key: str, until: datetime) -> None:
    lock = session.get(LoginLock, key)
    if lock is None:
        session.add(LoginLock(key=key, locked_until=until))
    else:
        lock.locked_until = until
    session.flush()


def _minutes(seconds: int) -> str:
    minutes = (seconds + 59) // 60
    return f"{minutes} more minute{'s' if minutes != 1 else ''}"
