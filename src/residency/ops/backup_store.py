"""What backup and restore need from a database engine, whichever it is: dump it, restore a
dump beside it (staging), swap the staged copy in, and say where its data lives."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine

from residency.errors import InputError
from residency.ops.backup_manifest import Snapshot
from residency.ops.backup_postgres import PostgresStore
from residency.ops.backup_sqlite import SqliteStore


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
    if engine.dialect.name == "sqlite":
        return SqliteStore(engine)
    if engine.dialect.name == "postgresql":
        return PostgresStore(engine)
    raise InputError(
        f"RESIDENCY_DATABASE_URL: backups support sqlite and postgresql, not {engine.dialect.name}"
    )
