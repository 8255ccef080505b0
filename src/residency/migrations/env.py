"""Alembic environment. Run through `residency db upgrade` (ops/migrations.py), which passes the
connection; after every upgrade or downgrade the resulting revision and a timestamp are written
to the app_settings row in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import context
from sqlalchemy import Connection, inspect, text

from residency.db import build_engine
from residency.orm import load_all_models

target_metadata = load_all_models()


def record_schema_version(connection: Connection) -> None:
    if not inspect(connection).has_table("app_settings"):
        return  # downgraded to base: nothing left to record in
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    connection.execute(
        text("UPDATE app_settings SET schema_revision = :rev, schema_updated_at = :at"),
        {"rev": revision, "at": datetime.now(UTC)},
    )


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        record_schema_version(connection)


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = build_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as fresh:
        run_with(fresh)
        fresh.commit()


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported; run `residency db upgrade`")
run_online()
