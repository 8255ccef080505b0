"""SQLite: dumps through the online backup API (a consistent copy while the app runs); a
restore writes a new file in the same folder and swaps it in with one atomic rename."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from residency.errors import EnvironmentProblem, InputError
from residency.ops.backup_manifest import Snapshot
from residency.ops.snapshot import read_snapshot


def snapshot_of_file(path: Path) -> Snapshot:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return read_snapshot(connection)
    finally:
        engine.dispose()


class SqliteStore:
    engine_name = "sqlite"

    def __init__(self, engine: Engine) -> None:
        database = make_url(str(engine.url)).database
        if not database or database == ":memory:":
            raise InputError("RESIDENCY_DATABASE_URL: an in-memory SQLite database has no backup")
        self.engine = engine
        self.path = Path(database).resolve()

    def database_name(self) -> str:
        return str(self.path)

    def server_version(self) -> str:
        return sqlite3.sqlite_version

    def exists(self) -> bool:
        return self.path.is_file() and self.path.stat().st_size > 0

    def storage_folder(self) -> Path | None:
        return self.path.parent

    def dump(self, dest: Path) -> Snapshot:
        if not self.exists():
            raise EnvironmentProblem(
                f"database file {self.path} is missing or empty: nothing to save"
            )
        source = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(dest)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        return snapshot_of_file(dest)

    def stage(self, dump: Path) -> str:
        # Same folder as the live file, so the final os.replace is a rename on one filesystem.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staged = self.path.parent / f".{self.path.name}.restore-{uuid.uuid4().hex[:8]}.tmp"
        try:
            shutil.copyfile(dump, staged)
            _check_integrity(staged, dump)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
        return f"sqlite:///{staged}"

    def discard(self, staging_url: str) -> None:
        Path(_file_of(staging_url)).unlink(missing_ok=True)

    def swap_in(self, staging_url: str) -> list[str]:
        self.engine.dispose()  # pooled connections would keep reading the replaced file
        self._checkpoint_wal()
        os.replace(_file_of(staging_url), self.path)
        return []

    def _checkpoint_wal(self) -> None:
        # A leftover write-ahead log would be replayed onto the new file and corrupt it.
        wal = self.path.with_name(self.path.name + "-wal")
        if self.exists() and wal.exists():
            connection = sqlite3.connect(self.path)
            try:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.close()
            wal.unlink(missing_ok=True)


def _file_of(url: str) -> str:
    database = make_url(url).database
    assert database, url
    return database


def _check_integrity(staged: Path, dump: Path) -> None:
    try:
        connection = sqlite3.connect(f"{staged.as_uri()}?mode=ro", uri=True)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        verdict = str(exc)
    if verdict != "ok":
        raise InputError(f"{dump}: not a usable SQLite database ({verdict})")
