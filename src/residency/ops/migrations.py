"""Schema version: migrate, report where a database stands, and refuse to touch program data
in a database whose schema is not the one this code was written for."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, event, inspect, select
from sqlalchemy.orm import Session

from residency.errors import InputError, RefusedError, SchemaMismatchError
from residency.ops.models import SETTINGS_ROW_ID, AppSettings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
UPGRADE_COMMAND = "residency db upgrade"


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


@dataclass(frozen=True)
class CodeRevisions:
    head: str
    known: frozenset[str]


@cache
def _revisions_in(folder: Path) -> CodeRevisions:
    # Reading the script directory imports every migration file: once per process and folder
    # (keyed by the folder, so a test that installs a newer release's folder sees it).
    scripts = ScriptDirectory(str(folder))
    head = scripts.get_current_head()
    assert head is not None, f"the migrations folder {folder} has no revision"
    return CodeRevisions(head, frozenset(script.revision for script in scripts.walk_revisions()))


def code_revisions() -> CodeRevisions:
    return _revisions_in(MIGRATIONS_DIR)


def code_head() -> str:
    return code_revisions().head


def _run(engine: Engine, action: str, revision: str) -> None:
    config = alembic_config(engine)
    try:
        with (
            engine.connect() as connection,
            _foreign_keys_off_on_sqlite(connection),
            connection.begin(),
        ):
            config.attributes["connection"] = connection
            getattr(command, action)(config, revision)
            _require_intact_foreign_keys(connection)
    finally:
        forget_schema_verdict(engine)  # even a failed run may have changed the revision


@contextmanager
def _foreign_keys_off_on_sqlite(connection: Connection) -> Iterator[None]:
    """SQLite alters a table by copying it and dropping the original; with foreign keys on,
    dropping a table that others point at deletes their rows through ON DELETE CASCADE. So
    they are off while migrating (the pragma works only outside a transaction) and checked
    before the migration commits."""
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        yield
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def _require_intact_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return  # PostgreSQL checks every key as the migration runs
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, _rowid, parent, _key = broken[0]
        raise RefusedError(
            f"the migration would leave {len(broken)} rows pointing at missing rows (first: "
            f"{table} -> {parent}); nothing was changed"
        )


def upgrade(engine: Engine, revision: str = "head") -> None:
    _check_known(revision)
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    _check_known(revision)
    _run(engine, "downgrade", revision)


def _check_known(revision: str) -> None:
    if revision in ("head", "base") or revision.startswith(("+", "-")):
        return
    known = code_revisions().known
    if revision not in known:
        raise InputError(
            f"revision: {revision!r} is not a migration of this code ({sorted(known)})"
        )


def database_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@dataclass(frozen=True)
class SchemaStatus:
    database_url: str
    current_revision: str | None
    code_head: str
    schema_updated_at: datetime | None
    state: str  # "up_to_date", "empty", "behind", "ahead"

    @property
    def up_to_date(self) -> bool:
        return self.state == "up_to_date"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["schema_updated_at"] = (
            self.schema_updated_at.isoformat() if self.schema_updated_at else None
        )
        data["up_to_date"] = self.up_to_date
        return data


def schema_status(engine: Engine) -> SchemaStatus:
    current = database_revision(engine)
    head = code_head()
    if current == head:
        state = "up_to_date"
    elif current is None:
        state = "empty"
    elif current in code_revisions().known:
        state = "behind"
    else:
        state = "ahead"  # a revision this code has never heard of: written by newer code
    return SchemaStatus(
        database_url=engine.url.render_as_string(hide_password=True),
        current_revision=current,
        code_head=head,
        schema_updated_at=_recorded_timestamp(engine),
        state=state,
    )


def _recorded_timestamp(engine: Engine) -> datetime | None:
    if not inspect(engine).has_table("app_settings"):
        return None
    with Session(engine) as session:
        row = session.scalar(select(AppSettings).where(AppSettings.id == SETTINGS_ROW_ID))
        return row.schema_updated_at if row else None


def mismatch_message(status: SchemaStatus) -> str:
    if status.state == "empty":
        return (
            f"the database has no schema yet (the code expects revision {status.code_head}); "
            f"run `{UPGRADE_COMMAND}`"
        )
    if status.state == "behind":
        return (
            f"the database schema is at revision {status.current_revision} but the code expects "
            f"{status.code_head}; run `{UPGRADE_COMMAND}`"
        )
    return (
        f"the database schema is at revision {status.current_revision}, which this code does "
        f"not know (the code's head is {status.code_head}): it was written by a newer version; "
        "install that version, or restore a backup taken at this code's revision"
    )


class _SchemaWatch:
    """What one engine's database was last found to be. A verdict holds only for the pool
    connections open when it was reached: the pool's "connect" event bumps `connections`
    whenever it opens a DBAPI connection (a restarted server, a recycle, a pre-ping
    reconnect), which outdates the verdict, as does the code moving to another head."""

    def __init__(self) -> None:
        self.connections = 0
        self.verified: tuple[int, str] | None = None  # (connections, head) when up to date

    def opened_connection(self, _dbapi_connection: Any, _record: Any) -> None:
        # Unlocked: two threads may lose one increment, but the count still changes.
        self.connections += 1


_watches: WeakKeyDictionary[Engine, _SchemaWatch] = WeakKeyDictionary()
_watches_lock = threading.Lock()


def _watch(engine: Engine) -> _SchemaWatch:
    with _watches_lock:
        watch = _watches.get(engine)
        if watch is None:
            watch = _watches[engine] = _SchemaWatch()
            event.listen(engine, "connect", watch.opened_connection)
        return watch


def forget_schema_verdict(engine: Engine) -> None:
    """After a migration or a restore: every engine of this process on the same database
    checks the schema again before its next unit of work."""
    url = engine.url.render_as_string(hide_password=False)
    with _watches_lock:
        watched = list(_watches.items())
    for other, watch in watched:
        if other.url.render_as_string(hide_password=False) == url:
            watch.verified = None


def require_current_schema(engine: Engine) -> None:
    """Refuses a database at another revision than the code's; the database is asked once
    per engine, then again only after the pool opens a new connection or a migration."""
    watch = _watch(engine)
    head = code_head()
    checked_on = watch.connections  # read first: a connection opened meanwhile outdates it
    if watch.verified == (checked_on, head):
        return
    status = schema_status(engine)
    if not status.up_to_date:
        raise SchemaMismatchError(mismatch_message(status))
    watch.verified = (checked_on, head)
