"""Faculty rules: weekly clinic limits by role, and the FMIT inpatient-attending weeks
(Friday to Thursday) with the rest that follows them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation, added
from residency.scheduling.engine.items import SlotKey, chunks, fmit_week_days, fmit_week_starts
from residency.scheduling.engine.model import ModelVars, RuleModel
from residency.scheduling.engine.problem import (
    FMIT_ACTIVITY,
    ActivityKind,
    CallStaff,
    FacultyRole,
    FmitPolicy,
    Lock,
    Policy,
    Problem,
    Request,
)
from residency.scheduling.engine.results import Schedule

FMIT_POLICY = Policy(fmit=FmitPolicy())


def is_clinic(problem: Problem, activity_id: str) -> bool:
    activity = problem.activity(activity_id)
    return activity is not None and activity.kind == ActivityKind.CLINIC


def clinic_lits(vars: ModelVars, person_id: str, days: tuple[date, ...]) -> list[Any]:
    return [
        lit
        for day in days
        for key, lit in vars.keys_on(person_id, day)
        if isinstance(key, SlotKey) and is_clinic(vars.problem, key.activity_id)
    ]


def clinic_days(schedule: Schedule, person_id: str) -> list[date]:
    problem = schedule.problem
    return [
        a.day
        for a in schedule.assignments
        if a.person_id == person_id and is_clinic(problem, a.activity_id)
    ]


class FacultyClinicLimits(Constraint):
    name = "FacultyClinicLimits"
    hard = True
    reason = "Clinic half-days a week by role: PD 0, department chief 1, APD and OIC 2, core 4 "
    reason += "(program policy)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        limits = problem.policy.faculty_weekly_clinic_limits
        for member in problem.faculty:
            for week in chunks(problem, 7):
                lits = clinic_lits(vars, member.id, week)
                if len(lits) > limits.get(member.role, len(lits)):
                    model.require(sum(lits) <= limits[member.role])
        return added(model, "faculty-weeks with a clinic limit", "no faculty limit can bind")

    def violations(self, schedule: Schedule) -> list[Violation]:
        limits = schedule.problem.policy.faculty_weekly_clinic_limits
        found = []
        for member in schedule.problem.faculty:
            days = clinic_days(schedule, member.id)
            for week in chunks(schedule.problem, 7):
                count = sum(d in week for d in days)
                if count > limits.get(member.role, count):
                    detail = f"{count} clinic half-days, {member.role} limit {limits[member.role]}"
                    found.append(self.violation(detail, member.id, week[0]))
        return found

    def micro_problem(self) -> Problem:
        return ex.week(
            faculty=(ex.faculty("f1", FacultyRole.PROGRAM_DIRECTOR),),
            activities=(ex.clinic(weekdays=(0,)),),
            requests=(Request("f1", ex.MONDAY, "clinic", Session.AM),),
        )


class FMITCoverage(Constraint):
    name = "FMITCoverage"
    hard = True
    reason = "Each FMIT week (Friday to Thursday) has its inpatient attending, who does no "
    reason += "clinic that week (program)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        fmit = problem.policy.fmit
        if fmit is None:
            return Activation.inactive("no FMIT policy configured")
        for week in fmit_week_starts(problem):
            attendings = [lit for key, lit in vars.fmit.items() if key.week_start == week]
            model.require(sum(attendings) == fmit.attendings_per_week)
        for key, lit in vars.fmit.items():
            for clinic in clinic_lits(
                vars, key.faculty_id, fmit_week_days(problem, key.week_start)
            ):
                model.forbid_together([lit, clinic])
        return added(model, "FMIT coverage rules", "no FMIT week in the horizon")

    def violations(self, schedule: Schedule) -> list[Violation]:
        fmit = schedule.problem.policy.fmit
        if fmit is None:
            return []
        found = []
        for week in fmit_week_starts(schedule.problem):
            people = schedule.fmit_attendings(week)
            if len(people) != fmit.attendings_per_week:
                found.append(self.violation(f"{len(people)} FMIT attendings", day=week))
            week_days = fmit_week_days(schedule.problem, week)
            for person in people:
                if any(d in week_days for d in clinic_days(schedule, person)):
                    found.append(self.violation("clinic during own FMIT week", person, week))
        return found

    def micro_problem(self) -> Problem:
        return ex.week(
            start=ex.FRIDAY,
            faculty=(ex.faculty("f1", fmit_eligible=True),),
            requests=(Request("f1", ex.FRIDAY, FMIT_ACTIVITY, wanted=False),),
            policy=FMIT_POLICY,
        )


def after_fmit(problem: Problem, vars: ModelVars, offset: int) -> list[tuple[Any, str, date]]:
    """(FMIT literal, faculty id, the day `offset` days after the week started) in the horizon."""
    return [
        (lit, key.faculty_id, day)
        for key, lit in vars.fmit.items()
        if problem.start <= (day := key.week_start + timedelta(days=offset)) <= problem.end
    ]


class PostFMITRecovery(Constraint):
    name = "PostFMITRecovery"
    hard = True
    reason = "The Friday after an FMIT week is free for its attending (program)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for fmit, person_id, friday in after_fmit(problem, vars, 7):
            for _, lit in vars.keys_on(person_id, friday):
                model.forbid_together([fmit, lit])
        return added(model, "post-FMIT Fridays kept free", "no FMIT week ends in the horizon")

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for week in schedule.fmit_weeks:
            friday = week.week_start + timedelta(days=7)
            entries = [(a.person_id, a.day) for a in schedule.assignments]
            entries += [(c.person_id, c.day) for c in schedule.call_assignments]
            if (week.faculty_id, friday) in entries:
                found.append(self.violation("works the Friday after FMIT", week.faculty_id, friday))
        return found

    def micro_problem(self) -> Problem:
        next_friday = ex.FRIDAY + timedelta(days=7)
        return ex.week(
            start=ex.FRIDAY,
            days=8,
            faculty=(ex.faculty("f1", fmit_eligible=True), ex.faculty("f2", fmit_eligible=True)),
            activities=(ex.clinic(weekdays=(4,)),),
            locks=(Lock("f1", ex.FRIDAY, FMIT_ACTIVITY),),
            requests=(Request("f1", next_friday, "clinic", Session.AM),),
            policy=FMIT_POLICY,
        )


class PostFMITSundayBlocking(Constraint):
    name = "PostFMITSundayBlocking"
    hard = True
    reason = "No Sunday call for the attending right after an FMIT week (program)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for fmit, person_id, sunday in after_fmit(problem, vars, 9):
            for key, lit in vars.keys_on(person_id, sunday):
                if not isinstance(key, SlotKey):
                    model.forbid_together([fmit, lit])
        return added(model, "post-FMIT Sunday calls ruled out", "no FMIT week ends in the horizon")

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for week in schedule.fmit_weeks:
            sunday = week.week_start + timedelta(days=9)
            if any(
                c.person_id == week.faculty_id and c.day == sunday
                for c in schedule.call_assignments
            ):
                found.append(
                    self.violation("Sunday call right after FMIT", week.faculty_id, sunday)
                )
        return found

    def micro_problem(self) -> Problem:
        sunday_after = ex.FRIDAY + timedelta(days=9)
        return ex.week(
            start=ex.FRIDAY,
            days=10,
            faculty=(ex.faculty("f1", fmit_eligible=True), ex.faculty("f2", fmit_eligible=True)),
            call_services=(ex.call(weekdays=(6,), staff=CallStaff.FACULTY),),
            locks=(Lock("f1", ex.FRIDAY, FMIT_ACTIVITY),),
            requests=(Request("f1", sunday_after, "call"),),
            policy=FMIT_POLICY,
        )
