from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from engine_duty import schedule_duty

from fixtures.sample_block import sample_block
from residency.compliance.validator import check_duty
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.problem import Absence, PreviousSchedule, Problem
from residency.scheduling.engine.results import Schedule, SolveMode, SolveParams
from residency.scheduling.engine.solve import solve
from residency.scheduling.engine.validation import ProblemError

QUICK = SolveParams(time_limit_s=5, workers=1, seed=1)
BLOCK = SolveParams(time_limit_s=20, workers=2, seed=1, mode=SolveMode.FEASIBLE)


def hard_violations(schedule: Schedule) -> dict[str, list[object]]:
    return {c.name: v for c in REGISTRY if c.hard and (v := c.violations(schedule))}


def test_infeasible_problem_names_the_conflicting_rules():
    problem = ex.week(
        residents=(ex.resident("r1", rotation_id="wards"), ex.resident("r2", rotation_id="wards")),
        activities=(ex.wards(weekdays=(0,)),),
        absences=(Absence("r2", ex.MONDAY, ex.MONDAY, "deployment"),),
    )

    solution = solve(problem, QUICK)

    assert solution.status == "INFEASIBLE"
    assert set(solution.conflicting) == {"Availability", "ResidentInpatientHeadcount"}


@pytest.fixture(scope="module")
def block() -> Problem:
    return sample_block()


@pytest.fixture(scope="module")
def block_solution(block):
    return solve(block, BLOCK)


def test_sample_block_has_a_schedule_that_breaks_no_hard_rule(block, block_solution):
    assert block_solution.has_schedule
    assert hard_violations(block_solution.schedule(block)) == {}


def test_sample_block_passes_the_independent_compliance_checker(block, block_solution):
    duty = schedule_duty(block, block_solution.schedule(block))

    result = check_duty(duty)

    assert result.violations == []


def test_a_solve_stopped_by_its_time_limit_reports_its_gap(block):
    # Whether it stops in time is measured by benchmarks/time_limits.py, not asserted here.
    solution = solve(block, SolveParams(time_limit_s=2, workers=2, seed=1))

    assert solution.has_schedule
    assert solution.gap is not None and solution.gap >= 0


def test_repair_keeps_the_published_schedule_except_what_the_new_absence_forces():
    problem = sample_block(residents_per_year=3, faculty=4, days=14)
    # The published schedule: any that keeps the rules (the first found); the repair and the
    # fresh solve it is compared with are optimised.
    first = solve(problem, SolveParams(time_limit_s=4, workers=2, seed=1, mode=SolveMode.FEASIBLE))
    previous = PreviousSchedule(first.assignments, first.call_assignments, first.fmit_weeks)
    person, day = problem.residents[-2].id, problem.start + timedelta(days=3)  # ambulatory
    absent = (*problem.absences, Absence(person, day, day, "sick"))
    changed = replace(problem, absences=absent, previous=previous)

    repaired = solve(changed, SolveParams(time_limit_s=4, workers=2, seed=1, mode=SolveMode.REPAIR))
    others = [c for c in REGISTRY if c.name != "MinimalChange"]
    fresh = solve(changed, SolveParams(time_limit_s=4, workers=2, seed=1), others)

    forced = [a for a in previous.assignments if a.person_id == person and a.day == day]
    assert repaired.has_schedule and fresh.has_schedule
    assert set(forced) <= set(repaired.removed)
    assert len(repaired.added) + len(repaired.removed) < len(fresh.added) + len(fresh.removed)
    assert hard_violations(repaired.schedule(changed)) == {}


def test_repair_mode_needs_a_previous_schedule():
    with pytest.raises(ProblemError, match="previous schedule"):
        solve(ex.week(), SolveParams(mode=SolveMode.REPAIR))


def test_problem_rejects_unknown_references():
    with pytest.raises(ProblemError, match="nobody"):
        ex.week(absences=(Absence("nobody", ex.MONDAY, ex.MONDAY),))
