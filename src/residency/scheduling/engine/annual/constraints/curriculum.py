"""Curriculum requirements: how many blocks of each rotation a resident of each PGY does over
the year, counted in half-blocks (a half-block rotation counts 0.5 a half)."""

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
from residency.scheduling.engine.annual.problem import (
    AnnualProblem,
    CurriculumRequirement,
    PlanRequest,
)


def describe(req: CurriculumRequirement) -> str:
    top = "any" if req.max_blocks is None else f"{req.max_blocks:g}"
    return f"PGY-{req.pgy} does {req.min_blocks:g} to {top} blocks of {req.rotation_id}"


class CurriculumRequirements(AnnualConstraint):
    name = "CurriculumRequirements"
    hard = True
    splits_by_pgy = True
    reason = "Each resident does the minimum, and at most the maximum, number of blocks of each "
    reason += "rotation their PGY's curriculum sets for the year (program curriculum, RC-FM)."

    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation:
        before = model.added
        for req in problem.curriculum:
            low, high = req.halves()
            with model.part(f"{self.name}: {describe(req)}"):
                for resident in (r for r in problem.residents if r.pgy == req.pgy):
                    halves = sum(
                        model.on(resident.id, block, half, req.rotation_id)
                        for block, half in block_halves(problem)
                    )
                    model.require(halves >= low)
                    if high is not None:
                        model.require(halves <= high)
        if not model.explain:  # a consequence of every line at once; explanations drop lines
            self._least_hard_blocks(model, problem)
        return added(model, before, "curriculum bounds", "no curriculum requirement")

    @staticmethod
    def _least_hard_blocks(model: PlanModel, problem: AnnualProblem) -> None:
        """Implied bound, for the optimality proof only: a PGY whose minimums add up to 17
        hard halves spends at least 9 blocks on hard rotations (a block with one hard half is a
        hard block). The LP relaxation alone settles for 8.5, which is what kept the annual plan
        from proving its optimum; it forbids no plan the curriculum allows."""
        for resident in problem.residents:
            least: dict[str, int] = {}  # hard rotation -> its largest minimum, in halves
            for req in problem.curriculum:
                if req.pgy == resident.pgy and problem.is_hard(req.rotation_id):
                    least[req.rotation_id] = max(least.get(req.rotation_id, 0), req.halves()[0])
            hard_halves = sum(least.values())
            if hard_halves:
                blocks = [model.hard_block(resident.id, span.number) for span in problem.blocks]
                model.cp.add(sum(blocks) >= -(-hard_halves // 2))

    def violations(self, plan: AnnualPlan) -> list[PlanViolation]:
        found = []
        for req in plan.problem.curriculum:
            low, high = req.halves()
            for resident in (r for r in plan.problem.residents if r.pgy == req.pgy):
                done = plan.halves_on(resident.id, {req.rotation_id})
                if done < low or (high is not None and done > high):
                    detail = f"{done / 2:g} blocks of {req.rotation_id}; {describe(req)}"
                    found.append(self.violation(detail, resident.id))
        return found

    def micro_problem(self) -> AnnualProblem:
        return ex.year(
            2,
            rotations=(ex.clinic(), ex.wards()),
            curriculum=(CurriculumRequirement(1, "WARD", min_blocks=1, max_blocks=1),),
            requests=(PlanRequest("r1", 1, "WARD", wanted=False),),
        )
