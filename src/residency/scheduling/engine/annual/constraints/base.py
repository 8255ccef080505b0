"""What every annual-plan rule is: a stable name, hard or soft (with a weight), a reason, its
CP-SAT encoding (`add_to`), a plain-Python check (`violations`) and its own micro-problem on
which it must change the answer (`micro_problem`, used by `deep_verify` and the tests)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from residency.scheduling.engine.annual.model import PlanModel
from residency.scheduling.engine.annual.plan import AnnualPlan
from residency.scheduling.engine.annual.problem import AnnualProblem
from residency.scheduling.engine.constraints.base import Activation
from residency.scheduling.engine.manifest import RuleMetadata

__all__ = ["Activation", "AnnualConstraint", "PlanViolation", "added"]


@dataclass(frozen=True)
class PlanViolation:
    constraint: str
    detail: str
    resident_id: str | None = None
    block: int | None = None
    amount: int = 1  # penalty units, for soft rules


class AnnualConstraint(RuleMetadata, ABC):
    # True when, for every plan of the whole program, the plan's part for one PGY satisfies
    # this rule on that PGY alone (`cohorts.cohort_problem`) whenever the whole plan does, and
    # the parts' costs add up to the whole plan's cost. The solver then bounds the plan's cost
    # by each PGY's own optimum (annual/cohorts.py). A rule says so only if it is true; the
    # cohort property test checks every rule that does.
    splits_by_pgy: ClassVar[bool] = False

    @abstractmethod
    def add_to(self, model: PlanModel, problem: AnnualProblem) -> Activation: ...

    @abstractmethod
    def violations(self, plan: AnnualPlan) -> list[PlanViolation]: ...

    @abstractmethod
    def micro_problem(self) -> AnnualProblem: ...

    def cost(self, plan: AnnualPlan) -> int:
        return sum(v.amount for v in self.violations(plan)) * self.weight

    def violation(
        self, detail: str, resident_id: str | None = None, block: int | None = None, amount: int = 1
    ) -> PlanViolation:
        return PlanViolation(self.name, detail, resident_id, block, amount)


def added(model: PlanModel, before: int, what: str, idle: str) -> Activation:
    """Report how many constraints a rule added, or say why it had nothing to act on."""
    count = model.added - before
    return Activation(f"{count} {what}") if count else Activation.inactive(idle)
