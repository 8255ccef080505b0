"""Random small programs: every plan the engine returns breaks no hard rule, and a program
without a plan gets an explanation."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_annual_solve import away

from residency.scheduling.engine.annual import (
    AnnualProblem,
    CurriculumRequirement,
    PlanEntry,
    PlanPolicy,
    PlanRequest,
    StaffingRule,
    solve_annual,
)
from residency.scheduling.engine.annual import examples as ex
from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY
from residency.scheduling.engine.results import SolveParams

ROTATIONS = ("CLIN", "WARD", "NF", "LV")
PARAMS = SolveParams(time_limit_s=3, workers=1, seed=1)


@st.composite
def small_programs(draw: st.DrawFn) -> AnnualProblem:
    count, blocks = draw(st.integers(2, 4)), draw(st.integers(1, 3))
    residents = tuple(ex.resident(f"r{i}", draw(st.integers(1, 3))) for i in range(count))
    who, block = st.integers(0, count - 1), st.integers(1, blocks)
    absences = draw(
        st.lists(st.tuples(who, block, st.integers(1, 2), st.integers(1, 14)), max_size=2)
    )
    locks = draw(
        st.lists(
            st.tuples(who, block, st.integers(0, 2), st.sampled_from(ROTATIONS[:3])), max_size=2
        )
    )
    wishes = draw(
        st.lists(st.tuples(who, block, st.sampled_from(ROTATIONS), st.booleans()), max_size=3)
    )
    return ex.year(
        blocks,
        residents=residents,
        rotations=(
            ex.clinic(),
            ex.wards(min_per_block=draw(st.integers(0, 1))),
            ex.nights(),
            ex.leave(),
        ),
        curriculum=(CurriculumRequirement(1, "WARD", 0, draw(st.sampled_from((0.5, 1, 2)))),),
        staffing=(StaffingRule("WARD", 2, 3, draw(st.integers(0, 1))),)
        if draw(st.booleans())
        else (),
        absences=tuple(away(residents[r].id, b, h, d) for r, b, h, d in absences),
        locked=tuple(PlanEntry(residents[r].id, b, h, rot) for r, b, h, rot in set(locks)),
        requests=tuple(PlanRequest(residents[r].id, b, rot, w) for r, b, rot, w in wishes),
        policy=PlanPolicy(leave_rotation_id="LV"),
    )


@settings(
    max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(small_programs())
def test_every_plan_breaks_no_hard_rule(problem):
    solution = solve_annual(problem, PARAMS)

    assert solution.status in ("OPTIMAL", "FEASIBLE", "INFEASIBLE")
    if solution.has_plan:
        plan = solution.plan(problem)
        hard = [c for c in ANNUAL_REGISTRY if c.hard]
        assert {c.name: c.violations(plan) for c in hard if c.violations(plan)} == {}
        soft = {c.name: c.cost(plan) for c in ANNUAL_REGISTRY if not c.hard}
        assert solution.penalties == {
            n: cost for n, cost in soft.items() if n in solution.penalties
        }
    else:
        assert solution.conflicting
