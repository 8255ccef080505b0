"""Soft rules about residents' work: stay on the rotation, get continuity clinic, share hours."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation
from residency.scheduling.engine.items import SESSIONS, SlotKey, chunks, shift_for
from residency.scheduling.engine.model import ModelVars, RuleModel
from residency.scheduling.engine.problem import Problem, Request, Resident
from residency.scheduling.engine.results import Schedule


def rotation_slots(problem: Problem, resident: Resident) -> list[SlotKey]:
    """The half-days the resident's rotation runs on days the resident is not absent."""
    slots = []
    for day in problem.days:
        activity = problem.activity(resident.rotation_on(day) or "")
        if activity is None or problem.blocked(resident.id, day):
            continue
        slots += [
            SlotKey(resident.id, day, session, activity.id)
            for session in SESSIONS
            if shift_for(activity.pattern, day, session)
        ]
    return slots


class Continuity(Constraint):
    name = "Continuity"
    hard = False
    weight = 5
    reason = "Residents work their block rotation whenever it runs (continuity of patient care)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        slots = [k for r in problem.residents for k in rotation_slots(problem, r)]
        if not slots:
            return Activation.inactive("no resident has a rotation with half-days in the horizon")
        return Activation(
            f"{len(slots)} rotation half-days", penalty=sum(1 - vars.slot_lit(k) for k in slots)
        )

    def violations(self, schedule: Schedule) -> list[Violation]:
        return [
            self.violation(f"not on {k.activity_id} {k.session}", k.person_id, k.day)
            for r in schedule.problem.residents
            for k in rotation_slots(schedule.problem, r)
            if not schedule.has_slot(k)
        ]

    def micro_problem(self) -> Problem:
        # The request (1 x 3) asks for Monday morning off; a missed rotation half-day costs 5.
        return ex.week(
            residents=(ex.resident("r1", rotation_id="elective"),),
            activities=(ex.elective(rotation_only=True),),
            requests=(Request("r1", ex.MONDAY, None, Session.AM, wanted=False),),
        )


def clinic_targets(problem: Problem) -> list[tuple[Resident, tuple[SlotKey, ...], int]]:
    """(resident, the week's possible clinic half-days, target) for each full week."""
    targets = []
    for resident in problem.residents:
        clinic = problem.activity(resident.clinic_id or "")
        wanted = problem.policy.clinic_halfdays_per_week.get(resident.pgy, 0)
        if clinic is None or wanted == 0:
            continue
        for days in (c for c in chunks(problem, 7) if len(c) == 7):
            slots = tuple(
                SlotKey(resident.id, d, s, clinic.id)
                for d in days
                for s in SESSIONS
                if shift_for(clinic.pattern, d, s) and not problem.blocked(resident.id, d)
            )
            targets.append((resident, slots, min(wanted, len(slots))))
    return targets


class ContinuityClinic(Constraint):
    name = "ContinuityClinic"
    hard = False
    weight = 4
    reason = "Each resident keeps their weekly continuity-clinic half-days (per PGY, policy)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        terms: list[Any] = []
        for resident, slots, target in clinic_targets(problem):
            short = model.new_int(
                0, target, f"clinic_short[{resident.id},{slots[0].day if slots else ''}]"
            )
            model.cp.add(short >= target - sum(vars.slot_lit(k) for k in slots))
            terms.append(short)
        if not terms:
            return Activation.inactive("no resident has a continuity clinic and a weekly target")
        return Activation(f"{len(terms)} resident-weeks with a clinic target", penalty=sum(terms))

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for resident, slots, target in clinic_targets(schedule.problem):
            short = target - sum(schedule.has_slot(k) for k in slots)
            if short > 0:
                day = slots[0].day if slots else None
                found.append(
                    self.violation(f"{short} clinic half-days short", resident.id, day, short)
                )
        return found

    def micro_problem(self) -> Problem:
        # r1 (PGY-1, target 1 a week) would rather have the only clinic morning off (cost 3 < 4).
        return ex.week(
            residents=(ex.resident("r1", pgy=1, clinic_id="clinic"),),
            activities=(ex.clinic(weekdays=(0,)),),
            requests=(Request("r1", ex.MONDAY, None, Session.AM, wanted=False),),
        )


def equity_groups(problem: Problem) -> list[list[Resident]]:
    groups: dict[str, list[Resident]] = defaultdict(list)
    for resident in problem.residents:
        if resident.rotation_id is not None:
            groups[resident.rotation_id].append(resident)
    return [g for g in groups.values() if len(g) > 1]


def whole_hours(minutes: int) -> int:
    return (minutes + 30) // 60


class WorkloadEquity(Constraint):
    name = "WorkloadEquity"
    hard = False
    weight = 1
    reason = "Residents on the same rotation work similar hours (per hour of max-min spread)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        terms: list[Any] = []
        for group in equity_groups(problem):
            hours = [self._hours(vars, r.id) for r in group]
            top = sum(whole_hours(i.minutes) for r in group for i, _ in vars.items_of(r.id))
            high, low = model.new_int(0, top, "hours_high"), model.new_int(0, top, "hours_low")
            for expr in hours:
                model.cp.add(high >= expr)
                model.cp.add(low <= expr)
            terms.append(high - low)
        if not terms:
            return Activation.inactive("no rotation has two or more residents")
        return Activation(f"{len(terms)} rotation groups", penalty=sum(terms))

    @staticmethod
    def _hours(vars: ModelVars, person_id: str) -> Any:
        return sum(
            whole_hours(item.minutes) * lit
            for item, lit in vars.items_of(person_id)
            if item.key is not None and item.is_work
        )

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for group in equity_groups(schedule.problem):
            hours = {
                r.id: sum(
                    whole_hours(i.minutes) for i in schedule.items(r.id) if i.key and i.is_work
                )
                for r in group
            }
            spread = max(hours.values()) - min(hours.values())
            if spread:
                found.append(self.violation(f"hours {hours}", amount=spread))
        return found

    def micro_problem(self) -> Problem:
        # One elective resident per half-day; r1 asks for both Monday half-days (3 each);
        # giving both to r1 leaves an 8-hour spread.
        return ex.week(
            residents=(
                ex.resident("r1", rotation_id="elective"),
                ex.resident("r2", rotation_id="elective"),
            ),
            activities=(
                ex.elective(weekdays=(0,), rotation_only=True, min_residents=1, max_residents=1),
            ),
            requests=(
                Request("r1", ex.MONDAY, "elective", Session.AM),
                Request("r1", ex.MONDAY, "elective", Session.PM),
            ),
        )
