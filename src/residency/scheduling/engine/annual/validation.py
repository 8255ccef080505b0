"""Checks that an AnnualProblem is well formed; each message names the field, the value and
the rule, so a coordinator can fix the program description."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from residency.scheduling.engine.validation import ProblemError

if TYPE_CHECKING:
    from residency.scheduling.engine.annual.problem import AnnualProblem, PlanEntry, PlanRequest


def validate_annual_problem(problem: AnnualProblem) -> None:
    _unique("block number", (b.number for b in problem.blocks))
    _unique("resident id", (r.id for r in problem.residents))
    _unique("rotation id", (r.id for r in problem.rotations))
    for span in problem.blocks:
        if span.days < 2:
            raise ProblemError(f"block {span.number}: {span.days} day(s), needs two halves")
    _known_references(problem)
    _curriculum_in_halves(problem)
    _leave_rotation(problem)


def _unique(what: str, values: Iterable[object]) -> None:
    repeated = sorted(str(v) for v, count in Counter(values).items() if count > 1)
    if repeated:
        raise ProblemError(f"{what}: {', '.join(repeated)} appear(s) more than once")


def _known_references(problem: AnnualProblem) -> None:
    rotations = {r.id for r in problem.rotations}
    residents = {r.id for r in problem.residents}
    blocks = {b.number for b in problem.blocks}
    refs: list[tuple[str, str, set[str]]] = []
    refs += [("curriculum rotation", c.rotation_id, rotations) for c in problem.curriculum]
    refs += [("staffing rotation", s.rotation_id, rotations) for s in problem.staffing]
    refs += [("absence resident", a.resident_id, residents) for a in problem.absences]
    entries: list[tuple[str, PlanEntry | PlanRequest]] = [
        ("locked entry", e) for e in problem.locked
    ]
    entries += [("previous entry", e) for e in problem.previous]
    entries += [("request", e) for e in problem.requests]
    for kind, e in entries:
        refs += [(f"{kind} resident", e.resident_id, residents)]
        refs += [(f"{kind} rotation", e.rotation_id, rotations)]
        refs += [(f"{kind} block", str(e.block), {str(b) for b in blocks})]
    for what, value, known in refs:
        if value not in known:
            raise ProblemError(f"{what}: {value!r} is unknown")
    for kind, entries_of_kind in (("locked", problem.locked), ("previous", problem.previous)):
        for entry in entries_of_kind:
            if entry.half not in (0, 1, 2):
                raise ProblemError(f"{kind} entry half: {entry.half} (0 = whole block, 1 or 2)")


def _curriculum_in_halves(problem: AnnualProblem) -> None:
    for req in problem.curriculum:
        for value in (req.min_blocks, req.max_blocks):
            if value is not None and (value < 0 or value * 2 != round(value * 2)):
                raise ProblemError(
                    f"curriculum PGY-{req.pgy} {req.rotation_id}: {value} blocks, "
                    "must be a non-negative multiple of 0.5 (half-blocks)"
                )


def _leave_rotation(problem: AnnualProblem) -> None:
    leave = problem.policy.leave_rotation_id
    if leave is None:
        whole = [
            (r.id, b.number, h)
            for r in problem.residents
            for b in problem.blocks
            for h in (1, 2)
            if problem.absent_days(r.id, b.number, h) == problem.half_days(b.number, h)
        ]
        if whole:
            raise ProblemError(
                f"policy.leave_rotation_id: not set, but {whole[0][0]} is absent for all of "
                f"block {whole[0][1]} half {whole[0][2]}; name the leave rotation"
            )
    elif leave not in {r.id for r in problem.rotations}:
        raise ProblemError(f"policy.leave_rotation_id: {leave!r} is not a rotation")
