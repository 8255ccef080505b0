"""Rotation-template use cases that write: add a template, change one, deactivate or
reactivate one. Services flush; the caller owns the transaction; each change writes one audit
row.

A template is given as the program file writes a rotation entry (program/schema.py
`Rotation`: the same fields, the same shift syntax) and validated by that model, so a form, a
script and the program file get the same rules and messages. The duty pattern is checked one
weekday at a time with the program file's own parser first, so a bad shift names its weekday
(`duty_pattern.sat: '25:00-07:00' has a clock time out of range`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.audit import service as audit
from residency.errors import InputError, RefusedError
from residency.program.schema import Rotation, format_shift, parse_shift
from residency.program.settings import program_policy
from residency.program.validation import problem_of
from residency.rotations.duty_pattern import WEEKDAYS, DutyKind
from residency.rotations.models import ActivityType, DutyShift, RotationTemplate
from residency.rotations.service import rotation_template
from residency.scheduling.block.policy import BlockSettings

Shift = tuple[int, time, time, DutyKind]


def create_template(session: Session, raw: Mapping[str, Any]) -> RotationTemplate:
    entry, shifts = valid_entry(raw)
    if session.scalar(select(RotationTemplate.id).where(_same_abbreviation(entry))):
        raise InputError(
            f"abbreviation: {entry.abbreviation!r} is already a rotation's abbreviation "
            "(abbreviations are unique)",
            field="abbreviation",
        )
    _check_free_name(session, entry.name, None)
    template = RotationTemplate(abbreviation=entry.abbreviation)
    _set_fields(template, entry)
    template.shifts = [_row(shift) for shift in shifts]
    session.add(template)
    session.flush()
    audit.record(
        session, "rotation.create", "rotation", entry.abbreviation, after=snapshot(template)
    )
    return template


def update_template(
    session: Session, abbreviation: str, raw: Mapping[str, Any]
) -> RotationTemplate:
    """Every field set to the entry's; the abbreviation (the template's key) stays."""
    template = rotation_template(session, abbreviation).template
    entry, shifts = valid_entry({**raw, "abbreviation": abbreviation})
    _check_free_name(session, entry.name, template.id)
    before = snapshot(template)
    _set_fields(template, entry)
    if set(shifts) != {_shift_of(row) for row in template.shifts}:
        template.shifts.clear()
        session.flush()  # the old shifts go before the new ones take their (weekday, start)
        template.shifts.extend(_row(shift) for shift in shifts)
    session.flush()
    after = snapshot(template)
    if after != before:
        audit.record(
            session, "rotation.update", "rotation", abbreviation, before=before, after=after
        )
    return template


def change_template(
    session: Session, abbreviation: str, changes: Mapping[str, Any]
) -> RotationTemplate:
    """The fields `changes` names set to its values, the others kept (the API's PATCH)."""
    current = snapshot(rotation_template(session, abbreviation).template)
    return update_template(session, abbreviation, {**current, **changes})


def deactivate_template(session: Session, abbreviation: str) -> RotationTemplate:
    """Left out of new schedules from now on; the rows that already name it stay. A template
    the program policy names is refused: the schedules are built around it."""
    template = rotation_template(session, abbreviation).template
    key = BlockSettings.from_policy(program_policy(session)).naming(abbreviation)
    if key is not None and template.active:
        raise RefusedError(
            f"abbreviation: {abbreviation} is the program policy's {key}, so the schedules "
            "are built around it and it cannot be deactivated (name another template there "
            "in the program file first)",
            field="abbreviation",
        )
    return _set_active(session, template, False)


def reactivate_template(session: Session, abbreviation: str) -> RotationTemplate:
    return _set_active(session, rotation_template(session, abbreviation).template, True)


def _set_active(session: Session, template: RotationTemplate, active: bool) -> RotationTemplate:
    """Audited when it changes; asking for the state it is in already writes nothing."""
    if template.active != active:
        before = snapshot(template)
        template.active = active
        session.flush()
        action = "rotation.reactivate" if active else "rotation.deactivate"
        audit.record(
            session,
            action,
            "rotation",
            template.abbreviation,
            before=before,
            after=snapshot(template),
        )
    return template


def valid_entry(raw: Mapping[str, Any]) -> tuple[Rotation, list[Shift]]:
    """The entry checked by the program file's rules, and its shifts; else an InputError naming
    the field (`residents_per_block.max`, `duty_pattern.sat`, ...)."""
    pattern = raw.get("duty_pattern") or {}
    shifts = _shifts(pattern) if isinstance(pattern, Mapping) else []
    try:
        entry = Rotation.model_validate(raw)
    except ValidationError as invalid:
        problem = problem_of(raw, invalid.errors()[0])
        raise InputError(problem.message, field=problem.field) from None
    return entry, shifts


def _shifts(pattern: Mapping[str, Any]) -> list[Shift]:
    found: list[Shift] = []
    for weekday, texts in pattern.items():
        if weekday not in WEEKDAYS:
            raise InputError(
                f"duty_pattern: {weekday!r} is not a weekday (one of {', '.join(WEEKDAYS)})",
                field="duty_pattern",
            )
        starts: set[time] = set()
        for text in texts if isinstance(texts, list) else []:
            try:
                start, end, kind = parse_shift(str(text))
            except ValueError as bad:
                raise InputError(
                    f"duty_pattern.{weekday}: {bad}", field=f"duty_pattern.{weekday}"
                ) from None
            if start in starts:
                raise InputError(
                    f"duty_pattern.{weekday}: two shifts start at {start:%H:%M} "
                    "(one shift may start at a time each day)",
                    field=f"duty_pattern.{weekday}",
                )
            starts.add(start)
            found.append((WEEKDAYS.index(weekday), start, end, kind))
    return sorted(found)


def snapshot(template: RotationTemplate) -> dict[str, Any]:
    """The template as the program file writes it: what is audited, and what a stale form is
    told from (web/stale.py)."""
    pattern: dict[str, list[str]] = {}
    for weekday, start, end, kind in sorted(_shift_of(row) for row in template.shifts):
        pattern.setdefault(WEEKDAYS[weekday], []).append(format_shift(start, end, kind))
    return {
        "abbreviation": template.abbreviation,
        "name": template.name,
        "activity_type": ActivityType(template.activity_type).value,
        "eligible_pgy": sorted(template.eligible_pgy),
        "residents_per_block": {
            "min": template.min_residents_per_block,
            "max": template.max_residents_per_block,
        },
        "residents_per_half_day": {
            "min": template.min_residents_per_half_day,
            "max": template.max_residents_per_half_day,
        },
        "requires_supervision": template.requires_supervision,
        "half_block": template.half_block,
        "description": template.description,
        "color": template.color,
        "duty_pattern": pattern,
        "active": template.active,
    }


def _set_fields(template: RotationTemplate, entry: Rotation) -> None:
    template.name = entry.name
    template.activity_type = entry.activity_type
    template.eligible_pgy = sorted(set(entry.eligible_pgy))
    template.min_residents_per_block = entry.residents_per_block.min
    template.max_residents_per_block = entry.residents_per_block.max
    template.min_residents_per_half_day = entry.residents_per_half_day.min
    template.max_residents_per_half_day = entry.residents_per_half_day.max
    template.requires_supervision = entry.requires_supervision
    template.half_block = entry.half_block
    template.description = entry.description
    template.color = entry.color.upper() if entry.color else None  # as the import stores it


def _check_free_name(session: Session, name: str, own_id: int | None) -> None:
    holder = session.scalar(select(RotationTemplate.id).where(RotationTemplate.name == name))
    if holder is not None and holder != own_id:
        raise InputError(
            f"name: {name!r} is already another rotation's name (names are unique)", field="name"
        )


def _same_abbreviation(entry: Rotation) -> Any:
    return RotationTemplate.abbreviation == entry.abbreviation


def _shift_of(row: DutyShift) -> Shift:
    return (row.weekday, row.start_time, row.end_time, DutyKind(row.kind))


def _row(shift: Shift) -> DutyShift:
    weekday, start, end, kind = shift
    return DutyShift(weekday=weekday, start_time=start, end_time=end, kind=kind)
