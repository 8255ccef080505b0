"""Soft call rules: fair shares of Sunday and weekday calls, spacing, call-day preferences."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation
from residency.scheduling.engine.items import CallKey
from residency.scheduling.engine.model import ModelVars, RuleModel
from residency.scheduling.engine.problem import (
    CallDayPreference,
    CallService,
    Problem,
    Request,
)
from residency.scheduling.engine.results import Schedule

SUNDAY = 6
MON_TO_THU = frozenset({0, 1, 2, 3})


def pool(problem: Problem, service: CallService, days: list[date]) -> list[str]:
    """People who share the service's calls on `days`: not absent on all of them."""
    from residency.scheduling.engine.constraints.slots import resident_may_take

    if service.staff == "faculty":
        people = [f.id for f in problem.faculty]
    else:
        people = [r.id for r in problem.residents if resident_may_take(r, service)]
    return [p for p in people if any(not problem.blocked(p, d) for d in days)]


class _CallEquity(Constraint):
    """Spread (most minus fewest) of a service's calls on selected weekdays, per service."""

    hard = False

    @abstractmethod
    def counts_day(self, day: date) -> bool: ...

    def _groups(self, problem: Problem) -> list[tuple[CallService, list[date], list[str]]]:
        groups = []
        for service in problem.call_services:
            days = [
                d
                for d in problem.days
                if self.counts_day(d) and service.pattern.shifts_on(d.weekday())
            ]
            people = pool(problem, service, days)
            if days and len(people) > 1:
                groups.append((service, days, people))
        return groups

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        terms: list[Any] = []
        for service, days, people in self._groups(problem):
            high = model.new_int(0, len(days), f"{self.name}_high[{service.id}]")
            low = model.new_int(0, len(days), f"{self.name}_low[{service.id}]")
            for person in people:
                count = sum(vars.call.get(CallKey(person, d, service.id), 0) for d in days)
                model.cp.add(high >= count)
                model.cp.add(low <= count)
            terms.append(high - low)
        if not terms:
            return Activation.inactive("no such call nights shared by two or more people")
        return Activation(f"{len(terms)} call services", penalty=sum(terms))

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for service, days, people in self._groups(schedule.problem):
            counts = {p: sum(p in schedule.on_call(service.id, d) for d in days) for p in people}
            spread = max(counts.values()) - min(counts.values())
            if spread:
                found.append(self.violation(f"{service.id} calls {counts}", amount=spread))
        return found


def fair_share_problem(weekday: int) -> Problem:
    """r1 asks for both calls on `weekday` in a fortnight (3 each); equity splits them."""
    first = ex.MONDAY + timedelta(days=weekday)
    return ex.week(
        days=14,
        residents=(ex.resident("r1"), ex.resident("r2")),
        call_services=(ex.call(weekdays=(weekday,)),),
        requests=(
            Request("r1", first, "call"),
            Request("r1", first + timedelta(days=7), "call"),
        ),
    )


class SundayCallEquity(_CallEquity):
    name = "SundayCallEquity"
    weight = 10
    reason = "Sunday calls are shared evenly (per call of max-min spread)."

    def counts_day(self, day: date) -> bool:
        return day.weekday() == SUNDAY

    def micro_problem(self) -> Problem:
        return fair_share_problem(SUNDAY)


class WeekdayCallEquity(_CallEquity):
    name = "WeekdayCallEquity"
    weight = 5
    reason = "Monday-to-Thursday calls are shared evenly (per call of max-min spread)."

    def counts_day(self, day: date) -> bool:
        return day.weekday() in MON_TO_THU

    def micro_problem(self) -> Problem:
        return fair_share_problem(0)


def close_pairs(days: list[date]) -> list[tuple[date, date, int]]:
    """(first, second, penalty units): 2 when under 5 days apart, 1 when 5 or 6 days apart."""
    return [
        (a, b, 2 if (b - a).days < 5 else 1) for a in days for b in days if 0 < (b - a).days < 7
    ]


class CallSpacing(Constraint):
    name = "CallSpacing"
    hard = False
    weight = 8
    reason = "At least 5 days between a person's calls, 7 preferred."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        by_person: dict[str, dict[date, list[Any]]] = {}
        for key, lit in vars.call.items():
            by_person.setdefault(key.person_id, {}).setdefault(key.day, []).append(lit)
        terms: list[Any] = []
        for person, nights in by_person.items():
            for first, second, units in close_pairs(sorted(nights)):
                both = model.new_bool(f"close_calls[{person},{first},{second}]")
                model.cp.add(both >= sum(nights[first]) + sum(nights[second]) - 1)
                terms.append(units * both)
        if not terms:
            return Activation.inactive("no one can take two calls within a week")
        return Activation(f"{len(terms)} pairs of close calls watched", penalty=sum(terms))

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        for person in schedule.problem.person_ids:
            days = sorted({c.day for c in schedule.call_assignments if c.person_id == person})
            for first, second, units in close_pairs(days):
                found.append(self.violation(f"calls {first} and {second}", person, second, units))
        return found

    def micro_problem(self) -> Problem:
        # Calls on Friday and Monday; r1 asks for both (3 each), 3 days apart costs 2 x 8.
        monday = ex.FRIDAY + timedelta(days=3)
        return ex.week(
            start=ex.FRIDAY,
            residents=(ex.resident("r1"), ex.resident("r2")),
            call_services=(ex.call(weekdays=(4, 0)),),
            requests=(Request("r1", ex.FRIDAY, "call"), Request("r1", monday, "call")),
        )


def preference_cost(prefs: list[CallDayPreference]) -> Callable[[date], int]:
    avoided = {p.weekday: p.weight for p in prefs if not p.wanted}
    wanted = {p.weekday: p.weight for p in prefs if p.wanted}

    def cost(day: date) -> int:
        outside_wanted = max(wanted.values()) if wanted and day.weekday() not in wanted else 0
        return avoided.get(day.weekday(), 0) + outside_wanted

    return cost


class TuesdayCallPreference(Constraint):
    name = "TuesdayCallPreference"
    hard = False
    weight = 2
    reason = "Per-person call-day preferences (e.g. no Tuesday call on an academic day): each "
    reason += "call on an avoided weekday, or outside the wanted ones, costs its weight."

    def _costs(self, problem: Problem) -> dict[str, Callable[[date], int]]:
        people = {p.person_id for p in problem.call_day_preferences}
        return {
            person: preference_cost(
                [p for p in problem.call_day_preferences if p.person_id == person]
            )
            for person in people
        }

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        costs = self._costs(problem)
        if not costs:
            return Activation.inactive("no call-day preferences")
        terms = [
            costs[k.person_id](k.day) * lit for k, lit in vars.call.items() if k.person_id in costs
        ]
        return Activation(f"{len(costs)} people with call-day preferences", penalty=sum(terms))

    def violations(self, schedule: Schedule) -> list[Violation]:
        costs = self._costs(schedule.problem)
        return [
            self.violation(f"call on {c.day:%A}", c.person_id, c.day, costs[c.person_id](c.day))
            for c in schedule.call_assignments
            if c.person_id in costs and costs[c.person_id](c.day) > 0
        ]

    def micro_problem(self) -> Problem:
        # r1 avoids Tuesday call (weight 2 x 2 = 4); r2 asks not to take it (3).
        tuesday = ex.MONDAY + timedelta(days=1)
        return ex.week(
            residents=(ex.resident("r1"), ex.resident("r2")),
            call_services=(ex.call(weekdays=(1,)),),
            call_day_preferences=(CallDayPreference("r1", 1, wanted=False, weight=2),),
            requests=(Request("r2", tuesday, "call", wanted=False),),
        )
