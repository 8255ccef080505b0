"""The one clock. Every moment the program stores (runs, publishing, audit events) is read
here, so a test that needs another time patches `residency.clock.now` once."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive date-times for timezone-aware columns; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
