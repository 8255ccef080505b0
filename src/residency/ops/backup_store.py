"""What backup and restore need from a database engine, whichever it is: dump it, restore a
dump beside it (staging), swap the staged copy in, and say where its data lives."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, inspect, text

from residency.errors import InputError
from residency.ops.backup_manifest import Snapshot


class Store(Protocol):
    engine_name: str

    def database_name(self) -> str: ...

    def server_version(self) -> str: ...

    def exists(self) -> bool: ...

    def dump(self, dest: Path) -> Snapshot: ...

    def stage(self, dump: Path) -> str:
        """Restores the dump into a new database (or file) beside this one; returns its URL."""
        ...

    def discard(self, staging_url: str) -> None: ...

    def swap_in(self, staging_url: str) -> list[str]:
        """Replaces this database with the staged one in one step; returns notes for the user."""
        ...

    def storage_folder(self) -> Path | None:
        """The local folder holding this database's data; None when it is on another machine;
        EnvironmentProblem when it cannot be found out."""
        ...


def store_for(engine: Engine) -> Store:
    # Imported here: each engine's module pulls in what only it needs (sqlite3, subprocess).
    if engine.dialect.name == "sqlite":
        from residency.ops.backup_sqlite import SqliteStore

        return SqliteStore(engine)
    if engine.dialect.name == "postgresql":
        from residency.ops.backup_postgres import PostgresStore

        return PostgresStore(engine)
    raise InputError(
        f"RESIDENCY_DATABASE_URL: backups support sqlite and postgresql, not {engine.dialect.name}"
    )


def read_snapshot(connection: Connection) -> Snapshot:
    tables = sorted(inspect(connection).get_table_names())
    quote = connection.dialect.identifier_preparer.quote
    counts = {
        table: int(connection.execute(text(f"SELECT COUNT(*) FROM {quote(table)}")).scalar_one())
        for table in tables
    }
    revision = None
    if "alembic_version" in tables:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    stamp = None
    if "app_settings" in tables:
        stamp = connection.execute(text("SELECT schema_updated_at FROM app_settings")).scalar()
    return Snapshot(revision, _iso(stamp), counts)


def _iso(stamp: object) -> str | None:
    # SQLite hands back the stored text, PostgreSQL a datetime: record both the same way.
    if stamp is None:
        return None
    if isinstance(stamp, datetime):
        return stamp.isoformat()
    return str(stamp)
