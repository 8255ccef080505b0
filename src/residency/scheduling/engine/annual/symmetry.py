"""Symmetry breaking: residents who are interchangeable (same PGY, no absence, no request, no
published plan to keep, the same locks) can swap their whole years without changing any
rule's verdict or cost. Ordering their hard-block patterns removes those swaps from the search,
which is what lets CP-SAT prove optimality on a program with six identical interns. Not a
rule: it forbids no distinct plan."""

from __future__ import annotations

from collections.abc import Hashable
from itertools import pairwise
from typing import Any

from residency.scheduling.engine.annual.model import PlanModel
from residency.scheduling.engine.annual.problem import AnnualProblem


def interchangeable_groups(problem: AnnualProblem) -> list[list[str]]:
    groups: dict[Hashable, list[str]] = {}
    busy = {a.resident_id for a in problem.absences} | {r.resident_id for r in problem.requests}
    busy |= {e.resident_id for e in problem.previous}  # a published year is each one's own
    for resident in problem.residents:
        if resident.id in busy:
            continue
        locks = frozenset(
            (e.block, e.half, e.rotation_id) for e in problem.locked if e.resident_id == resident.id
        )
        groups.setdefault((resident.pgy, locks), []).append(resident.id)
    return [ids for ids in groups.values() if len(ids) > 1]


def break_symmetry(model: PlanModel, problem: AnnualProblem) -> int:
    """Order each group by its pattern of hard blocks read as a binary number."""
    ordered = 0
    for group in interchangeable_groups(problem):
        codes = [_hard_pattern(model, problem, resident_id) for resident_id in group]
        for higher, lower in pairwise(codes):
            model.cp.add(higher >= lower)
            ordered += 1
    return ordered


def _hard_pattern(model: PlanModel, problem: AnnualProblem, resident_id: str) -> Any:
    code = 0
    for position, span in enumerate(sorted(problem.blocks, key=lambda b: b.number)):
        code += (1 << position) * model.hard_block(resident_id, span.number)
    return code
