"""Optional Wednesday rules of a program (policy.wednesday); inactive when not configured."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation, added
from residency.scheduling.engine.items import SlotKey, inverted_wednesday, wednesdays
from residency.scheduling.engine.model import ModelVars, RuleModel
from residency.scheduling.engine.problem import (
    ActivityKind,
    Policy,
    Problem,
    Request,
    WednesdayRules,
)
from residency.scheduling.engine.results import Schedule


def regular_wednesdays(problem: Problem) -> list[date]:
    """Wednesdays under the usual rules: the inverted 4th Wednesday has its own rule."""
    rules = problem.policy.wednesday
    inverted = inverted_wednesday(problem) if rules and rules.inverted_fourth else None
    return [d for d in wednesdays(problem) if d != inverted]


def clinic_keys(vars: ModelVars, day: date, session: Session) -> list[tuple[SlotKey, Any]]:
    problem = vars.problem
    return [
        (key, lit)
        for activity in problem.activities
        if activity.kind == ActivityKind.CLINIC
        for key, lit in vars.slot_keys(activity.id, day, session)
    ]


def clinic_people(schedule: Schedule, day: date, session: Session) -> list[str]:
    problem = schedule.problem
    return [
        a.person_id
        for a in schedule.assignments
        if a.day == day
        and a.session == session
        and (activity := problem.activity(a.activity_id)) is not None
        and activity.kind == ActivityKind.CLINIC
    ]


def policy_with(**rules: bool) -> Policy:
    return Policy(wednesday=WednesdayRules(**rules))


class WednesdayAMInternOnly(Constraint):
    name = "WednesdayAMInternOnly"
    hard = True
    reason = "Wednesday morning clinic is for PGY-1s only; seniors are at didactics (program)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        rules = problem.policy.wednesday
        if rules is None or not rules.am_intern_only:
            return Activation.inactive("Wednesday-morning rule not configured")
        for day in regular_wednesdays(problem):
            for key, lit in clinic_keys(vars, day, Session.AM):
                resident = problem.resident(key.person_id)
                if resident is not None and resident.pgy > 1:
                    model.forbid(lit)
        return added(
            model, "senior Wednesday-morning clinic slots ruled out", "no Wednesday clinic"
        )

    def violations(self, schedule: Schedule) -> list[Violation]:
        rules = schedule.problem.policy.wednesday
        if rules is None or not rules.am_intern_only:
            return []
        return [
            self.violation("senior in Wednesday-morning clinic", person, day)
            for day in regular_wednesdays(schedule.problem)
            for person in clinic_people(schedule, day, Session.AM)
            if (r := schedule.problem.resident(person)) is not None and r.pgy > 1
        ]

    def micro_problem(self) -> Problem:
        wednesday = ex.MONDAY + timedelta(days=2)
        return ex.week(
            residents=(ex.resident("r1", pgy=2),),
            activities=(ex.clinic(weekdays=(2,)),),
            requests=(Request("r1", wednesday, "clinic", Session.AM),),
            policy=policy_with(am_intern_only=True, pm_single_faculty=False, inverted_fourth=False),
        )


def faculty_lits(vars: ModelVars, day: date, session: Session) -> list[Any]:
    return [
        lit for key, lit in clinic_keys(vars, day, session) if not vars.is_resident(key.person_id)
    ]


def faculty_in_clinic(schedule: Schedule, day: date, session: Session) -> list[str]:
    problem = schedule.problem
    return [p for p in clinic_people(schedule, day, session) if problem.faculty_member(p)]


class WednesdayPMSingleFaculty(Constraint):
    name = "WednesdayPMSingleFaculty"
    hard = True
    reason = "Exactly one faculty member precepts Wednesday-afternoon clinic (program)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        rules = problem.policy.wednesday
        if rules is None or not rules.pm_single_faculty:
            return Activation.inactive("Wednesday-afternoon rule not configured")
        for day in regular_wednesdays(problem):
            lits = faculty_lits(vars, day, Session.PM)
            if lits:
                model.require(sum(lits) == 1)
        return added(model, "Wednesday afternoons", "no Wednesday-afternoon clinic")

    def violations(self, schedule: Schedule) -> list[Violation]:
        rules = schedule.problem.policy.wednesday
        if rules is None or not rules.pm_single_faculty:
            return []
        found = []
        for day in regular_wednesdays(schedule.problem):
            count = len(faculty_in_clinic(schedule, day, Session.PM))
            if count != 1:
                found.append(self.violation(f"{count} faculty on Wednesday afternoon", day=day))
        return found

    def micro_problem(self) -> Problem:
        wednesday = ex.MONDAY + timedelta(days=2)
        return ex.week(
            faculty=(ex.faculty("f1"), ex.faculty("f2")),
            activities=(ex.clinic(weekdays=(2,)),),
            requests=(
                Request("f1", wednesday, "clinic", Session.PM),
                Request("f2", wednesday, "clinic", Session.PM),
            ),
            policy=policy_with(am_intern_only=False, pm_single_faculty=True, inverted_fourth=False),
        )


class InvertedWednesday(Constraint):
    name = "InvertedWednesday"
    hard = True
    reason = "On the block's 4th Wednesday one faculty member precepts the morning and a "
    reason += "different one the afternoon (program)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        rules = problem.policy.wednesday
        day = inverted_wednesday(problem)
        if rules is None or not rules.inverted_fourth:
            return Activation.inactive("inverted-Wednesday rule not configured")
        if day is None:
            return Activation.inactive("the horizon has no 4th Wednesday")
        for session in (Session.AM, Session.PM):
            model.require(sum(faculty_lits(vars, day, session)) == 1)
        for member in problem.faculty:
            both = [
                lit
                for key, lit in clinic_keys(vars, day, Session.AM)
                + clinic_keys(vars, day, Session.PM)
                if key.person_id == member.id
            ]
            if len(both) > 1:
                model.require(sum(both) <= 1)
        return added(model, "inverted-Wednesday rules", "no clinic on the 4th Wednesday")

    def violations(self, schedule: Schedule) -> list[Violation]:
        rules = schedule.problem.policy.wednesday
        day = inverted_wednesday(schedule.problem)
        if rules is None or not rules.inverted_fourth or day is None:
            return []
        morning = faculty_in_clinic(schedule, day, Session.AM)
        afternoon = faculty_in_clinic(schedule, day, Session.PM)
        if len(morning) == 1 and len(afternoon) == 1 and morning != afternoon:
            return []
        return [self.violation(f"AM {morning}, PM {afternoon}", day=day)]

    def micro_problem(self) -> Problem:
        fourth = ex.MONDAY + timedelta(days=23)
        return ex.week(
            days=28,
            faculty=(ex.faculty("f1"), ex.faculty("f2")),
            activities=(ex.clinic(weekdays=(2,)),),
            requests=(
                Request("f1", fourth, "clinic", Session.AM),
                Request("f1", fourth, "clinic", Session.PM),
            ),
            policy=policy_with(am_intern_only=False, pm_single_faculty=False, inverted_fourth=True),
        )
