"""Rotation-template queries shared by the program import and the schedulers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.rotations.models import RotationTemplate


def rotation_ids_by_abbreviation(session: Session) -> dict[str, int]:
    query = select(RotationTemplate.abbreviation, RotationTemplate.id)
    return dict(session.execute(query).tuples().all())
