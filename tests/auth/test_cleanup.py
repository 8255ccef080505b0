"""The nightly cleanup of sign-ins' leftovers, through the task's body: what can no longer be
accepted or counted goes, what still matters stays (a live session, a spent refresh token
that still unmasks a thief, the throttle's current window)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from residency import clock
from residency.auth import tasks, tokens
from residency.auth.models import (
    AuthSession,
    AuthToken,
    IdempotentRequest,
    LoginAttempt,
    LoginLock,
    PasswordToken,
    Role,
    TokenPurpose,
    User,
)
from residency.db import unit_of_work
from residency.errors import Unauthenticated

DAY = timedelta(days=1)


def _family(session: Session, user: User, created: datetime, *, revoked: bool = False) -> int:
    """A sign-in made at `created`, living a week as a refresh token does, with its tokens."""
    family = AuthSession(
        user_id=user.id,
        created_at=created,
        expires_at=created + 7 * DAY,
        revoked_at=created + DAY if revoked else None,
    )
    session.add(family)
    session.flush()
    for purpose, life in (
        (TokenPurpose.ACCESS, timedelta(minutes=15)),
        (TokenPurpose.REFRESH, 7 * DAY),
    ):
        digest = tokens.digest(tokens.new_secret())
        session.add(
            AuthToken(
                digest=digest, session_id=family.id, purpose=purpose, expires_at=created + life
            )
        )
    return family.id


def test_the_cleanup_removes_what_ended_and_keeps_what_still_matters(
    cli_db: str, db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESIDENCY_AUTH_HISTORY_DAYS", "30")
    now = clock.now()
    with unit_of_work(db_engine) as session:
        user = User(email="chief@example.org", role=Role.COORDINATOR, created_at=now - 90 * DAY)
        session.add(user)
        session.flush()
        live = tokens.open_session(session, user, "10.0.0.1")
        spent = live.refresh_token
        renewed = tokens.refresh(session, spent)  # the first refresh token is spent now
        ended_long_ago = _family(session, user, now - 60 * DAY)
        revoked_long_ago = _family(session, user, now - 40 * DAY, revoked=True)
        ended_lately = _family(session, user, now - 10 * DAY)
        for created, used in ((now - 5 * DAY, None), (now - DAY, now), (now, None)):
            session.add(
                PasswordToken(
                    digest=tokens.digest(tokens.new_secret()),
                    user_id=user.id,
                    created_at=created,
                    expires_at=created + 3 * DAY,
                    used_at=used,
                )
            )
        for at in (now - 31 * DAY, now - timedelta(minutes=1)):
            session.add(
                LoginAttempt(
                    email=user.email, client_address="10.0.0.9", attempted_at=at, succeeded=False
                )
            )
        session.add(LoginLock(key="address:10.0.0.8", locked_until=now - DAY))
        session.add(LoginLock(key="address:10.0.0.9", locked_until=now + timedelta(minutes=10)))
        for key, at in (("old", now - 31 * DAY), ("recent", now - timedelta(hours=1))):
            session.add(
                IdempotentRequest(
                    user_id=user.id,
                    key=key,
                    fingerprint="f",
                    status_code=201,
                    body="{}",
                    created_at=at,
                )
            )

    tasks.cleanup.run()

    with unit_of_work(db_engine) as session:
        families = set(session.scalars(select(AuthSession.id)))
        assert ended_long_ago not in families and revoked_long_ago not in families
        assert {live.session_id, ended_lately} <= families  # ended 3 days ago: kept a month
        left = session.scalars(select(AuthToken)).all()
        assert {token.session_id for token in left} == {live.session_id}  # expired ones gone
        assert all(clock.aware(token.expires_at) > now for token in left)
        assert [t.created_at.date() for t in session.scalars(select(PasswordToken))] == [now.date()]
        attempts = session.scalars(select(LoginAttempt.attempted_at)).all()
        assert [clock.aware(at) > now - DAY for at in attempts] == [True]
        assert session.scalars(select(LoginLock.key)).all() == ["address:10.0.0.9"]
        assert session.scalars(select(IdempotentRequest.key)).all() == ["recent"]

        principal = tokens.authenticate(session, renewed.access_token, TokenPurpose.ACCESS)
        assert principal.user_id == user.id
        # The spent refresh token is still known: presenting it again ends the session.
        with pytest.raises(Unauthenticated, match="already used"):
            tokens.refresh(session, spent)
