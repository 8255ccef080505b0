"""Who can be scheduled at all: blocking absences and locked (hand-made) assignments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from residency.calendar.academic_year import days as calendar_days
from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation, added
from residency.scheduling.engine.items import (
    FmitKey,
    Item,
    fmit_week_days,
    shift_for,
)
from residency.scheduling.engine.model import ModelVars, RuleModel
from residency.scheduling.engine.problem import (
    FMIT_ACTIVITY,
    Absence,
    Assignment,
    CallAssignment,
    Lock,
    Problem,
    Request,
)
from residency.scheduling.engine.results import Schedule
from residency.scheduling.engine.validation import ProblemError


class Availability(Constraint):
    name = "Availability"
    hard = True
    reason = "A person on leave, deployment, TDY or sick leave cannot be scheduled (program)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        # Candidates the `possible` test rejected were never created; these are the ones a
        # lock kept on a blocked day, so an explanation can name this rule.
        for person_id, days in _blocked_days(problem).items():
            for item, lit in vars.items_of(person_id):
                if item.key is not None and _days_touched(item) & days:
                    model.forbid(lit)
        for absence in (a for a in problem.absences if a.blocking):
            for key, lit in vars.fmit.items():
                if key.faculty_id == absence.person_id and _absent_in_week(absence, problem, key):
                    model.forbid(lit)
        skipped = vars.not_created[self.name]
        return added(model, "assignments ruled out by absences", "no blocking absences", skipped)

    def possible(self, problem: Problem) -> Callable[[Item], bool]:
        blocked = _blocked_days(problem)

        def available(item: Item) -> bool:
            days = blocked.get(item.person_id)
            return not days or item.key is None or not (_days_touched(item) & days)

        return available

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for absence in (a for a in schedule.problem.absences if a.blocking):
            for item in schedule.items(absence.person_id):
                if item.key is not None and any(absence.covers(d) for d in _days_touched(item)):
                    found.append(
                        self.violation(
                            f"{item.key} during {absence.kind}", absence.person_id, item.key.day
                        )
                    )
            for fmit in schedule.fmit_weeks:
                if fmit.faculty_id == absence.person_id and any(
                    absence.covers(d) for d in fmit_week_days(schedule.problem, fmit.week_start)
                ):
                    found.append(
                        self.violation(
                            f"FMIT week during {absence.kind}", fmit.faculty_id, fmit.week_start
                        )
                    )
        return found

    def micro_problem(self) -> Problem:
        tuesday = ex.MONDAY + timedelta(days=1)
        return ex.week(
            residents=(ex.resident("r1"),),
            activities=(ex.elective(),),
            absences=(Absence("r1", tuesday, tuesday, "tdy"),),
            requests=(Request("r1", tuesday, "elective", Session.AM),),
        )


def _blocked_days(problem: Problem) -> dict[str, set[date]]:
    """Person -> the horizon's days a blocking absence covers."""
    blocked: dict[str, set[date]] = {}
    for absence in (a for a in problem.absences if a.blocking):
        blocked.setdefault(absence.person_id, set()).update(
            d for d in problem.days if absence.covers(d)
        )
    return blocked


def _days_touched(item: Item) -> set[date]:
    """Calendar days the item's duty overlaps (an overnight call touches two)."""
    return set(calendar_days(item.start.date(), (item.end - timedelta(microseconds=1)).date()))


def _absent_in_week(absence: Absence, problem: Problem, key: FmitKey) -> bool:
    return any(absence.covers(d) for d in fmit_week_days(problem, key.week_start))


class LockedAssignments(Constraint):
    name = "LockedAssignments"
    hard = True
    reason = "Assignments a coordinator locked by hand stay exactly as they are."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for lock in problem.locks:
            lits = vars.lits_for(lock.person_id, lock.day, lock.activity_id, lock.session)
            if not lits:
                raise ProblemError(f"lock {lock} names nothing that can be scheduled")
            for lit in lits:
                model.require(lit == 1)
        return added(model, "locked assignments", "no locked assignments")

    def violations(self, schedule: Schedule) -> list[Violation]:
        return [
            self.violation(f"locked {lock.activity_id} missing", lock.person_id, lock.day)
            for lock in schedule.problem.locks
            if not _lock_kept(schedule, lock)
        ]

    def micro_problem(self) -> Problem:
        return ex.week(
            residents=(ex.resident("r1"),),
            activities=(ex.elective(),),
            locks=(Lock("r1", ex.MONDAY, "elective", Session.AM),),
            requests=(Request("r1", ex.MONDAY, None, Session.AM, wanted=False),),
        )


def _lock_kept(schedule: Schedule, lock: Lock) -> bool:
    problem = schedule.problem
    if lock.activity_id == FMIT_ACTIVITY:
        return any(
            w.faculty_id == lock.person_id and 0 <= (lock.day - w.week_start).days < 7
            for w in schedule.fmit_weeks
        )
    if problem.call_service(lock.activity_id) is not None:
        wanted = CallAssignment(lock.person_id, lock.day, lock.activity_id)
        return wanted in schedule.call_assignments
    activity = problem.activity(lock.activity_id)
    assert activity is not None
    sessions = [lock.session] if lock.session else [Session.AM, Session.PM]
    return all(
        schedule.has(Assignment(lock.person_id, lock.day, s, lock.activity_id))
        for s in sessions
        if shift_for(activity.pattern, lock.day, s) is not None
    )
