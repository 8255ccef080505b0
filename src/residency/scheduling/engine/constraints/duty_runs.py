"""Rules about continuous duty and the rest after it, seen on each resident's timeline
(boundary duty from before the block included)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from residency.calendar.academic_year import days as calendar_days
from residency.rotations.duty_pattern import DutyKind, Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation, added
from residency.scheduling.engine.items import Item
from residency.scheduling.engine.model import ModelVars, RuleModel, non_transition_work, work
from residency.scheduling.engine.problem import ActivityKind, Lock, Problem, Request
from residency.scheduling.engine.results import Schedule
from residency.scheduling.engine.timeline import run_span, runs

RUN_LIMITS = ((work, 28, "work"), (non_transition_work, 24, "duty"))


class TwentyFourPlusFour(Constraint):
    name = "TwentyFourPlusFour"
    hard = True
    reason = "ACGME VI.F.3.a: continuous duty at most 24 h, plus up to 4 h of transition."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for resident in problem.residents:
            for counts, hours, tag in RUN_LIMITS:
                self._limit_runs(model, vars, resident.id, counts, hours, tag)
        return added(model, "over-long duty windows ruled out", "no run can exceed 24 hours")

    @staticmethod
    def _limit_runs(
        model: RuleModel,
        vars: ModelVars,
        person_id: str,
        counts: Callable[[Item], bool],
        hours: int,
        tag: str,
    ) -> None:
        """Every shortest stretch of consecutive segments longer than the limit must not be
        busy throughout (a busy stretch is a continuous run)."""
        segments = vars.timelines[person_id].segments
        for first in range(len(segments)):
            minutes, busy = 0, []
            for index in range(first, len(segments)):
                lit = vars.busy(person_id, index, counts, tag)
                if isinstance(lit, int) and lit == 0:
                    break
                busy.append(lit)
                minutes += segments[index].minutes
                if minutes > hours * 60:
                    model.forbid_together(busy)
                    break

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for resident in schedule.problem.residents:
            items = schedule.items(resident.id)
            for counts, hours, _ in RUN_LIMITS:
                for run in runs([i for i in items if counts(i)]):
                    start, end = run_span(run)
                    if end - start > timedelta(hours=hours) and any(i.key for i in run):
                        detail = f"run {start:%a %H:%M} to {end:%a %H:%M} > {hours} h"
                        found.append(
                            self.violation(detail, resident.id, start.date(), last_day=end.date())
                        )
        return found

    def micro_problem(self) -> Problem:
        # A 07:00-12:00 + 12:00-07:00 service day, then the next morning: a 29-hour run.
        service = ex.wards(weekdays=(0, 1), pm_end="07:00", kind=ActivityKind.ELECTIVE)
        return ex.week(residents=(ex.resident("r1", rotation_id="wards"),), activities=(service,))


def rest_violations(
    rule: Constraint, schedule: Schedule, ends_duty: Callable[[Item], bool], rest_hours: int
) -> list[Violation]:
    found = []
    for resident in schedule.problem.residents:
        items = schedule.items(resident.id)
        for before in (i for i in items if ends_duty(i)):
            rest_end = before.end + timedelta(hours=rest_hours)
            for after in items:
                if after.is_work and after is not before and after.overlaps(before.end, rest_end):
                    detail = f"{after.key} within {rest_hours} h of duty ending {before.end}"
                    found.append(
                        rule.violation(
                            detail, resident.id, before.end.date(), last_day=after.start.date()
                        )
                    )
    return found


def require_rest(
    model: RuleModel,
    vars: ModelVars,
    problem: Problem,
    ends_duty: Callable[[Item], bool],
    rest_hours: int,
) -> None:
    """No work segment may start in the rest window after a duty that needs rest."""
    for resident in problem.residents:
        timeline = vars.timelines[resident.id]
        for item, lit in vars.items_of(resident.id):
            if not ends_duty(item):
                continue
            rest_end = item.end + timedelta(hours=rest_hours)
            for index, segment in enumerate(timeline.segments):
                if item.end <= segment.start < rest_end:
                    busy = vars.busy(resident.id, index, work, "work")
                    model.forbid_together([lit, busy])


def is_in_house_call(item: Item) -> bool:
    return item.duty == DutyKind.IN_HOUSE_CALL


class RestAfterCall(Constraint):
    name = "RestAfterCall"
    hard = True
    reason = "ACGME VI.F.2.b: 14 h free after 24 h of in-house call; the program gives the 14 h "
    reason += "after every in-house call (the post-call day), which is stricter."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        require_rest(model, vars, problem, is_in_house_call, 14)
        return added(model, "post-call rest clauses", "no in-house call in the horizon")

    def violations(self, schedule: Schedule) -> list[Violation]:
        return rest_violations(self, schedule, is_in_house_call, 14)

    def micro_problem(self) -> Problem:
        tuesday = ex.MONDAY + timedelta(days=1)
        return ex.week(
            residents=(ex.resident("r1"),),
            activities=(ex.elective(),),
            call_services=(ex.call(weekdays=(0,)),),
            requests=(Request("r1", tuesday, "elective", Session.AM),),
        )


def is_night_float(item: Item) -> bool:
    return item.night_float


class NightFloatPostCall(Constraint):
    name = "NightFloatPostCall"
    hard = True
    reason = "After a night-float night no daytime work until the next night "
    reason += "(post_night_rest_hours, 12 by default; program policy)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        require_rest(model, vars, problem, is_night_float, problem.policy.post_night_rest_hours)
        return added(model, "post-night rest clauses", "no night-float night in the horizon")

    def violations(self, schedule: Schedule) -> list[Violation]:
        hours = schedule.problem.policy.post_night_rest_hours
        return rest_violations(self, schedule, is_night_float, hours)

    def micro_problem(self) -> Problem:
        tuesday = ex.MONDAY + timedelta(days=1)
        return ex.week(
            residents=(ex.resident("r1", rotation_id="nights"),),
            activities=(ex.night_float(weekdays=(0,)), ex.elective()),
            locks=(Lock("r1", ex.MONDAY, "nights", Session.PM),),
            requests=(Request("r1", tuesday, "elective", Session.AM),),
        )


def night_days(items: list[Item]) -> set[date]:
    return {i.start.date() for i in items if i.night_float and i.overnight}


class MaxConsecutiveNights(Constraint):
    name = "MaxConsecutiveNights"
    hard = True
    reason = "At most 6 consecutive night-float nights, counting nights before the block "
    reason += "(Review Committee practice; max_consecutive_nights)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        limit = problem.policy.max_consecutive_nights
        first = problem.start - timedelta(days=limit)
        days = list(calendar_days(first, problem.end))
        for resident in problem.residents:
            nights = {d: self._night(model, vars, resident.id, d) for d in days}
            for start in range(len(days) - limit):
                window = [nights[d] for d in days[start : start + limit + 1]]
                if any(not isinstance(n, int) for n in window):
                    model.forbid_together(window)
        idle = f"no one can work more than {limit} night-float nights in a row"
        return added(model, "night windows", idle)

    @staticmethod
    def _night(model: RuleModel, vars: ModelVars, person_id: str, day: date) -> object:
        lits = [
            lit
            for item, lit in vars.items_of(person_id)
            if item.night_float and item.overnight and item.start.date() == day
        ]
        if not lits or any(isinstance(lit, int) for lit in lits):
            return 1 if lits else 0
        night = model.new_bool(f"night[{person_id},{day}]")
        for lit in lits:
            model.cp.add_implication(lit, night)
        return night

    def violations(self, schedule: Schedule) -> list[Violation]:
        limit = schedule.problem.policy.max_consecutive_nights
        found = []
        for resident in schedule.problem.residents:
            nights = night_days(schedule.items(resident.id))
            for day in schedule.problem.days:
                streak = [day - timedelta(days=i) for i in range(limit + 1)]
                if all(d in nights for d in streak):
                    found.append(
                        self.violation(
                            f"{limit + 1} nights in a row", resident.id, streak[-1], last_day=day
                        )
                    )
        return found

    def micro_problem(self) -> Problem:
        # Three nights before the block, then night float Monday to Thursday: seven in a row.
        before = tuple(ex.night_before("r1", ex.MONDAY - timedelta(days=n)) for n in (1, 2, 3))
        return ex.week(
            residents=(ex.resident("r1", rotation_id="nights"),),
            activities=(ex.night_float(weekdays=(0, 1, 2, 3)),),
            boundary=before,
        )
