"""In-house call: every call night covered, and no more often than every third night."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from residency.rotations.duty_pattern import DutyKind
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation, added
from residency.scheduling.engine.items import Item, averaging_periods, call_shift, eligible_days
from residency.scheduling.engine.model import ModelVars, RuleModel, is_variable
from residency.scheduling.engine.problem import CallService, Problem, Request
from residency.scheduling.engine.results import Schedule


def call_nights(problem: Problem) -> Iterator[tuple[CallService, date]]:
    for service in problem.call_services:
        for day in problem.days:
            if call_shift(service.pattern, day) is not None:
                yield service, day


class NightCallCoverage(Constraint):
    name = "NightCallCoverage"
    hard = True
    reason = "Every call night has exactly its number of people on call (program coverage)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for service, day in call_nights(problem):
            on_call = [
                lit
                for key, lit in vars.call.items()
                if key.service_id == service.id and key.day == day
            ]
            model.require(sum(on_call) == service.per_night)
        return added(model, "call nights to cover", "no call service in the horizon")

    def violations(self, schedule: Schedule) -> list[Violation]:
        return [
            self.violation(
                f"{service.id}: {len(people)} on call, needs {service.per_night}", day=day
            )
            for service, day in call_nights(schedule.problem)
            if len(people := schedule.on_call(service.id, day)) != service.per_night
        ]

    def micro_problem(self) -> Problem:
        return ex.week(
            residents=(ex.resident("r1"),),
            call_services=(ex.call(weekdays=(0,)),),
            requests=(Request("r1", ex.MONDAY, "call", wanted=False),),
        )


def calls_in(items: list[Item], period: tuple[date, ...]) -> list[Item]:
    return [i for i in items if i.duty == DutyKind.IN_HOUSE_CALL and i.start.date() in period]


class CallFrequency(Constraint):
    name = "CallFrequency"
    hard = True
    reason = "ACGME VI.F.7: in-house call no more often than every third night, averaged over "
    reason += "the block (3 x calls <= eligible days)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        for resident in problem.residents:
            items = vars.items_of(resident.id)
            for period in averaging_periods(problem):
                days = set(eligible_days(problem, resident.id, period))
                calls = [
                    lit
                    for item, lit in items
                    if item.duty == DutyKind.IN_HOUSE_CALL and item.start.date() in days
                ]
                fixed = sum(1 for lit in calls if not is_variable(lit))
                if 3 * fixed > len(days):
                    model.already_broken()  # by fixed calls alone
                elif any(is_variable(lit) for lit in calls) and 3 * len(calls) > len(days):
                    model.require(3 * sum(calls) <= len(days))
        return added(model, "call budgets", "no resident could reach one call in three nights")

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for resident in schedule.problem.residents:
            for period in averaging_periods(schedule.problem):
                days = eligible_days(schedule.problem, resident.id, period)
                calls = calls_in(schedule.items(resident.id), tuple(days))
                if 3 * len(calls) > len(days):
                    detail = f"{len(calls)} calls in {len(days)} eligible days"
                    found.append(
                        self.violation(detail, resident.id, period[0], last_day=period[-1])
                    )
        return found

    def micro_problem(self) -> Problem:
        # r1 badly wants both calls (weight 10 each): two calls in five days break q3.
        wednesday = ex.MONDAY + timedelta(days=2)
        return ex.week(
            days=5,
            residents=(ex.resident("r1"), ex.resident("r2")),
            call_services=(ex.call(weekdays=(0, 2)),),
            requests=(
                Request("r1", ex.MONDAY, "call", weight=10),
                Request("r1", wednesday, "call", weight=10),
            ),
        )
