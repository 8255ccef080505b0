"""Residents' rotation requests: a wish to do (or not to do) a rotation in a block."""

from __future__ import annotations

from typing import Any

from residency.scheduling.engine.annual import examples as ex
from residency.scheduling.engine.annual.constraints.base import (
    Activation,
    AnnualConstraint,
    PlanViolation,
)
from residency.scheduling.engine.annual.model import PlanModel
from residency.scheduling.engine.annual.plan import AnnualPlan, rotation_by_half
from residency.scheduling.engine.annual.problem import (
    HALVES,
    AnnualProblem,
    PlanEntry,
    PlanRequest,
)


def describe(request: PlanRequest) -> str:
    wish = "wants" if request.wanted else "does not want"
    return f"{wish} {request.rotation_id} in block {request.block}"


class RotationRequests(AnnualConstraint):
    name = "RotationRequests"
    hard = False
    splits_by_pgy = True
    weight = 3
    reason = "Honour residents' rotation requests: each unmet request costs its own weight "
    reason += "(a rotation is 'in the block' if it is on in either half)."

    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation:
        if not problem.requests:
            return Activation.inactive("no rotation requests")
        unmet: list[Any] = []
        for request in problem.requests:
            lits = [
                model.on(request.resident_id, request.block, h, request.rotation_id) for h in HALVES
            ]
            on = model.any_of(lits, f"requested[{request}]")
            unmet.append(request.weight * (1 - on if request.wanted else on))
        return Activation(f"{len(unmet)} requests", penalty=sum(unmet))

    def violations(self, plan: AnnualPlan) -> list[PlanViolation]:
        return [
            self.violation(describe(r), r.resident_id, r.block, amount=r.weight)
            for r in plan.problem.requests
            if plan.on_in_block(r.resident_id, r.block, r.rotation_id) != r.wanted
        ]

    def micro_problem(self) -> AnnualProblem:
        # SpreadHardRotations alone would keep r1 off wards in block 2.
        return ex.year(
            2,
            rotations=(ex.clinic(), ex.wards()),
            locked=(PlanEntry("r1", 1, 0, "WARD"),),
            requests=(PlanRequest("r1", 2, "WARD", weight=5),),
        )


class PlanMinimalChange(AnnualConstraint):
    name = "PlanMinimalChange"
    hard = False
    splits_by_pgy = True
    weight = 20
    reason = "Repairing a published plan (a new absence, a new lock) moves as few half-blocks "
    reason += "as possible: each half-block that changes rotation costs one unit."

    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation:
        previous = rotation_by_half(problem.previous)
        if not previous:
            return Activation.inactive("no published plan to keep")
        # One rotation per half: the half changed exactly when its old rotation is off.
        moved = [1 - model.on(*half, rotation) for half, rotation in previous.items()]
        for key, lit in model.x.items():  # start the search from the published plan
            model.cp.add_hint(lit, previous.get(key[:3]) == key.rotation_id)
        return Activation(f"{len(moved)} published half-blocks to keep", penalty=sum(moved))

    def violations(self, plan: AnnualPlan) -> list[PlanViolation]:
        published = rotation_by_half(plan.problem.previous)
        return [
            self.violation(f"half {half} moved off {rotation}", resident_id, block)
            for (resident_id, block, half), rotation in published.items()
            if not plan.on(resident_id, block, half, rotation)
        ]

    def micro_problem(self) -> AnnualProblem:
        # The request (3) asks r1 off the ward it was published on; keeping it costs 2 x 20.
        return ex.year(
            2,
            rotations=(ex.clinic(), ex.wards()),
            previous=(PlanEntry("r1", 1, 0, "WARD"),),
            requests=(PlanRequest("r1", 1, "WARD", wanted=False),),
        )
