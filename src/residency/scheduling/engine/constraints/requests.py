"""Soft wishes: requests for or against an assignment, and keeping a published schedule."""

from __future__ import annotations

from typing import Any

from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation
from residency.scheduling.engine.model import ModelVars, RuleModel
from residency.scheduling.engine.problem import (
    FMIT_ACTIVITY,
    Assignment,
    PreviousSchedule,
    Problem,
    Request,
)
from residency.scheduling.engine.results import Schedule, differences


def matching_entries(schedule: Schedule, request: Request) -> int:
    """How many scheduled entries the request names (mirrors ModelVars.lits_for)."""
    person, day, activity, session = (
        request.person_id,
        request.day,
        request.activity_id,
        request.session,
    )
    if activity == FMIT_ACTIVITY:
        return sum(
            w.faculty_id == person and 0 <= (day - w.week_start).days < 7
            for w in schedule.fmit_weeks
        )
    slots = sum(
        a.person_id == person
        and a.day == day
        and session in (None, a.session)
        and activity in (None, a.activity_id)
        for a in schedule.assignments
    )
    if activity is None and session is not None:
        return slots
    calls = sum(
        c.person_id == person and c.day == day and activity in (None, c.service_id)
        for c in schedule.call_assignments
    )
    return slots + calls


class Requests(Constraint):
    name = "Requests"
    hard = False
    weight = 3
    reason = "Honour residents' and faculty's requests for, or against, an assignment."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        if not problem.requests:
            return Activation.inactive("no requests")
        terms: list[Any] = []
        for index, request in enumerate(problem.requests):
            lits = vars.lits_for(
                request.person_id, request.day, request.activity_id, request.session
            )
            unmet = model.new_bool(f"request_unmet[{index}]")
            if request.wanted:
                model.cp.add(sum(lits) + unmet >= 1)
            else:
                for lit in lits:
                    model.cp.add_implication(lit, unmet)
            terms.append(request.weight * unmet)
        return Activation(f"{len(terms)} requests", penalty=sum(terms))

    def violations(self, schedule: Schedule) -> list[Violation]:
        return [
            self.violation(
                f"{'wanted' if r.wanted else 'did not want'} {r.activity_id or 'work'}",
                r.person_id,
                r.day,
                r.weight,
            )
            for r in schedule.problem.requests
            if (matching_entries(schedule, r) > 0) != r.wanted
        ]

    def micro_problem(self) -> Problem:
        # Continuity (5) pulls r1 onto the elective; the request (2 x 3 = 6) asks for Monday AM off.
        return ex.week(
            residents=(ex.resident("r1", rotation_id="elective"),),
            activities=(ex.elective(rotation_only=True),),
            requests=(Request("r1", ex.MONDAY, None, Session.AM, wanted=False, weight=2),),
        )


class MinimalChange(Constraint):
    name = "MinimalChange"
    hard = False
    weight = 20
    reason = "Repairing a published schedule changes as few assignments as possible."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        previous = problem.previous
        if previous is None:
            return Activation.inactive("no previous schedule to keep")
        kept = _previous_keys(previous)
        variables: list[tuple[object, Any]] = [*vars.slot.items(), *vars.call.items()]
        variables += vars.fmit.items()
        changes = [(1 - lit) if key in kept else lit for key, lit in variables]
        vanished = len(kept - {key for key, _ in variables})
        note = f"{len(kept)} previous entries to keep"
        return Activation(note, penalty=sum(changes) + vanished)

    def violations(self, schedule: Schedule) -> list[Violation]:
        gained, lost = differences(schedule.problem.previous, schedule)
        return [self.violation(f"added {e}") for e in gained] + [
            self.violation(f"removed {e}") for e in lost
        ]

    def micro_problem(self) -> Problem:
        previous = PreviousSchedule((Assignment("r1", ex.MONDAY, Session.AM, "elective"),))
        return ex.week(
            residents=(ex.resident("r1"),),
            activities=(ex.elective(),),
            requests=(Request("r1", ex.MONDAY, None, Session.AM, wanted=False),),
            previous=previous,
        )


def _previous_keys(previous: PreviousSchedule) -> set[object]:
    from residency.scheduling.engine.items import CallKey, FmitKey, SlotKey

    keys: set[object] = {
        SlotKey(a.person_id, a.day, a.session, a.activity_id) for a in previous.assignments
    }
    keys |= {CallKey(c.person_id, c.day, c.service_id) for c in previous.call_assignments}
    keys |= {FmitKey(w.faculty_id, w.week_start) for w in previous.fmit_weeks}
    return keys
