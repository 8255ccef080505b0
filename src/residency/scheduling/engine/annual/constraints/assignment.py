"""Who may be on which rotation when: one rotation per half-block, whole-block rotations fill
their block, PGY eligibility and locked entries."""

from __future__ import annotations

from typing import Any

from residency.scheduling.engine.annual import examples as ex
from residency.scheduling.engine.annual.constraints.absences import absence_state
from residency.scheduling.engine.annual.constraints.base import (
    Activation,
    AnnualConstraint,
    PlanViolation,
    added,
)
from residency.scheduling.engine.annual.model import PlanModel
from residency.scheduling.engine.annual.plan import AnnualPlan, block_halves
from residency.scheduling.engine.annual.problem import (
    HALVES,
    AnnualProblem,
    PlanEntry,
    PlanRequest,
)


class OneRotationPerHalfBlock(AnnualConstraint):
    name = "OneRotationPerHalfBlock"
    hard = True
    splits_by_pgy = True
    reason = "Each resident is on exactly one rotation in every half-block of the year."

    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation:
        before = model.added
        with model.part(self.name):
            for resident in problem.residents:
                for block, half in block_halves(problem):
                    model.require(sum(model.half_lits(resident.id, block, half)) == 1)
        return added(model, before, "one-rotation rows", "no resident or no block")

    def violations(self, plan: AnnualPlan) -> list[PlanViolation]:
        found = []
        for resident in plan.problem.residents:
            for block, half in block_halves(plan.problem):
                rotations = plan.rotations_at(resident.id, block, half)
                if len(rotations) != 1:
                    detail = f"half {half}: {len(rotations)} rotations {sorted(rotations)}"
                    found.append(self.violation(detail, resident.id, block))
        return found

    def micro_problem(self) -> AnnualProblem:
        return ex.year(
            1,
            rotations=(ex.clinic(), ex.wards()),
            requests=(PlanRequest("r1", 1, "CLIN"), PlanRequest("r1", 1, "WARD")),
        )


def excused_half(model: PlanModel, resident_id: str, block: int, half: int) -> Any:
    """1 if the half is taken by a locked half-block entry (orientation); the leave literal if
    the resident is away all of it; else 0. A whole-block rotation may then fill the other
    half alone (a short absence does not cut a rotation in two)."""
    problem = model.problem
    if problem.locked_half(resident_id, block, half):
        return 1
    leave = problem.policy.leave_rotation_id
    if leave is None or absence_state(problem, resident_id, block, half) != "away":
        return 0
    return model.on(resident_id, block, half, leave)


def excused_in_plan(plan: AnnualPlan, resident_id: str, block: int, half: int) -> bool:
    problem, leave = plan.problem, plan.problem.policy.leave_rotation_id
    if problem.locked_half(resident_id, block, half):
        return True
    away = absence_state(problem, resident_id, block, half) == "away"
    return away and leave is not None and plan.on(resident_id, block, half, leave)


class WholeBlockRotations(AnnualConstraint):
    name = "WholeBlockRotations"
    hard = True
    splits_by_pgy = True
    reason = "A rotation that is not a half-block one (night float) fills both halves of its "
    reason += "block, unless the resident is away all of the other half or it is locked to a "
    reason += "half-block entry (orientation)."

    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation:
        before = model.added
        with model.part(self.name):
            for rotation in (r for r in problem.rotations if problem.fills_block(r.id)):
                for resident in problem.residents:
                    for span in problem.blocks:
                        self._link(model, resident.id, span.number, rotation.id)
        return added(model, before, "whole-block links", "every rotation is a half-block one")

    @staticmethod
    def _link(model: PlanModel, resident_id: str, block: int, rotation_id: str) -> None:
        first, second = (model.on(resident_id, block, h, rotation_id) for h in HALVES)
        model.require(first <= second + excused_half(model, resident_id, block, 2))
        model.require(second <= first + excused_half(model, resident_id, block, 1))

    def violations(self, plan: AnnualPlan) -> list[PlanViolation]:
        problem = plan.problem
        found = []
        for rotation in (r for r in problem.rotations if problem.fills_block(r.id)):
            for resident in problem.residents:
                for span in problem.blocks:
                    if self._split(plan, resident.id, span.number, rotation.id):
                        detail = f"{rotation.id} in one half of the block only"
                        found.append(self.violation(detail, resident.id, span.number))
        return found

    @staticmethod
    def _split(plan: AnnualPlan, resident_id: str, block: int, rotation_id: str) -> bool:
        on = [plan.on(resident_id, block, h, rotation_id) for h in HALVES]
        if on[0] == on[1]:
            return False
        other = 2 if on[0] else 1
        return not excused_in_plan(plan, resident_id, block, other)

    def micro_problem(self) -> AnnualProblem:
        return ex.year(
            1,
            rotations=(ex.clinic(), ex.nights()),
            requests=(PlanRequest("r1", 1, "CLIN"), PlanRequest("r1", 1, "NF")),
        )


class RotationEligibility(AnnualConstraint):
    name = "RotationEligibility"
    hard = True
    splits_by_pgy = True
    reason = "A resident does only rotations open to their PGY level and, if the policy says "
    reason += "so, listed in their PGY's curriculum (program curriculum)."

    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation:
        before = model.added
        for rotation in problem.rotations:
            barred = [r for r in problem.residents if not problem.open_to(rotation.id, r.pgy)]
            levels = ",".join(str(pgy) for pgy in sorted({r.pgy for r in barred}))
            with model.part(f"{self.name}: {rotation.id} is not open to PGY-{levels}"):
                for resident in barred:
                    for block, half in block_halves(problem):
                        model.require(model.on(resident.id, block, half, rotation.id) == 0)
        return added(model, before, "ineligible half-blocks barred", "every rotation open to all")

    def violations(self, plan: AnnualPlan) -> list[PlanViolation]:
        found = []
        for entry in plan.entries:
            pgy = plan.problem.resident(entry.resident_id).pgy
            if not plan.problem.open_to(entry.rotation_id, pgy):
                detail = f"{entry.rotation_id} is not open to PGY-{pgy}"
                found.append(self.violation(detail, entry.resident_id, entry.block))
        return found

    def micro_problem(self) -> AnnualProblem:
        return ex.year(
            1,
            rotations=(ex.clinic(), ex.rotation("ELEC", "outpatient", 2, 3)),
            requests=(PlanRequest("r1", 1, "ELEC"),),
        )


class LockedPlanEntries(AnnualConstraint):
    name = "LockedPlanEntries"
    hard = True
    splits_by_pgy = True
    reason = "Entries a coordinator locked (e.g. interns' orientation) stay exactly as they are."

    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation:
        before = model.added
        for lock in problem.locked:
            with model.part(f"{self.name}: {_describe(lock)}"):
                for half in lock.halves:
                    locked = model.on(lock.resident_id, lock.block, half, lock.rotation_id)
                    model.require(locked == 1)
        return added(model, before, "locked half-blocks", "no locked entries")

    def violations(self, plan: AnnualPlan) -> list[PlanViolation]:
        return [
            self.violation(f"locked {_describe(lock)} not kept", lock.resident_id, lock.block)
            for lock in plan.problem.locked
            if not all(
                plan.on(lock.resident_id, lock.block, h, lock.rotation_id) for h in lock.halves
            )
        ]

    def micro_problem(self) -> AnnualProblem:
        return ex.year(
            1,
            rotations=(ex.clinic(), ex.wards()),
            locked=(PlanEntry("r1", 1, 0, "WARD"),),
            requests=(PlanRequest("r1", 1, "WARD", wanted=False),),
        )


def _describe(entry: PlanEntry) -> str:
    when = f"block {entry.block}" + (f" half {entry.half}" if entry.half else "")
    return f"{entry.resident_id} on {entry.rotation_id} in {when}"
