"""Database engine and sessions. Services flush; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from residency.audit.actor import Actor, os_actor
from residency.config import get_settings
from residency.errors import EnvironmentProblem, InputError


def redacted(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def _enforce_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless asked, per connection; PostgreSQL always enforces them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def build_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(
            f"RESIDENCY_DATABASE_URL: {url!r} is not a database URL "
            "(expected e.g. sqlite:///var/residency.db or postgresql+psycopg://user@host/db)"
        ) from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed, future=True, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise InputError(f"RESIDENCY_DATABASE_URL: {redacted(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enforce_sqlite_foreign_keys)
    return engine


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return build_engine(url)


def get_engine() -> Engine:
    return engine_for(get_settings().database_url)


def check_reachable(engine: Engine) -> None:
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        reason = " ".join(str(exc.orig).split())
        raise EnvironmentProblem(
            f"cannot connect to the database {redacted(str(engine.url))}: {reason} "
            "(check RESIDENCY_DATABASE_URL)"
        ) from None


@contextmanager
def unit_of_work(
    engine: Engine | None = None, *, check_schema: bool = True, actor: Actor | None = None
) -> Iterator[Session]:
    """One transaction: committed when the block ends normally, rolled back on any error.

    Program data is only touched when the schema is the one this code expects; the check names
    both revisions and the command that fixes the mismatch. The audit log names `actor` as the
    author of every change made in it: a command that passes none is audited as the
    operating-system user running it; the web passes the signed-in user."""
    bound = engine or get_engine()
    check_reachable(bound)
    if check_schema:
        from residency.ops.migrations import require_current_schema  # ops depends on db

        require_current_schema(bound)
    factory = sessionmaker(bind=bound, expire_on_commit=False)
    with factory() as session, session.begin():
        # Who acts, for the audit log: a command runs as its operating-system user unless the
        # door (an API route, a task) says whom it acts for.
        session.info["actor"] = actor or os_actor()
        yield session


@contextmanager
def savepoint(session: Session) -> Iterator[SessionTransaction]:
    """`session.begin_nested()` that stays inside the caller's transaction on SQLite too.

    pysqlite starts a transaction only before the first write, so a SAVEPOINT taken before any
    write is the outermost one, and SQLite's RELEASE of the outermost savepoint is a COMMIT:
    the caller could no longer roll it back. Beginning the transaction first keeps it theirs."""
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN")
    with session.begin_nested() as nested:
        yield nested
