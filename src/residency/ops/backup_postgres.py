"""PostgreSQL: `pg_dump -Fc` inside an exported snapshot (the row counts in the manifest see
exactly what the dump holds); a restore goes into a new database with `pg_restore
--exit-on-error` and is swapped in by renaming both databases in one transaction."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from residency.errors import EnvironmentProblem, InputError
from residency.ops.backup_manifest import Snapshot
from residency.ops.snapshot import read_snapshot

MAINTENANCE_DATABASE = "postgres"
_IDENTIFIER_LIMIT = 63  # PostgreSQL truncates longer names, which would make two names collide
_SWAP_ATTEMPTS = 3


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _is_local(host: str | None) -> bool:
    return host is None or host.startswith("/") or host in ("localhost", "127.0.0.1", "::1")


def libpq_environment(url: URL) -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore as PG* variables: a password never shows in
    the process list."""
    env = dict(os.environ)
    values = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def run_client(program: str, args: list[str], url: URL) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise EnvironmentProblem(
            f"{program} is not on PATH: install the PostgreSQL client tools matching the server"
        )
    result = subprocess.run(
        [executable, *args], env=libpq_environment(url), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        # Never ignored: the first error pg_dump/pg_restore reports, on one line.
        reason = _one_line(result.stderr.strip().splitlines()[0] if result.stderr.strip() else "")
        raise EnvironmentProblem(f"{program} failed with exit {result.returncode}: {reason}")


def _swap_problem(exc: DBAPIError) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"cannot swap the restored database in: {_one_line(str(exc.orig))} (the database user "
        "must own the database; nothing was replaced)"
    )


class PostgresStore:
    engine_name = "postgresql"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url
        if not self.url.database:
            raise InputError("RESIDENCY_DATABASE_URL: names no PostgreSQL database")
        self.name: str = self.url.database

    def _admin(self, autocommit: bool = True) -> Engine:
        level = "AUTOCOMMIT" if autocommit else "READ COMMITTED"
        return create_engine(
            self.url.set(database=MAINTENANCE_DATABASE), isolation_level=level, poolclass=NullPool
        )

    def _admin_scalar(self, sql: str, **params: object) -> object:
        admin = self._admin()
        try:
            with admin.connect() as connection:
                return connection.execute(text(sql), params).scalar()
        finally:
            admin.dispose()

    def _admin_execute(self, sql: str) -> None:
        admin = self._admin()
        try:
            with admin.connect() as connection:
                connection.execute(text(sql))
        finally:
            admin.dispose()

    def database_name(self) -> str:
        return self.name

    def server_version(self) -> str:
        return str(self._admin_scalar("SHOW server_version"))

    def exists(self) -> bool:
        found = self._admin_scalar("SELECT 1 FROM pg_database WHERE datname = :n", n=self.name)
        return found is not None

    def storage_folder(self) -> Path | None:
        if not _is_local(self.url.host):
            return None  # the data directory is on the server's machine, not on this one
        try:
            return Path(str(self._admin_scalar("SHOW data_directory")))
        except DBAPIError as exc:
            # SHOW data_directory needs superuser or pg_read_all_settings.
            raise EnvironmentProblem(
                f"cannot read the server's data_directory: {_one_line(str(exc.orig))}"
            ) from None

    def dump(self, dest: Path) -> Snapshot:
        with self.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                snapshot_id = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                snapshot = read_snapshot(connection)
                args = ["--format=custom", f"--snapshot={snapshot_id}", f"--file={dest}"]
                run_client("pg_dump", args, self.url)
        return snapshot

    def stage(self, dump: Path) -> str:
        staging = self._sibling_name("restore")
        try:
            self._admin_execute(f"CREATE DATABASE {_quoted(staging)}")
        except DBAPIError as exc:
            raise EnvironmentProblem(
                f"cannot create the staging database {staging}: {_one_line(str(exc.orig))} "
                "(the database user needs CREATEDB)"
            ) from None
        staging_url = self.url.set(database=staging)
        try:
            args = ["--exit-on-error", "--single-transaction", "--no-owner", "--no-acl"]
            run_client("pg_restore", [*args, f"--dbname={staging}", str(dump)], staging_url)
        except BaseException:
            self._drop(staging)
            raise
        return staging_url.render_as_string(hide_password=False)

    def discard(self, staging_url: str) -> None:
        database = make_url(staging_url).database
        assert database, staging_url
        self._drop(database)

    def _drop(self, database: str) -> None:
        self._admin_execute(f"DROP DATABASE IF EXISTS {_quoted(database)} WITH (FORCE)")

    def swap_in(self, staging_url: str) -> list[str]:
        staging = make_url(staging_url).database
        assert staging, staging_url
        self.engine.dispose()
        retired = self._sibling_name("replaced")
        replacing = self.exists()
        for attempt in range(1, _SWAP_ATTEMPTS + 1):
            try:
                self._rename_both(staging, retired if replacing else None)
                break
            except OperationalError as exc:
                # A client reconnected between the terminate and the rename: try again.
                if attempt == _SWAP_ATTEMPTS:
                    raise _swap_problem(exc) from None
            except DBAPIError as exc:
                raise _swap_problem(exc) from None
        return self._drop_retired(retired) if replacing else []

    def _rename_both(self, staging: str, retired: str | None) -> None:
        # One transaction: either both renames happen or neither, so the name always resolves.
        admin = self._admin(autocommit=False)
        try:
            with admin.connect() as connection, connection.begin():
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :n AND pid <> pg_backend_pid()"
                    ),
                    {"n": self.name},
                )
                if retired is not None:
                    connection.execute(
                        text(f"ALTER DATABASE {_quoted(self.name)} RENAME TO {_quoted(retired)}")
                    )
                connection.execute(
                    text(f"ALTER DATABASE {_quoted(staging)} RENAME TO {_quoted(self.name)}")
                )
        finally:
            admin.dispose()

    def _drop_retired(self, retired: str) -> list[str]:
        try:
            self._drop(retired)
        except DBAPIError as exc:
            return [f"the replaced database is kept as {retired} ({_one_line(str(exc.orig))})"]
        return []

    def _sibling_name(self, role: str) -> str:
        suffix = f"__{role}_{uuid.uuid4().hex[:8]}"
        return self.name[: _IDENTIFIER_LIMIT - len(suffix)] + suffix
