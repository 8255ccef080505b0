"""Only possible assignments become variables, and what pruning removes still counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.problem import Absence, ActivityKind, Lock
from residency.scheduling.engine.results import SolveParams
from residency.scheduling.engine.solve import build_model, solve

PARAMS = SolveParams(time_limit_s=10, workers=1, seed=1)


def _two_rotations():  # type: ignore[no-untyped-def]
    elective = ex.elective(rotation_only=True)
    wards = ex.wards(min_residents=1)
    return ex.week(
        residents=(
            ex.resident("r1", rotation_id="wards"),
            ex.resident("r2", rotation_id="elective"),
        ),
        activities=(wards, elective),
    )


def test_ineligible_and_absent_assignments_get_no_variable() -> None:
    problem = _two_rotations()
    tuesday = ex.MONDAY + timedelta(days=1)
    away = Absence("r2", tuesday, tuesday, "tdy")
    pruned = build_model(replace(problem, absences=(away,)), REGISTRY)

    people_by_activity = {(k.person_id, k.activity_id) for k in pruned.vars.slot}
    assert people_by_activity == {("r1", "wards"), ("r2", "elective")}
    assert not [k for k in pruned.vars.slot if k.person_id == "r2" and k.day == tuesday]
    assert pruned.vars.not_created["Eligibility"] > 0
    # r2's Tuesday: elective and wards, AM and PM (wards is also ruled out by Eligibility)
    assert pruned.vars.not_created["Availability"] == 4
    assert "never created" in pruned.activations["Availability"].note


def test_without_the_rules_every_candidate_is_created() -> None:
    problem = _two_rotations()
    others = [c for c in REGISTRY if c.name not in ("Eligibility", "Availability")]
    full = build_model(problem, others)
    assert ("r2", "wards") in {(k.person_id, k.activity_id) for k in full.vars.slot}


def test_a_service_nobody_may_staff_has_no_schedule() -> None:
    """A staffing minimum over no variables folds to False; it must not be dropped."""
    wards = ex.wards(
        ex.WEEKDAYS, min_residents=1, eligible_pgys=frozenset({3}), kind=ActivityKind.ELECTIVE
    )
    problem = ex.week(
        residents=(ex.resident("r1", pgy=1, rotation_id="wards"),), activities=(wards,)
    )
    solution = solve(problem, PARAMS)
    assert solution.status == "INFEASIBLE"
    assert set(solution.conflicting) == {"Eligibility", "RotationStaffing"}


def test_a_lock_on_an_ineligible_activity_is_a_conflict_not_a_dropped_lock() -> None:
    problem = ex.week(
        residents=(ex.resident("r1", pgy=1),),
        activities=(ex.elective(eligible_pgys=frozenset({2, 3})),),
        locks=(Lock("r1", ex.MONDAY, "elective", Session.AM),),
    )
    solution = solve(problem, PARAMS)
    assert solution.status == "INFEASIBLE"
    assert set(solution.conflicting) == {"Eligibility", "LockedAssignments"}
