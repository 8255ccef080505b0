"""Login throttling kept in the database, so it holds across API processes: after N failed
logins within a window, an account (and separately a client address) refuses every login, the
right password included, until a lockout ends. An unknown e-mail is counted and locked like a
real account, so the answers never tell which accounts exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from residency import clock
from residency.auth.models import LoginAttempt, LoginLock
from residency.config import get_settings
from residency.errors import TooManyAttempts


@dataclass(frozen=True)
class _Counter:
    """One thing failures are counted against: an account, or a client address."""

    key: str  # its row in login_locks
    column: InstrumentedAttribute[str]  # its column in login_attempts
    value: str
    what: str  # in the refusal's message
    reset_by_success: bool  # an account's count starts again after it signs in


def _counters(email: str, client_address: str) -> tuple[_Counter, _Counter]:
    return (
        _Counter(f"account:{email}", LoginAttempt.email, email, "this account", True),
        _Counter(
            f"address:{client_address}",
            LoginAttempt.client_address,
            client_address,
            "this client address",
            False,
        ),
    )


def refuse_if_locked(session: Session, email: str, client_address: str) -> None:
    now = clock.now()
    for counter in _counters(email, client_address):
        lock = session.get(LoginLock, counter.key)
        if lock is not None and clock.aware(lock.locked_until) > now:
            wait = clock.aware(lock.locked_until) - now
            seconds = max(1, int(wait.total_seconds() + 0.999))
            raise TooManyAttempts(
                f"too many failed logins: {counter.what} refuses logins for {_minutes(seconds)}",
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
    for counter in _counters(email, client_address):
        failures = session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(
                counter.column == counter.value,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.attempted_at > _count_from(session, counter, now),
            )
        )
        if (failures or 0) >= settings.login_max_failures:
            _lock(session, counter.key, now + timedelta(minutes=settings.login_lockout_minutes))


def _count_from(session: Session, counter: _Counter, now: datetime) -> datetime:
    """Failures count within the window, after the last lockout ended, and, for an account,
    after its last successful login."""
    start = now - timedelta(minutes=get_settings().login_window_minutes)
    lock = session.get(LoginLock, counter.key)
    if lock is not None:
        start = max(start, clock.aware(lock.locked_until))
    if counter.reset_by_success:
        success = session.scalar(
            select(func.max(LoginAttempt.attempted_at)).where(
                counter.column == counter.value, LoginAttempt.succeeded.is_(True)
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
