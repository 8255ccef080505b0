"""An engine schedule as the checker's duty periods (residents only), through the same duty
patterns the checker expands for a stored schedule."""

from __future__ import annotations

from residency.compliance.duty import LeaveDay, ScheduledActivity, ScheduledCall, duty_periods
from residency.compliance.rules.base import DutyPeriod
from residency.scheduling.engine.items import CallKey, call_item
from residency.scheduling.engine.problem import Assignment, Problem
from residency.scheduling.engine.results import Schedule


def schedule_duty(problem: Problem, schedule: Schedule) -> list[DutyPeriod]:
    return duty_periods(*compliance_input(problem, schedule))


def compliance_input(
    problem: Problem, schedule: Schedule
) -> tuple[list[ScheduledActivity], list[ScheduledCall], list[LeaveDay]]:
    pgy = {r.id: r.pgy for r in problem.residents}
    activities = [
        ScheduledActivity(a.person_id, pgy[a.person_id], a.day, a.session, _pattern(problem, a))
        for a in schedule.assignments
        if a.person_id in pgy
    ]
    calls = []
    for c in schedule.call_assignments:
        item = call_item(problem, CallKey(c.person_id, c.day, c.service_id))
        if c.person_id in pgy and item is not None:
            calls.append(
                ScheduledCall(c.person_id, pgy[c.person_id], c.day, item.start, item.end, item.duty)
            )
    leave = [
        LeaveDay(r.id, r.pgy, day) for r in problem.residents for day in problem.leave_days(r.id)
    ]
    return activities, calls, leave


def _pattern(problem: Problem, assignment: Assignment):
    activity = problem.activity(assignment.activity_id)
    assert activity is not None
    return activity.pattern
