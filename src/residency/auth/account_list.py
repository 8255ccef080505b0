"""The administrators' view of the accounts: each account with what its own row does not say,
whether sign-in is locked now (auth/throttle.py's lock of its e-mail) and when it last signed in
(its newest session, which the nightly cleanup keeps as long as a session lives)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from residency import clock
from residency.auth.models import AuthSession, LoginLock, Role, User
from residency.auth.service import user_by_id


@dataclass(frozen=True)
class AccountRow:
    id: int
    email: str
    name: str
    role: Role
    person_key: str | None
    active: bool
    must_change_password: bool
    password_set: bool
    locked_until: datetime | None  # None: sign-in is not locked
    last_sign_in: datetime | None  # None: no session on record


def account_rows(session: Session) -> list[AccountRow]:
    users = list(session.scalars(select(User).options(selectinload(User.person)).order_by(User.id)))
    return _rows(session, users)


def account_row(session: Session, user_id: int) -> AccountRow:
    return _rows(session, [user_by_id(session, user_id)])[0]


def _rows(session: Session, users: list[User]) -> list[AccountRow]:
    now = clock.now()
    locks = {
        lock.key: clock.aware(lock.locked_until)
        for lock in session.scalars(
            select(LoginLock).where(LoginLock.key.in_([f"account:{u.email}" for u in users]))
        )
    }
    newest: dict[int, datetime] = {
        user_id: at
        for user_id, at in session.execute(
            select(AuthSession.user_id, func.max(AuthSession.created_at))
            .where(AuthSession.user_id.in_([u.id for u in users]))
            .group_by(AuthSession.user_id)
        )
    }
    rows = []
    for user in users:
        until = locks.get(f"account:{user.email}")
        last = newest.get(user.id)
        rows.append(
            AccountRow(
                id=user.id,
                email=user.email,
                name=user.name,
                role=user.role,
                person_key=user.person.key if user.person else None,
                active=user.active,
                must_change_password=user.must_change_password,
                password_set=user.password_hash is not None,
                locked_until=until if until is not None and until > now else None,
                last_sign_in=clock.aware(last) if last is not None else None,
            )
        )
    return rows
