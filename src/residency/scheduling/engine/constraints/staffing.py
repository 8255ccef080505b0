"""How many residents each service and clinic needs, and may hold, when it runs."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from datetime import date

from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation, added
from residency.scheduling.engine.items import SESSIONS, shift_for
from residency.scheduling.engine.model import ModelVars, RuleModel
from residency.scheduling.engine.problem import Activity, ActivityKind, Problem, Request
from residency.scheduling.engine.results import Schedule


def running_slots(problem: Problem, activity: Activity) -> Iterator[tuple[date, Session]]:
    for day in problem.days:
        for session in SESSIONS:
            if shift_for(activity.pattern, day, session) is not None:
                yield day, session


def residents_in(schedule: Schedule, activity_id: str, day: date, session: Session) -> list[str]:
    problem = schedule.problem
    return [p for p in schedule.in_slot(activity_id, day, session) if problem.resident(p)]


class _ResidentBounds(Constraint):
    """Per half-day minimum and maximum of residents on the activities a subclass selects."""

    hard = True

    @abstractmethod
    def selects(self, activity: Activity) -> bool: ...

    def _bounded(self, problem: Problem) -> list[Activity]:
        return [
            a
            for a in problem.activities
            if self.selects(a) and (a.min_residents > 0 or a.max_residents is not None)
        ]

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for activity in self._bounded(problem):
            for day, session in running_slots(problem, activity):
                count = sum(vars.slot_lits(activity.id, day, session))
                model.require(count >= activity.min_residents)
                if activity.max_residents is not None:
                    model.require(count <= activity.max_residents)
        return added(model, "staffing bounds", "no activity of this kind has staffing bounds")

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for activity in self._bounded(schedule.problem):
            for day, session in running_slots(schedule.problem, activity):
                count = len(residents_in(schedule, activity.id, day, session))
                top = activity.max_residents
                if count < activity.min_residents or (top is not None and count > top):
                    detail = f"{activity.id} {session}: {count} residents, "
                    detail += f"needs {activity.min_residents}..{top}"
                    found.append(self.violation(detail, day=day))
        return found


class RotationStaffing(_ResidentBounds):
    name = "RotationStaffing"
    reason = "Each service has its minimum (and at most its maximum) of residents per half-day."

    def selects(self, activity: Activity) -> bool:
        return activity.kind != ActivityKind.CLINIC

    def micro_problem(self) -> Problem:
        return ex.week(
            residents=(ex.resident("r1"),),
            activities=(ex.elective(weekdays=(0,), min_residents=1),),
            requests=(Request("r1", ex.MONDAY, None, Session.AM, wanted=False),),
        )


class ClinicCapacity(_ResidentBounds):
    name = "ClinicCapacity"
    reason = "A clinic session sees residents only up to its rooms, and at least its minimum."

    def selects(self, activity: Activity) -> bool:
        return activity.kind == ActivityKind.CLINIC

    def micro_problem(self) -> Problem:
        return ex.week(
            residents=(ex.resident("r1"), ex.resident("r2")),
            activities=(ex.clinic(weekdays=(0,), max_residents=1),),
            requests=(
                Request("r1", ex.MONDAY, "clinic", Session.AM),
                Request("r2", ex.MONDAY, "clinic", Session.AM),
            ),
        )


def inpatient_days(problem: Problem) -> Iterator[tuple[Activity, date]]:
    for activity in problem.activities:
        if activity.kind == ActivityKind.INPATIENT:
            for day in problem.days:
                if activity.pattern.shifts_on(day.weekday()):
                    yield activity, day


class ResidentInpatientHeadcount(Constraint):
    name = "ResidentInpatientHeadcount"
    hard = True
    reason = "An inpatient service has 2 to 4 residents each day it runs (program policy, "
    reason += "configurable)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        low, high = problem.policy.inpatient_min_residents, problem.policy.inpatient_max_residents
        for activity, day in inpatient_days(problem):
            present = []
            for resident in problem.residents:
                lits = [
                    lit
                    for key, lit in vars.keys_on(resident.id, day)
                    if getattr(key, "activity_id", None) == activity.id
                ]
                if lits:
                    on_service = model.new_bool(f"on[{activity.id},{resident.id},{day}]")
                    for lit in lits:
                        model.cp.add_implication(lit, on_service)
                    model.cp.add(on_service <= sum(lits))
                    present.append(on_service)
            model.require(sum(present) >= low)
            model.require(sum(present) <= high)
        return added(model, "daily headcount bounds", "no inpatient service in the horizon")

    def violations(self, schedule: Schedule) -> list[Violation]:
        policy = schedule.problem.policy
        low, high = policy.inpatient_min_residents, policy.inpatient_max_residents
        found = []
        for activity, day in inpatient_days(schedule.problem):
            people = {p for s in SESSIONS for p in residents_in(schedule, activity.id, day, s)}
            if not low <= len(people) <= high:
                detail = f"{activity.id}: {len(people)} residents, needs {low}..{high}"
                found.append(self.violation(detail, day=day))
        return found

    def micro_problem(self) -> Problem:
        people = tuple(ex.resident(f"r{i}", rotation_id="wards") for i in range(1, 6))
        return ex.week(residents=people, activities=(ex.wards(weekdays=(0,)),))
