"""Random small programs: every schedule the engine returns breaks no hard rule, and the engine
and the checker see the same short gaps between duty periods (whatever the program's break)."""

from __future__ import annotations

from datetime import date, timedelta

from engine_duty import schedule_duty
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from residency.compliance.validator import CheckOptions, check_duty
from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.registry import REGISTRY, by_name
from residency.scheduling.engine.problem import Absence, Policy, Problem, Request
from residency.scheduling.engine.results import Schedule, SolveParams
from residency.scheduling.engine.solve import solve

ROTATIONS = ("wards", "nights", "elective")
PARAMS = SolveParams(time_limit_s=3, workers=1, seed=1)


@st.composite
def small_programs(draw: st.DrawFn) -> Problem:
    count = draw(st.integers(2, 4))
    residents = tuple(
        ex.resident(f"r{i}", draw(st.integers(1, 3)), rotation_id=draw(st.sampled_from(ROTATIONS)))
        for i in range(count)
    )
    days = draw(st.integers(3, 10))
    absent = draw(
        st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, days - 1)), max_size=2)
    )
    wanted = draw(
        st.lists(
            st.tuples(st.integers(0, count - 1), st.integers(0, days - 1), st.booleans()),
            max_size=4,
        )
    )
    return ex.week(
        days=days,
        residents=residents,
        faculty=(ex.faculty("f1"),),
        activities=(
            ex.wards(min_residents=0),
            ex.night_float(),
            ex.elective(),
            ex.clinic(supervised=True),
        ),
        call_services=(ex.call(weekdays=(4, 5)),),
        absences=tuple(
            Absence(residents[r].id, ex.MONDAY + timedelta(d), ex.MONDAY + timedelta(d))
            for r, d in absent
        ),
        requests=tuple(
            Request(residents[r].id, ex.MONDAY + timedelta(d), "clinic", Session.AM, w)
            for r, d, w in wanted
        ),
        policy=Policy(continuous_break_minutes=draw(st.sampled_from([0, 60, 120]))),
    )


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_programs())
def test_every_schedule_breaks_no_hard_rule(problem):
    solution = solve(problem, PARAMS)

    assert solution.status in ("OPTIMAL", "FEASIBLE", "INFEASIBLE")
    if solution.has_schedule:
        schedule = solution.schedule(problem)
        assert {
            c.name: c.violations(schedule) for c in REGISTRY if c.hard and c.violations(schedule)
        } == {}
        assert _engine_gaps(schedule) == _checker_gaps(problem, schedule)
    else:
        assert solution.conflicting


def _engine_gaps(schedule: Schedule) -> list[tuple[str | None, date | None]]:
    return sorted((v.person_id, v.day) for v in by_name("EightHoursOff").violations(schedule))


def _checker_gaps(problem: Problem, schedule: Schedule) -> list[tuple[str | None, date | None]]:
    options = CheckOptions(continuous_break_minutes=problem.policy.continuous_break_minutes)
    result = check_duty(schedule_duty(problem, schedule), options)
    return sorted(
        (f.person_id, f.period_end.date()) for f in result.warnings if f.rule == "ACGME-8H-BETWEEN"
    )
