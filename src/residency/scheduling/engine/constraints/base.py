"""What every constraint is: a stable name, hard or soft (with a weight), a reason, its CP-SAT
encoding (`add_to`), a plain-Python check (`violations`) and its own micro-problem on which it
must change the answer (`micro_problem`, used by `deep_verify` and the tests)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from residency.scheduling.engine.items import Item
from residency.scheduling.engine.manifest import RuleMetadata
from residency.scheduling.engine.model import ModelVars, RuleModel
from residency.scheduling.engine.problem import Problem
from residency.scheduling.engine.results import Schedule


@dataclass(frozen=True)
class Activation:
    """What `add_to` did: a note for people and, for a soft rule, its penalty expression."""

    note: str
    active: bool = True
    penalty: Any = None  # linear expression in penalty units; the objective multiplies weight

    @classmethod
    def inactive(cls, why: str) -> Activation:
        return cls(f"inactive: {why}", active=False)


@dataclass(frozen=True)
class Violation:
    constraint: str
    detail: str
    person_id: str | None = None
    day: date | None = None
    amount: int = 1  # penalty units, for soft rules
    # A rule measured over a window (an average, a run, a streak) names its last day, so a
    # kept override excuses only the findings whose window holds the overridden row.
    last_day: date | None = None

    def covers(self, day: date) -> bool:
        return self.day is not None and self.day <= day <= (self.last_day or self.day)


class Constraint(RuleMetadata, ABC):
    @abstractmethod
    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation: ...

    @abstractmethod
    def violations(self, schedule: Schedule) -> list[Violation]: ...

    @abstractmethod
    def micro_problem(self) -> Problem: ...

    def possible(self, problem: Problem) -> Callable[[Item], bool] | None:
        """For a hard rule that forbids some assignments whatever else is scheduled: a test
        of whether an assignment is still possible. The model never creates a variable this
        rejects (on a large program most resident x activity x half-day combinations are
        ineligible, and creating them only to fix them at 0 made the model ten times larger).
        `add_to` must still forbid any such assignment that exists anyway (a locked one), so
        that an infeasibility explanation can name the rule."""
        return None

    def cost(self, schedule: Schedule) -> int:
        return sum(v.amount for v in self.violations(schedule)) * self.weight

    def violation(
        self,
        detail: str,
        person_id: str | None = None,
        day: date | None = None,
        amount: int = 1,
        last_day: date | None = None,
    ) -> Violation:
        return Violation(self.name, detail, person_id, day, amount, last_day)


def added(model: RuleModel, what: str, idle: str, not_created: int = 0) -> Activation:
    """Report how many constraints a rule added (and how many candidate assignments it kept
    out of the model), or say why it had nothing to act on."""
    if model.added == 0 and model.fixed_conflicts == 0 and not_created == 0:
        return Activation.inactive(idle)
    note = f"{model.added} {what}"
    if not_created:
        note += f"; {not_created} never created"
    if model.fixed_conflicts:
        note += f"; {model.fixed_conflicts} already broken by fixed duty (before the block,"
        note += " or kept with a recorded override)"
    return Activation(note)
