"""Faculty in clinic: enough preceptors for the residents, not more physicians than rooms."""

from __future__ import annotations

from math import lcm

from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation, added
from residency.scheduling.engine.constraints.staffing import running_slots
from residency.scheduling.engine.model import ModelVars, RuleModel
from residency.scheduling.engine.problem import Activity, Policy, Problem, Request
from residency.scheduling.engine.results import Schedule


def supervision_weights(policy: Policy) -> tuple[int, int, int]:
    """(faculty weight, PGY-1 weight, senior weight): faculty*L >= PGY1*L/p1 + senior*L/ps is
    "one faculty per p1 interns and per ps seniors" without fractions."""
    scale = lcm(policy.pgy1_per_faculty, policy.senior_per_faculty)
    return scale, scale // policy.pgy1_per_faculty, scale // policy.senior_per_faculty


class SupervisionRatio(Constraint):
    name = "SupervisionRatio"
    hard = True
    reason = "Precepting faculty per clinic half-day: 1 per 2 PGY-1s, 1 per 4 PGY-2+ "
    reason += "(program policy defaults, ACGME.md)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        scale, intern, senior = supervision_weights(problem.policy)
        for activity in (a for a in problem.activities if a.supervised):
            for day, session in running_slots(problem, activity):
                demand = []
                for key, lit in vars.slot_keys(activity.id, day, session):
                    resident = problem.resident(key.person_id)
                    if resident is not None:
                        demand.append((intern if resident.pgy == 1 else senior) * lit)
                faculty = vars.slot_lits(activity.id, day, session, residents=False)
                if demand:
                    model.require(scale * sum(faculty) >= sum(demand))
        return added(model, "supervision ratios", "no supervised activity with residents")

    def violations(self, schedule: Schedule) -> list[Violation]:
        problem = schedule.problem
        scale, intern, senior = supervision_weights(problem.policy)
        found = []
        for activity in (a for a in problem.activities if a.supervised):
            for day, session in running_slots(problem, activity):
                people = schedule.in_slot(activity.id, day, session)
                residents = [r for p in people if (r := problem.resident(p))]
                demand = sum(intern if r.pgy == 1 else senior for r in residents)
                faculty = len(people) - len(residents)
                if scale * faculty < demand:
                    detail = (
                        f"{activity.id} {session}: {faculty} faculty for {len(residents)} residents"
                    )
                    found.append(self.violation(detail, day=day))
        return found

    def micro_problem(self) -> Problem:
        return ex.week(
            residents=(ex.resident("r1", pgy=1),),
            faculty=(ex.faculty("f1"),),
            activities=(ex.clinic(weekdays=(0,), supervised=True),),
            requests=(
                Request("r1", ex.MONDAY, "clinic", Session.AM),
                Request("f1", ex.MONDAY, None, Session.AM, wanted=False),
            ),
        )


def room_limited(problem: Problem) -> list[Activity]:
    return [a for a in problem.activities if a.max_physicians is not None]


class MaxPhysiciansInClinic(Constraint):
    name = "MaxPhysiciansInClinic"
    hard = True
    reason = "Residents plus precepting faculty in a clinic session fit its rooms (program)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for activity in room_limited(problem):
            for day, session in running_slots(problem, activity):
                everyone = [lit for _, lit in vars.slot_keys(activity.id, day, session)]
                model.require(sum(everyone) <= activity.max_physicians)
        return added(model, "room limits", "no clinic has a physician limit")

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for activity in room_limited(schedule.problem):
            for day, session in running_slots(schedule.problem, activity):
                count = len(schedule.in_slot(activity.id, day, session))
                if activity.max_physicians is not None and count > activity.max_physicians:
                    detail = f"{activity.id} {session}: {count} > {activity.max_physicians}"
                    found.append(self.violation(detail, day=day))
        return found

    def micro_problem(self) -> Problem:
        # Two PGY-2s want the one clinic morning; they need a preceptor: 3 physicians, 2 rooms.
        return ex.week(
            residents=(ex.resident("r1"), ex.resident("r2")),
            faculty=(ex.faculty("f1"),),
            activities=(ex.clinic(weekdays=(0,), supervised=True, max_physicians=2),),
            requests=(
                Request("r1", ex.MONDAY, "clinic", Session.AM),
                Request("r2", ex.MONDAY, "clinic", Session.AM),
            ),
        )
