"""Soft rules on the shape of each resident's year: hard rotations (inpatient, night float) are
spread out rather than back to back, and the hard load is shared evenly within a PGY."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from residency.scheduling.engine.annual import examples as ex
from residency.scheduling.engine.annual.constraints.base import (
    Activation,
    AnnualConstraint,
    PlanViolation,
)
from residency.scheduling.engine.annual.model import PlanModel
from residency.scheduling.engine.annual.plan import AnnualPlan, block_halves
from residency.scheduling.engine.annual.problem import HALVES, AnnualProblem, PlanRequest


def consecutive_blocks(problem: AnnualProblem) -> Iterator[tuple[int, int]]:
    yield from pairwise(sorted(b.number for b in problem.blocks))


class SpreadHardRotations(AnnualConstraint):
    """A block is hard when either half is on a hard rotation; each pair of consecutive hard
    blocks costs one unit. Two half-block rotations in one block (night float, then FMIT night
    float) are one hard block: the demo has no non-hard half-block rotation to put between."""

    name = "SpreadHardRotations"
    hard = False
    splits_by_pgy = True
    weight = 10
    reason = "No back-to-back hard blocks (inpatient, night float): each pair of consecutive "
    reason += "blocks that both hold a hard rotation costs one unit (resident wellbeing)."

    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation:
        if not any(problem.is_hard(r.id) for r in problem.rotations) or len(problem.blocks) < 2:
            return Activation.inactive("no hard rotation, or a single block")
        penalties = []
        for resident in problem.residents:
            hard = {
                span.number: model.hard_block(resident.id, span.number) for span in problem.blocks
            }
            pairs = []
            for first, second in consecutive_blocks(problem):
                pair = model.new_bool(f"back_to_back[{resident.id},{first}]")
                model.cp.add(pair >= hard[first] + hard[second] - 1)
                pairs.append(pair)
            self._implied_bounds(model, list(hard.values()), pairs)
            penalties += pairs
        return Activation(f"{len(penalties)} consecutive block pairs", penalty=sum(penalties))

    @staticmethod
    def _implied_bounds(model: PlanModel, row: list[Any], pairs: list[Any]) -> None:
        """For the LP only (a faster optimality proof; no plan is forbidden): H hard blocks in
        a run of n consecutive blocks leave at most n - H + 1 separate stretches, so at least
        2H - n - 1 pairs touch. Stated for every run of 3 or more blocks, not just the year,
        so the bound sees a block the curriculum cannot use (an intern's orientation)."""
        for first in range(len(row)):
            for last in range(first + 2, len(row)):
                length = last - first + 1
                hard_blocks = sum(row[first : last + 1])
                model.cp.add(sum(pairs[first:last]) >= 2 * hard_blocks - length - 1)

    def violations(self, plan: AnnualPlan) -> list[PlanViolation]:
        found = []
        for resident in plan.problem.residents:
            for first, second in consecutive_blocks(plan.problem):
                if self._hard_block(plan, resident.id, first) and self._hard_block(
                    plan, resident.id, second
                ):
                    detail = f"hard rotations in blocks {first} and {second}, back to back"
                    found.append(self.violation(detail, resident.id, second))
        return found

    @staticmethod
    def _hard_block(plan: AnnualPlan, resident_id: str, block: int) -> bool:
        return any(plan.hard_at(resident_id, block, half) for half in HALVES)

    def micro_problem(self) -> AnnualProblem:
        return ex.year(
            2,
            rotations=(ex.clinic(), ex.wards()),
            requests=(PlanRequest("r1", 1, "WARD"), PlanRequest("r1", 2, "WARD")),
        )


def hard_halves(model: PlanModel, problem: AnnualProblem, resident_id: str) -> Any:
    return sum(sum(model.hard_lits(resident_id, *h)) for h in block_halves(problem))


class InpatientLoadBalance(AnnualConstraint):
    name = "InpatientLoadBalance"
    hard = False
    splits_by_pgy = True
    weight = 2
    reason = "Residents of the same PGY share the hard (inpatient, night-float) load evenly: "
    reason += "each half-block between the most and the least loaded costs one unit (equity)."

    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation:
        cohorts = self._cohorts(problem)
        if not cohorts or not any(problem.is_hard(r.id) for r in problem.rotations):
            return Activation.inactive("no PGY with two residents, or no hard rotation")
        size = 2 * len(problem.blocks)
        spreads = []
        for pgy, members in cohorts.items():
            loads = [hard_halves(model, problem, r) for r in members]
            most, least = model.new_int(0, size, f"most[{pgy}]"), model.new_int(0, size, "")
            model.cp.add_max_equality(most, loads)
            model.cp.add_min_equality(least, loads)
            # Implied bounds for the optimality proof: the most loaded carries at least the
            # mean and the least at most it, so a total that does not divide evenly costs 1.
            model.cp.add(len(members) * most >= sum(loads))
            model.cp.add(len(members) * least <= sum(loads))
            spreads.append(most - least)
        return Activation(f"{len(cohorts)} PGY cohorts balanced", penalty=sum(spreads))

    @staticmethod
    def _cohorts(problem: AnnualProblem) -> dict[int, list[str]]:
        cohorts: dict[int, list[str]] = {}
        for resident in problem.residents:
            cohorts.setdefault(resident.pgy, []).append(resident.id)
        return {pgy: ids for pgy, ids in sorted(cohorts.items()) if len(ids) > 1}

    def violations(self, plan: AnnualPlan) -> list[PlanViolation]:
        hard = {r.id for r in plan.problem.rotations if plan.problem.is_hard(r.id)}
        found = []
        for pgy, members in self._cohorts(plan.problem).items():
            loads = [plan.halves_on(r, hard) for r in members]
            if max(loads) > min(loads):
                detail = f"PGY-{pgy} hard half-blocks range {min(loads)} to {max(loads)}"
                found.append(self.violation(detail, amount=max(loads) - min(loads)))
        return found

    def micro_problem(self) -> AnnualProblem:
        # r1 wants wards in blocks 1 and 3; without the rule r2 is never on wards.
        return ex.year(
            3,
            residents=(ex.resident("r1"), ex.resident("r2")),
            rotations=(ex.clinic(), ex.wards()),
            requests=(
                PlanRequest("r1", 1, "WARD", weight=5),
                PlanRequest("r1", 3, "WARD", weight=5),
                *(PlanRequest("r2", block, "WARD", wanted=False) for block in (1, 2, 3)),
            ),
        )
