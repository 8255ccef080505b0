"""`/admin/audit`: the audit log, newest first, with the filters of GET /api/v1/audit (who,
action, entity, person, a date range) and pages of PAGE_SIZE events ("older" follows the last
one shown). Read-only; audit.service.AuditFilter checks the filter, and its message is shown
next to the field. Each event shows its before and after values side by side."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response

from residency import clock
from residency.audit.models import AuditEvent
from residency.audit.service import AuditFilter, known_actions, list_events
from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.errors import InputError
from residency.web.deps import transaction
from residency.web.page_deps import page_user
from residency.web.params import MAX_ID
from residency.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
FILTERS = ("actor", "action", "entity", "entity_id", "person", "since", "until")


@dataclass(frozen=True)
class ValueRow:
    """One field of a change: its value before and after (None: not stored on that side)."""

    name: str
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        """Marked only on an update: a creation's or deletion's every field is new or gone."""
        return self.before is not None and self.after is not None and self.before != self.after


@dataclass(frozen=True)
class ShownEvent:
    event: AuditEvent
    when: datetime  # in UTC (PostgreSQL answers in the session's time zone)
    values: list[ValueRow]


@router.get("/admin/audit")
def audit_page(
    request: Request,
    actor: str = Query("", max_length=254),
    action: str = Query("", max_length=64),
    entity: str = Query("", max_length=64),
    entity_id: str = Query("", max_length=128),
    person: str = Query("", max_length=64),
    since: str = Query("", max_length=40),
    until: str = Query("", max_length=40),
    before: str = Query("", max_length=12),
    who: Principal = Depends(page_user(Permission.READ_AUDIT)),
) -> Response:
    sent = (actor, action, entity, entity_id, person, since, until)
    typed = dict(zip(FILTERS, sent, strict=True))
    errors: dict[str, str] = {}
    events: list[AuditEvent] = []
    with transaction(request, who) as session:
        try:
            wanted = _filter(typed, before)
            events = list_events(session, wanted)
        except InputError as bad:
            errors[bad.field if bad.field in FILTERS else "before"] = str(bad)
        shown = [
            ShownEvent(event, clock.aware(event.occurred_at).astimezone(UTC), value_rows(event))
            for event in events[:PAGE_SIZE]
        ]
        actions = known_actions(session)
    kept = {name: value for name, value in typed.items() if value}
    older = None
    if len(events) > PAGE_SIZE:
        older = "/admin/audit?" + urlencode({**kept, "before": events[PAGE_SIZE - 1].id})
    context: dict[str, Any] = {
        "title": "Audit log",
        "typed": typed,
        "errors": errors,
        "events": shown,
        "actions": actions,
        "older": older,
        "newest": "/admin/audit" + (f"?{urlencode(kept)}" if kept else "") if before else None,
    }
    return render(request, "admin/audit.html", who, status=422 if errors else 200, **context)


def _filter(typed: dict[str, str], before: str) -> AuditFilter:
    def given(name: str) -> str | None:
        return typed[name].strip() or None

    return AuditFilter(
        entity=given("entity"),
        entity_id=given("entity_id"),
        person_key=given("person"),
        actor_name=given("actor"),
        action=given("action"),
        since=_moment("since", typed["since"], time.min),
        until=_moment("until", typed["until"], time.max),
        limit=PAGE_SIZE + 1,  # one more tells whether there is an older page
        before_id=_event_id(before),
    )


def _moment(name: str, value: str, day_time: time) -> datetime | None:
    """A date (the whole day: since from its first moment, until to its last) or a date-time;
    no offset means UTC, as the API takes it."""
    text = value.strip()
    if not text:
        return None
    try:
        if len(text) == len("YYYY-MM-DD"):
            return datetime.combine(date.fromisoformat(text), day_time, UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{name}: {value!r} is not a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM)",
            field=name,
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _event_id(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise InputError(f"before: {value!r} is not an event's id", field="before")
    return int(value)


def value_rows(event: AuditEvent) -> list[ValueRow]:
    before, after = event.before or {}, event.after or {}
    names = list(dict.fromkeys([*before, *after]))
    return [
        ValueRow(
            name,
            _shown(before[name]) if name in before else None,
            _shown(after[name]) if name in after else None,
        )
        for name in names
    ]


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)
