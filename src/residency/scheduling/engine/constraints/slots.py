"""One thing at a time, and only what the person may do."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation, added
from residency.scheduling.engine.items import CallKey, Item, SlotKey
from residency.scheduling.engine.model import ModelVars, RuleModel, is_variable
from residency.scheduling.engine.problem import Activity, CallService, Problem, Request, Resident
from residency.scheduling.engine.results import Schedule


class OneActivityPerSlot(Constraint):
    name = "OneActivityPerSlot"
    hard = True
    reason = "A person does one activity per half-day and is never in two places at once."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for person_id in problem.person_ids:
            for day in problem.days:
                by_session: dict[Session, list[object]] = defaultdict(list)
                for key, lit in vars.keys_on(person_id, day):
                    if isinstance(key, SlotKey):
                        by_session[key.session].append(lit)
                for lits in by_session.values():
                    if len(lits) > 1:
                        model.require(sum(lits) <= 1)  # type: ignore[arg-type]
            self._no_overlap(model, vars, person_id)
        return added(model, "one-at-a-time constraints", "no person has two possible activities")

    @staticmethod
    def _no_overlap(model: RuleModel, vars: ModelVars, person_id: str) -> None:
        timeline = vars.timelines[person_id]
        for segment in timeline.segments:
            lits = [timeline.lits[i] for i in segment.covering]
            if len(lits) > 1 and any(is_variable(lit) for lit in lits):
                model.require(sum(lits) <= 1)

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for person_id in schedule.problem.person_ids:
            items = schedule.items(person_id)
            slots = [(i.key.day, i.key.session) for i in items if isinstance(i.key, SlotKey)]
            for day, session in {s for s in slots if slots.count(s) > 1}:
                found.append(self.violation(f"two activities on {session}", person_id, day))
            for before, after in itertools.pairwise(items):
                if after.start < before.end:
                    found.append(
                        self.violation(
                            f"{before.key} overlaps {after.key}", person_id, after.start.date()
                        )
                    )
        return found

    def micro_problem(self) -> Problem:
        return ex.week(
            residents=(ex.resident("r1"),),
            activities=(ex.elective(), ex.clinic()),
            requests=(
                Request("r1", ex.MONDAY, "elective", Session.AM),
                Request("r1", ex.MONDAY, "clinic", Session.AM),
            ),
        )


def resident_may_do(resident: Resident, activity: Activity, day: date | None = None) -> bool:
    pgy_ok = not activity.eligible_pgys or resident.pgy in activity.eligible_pgys
    rotation = resident.rotation_id if day is None else resident.rotation_on(day)
    return pgy_ok and (not activity.rotation_only or rotation == activity.id)


def resident_may_take(resident: Resident, service: CallService) -> bool:
    return not service.eligible_pgys or resident.pgy in service.eligible_pgys


class Eligibility(Constraint):
    name = "Eligibility"
    hard = True
    reason = "Residents do only their rotation's work and activities open to their PGY level; "
    reason += "only FMIT-eligible faculty attend FMIT weeks (program curriculum)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for key, lit in vars.slot.items():
            if not self._slot_allowed(problem, key):
                model.forbid(lit)
        for ckey, lit in vars.call.items():
            if not self._call_allowed(problem, ckey):
                model.forbid(lit)
        for fkey, lit in vars.fmit.items():
            member = problem.faculty_member(fkey.faculty_id)
            if member is None or not member.fmit_eligible:
                model.forbid(lit)
        skipped = vars.not_created[self.name]
        return added(
            model, "ineligible assignments ruled out", "everyone may do everything", skipped
        )

    def possible(self, problem: Problem) -> Callable[[Item], bool]:
        def eligible(item: Item) -> bool:
            if isinstance(item.key, SlotKey):
                return self._slot_allowed(problem, item.key)
            if isinstance(item.key, CallKey):
                return self._call_allowed(problem, item.key)
            return True

        return eligible

    @staticmethod
    def _slot_allowed(problem: Problem, key: SlotKey) -> bool:
        resident, activity = problem.resident(key.person_id), problem.activity(key.activity_id)
        if resident is None or activity is None:
            return True
        return resident_may_do(resident, activity, key.day)

    @staticmethod
    def _call_allowed(problem: Problem, key: CallKey) -> bool:
        resident, service = problem.resident(key.person_id), problem.call_service(key.service_id)
        return resident is None or service is None or resident_may_take(resident, service)

    def violations(self, schedule: Schedule) -> list[Violation]:
        problem = schedule.problem
        found = [
            self.violation(f"not eligible for {a.activity_id}", a.person_id, a.day)
            for a in schedule.assignments
            if not self._slot_allowed(
                problem, SlotKey(a.person_id, a.day, a.session, a.activity_id)
            )
        ]
        found += [
            self.violation(f"not eligible for call {c.service_id}", c.person_id, c.day)
            for c in schedule.call_assignments
            if not self._call_allowed(problem, CallKey(c.person_id, c.day, c.service_id))
        ]
        for week in schedule.fmit_weeks:
            member = problem.faculty_member(week.faculty_id)
            if member is None or not member.fmit_eligible:
                found.append(self.violation("not FMIT-eligible", week.faculty_id, week.week_start))
        return found

    def micro_problem(self) -> Problem:
        return ex.week(
            residents=(ex.resident("r1", pgy=1),),
            activities=(ex.elective(eligible_pgys=frozenset({2, 3})),),
            requests=(Request("r1", ex.MONDAY, "elective", Session.AM),),
        )
