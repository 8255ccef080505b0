"""What a database holds, counted the same way for a backup's manifest and for a restore's
check: the tables with their row counts, the schema revision and when it was recorded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, inspect, text

from residency.ops.backup_manifest import Snapshot


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
