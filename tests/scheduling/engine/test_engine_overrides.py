"""A lock kept with a recorded override reason is an exception no rule rejects, while every
rule still counts it against the rest of the schedule; a plain lock that breaks a rule is a
conflict."""

from __future__ import annotations

from datetime import timedelta

from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.registry import by_name
from residency.scheduling.engine.problem import (
    Absence,
    ActivityKind,
    Assignment,
    CallAssignment,
    Lock,
)
from residency.scheduling.engine.results import SolveParams
from residency.scheduling.engine.solve import solve

PARAMS = SolveParams(time_limit_s=10, workers=1, seed=1)
TUESDAY = ex.MONDAY + timedelta(days=1)
REASON = "stayed for an unstable patient (VI.F.4.b), approved by the PD"


def _away_on_tuesday(lock: Lock):  # type: ignore[no-untyped-def]
    return ex.week(
        residents=(ex.resident("r1"),),
        activities=(ex.elective(),),
        absences=(Absence("r1", TUESDAY, TUESDAY, "tdy"),),
        locks=(lock,),
    )


def test_a_plain_lock_during_an_absence_is_a_conflict() -> None:
    solution = solve(_away_on_tuesday(Lock("r1", TUESDAY, "elective", Session.AM)), PARAMS)
    assert solution.status == "INFEASIBLE"
    assert set(solution.conflicting) == {"Availability", "LockedAssignments"}


def test_an_override_lock_during_an_absence_is_kept_and_nothing_else_is_scheduled_then() -> None:
    lock = Lock("r1", TUESDAY, "elective", Session.AM, override_reason=REASON)
    problem = _away_on_tuesday(lock)
    solution = solve(problem, PARAMS)
    assert solution.has_schedule
    tuesday = [a for a in solution.assignments if a.day == TUESDAY]
    assert tuesday == [Assignment("r1", TUESDAY, Session.AM, "elective")]
    assert "already broken by fixed duty" in solution.notes["Availability"]
    # The rule's own check still sees the exception; the service excuses it by the reason.
    assert by_name("Availability").violations(solution.schedule(problem))


def test_an_override_counts_against_the_rest_of_the_schedule() -> None:
    """An override call night still earns its post-call rest: the next morning stays free."""
    lock = Lock("r1", ex.MONDAY, "call", override_reason=REASON)
    problem = ex.week(
        residents=(ex.resident("r1", rotation_id="wards"), ex.resident("r2")),
        activities=(ex.wards(kind=ActivityKind.ELECTIVE, rotation_only=True),),
        call_services=(ex.call((0,), eligible_pgys=frozenset({3})),),  # r1 (PGY-2) may not
        locks=(lock,),
    )
    solution = solve(problem, PARAMS)
    assert solution.has_schedule
    assert CallAssignment("r1", ex.MONDAY, "call") in solution.call_assignments
    assert not [a for a in solution.assignments if a.person_id == "r1" and a.day == TUESDAY]
