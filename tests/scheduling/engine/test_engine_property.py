"""Random small programs: every schedule the engine returns breaks no hard rule."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.problem import Absence, Problem, Request
from residency.scheduling.engine.results import SolveParams
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
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_programs())
def test_every_schedule_breaks_no_hard_rule(problem):
    solution = solve(problem, PARAMS)

    assert solution.status in ("OPTIMAL", "FEASIBLE", "INFEASIBLE")
    if solution.has_schedule:
        schedule = solution.schedule(problem)
        assert {
            c.name: c.violations(schedule) for c in REGISTRY if c.hard and c.violations(schedule)
        } == {}
    else:
        assert solution.conflicting
