"""Checks that a Problem is well formed; each message names the field, the value and the rule."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from residency.compliance.rules.base import MAX_CONTINUOUS_BREAK_MINUTES
from residency.errors import InputError
from residency.rotations.duty_pattern import DutyPattern

if TYPE_CHECKING:
    from residency.scheduling.engine.problem import Problem


class ProblemError(InputError):
    """A Problem that cannot be solved as given: unknown ids, duplicates, impossible locks."""


def validate_problem(problem: Problem) -> None:
    if problem.end < problem.start:
        raise ProblemError(f"end {problem.end} is before start {problem.start}")
    _require_unique("person id", problem.person_ids)
    ids = [a.id for a in problem.activities] + [s.id for s in problem.call_services]
    _require_unique("activity or call service id", ids)
    for activity in problem.activities:
        _require_one_shift_per_session(f"activity {activity.id}", activity.pattern)
    for service in problem.call_services:
        _require_one_shift_per_session(f"call service {service.id}", service.pattern)
    _require_known_people(problem)
    _require_known_activities(problem)
    _require_break_in_range(problem.policy.continuous_break_minutes)


def _require_unique(what: str, values: list[str] | tuple[str, ...]) -> None:
    duplicates = sorted(v for v, n in Counter(values).items() if n > 1)
    if duplicates:
        raise ProblemError(f"{what} must be unique; duplicated: {', '.join(duplicates)}")


def _require_one_shift_per_session(owner: str, pattern: DutyPattern) -> None:
    seen = Counter((s.weekday, s.session) for s in pattern.shifts)
    clashes = sorted(key for key, n in seen.items() if n > 1)
    if clashes:
        raise ProblemError(f"{owner}: at most one shift per weekday and half-day; got {clashes}")


def _require_break_in_range(minutes: int) -> None:
    if not 0 <= minutes <= MAX_CONTINUOUS_BREAK_MINUTES:
        raise ProblemError(
            f"policy.continuous_break_minutes {minutes} is not in 0-{MAX_CONTINUOUS_BREAK_MINUTES}"
        )


def _require_known_people(problem: Problem) -> None:
    known = set(problem.person_ids)
    referenced = [
        *(("absence", a.person_id) for a in problem.absences),
        *(("lock", lock.person_id) for lock in problem.locks),
        *(("request", r.person_id) for r in problem.requests),
        *(("call-day preference", p.person_id) for p in problem.call_day_preferences),
    ]
    for what, person_id in referenced:
        if person_id not in known:
            raise ProblemError(f"{what} names person {person_id!r}, who is not in the problem")


def _require_known_activities(problem: Problem) -> None:
    from residency.scheduling.engine.problem import FMIT_ACTIVITY

    known = {a.id for a in problem.activities} | {s.id for s in problem.call_services}
    known.add(FMIT_ACTIVITY)
    for resident in problem.residents:
        later = resident.later_rotation[1] if resident.later_rotation else None
        for ref in (resident.rotation_id, resident.clinic_id, later):
            if ref is not None and ref not in known:
                raise ProblemError(f"resident {resident.id} names unknown activity {ref!r}")
    for lock in problem.locks:
        if lock.activity_id not in known:
            raise ProblemError(f"lock of {lock.person_id} names unknown {lock.activity_id!r}")
    for request in problem.requests:
        if request.activity_id is not None and request.activity_id not in known:
            raise ProblemError(
                f"request of {request.person_id} names unknown {request.activity_id!r}"
            )
