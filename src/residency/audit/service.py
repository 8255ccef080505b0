"""Writing and reading the audit log. `record` adds one row in the caller's transaction (flush,
never commit): a change and its audit row are committed, or rolled back, together."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from residency import clock
from residency.audit.actor import Actor, os_actor
from residency.audit.models import AuditEvent
from residency.audit.values import scrubbed
from residency.errors import InputError

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def actor_of(session: Session) -> Actor:
    """Who works in this session: what unit_of_work stored, else the OS user (a plain
    Session, as in tests and scripts)."""
    found = session.info.get("actor")
    return found if isinstance(found, Actor) else os_actor()


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    person_key: str | None = None,
) -> AuditEvent:
    actor = actor_of(session)
    event = AuditEvent(
        occurred_at=clock.now(),
        actor_kind=actor.kind,
        actor_name=actor.name,
        user_id=actor.user_id,
        client_address=actor.client_address,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        person_key=person_key,
        before=scrubbed(before),
        after=scrubbed(after),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class AuditFilter:
    """Which events to list; every field given narrows the list. `user_id` is a signed-in
    user's id, `actor_name` anyone's name (an e-mail or an OS login). since and until are
    inclusive; a naive date-time is taken as UTC. `before_id` pages: events older than it."""

    entity: str | None = None
    entity_id: str | None = None
    person_key: str | None = None
    user_id: int | None = None
    actor_name: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = DEFAULT_LIMIT
    before_id: int | None = None


def list_events(session: Session, wanted: AuditFilter) -> list[AuditEvent]:
    """Newest first (by id: the order the events were written)."""
    _check(wanted)
    query = (
        select(AuditEvent)
        .where(*_conditions(wanted))
        .order_by(AuditEvent.id.desc())
        .limit(wanted.limit)
    )
    return list(session.scalars(query))


def _check(wanted: AuditFilter) -> None:
    if not 1 <= wanted.limit <= MAX_LIMIT:
        raise InputError(f"limit: {wanted.limit} is not between 1 and {MAX_LIMIT}", field="limit")
    since, until = wanted.since, wanted.until
    if since is not None and until is not None and _utc(since) > _utc(until):
        raise InputError(
            f"since: {_utc(since).isoformat()} is after until: {_utc(until).isoformat()}; "
            "since must not be later than until",
            field="since",
        )


def _conditions(wanted: AuditFilter) -> list[ColumnElement[bool]]:
    equal: list[tuple[Any, object]] = [
        (AuditEvent.entity, wanted.entity),
        (AuditEvent.entity_id, wanted.entity_id),
        (AuditEvent.person_key, wanted.person_key),
        (AuditEvent.user_id, wanted.user_id),
        (AuditEvent.actor_name, wanted.actor_name),
        (AuditEvent.action, wanted.action),
    ]
    found = [column == value for column, value in equal if value is not None]
    if wanted.since is not None:
        found.append(AuditEvent.occurred_at >= _utc(wanted.since))
    if wanted.until is not None:
        found.append(AuditEvent.occurred_at <= _utc(wanted.until))
    if wanted.before_id is not None:
        found.append(AuditEvent.id < wanted.before_id)
    return found


def _utc(moment: datetime) -> datetime:
    # Bound in UTC, since SQLite stores a date-time's fields without its offset; read in UTC,
    # since PostgreSQL hands a timestamptz back in the session's time zone.
    return clock.aware(moment).astimezone(UTC)


def event_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "occurred_at": _utc(event.occurred_at).isoformat(),
        "actor_kind": event.actor_kind,
        "actor_name": event.actor_name,
        "user_id": event.user_id,
        "client_address": event.client_address,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "person_key": event.person_key,
        "before": event.before,
        "after": event.after,
    }


def known_actions(session: Session) -> list[str]:
    """Every action the log holds, for the audit page's filter to offer."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
