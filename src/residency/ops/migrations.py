"""Schema version: migrate, report where a database stands, and refuse to touch program data
in a database whose schema is not the one this code was written for."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from residency.errors import InputError, SchemaMismatchError
from residency.ops.models import SETTINGS_ROW_ID, AppSettings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
UPGRADE_COMMAND = "residency db upgrade"


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def code_head() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def _run(engine: Engine, action: str, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    _check_known(revision)
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    _check_known(revision)
    _run(engine, "downgrade", revision)


def _check_known(revision: str) -> None:
    if revision in ("head", "base") or revision.startswith(("+", "-")):
        return
    known = {script.revision for script in script_directory().walk_revisions()}
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
    known = {script.revision for script in script_directory().walk_revisions()}
    if current == head:
        state = "up_to_date"
    elif current is None:
        state = "empty"
    elif current in known:
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


def require_current_schema(engine: Engine) -> None:
    status = schema_status(engine)
    if not status.up_to_date:
        raise SchemaMismatchError(mismatch_message(status))
