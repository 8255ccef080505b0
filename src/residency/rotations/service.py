"""Rotation templates as the program holds them: duty pattern, eligibility and staffing. They
are read here; they change through the program file (residency program import)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from residency.errors import NotFoundError
from residency.rotations import repository
from residency.rotations.models import RotationTemplate, StaffingRule


@dataclass(frozen=True)
class TemplateWithRules:
    template: RotationTemplate
    staffing_rules: list[StaffingRule]


def rotation_templates(session: Session) -> list[TemplateWithRules]:
    rules = repository.staffing_rules_by_template(session)
    return [
        TemplateWithRules(template, rules.get(template.id, []))
        for template in repository.templates_with_shifts(session)
    ]


def rotation_template(session: Session, abbreviation: str) -> TemplateWithRules:
    found = repository.templates_with_shifts(session, abbreviation)
    if not found:
        known = ", ".join(sorted(repository.rotation_ids_by_abbreviation(session))) or "none"
        raise NotFoundError(
            f"abbreviation: no rotation template {abbreviation!r} (known: {known})",
            field="abbreviation",
        )
    rules = repository.staffing_rules_by_template(session)
    return TemplateWithRules(found[0], rules.get(found[0].id, []))
