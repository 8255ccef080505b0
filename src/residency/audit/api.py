"""The audit log over HTTP: admins and coordinators read it, with filters; nobody writes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from residency.audit.service import DEFAULT_LIMIT, MAX_LIMIT, AuditFilter, event_json, list_events
from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.web.deps import allow, transaction
from residency.web.schemas import IsoDateTime, RowId

router = APIRouter(prefix="/api/v1", tags=["audit"])


class AuditEventOut(BaseModel):
    id: int
    occurred_at: datetime
    actor_kind: str
    actor_name: str
    user_id: int | None
    client_address: str | None
    action: str
    entity: str
    entity_id: str | None
    person_key: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@router.get("/audit", response_model=list[AuditEventOut])
def audit_events(
    request: Request,
    entity: str | None = Query(None, max_length=64),
    entity_id: str | None = Query(None, max_length=128),
    person: str | None = Query(None, max_length=64, description="A person's key."),
    user_id: RowId | None = Query(None, description="A signed-in user's id."),
    actor: str | None = Query(None, max_length=254, description="An e-mail or an OS login."),
    action: str | None = Query(None, max_length=64),
    since: IsoDateTime | None = None,
    until: IsoDateTime | None = None,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    before_id: RowId | None = Query(None, description="Page: events older than this id."),
    who: Principal = Depends(allow(Permission.READ_AUDIT)),
) -> list[AuditEventOut]:
    """Newest first. since and until are inclusive (ISO 8601; no offset means UTC)."""
    wanted = AuditFilter(
        entity, entity_id, person, user_id, actor, action, since, until, limit, before_id
    )
    with transaction(request, who) as session:
        return [AuditEventOut(**event_json(event)) for event in list_events(session, wanted)]
