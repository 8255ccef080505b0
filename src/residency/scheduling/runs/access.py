"""Which version of a schedule a reader may see: the published one is everyone's; a run's
draft (`?run=ID`) only for those who may read the program's drafts."""

from __future__ import annotations

from sqlalchemy.orm import Session

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.errors import Forbidden
from residency.scheduling.models import RunKind
from residency.scheduling.repository import PUBLISHED, Version
from residency.scheduling.runs.versions import version_of


def readable_version(
    session: Session,
    who: Principal,
    run_id: int | None,
    kind: RunKind,
    academic_year: int,
    block: int | None,
) -> Version:
    if run_id is None:
        return PUBLISHED
    if not allows(who.role, Permission.READ_PROGRAM):
        raise Forbidden(
            f"run: a {who.role.value} may read the published schedule, not a run's draft",
            field="run",
        )
    return version_of(session, run_id, kind, academic_year, block)


def version_label(version: Version) -> str:
    return "published" if version.run_id is None else "draft"
