"""Rules about continuous duty and the rest after it, seen on each resident's timeline
(boundary duty from before the block included)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from residency.calendar.academic_year import days as calendar_days
from residency.rotations.duty_pattern import DutyKind, Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation, added
from residency.scheduling.engine.items import Item
from residency.scheduling.engine.model import (
    Lit,
    ModelVars,
    RuleModel,
    is_off,
    is_variable,
    non_transition_work,
    work,
)
from residency.scheduling.engine.problem import ActivityKind, Lock, Problem, Request
from residency.scheduling.engine.results import Schedule
from residency.scheduling.engine.timeline import break_windows, run_span, runs

RUN_LIMITS = ((work, 28, "work"), (non_transition_work, 24, "duty"))


class TwentyFourPlusFour(Constraint):
    name = "TwentyFourPlusFour"
    hard = True
    reason = "ACGME VI.F.3.a: continuous duty at most 24 h, plus up to 4 h of transition."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for resident in problem.residents:
            for counts, hours, tag in RUN_LIMITS:
                RunLimit(model, vars, resident.id, counts, hours * 60, tag).add()
        return added(model, "over-long duty windows ruled out", "no run can exceed 24 hours")

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for resident in schedule.problem.residents:
            items = schedule.items(resident.id)
            for counts, hours, _ in RUN_LIMITS:
                joins = schedule.problem.policy.continuous_break_minutes
                for run in runs([i for i in items if counts(i)], joins):
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


@dataclass
class RunLimit:
    """No run of one person may span a shortest stretch of segments longer than the limit: its
    first and last segments busy and no free window longer than the program's break inside.
    A break counts toward the length, so the 24 h limit is a little stricter here than in the
    checker, which counts a break toward the 28 h only."""

    model: RuleModel
    vars: ModelVars
    person_id: str
    counts: Callable[[Item], bool]
    limit_minutes: int
    tag: str

    def add(self) -> None:
        self.segments = self.vars.timelines[self.person_id].segments
        self.allowed_break = self.vars.problem.policy.continuous_break_minutes
        self.windows = break_windows(self.segments, self.allowed_break)
        for first in range(len(self.segments)):
            start = self._busy(first)
            if is_off(start):
                continue
            if self.segments[first].minutes > self.limit_minutes:
                self.model.forbid(start)
            else:
                self._from(first, start)

    def _from(self, first: int, start: Lit) -> None:
        minutes, inside, tail = self.segments[first].minutes, [], None
        for last in range(first + 1, len(self.segments)):
            starts = self.windows.get(last - 1, ())
            windows = [self._any_busy(f, last - 1) for f in starts if f > first]
            if any(is_off(lit) for lit in windows):
                return  # a real gap: no run from `first` reaches further
            inside += [lit for lit in windows if is_variable(lit)]
            minutes += self.segments[last].minutes
            if minutes <= self.limit_minutes:
                continue
            tail = last if tail is None else tail  # where the stretch first gets too long
            if sum(s.minutes for s in self.segments[tail:last]) > self.allowed_break:
                return  # ending later leaves a free tail longer than a break: a gap
            end = self._busy(last)
            if not is_off(end):
                self.model.forbid_together([start, end, *inside])

    def _busy(self, index: int) -> Lit:
        return self.vars.busy(self.person_id, index, self.counts, self.tag)

    def _any_busy(self, first: int, last: int) -> Lit:
        return self.vars.any_busy(self.person_id, first, last, self.counts, self.tag)


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
