"""Curriculum requirements and staffing rules that write: add one, change one, delete one.
Services flush; the caller owns the transaction; each write leaves one audit row
(`curriculum.create|update|delete`, `staffing.create|update|delete`).

An entry is given as the program file writes it (program/schema.py `CurriculumEntry`: blocks,
half-block multiples such as 1.5; `StaffingRuleEntry`) and validated by that model, so a form
and the program file get the same messages; then the file's checks across entries (the
rotation exists, is open to the level, runs halves if halves are asked; one requirement per
level and rotation, one rule per rotation and levels), each message naming its field.
Requirements are stored in half-blocks, as the import stores them (program/service.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.audit import service as audit
from residency.errors import InputError, NotFoundError
from residency.program.schema import CurriculumEntry, StaffingRuleEntry
from residency.program.validation import curriculum_rotation_problem, problem_of
from residency.rotations.models import CurriculumRequirement, RotationTemplate, StaffingRule

Entry = TypeVar("Entry", bound=BaseModel)


# --- curriculum requirements --------------------------------------------------------------


def curriculum_requirement(session: Session, requirement_id: int) -> CurriculumRequirement:
    found = session.get(CurriculumRequirement, requirement_id)
    if found is None:
        raise NotFoundError(
            f"requirement_id: no curriculum requirement has the id {requirement_id}",
            field="requirement_id",
        )
    return found


def requirement_snapshot(requirement: CurriculumRequirement) -> dict[str, Any]:
    """The requirement as the program file writes it: what is audited, and what a stale form
    is told from (web/stale.py)."""
    return {
        "pgy": requirement.pgy,
        "rotation": requirement.rotation.abbreviation,
        "min_blocks": requirement.min_half_blocks / 2,
        "max_blocks": requirement.max_half_blocks / 2,
    }


def create_requirement(session: Session, raw: Mapping[str, Any]) -> CurriculumRequirement:
    entry = _valid(CurriculumEntry, raw, "min_blocks")
    rotation = _checked_requirement(session, entry, None)
    requirement = CurriculumRequirement(pgy=entry.pgy, rotation=rotation)
    _set_blocks(requirement, entry)
    session.add(requirement)
    session.flush()
    after = requirement_snapshot(requirement)
    audit.record(session, "curriculum.create", "curriculum", requirement.id, after=after)
    return requirement


def update_requirement(
    session: Session, requirement_id: int, raw: Mapping[str, Any]
) -> CurriculumRequirement:
    """Every field set to the entry's; audited when anything changed."""
    requirement = curriculum_requirement(session, requirement_id)
    entry = _valid(CurriculumEntry, raw, "min_blocks")
    rotation = _checked_requirement(session, entry, requirement.id)
    before = requirement_snapshot(requirement)
    requirement.pgy, requirement.rotation = entry.pgy, rotation
    _set_blocks(requirement, entry)
    session.flush()
    after = requirement_snapshot(requirement)
    if after != before:
        audit.record(
            session, "curriculum.update", "curriculum", requirement.id, before=before, after=after
        )
    return requirement


def delete_requirement(session: Session, requirement_id: int) -> dict[str, Any]:
    requirement = curriculum_requirement(session, requirement_id)
    before = requirement_snapshot(requirement)
    session.delete(requirement)
    session.flush()
    audit.record(session, "curriculum.delete", "curriculum", requirement_id, before=before)
    return before


def _set_blocks(requirement: CurriculumRequirement, entry: CurriculumEntry) -> None:
    requirement.min_half_blocks = round(entry.min_blocks * 2)
    requirement.max_half_blocks = round(entry.max_blocks * 2)


def _checked_requirement(
    session: Session, entry: CurriculumEntry, own_id: int | None
) -> RotationTemplate:
    """The program file's checks of a curriculum entry against the rotations
    (program/validation.py), and the one requirement per level and rotation."""
    rotation = _rotation(session, entry.rotation)
    found = curriculum_rotation_problem(entry, rotation.eligible_pgy, rotation.half_block)
    if found is not None:
        field, sentence = found
        typed = f" (got {entry.min_blocks:g})" if field == "min_blocks" else ""
        raise InputError(f"{field}: {sentence}{typed}", field=field)
    holder = session.scalar(
        select(CurriculumRequirement.id).where(
            CurriculumRequirement.pgy == entry.pgy,
            CurriculumRequirement.rotation_id == rotation.id,
        )
    )
    if holder is not None and holder != own_id:
        raise InputError(
            f"pgy, rotation: PGY-{entry.pgy} already has a requirement for "
            f"{rotation.abbreviation} (one requirement per level and rotation)",
            field="rotation",
        )
    return rotation


# --- staffing rules -------------------------------------------------------------------------


def staffing_rule(session: Session, rule_id: int) -> StaffingRule:
    found = session.get(StaffingRule, rule_id)
    if found is None:
        raise NotFoundError(f"rule_id: no staffing rule has the id {rule_id}", field="rule_id")
    return found


def rule_snapshot(rule: StaffingRule) -> dict[str, Any]:
    return {
        "rotation": rule.rotation.abbreviation,
        "min_pgy": rule.min_pgy,
        "max_pgy": rule.max_pgy,
        "min_residents": rule.min_residents,
    }


def create_rule(session: Session, raw: Mapping[str, Any]) -> StaffingRule:
    entry = _valid(StaffingRuleEntry, raw, "min_pgy")
    rule = StaffingRule(rotation=_checked_rule(session, entry, None))
    _set_rule(rule, entry)
    session.add(rule)
    session.flush()
    audit.record(session, "staffing.create", "staffing_rule", rule.id, after=rule_snapshot(rule))
    return rule


def update_rule(session: Session, rule_id: int, raw: Mapping[str, Any]) -> StaffingRule:
    rule = staffing_rule(session, rule_id)
    entry = _valid(StaffingRuleEntry, raw, "min_pgy")
    rotation = _checked_rule(session, entry, rule.id)
    before = rule_snapshot(rule)
    rule.rotation = rotation
    _set_rule(rule, entry)
    session.flush()
    after = rule_snapshot(rule)
    if after != before:
        audit.record(
            session, "staffing.update", "staffing_rule", rule.id, before=before, after=after
        )
    return rule


def delete_rule(session: Session, rule_id: int) -> dict[str, Any]:
    rule = staffing_rule(session, rule_id)
    before = rule_snapshot(rule)
    session.delete(rule)
    session.flush()
    audit.record(session, "staffing.delete", "staffing_rule", rule_id, before=before)
    return before


def _set_rule(rule: StaffingRule, entry: StaffingRuleEntry) -> None:
    rule.min_pgy, rule.max_pgy = entry.min_pgy, entry.max_pgy
    rule.min_residents = entry.min_residents


def _checked_rule(
    session: Session, entry: StaffingRuleEntry, own_id: int | None
) -> RotationTemplate:
    rotation = _rotation(session, entry.rotation)
    holder = session.scalar(
        select(StaffingRule.id).where(
            StaffingRule.rotation_id == rotation.id,
            StaffingRule.min_pgy == entry.min_pgy,
            StaffingRule.max_pgy == entry.max_pgy,
        )
    )
    if holder is not None and holder != own_id:
        raise InputError(
            f"rotation, min_pgy, max_pgy: {rotation.abbreviation} already has a rule for "
            f"PGY-{entry.min_pgy} to PGY-{entry.max_pgy} (one rule per rotation and levels)",
            field="rotation",
        )
    return rotation


# --- shared ---------------------------------------------------------------------------------


def _valid(model: type[Entry], raw: Mapping[str, Any], whole_field: str) -> Entry:
    """The entry checked by the program file's model, else an InputError naming the field;
    a rule across fields (a minimum above its maximum) is placed at `whole_field`."""
    try:
        return model.model_validate(raw)
    except ValidationError as invalid:
        error = invalid.errors()[0]
        if not error["loc"]:
            message = str(error["msg"]).removeprefix("Value error, ")
            raise InputError(f"{whole_field}: {message}", field=whole_field) from None
        problem = problem_of(raw, error)
        raise InputError(problem.message, field=problem.field) from None


def _rotation(session: Session, abbreviation: str) -> RotationTemplate:
    found = session.scalar(
        select(RotationTemplate).where(RotationTemplate.abbreviation == abbreviation)
    )
    if found is None:
        known = session.scalars(
            select(RotationTemplate.abbreviation).order_by(RotationTemplate.abbreviation)
        ).all()
        raise InputError(
            f"rotation: unknown rotation abbreviation {abbreviation!r} "
            f"({', '.join(known) or 'none defined'})",
            field="rotation",
        )
    return found


def requirements(session: Session) -> list[CurriculumRequirement]:
    """Every curriculum requirement, by PGY, then rotation (as the program file lists them)."""
    return list(
        session.scalars(
            select(CurriculumRequirement)
            .join(RotationTemplate)
            .order_by(CurriculumRequirement.pgy, RotationTemplate.abbreviation)
        )
    )


def staffing_rules(session: Session) -> list[StaffingRule]:
    """Every staffing rule, by rotation, then levels (as the program file lists them)."""
    return list(
        session.scalars(
            select(StaffingRule)
            .join(RotationTemplate)
            .order_by(RotationTemplate.abbreviation, StaffingRule.min_pgy, StaffingRule.max_pgy)
        )
    )
