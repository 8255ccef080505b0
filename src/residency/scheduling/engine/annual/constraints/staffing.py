"""Per-block staffing of each service: residents on a rotation in every half-block (its
per-block minimum and maximum), and the PGY mix a service needs (one intern and one senior)."""

from __future__ import annotations

from residency.scheduling.engine.annual import examples as ex
from residency.scheduling.engine.annual.constraints.base import (
    Activation,
    AnnualConstraint,
    PlanViolation,
    added,
)
from residency.scheduling.engine.annual.model import PlanModel
from residency.scheduling.engine.annual.plan import AnnualPlan, block_halves
from residency.scheduling.engine.annual.problem import AnnualProblem, PlanRequest, StaffingRule


class BlockStaffing(AnnualConstraint):
    name = "BlockStaffing"
    hard = True
    splits_by_pgy = True
    reason = "Each rotation has its minimum, and at most its maximum, of residents in every "
    reason += "half-block (service staffing, program)."

    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation:
        before = model.added
        for rotation in problem.rotations:
            bounds = f"{rotation.min_per_block} to {rotation.max_per_block or 'any'}"
            with model.part(f"{self.name}: {rotation.id} needs {bounds} residents"):
                for block, half in block_halves(problem):
                    count = sum(model.rotation_lits(rotation.id, block, half))
                    if rotation.min_per_block > 0:
                        model.require(count >= rotation.min_per_block)
                    if rotation.max_per_block is not None:
                        model.require(count <= rotation.max_per_block)
        return added(model, before, "staffing bounds", "no rotation has staffing bounds")

    def violations(self, plan: AnnualPlan) -> list[PlanViolation]:
        found = []
        for rotation in plan.problem.rotations:
            top = rotation.max_per_block
            for block, half in block_halves(plan.problem):
                count = len(plan.residents_on(rotation.id, block, half))
                if count < rotation.min_per_block or (top is not None and count > top):
                    detail = f"{rotation.id} half {half}: {count} residents, "
                    detail += f"needs {rotation.min_per_block} to {top or 'any'}"
                    found.append(self.violation(detail, block=block))
        return found

    def micro_problem(self) -> AnnualProblem:
        return ex.year(
            1,
            rotations=(ex.clinic(), ex.wards(min_per_block=1)),
            requests=(PlanRequest("r1", 1, "WARD", wanted=False),),
        )


def mix_minimum(problem: AnnualProblem, rule: StaffingRule, block: int, half: int) -> int:
    """The rule's minimum, lowered to the residents it covers who are not locked on another
    rotation then: a coordinator's lock (all interns in orientation) waives the rule there."""
    free = [
        r
        for r in problem.residents
        if rule.covers(r.pgy)
        and not any(
            e.resident_id == r.id
            and e.block == block
            and half in e.halves
            and e.rotation_id != rule.rotation_id
            for e in problem.locked
        )
    ]
    return min(rule.min_residents, len(free))


class PgyStaffingMix(AnnualConstraint):
    name = "PgyStaffingMix"
    hard = True
    splits_by_pgy = True
    reason = "A service has its required PGY mix in every half-block, e.g. the inpatient "
    reason += "service at least one PGY-1 and one senior (program staffing rules); waived where "
    reason += "a coordinator locked every such resident elsewhere (interns' orientation)."

    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation:
        before, waived = model.added, 0
        for rule in problem.staffing:
            covered = [r.id for r in problem.residents if rule.covers(r.pgy)]
            with model.part(f"{self.name}: {rule.label()}"):
                for block, half in block_halves(problem):
                    low = mix_minimum(problem, rule, block, half)
                    waived += low < rule.min_residents
                    count = sum(model.on(r, block, half, rule.rotation_id) for r in covered)
                    model.require(count >= low)
        note = added(model, before, "PGY-mix minimums", "no staffing rule")
        if waived:
            return Activation(f"{note.note}; {waived} lowered by locks elsewhere")
        return note

    def violations(self, plan: AnnualPlan) -> list[PlanViolation]:
        found = []
        for rule in plan.problem.staffing:
            for block, half in block_halves(plan.problem):
                on = plan.residents_on(rule.rotation_id, block, half)
                count = sum(1 for r in on if rule.covers(plan.problem.resident(r).pgy))
                if count < mix_minimum(plan.problem, rule, block, half):
                    detail = f"half {half}: {count} of {rule.label()}"
                    found.append(self.violation(detail, block=block))
        return found

    def micro_problem(self) -> AnnualProblem:
        return ex.year(
            1,
            residents=(ex.resident("r1", 1), ex.resident("r2", 2)),
            rotations=(ex.clinic(), ex.wards(min_per_block=1, max_per_block=1)),
            staffing=(StaffingRule("WARD", 1, 1),),
            requests=(
                PlanRequest("r1", 1, "WARD", wanted=False),
                PlanRequest("r2", 1, "WARD"),
            ),
        )
