"""The audit log: one row per change, written in the transaction of the change. Append-only:
the migration adds triggers that refuse UPDATE and DELETE on both engines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from residency.orm import Base

# none_as_null: "no before" (a creation) is SQL NULL, not the JSON value null.
_JSON = JSON(none_as_null=True)


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity_entity_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_kind: Mapped[str] = mapped_column(String(16))  # an actor.ActorKind
    actor_name: Mapped[str] = mapped_column(String(255))
    # No foreign key: deleting a user account must never touch (or be refused by) history.
    user_id: Mapped[int | None]
    client_address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    person_key: Mapped[str | None] = mapped_column(String(64))  # the person the change concerns
    before: Mapped[dict[str, Any] | None] = mapped_column(_JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(_JSON)
