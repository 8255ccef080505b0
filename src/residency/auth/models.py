"""Accounts and their sessions. Secrets are never stored: passwords as Argon2id hashes, tokens
as SHA-256 digests of random values, so a copy of the database opens no account."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from residency.orm import Base, enum_column
from residency.people.models import Person


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    FACULTY = "faculty"
    RESIDENT = "resident"


class TokenPurpose(StrEnum):
    ACCESS = "access"  # a bearer token of the API, short-lived
    REFRESH = "refresh"  # trades itself, once, for a new access and refresh token
    COOKIE = "cookie"  # the web pages' session cookie


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    # The person a resident or faculty account is; their "own data" is this person's.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), unique=True
    )
    password_hash: Mapped[str | None] = mapped_column(String(255))  # None: not set yet
    must_change_password: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person | None] = relationship()


class AuthSession(Base):
    """One sign-in: the family of every token it issued. Revoking it ends them all at once."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(64))
    client_address: Mapped[str | None] = mapped_column(String(64))


class AuthToken(Base):
    __tablename__ = "auth_tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256, hex
    session_id: Mapped[int] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose, "token_purpose"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A refresh token is spent once; presenting it again is the sign of a stolen copy.
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    session: Mapped[AuthSession] = relationship()


class PasswordToken(Base):
    """A one-time link to set a password: a new account's first, or a reset."""

    __tablename__ = "password_tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    """Every login attempt, kept in the database so throttling holds across API processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "attempted_at"),
        Index("ix_login_attempts_address_at", "client_address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    client_address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    succeeded: Mapped[bool]


class LoginLock(Base):
    """An account or a client address that refuses logins until `locked_until`."""

    __tablename__ = "login_locks"

    key: Mapped[str] = mapped_column(String(320), primary_key=True)  # "account:..." "address:..."
    locked_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IdempotentRequest(Base):
    """The answer to a request sent with an Idempotency-Key, replayed when it comes again."""

    __tablename__ = "idempotent_requests"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # method, path and body, hashed
    status_code: Mapped[int]
    body: Mapped[str] = mapped_column(String(4000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
