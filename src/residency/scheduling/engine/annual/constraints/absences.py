"""Blocking absences in the annual plan (leave, deployment, TDY).

The rule, per resident and half-block:
- absent every day of the half: the resident is on the leave rotation (policy.leave_rotation_id);
- absent at least `policy.absence_threshold_days` days (3 by default) of the half: no hard
  rotation (inpatient or night float) then, since a service cannot run a member short;
- with `policy.leave_only_when_absent` (default), the leave rotation is used only in a half in
  which the resident is absent at least the threshold: it means "away", not a free block.
"""

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
    PlanAbsence,
    PlanPolicy,
    PlanRequest,
)


def absence_state(problem: AnnualProblem, resident_id: str, block: int, half: int) -> str:
    """'away' (whole half), 'partly' (at least the threshold), 'few' (some days) or 'present'."""
    days = problem.absent_days(resident_id, block, half)
    if days >= problem.half_days(block, half):
        return "away"
    if days >= problem.policy.absence_threshold_days:
        return "partly"
    return "few" if days else "present"


def may_take_leave(problem: AnnualProblem, resident_id: str, block: int, half: int) -> bool:
    return absence_state(problem, resident_id, block, half) in ("away", "partly")


class BlockingAbsences(AnnualConstraint):
    name = "BlockingAbsences"
    hard = True
    splits_by_pgy = True
    reason = "A resident away for a whole half-block is on leave; one away 3 days or more of a "
    reason += "half is on no inpatient or night-float rotation then (a deployed resident is not "
    reason += "on the ward); the leave rotation is only for such absences (program)."

    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation:
        before = model.added
        leave = problem.policy.leave_rotation_id
        for resident in problem.residents:
            with model.part(f"{self.name}: absences of {resident.id}"):
                for block, half in block_halves(problem):
                    self._add_half(model, problem, resident.id, block, half)
            if leave is not None and problem.policy.leave_only_when_absent:
                with model.part(f"{self.name}: leave only when absent ({resident.id})"):
                    for block, half in block_halves(problem):
                        if not may_take_leave(problem, resident.id, block, half):
                            model.require(model.on(resident.id, block, half, leave) == 0)
        return added(model, before, "absence restrictions", "no blocking absence, no leave")

    def _add_half(
        self, model: PlanModel, problem: AnnualProblem, resident_id: str, block: int, half: int
    ) -> None:
        state = absence_state(problem, resident_id, block, half)
        leave = problem.policy.leave_rotation_id
        if state == "away" and leave is not None:
            model.require(model.on(resident_id, block, half, leave) == 1)
        elif state == "partly":
            model.require(sum(model.hard_lits(resident_id, block, half)) == 0)

    def violations(self, plan: AnnualPlan) -> list[PlanViolation]:
        problem, found = plan.problem, []
        leave = problem.policy.leave_rotation_id
        for resident in problem.residents:
            for block, half in block_halves(problem):
                state = absence_state(problem, resident.id, block, half)
                rotations = plan.rotations_at(resident.id, block, half)
                if state == "away" and leave is not None and leave not in rotations:
                    detail = f"away all of half {half} but on {sorted(rotations)}, not {leave}"
                    found.append(self.violation(detail, resident.id, block))
                if state in ("away", "partly") and plan.hard_at(resident.id, block, half):
                    detail = f"absent in half {half} but on a hard rotation {sorted(rotations)}"
                    found.append(self.violation(detail, resident.id, block))
                if self._idle_leave(problem, resident.id, block, half, rotations):
                    detail = f"on {leave} in half {half} without an absence then"
                    found.append(self.violation(detail, resident.id, block))
        return found

    @staticmethod
    def _idle_leave(
        problem: AnnualProblem, resident_id: str, block: int, half: int, on: list[str]
    ) -> bool:
        leave = problem.policy.leave_rotation_id
        return (
            problem.policy.leave_only_when_absent
            and leave in on
            and not may_take_leave(problem, resident_id, block, half)
        )

    def micro_problem(self) -> AnnualProblem:
        return ex.year(
            1,
            rotations=(ex.clinic(), ex.wards(), ex.leave()),
            absences=(PlanAbsence("r1", ex.half_start(1, 2), ex.half_start(1, 2)),),
            requests=(PlanRequest("r1", 1, "WARD", weight=5),),
            policy=PlanPolicy(leave_rotation_id="LV", absence_threshold_days=1),
        )
