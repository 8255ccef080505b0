"""Rotation-template queries shared by the program import, the schedulers and the routes."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from residency.rotations.models import RotationTemplate, StaffingRule


def rotation_ids_by_abbreviation(session: Session) -> dict[str, int]:
    query = select(RotationTemplate.abbreviation, RotationTemplate.id)
    return dict(session.execute(query).tuples().all())


def templates_with_shifts(
    session: Session, abbreviation: str | None = None
) -> list[RotationTemplate]:
    """By abbreviation, each with its duty pattern loaded; one, or none, when it is named."""
    query = (
        select(RotationTemplate)
        .options(selectinload(RotationTemplate.shifts))
        .order_by(RotationTemplate.abbreviation)
    )
    if abbreviation is not None:
        query = query.where(RotationTemplate.abbreviation == abbreviation)
    return list(session.scalars(query))


def staffing_rules_by_template(session: Session) -> dict[int, list[StaffingRule]]:
    query = select(StaffingRule).order_by(StaffingRule.min_pgy, StaffingRule.max_pgy)
    rules: dict[int, list[StaffingRule]] = defaultdict(list)
    for rule in session.scalars(query):
        rules[rule.rotation_id].append(rule)
    return rules
