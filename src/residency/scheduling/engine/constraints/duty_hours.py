"""ACGME limits averaged over a period: 80 hours a week and one day off in seven."""

from __future__ import annotations

from datetime import date
from typing import Any

from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation, added
from residency.scheduling.engine.items import (
    Item,
    averaging_periods,
    day_bounds,
    eligible_days,
)
from residency.scheduling.engine.model import ModelVars, RuleModel, is_variable
from residency.scheduling.engine.problem import ActivityKind, Problem
from residency.scheduling.engine.results import Schedule

WEEKLY_LIMIT_MINUTES = 80 * 60


def worked_minutes(item: Item, period: tuple[date, ...]) -> int:
    lo, hi = day_bounds(period[0])[0], day_bounds(period[-1])[1]
    return item.minutes_within(lo, hi) if item.is_work else 0


class EightyHourAverage(Constraint):
    name = "EightyHourAverage"
    hard = True
    reason = "ACGME VI.F.1: at most 80 hours a week, averaged over the block (leave days removed)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for resident in problem.residents:
            for period in averaging_periods(problem):
                days = eligible_days(problem, resident.id, period)
                terms = [(worked_minutes(i, period), lit) for i, lit in vars.items_of(resident.id)]
                minutes = sum(m * lit for m, lit in terms if m)
                fixed = sum(m for m, lit in terms if m and not is_variable(lit))
                if days and 7 * fixed > WEEKLY_LIMIT_MINUTES * len(days):
                    model.already_broken()  # by fixed duty alone: nothing left to decide
                elif days and any(is_variable(lit) for m, lit in terms if m):
                    # 7 * minutes <= 80 h * eligible days: the weekly average without fractions.
                    model.require(7 * minutes <= WEEKLY_LIMIT_MINUTES * len(days))
        return added(model, "resident-periods with an hour budget", "no resident can work")

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        problem = schedule.problem
        for resident in problem.residents:
            for period in averaging_periods(problem):
                days = eligible_days(problem, resident.id, period)
                minutes = sum(worked_minutes(i, period) for i in schedule.items(resident.id))
                if days and 7 * minutes > WEEKLY_LIMIT_MINUTES * len(days):
                    hours = minutes / 60 * 7 / len(days)
                    found.append(
                        self.violation(
                            f"{hours:.1f} h/week", resident.id, period[0], last_day=period[-1]
                        )
                    )
        return found

    def micro_problem(self) -> Problem:
        # A 14-hour service every day: even with a day off, six days make 84 hours.
        service = ex.wards(pm_end="21:00", kind=ActivityKind.ELECTIVE)
        return ex.week(residents=(ex.resident("r1", rotation_id="wards"),), activities=(service,))


def free_days_needed(days: list[date]) -> int:
    return -(-len(days) // 7)  # ceil: 7 * days off >= eligible days


class OneDayOffInSeven(Constraint):
    name = "OneDayOffInSeven"
    hard = True
    reason = "ACGME VI.F.2.c: one day in seven free of all duty, averaged over the block; a day "
    reason += "off here is a whole calendar day (stricter than any 24 free hours)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for resident in problem.residents:
            for period in averaging_periods(problem):
                days = eligible_days(problem, resident.id, period)
                free = [self._free(model, vars, resident.id, d) for d in days]
                if sum(1 for f in free if is_variable(f) or f == 1) < free_days_needed(days):
                    model.already_broken()  # fixed duty leaves too few days that could be off
                elif days and any(is_variable(f) for f in free):
                    model.require(sum(free) >= free_days_needed(days))
        return added(model, "resident-periods needing days off", "no resident can work")

    @staticmethod
    def _free(model: RuleModel, vars: ModelVars, person_id: str, day: date) -> Any:
        lits = vars.lits_overlapping_day(person_id, day)
        if any(not is_variable(lit) and lit == 1 for lit in lits):
            return 0
        if not lits:
            return 1
        free = model.new_bool(f"day_off[{person_id},{day}]")
        for lit in lits:
            model.cp.add_implication(lit, free.Not())
        return free

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        problem = schedule.problem
        for resident in problem.residents:
            items = schedule.items(resident.id)
            for period in averaging_periods(problem):
                days = eligible_days(problem, resident.id, period)
                free = [d for d in days if not any(i.overlaps(*day_bounds(d)) for i in items)]
                if days and len(free) < free_days_needed(days):
                    detail = f"{len(free)} days off in {len(days)} eligible days"
                    found.append(
                        self.violation(detail, resident.id, period[0], last_day=period[-1])
                    )
        return found

    def micro_problem(self) -> Problem:
        service = ex.elective(weekdays=ex.EVERY_DAY, rotation_only=True)
        return ex.week(
            residents=(ex.resident("r1", rotation_id="elective"),), activities=(service,)
        )
