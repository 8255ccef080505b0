"""How the annual plan reads its rules: half-blocks, absences, locks, explanations, limits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from residency.scheduling.engine.annual import (
    CurriculumRequirement,
    PlanAbsence,
    PlanEntry,
    PlanPolicy,
    PlanRequest,
    StaffingRule,
    solve_annual,
)
from residency.scheduling.engine.annual import examples as ex
from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY
from residency.scheduling.engine.results import SolveMode, SolveParams
from residency.scheduling.engine.validation import ProblemError

PARAMS = SolveParams(time_limit_s=10, workers=1, seed=1)
LEAVE = PlanPolicy(leave_rotation_id="LV")


def solved(problem):
    solution = solve_annual(problem, PARAMS)
    assert solution.has_plan, solution
    plan = solution.plan(problem)
    assert {
        c.name: c.violations(plan) for c in ANNUAL_REGISTRY if c.hard and c.violations(plan)
    } == {}
    return solution


def away(resident_id, block, half, days=14):
    start = ex.half_start(block, half)
    return PlanAbsence(resident_id, start, start + timedelta(days=days - 1))


def test_whole_block_entries_have_half_0_and_a_half_block_counts_half_a_block():
    problem = ex.year(
        2,
        rotations=(ex.clinic(), ex.nights(), ex.rotation("NF2", "night_float", half_block=True)),
        curriculum=(CurriculumRequirement(1, "NF", 0.5, 0.5),),
        locked=(PlanEntry("r1", 1, 0, "CLIN"),),
    )

    entries = solved(problem).entries

    assert entries[0] == PlanEntry("r1", 1, 0, "CLIN")
    nights = [e for e in entries if e.rotation_id == "NF"]
    assert len(nights) == 1
    assert nights[0].block == 2
    assert nights[0].half in (1, 2)


def test_curriculum_maximum_caps_wanted_blocks():
    problem = ex.year(
        2,
        rotations=(ex.clinic(), ex.wards()),
        curriculum=(CurriculumRequirement(1, "WARD", 0, 1),),
        requests=(PlanRequest("r1", 1, "WARD", weight=9), PlanRequest("r1", 2, "WARD", weight=9)),
    )

    assert sum(1 for e in solved(problem).entries if e.rotation_id == "WARD") == 1


def test_a_resident_away_a_whole_half_is_on_leave_and_works_the_other_half():
    problem = ex.year(
        1,
        rotations=(ex.clinic(), ex.wards(), ex.leave()),
        absences=(away("r1", 1, 1),),
        requests=(PlanRequest("r1", 1, "WARD"),),
        policy=LEAVE,
    )

    entries = solved(problem).entries

    assert PlanEntry("r1", 1, 1, "LV") in entries
    # WARD is a hard rotation, but r1 is present all of half 2: a whole-block rotation may
    # fill the half next to leave.
    assert PlanEntry("r1", 1, 2, "WARD") in entries


@pytest.mark.parametrize(("days", "ward_allowed"), [(2, True), (3, False)])
def test_absent_three_days_of_a_half_keeps_a_resident_off_hard_rotations(days, ward_allowed):
    problem = ex.year(
        1,
        rotations=(ex.clinic(), ex.wards(), ex.leave()),
        absences=(away("r1", 1, 2, days),),
        requests=(PlanRequest("r1", 1, "WARD"),),
        policy=LEAVE,
    )

    on_ward = any(e.rotation_id == "WARD" for e in solved(problem).entries)

    assert on_ward == ward_allowed


def test_leave_is_only_for_absences():
    problem = ex.year(
        1,
        rotations=(ex.clinic(), ex.leave()),
        requests=(PlanRequest("r1", 1, "LV"),),
        policy=LEAVE,
    )

    assert solved(problem).entries == (PlanEntry("r1", 1, 0, "CLIN"),)


def test_a_locked_half_block_entry_lets_a_whole_block_rotation_fill_the_other_half():
    problem = ex.year(
        1,
        rotations=(ex.clinic(), ex.rotation("ORI", "orientation", half_block=True)),
        locked=(PlanEntry("r1", 1, 1, "ORI"),),
        curriculum=(CurriculumRequirement(1, "ORI", 0.5, 0.5),),
    )

    entries = solved(problem).entries

    assert entries == (PlanEntry("r1", 1, 1, "ORI"), PlanEntry("r1", 1, 2, "CLIN"))


def test_a_staffing_rule_is_waived_where_every_covered_resident_is_locked_elsewhere():
    problem = ex.year(
        1,
        residents=(ex.resident("r1", 1), ex.resident("r2", 2)),
        rotations=(
            ex.clinic(),
            ex.wards(),
            ex.rotation("ORI", "orientation", 1, half_block=True),
        ),
        staffing=(StaffingRule("WARD", 1, 1), StaffingRule("WARD", 2, 3)),
        locked=(PlanEntry("r1", 1, 1, "ORI"),),
    )

    solution = solved(problem)

    assert PlanEntry("r1", 1, 2, "WARD") in solution.entries
    assert PlanEntry("r2", 1, 0, "WARD") in solution.entries
    assert "1 lowered by locks elsewhere" in solution.notes["PgyStaffingMix"]


def test_infeasible_curriculum_is_explained_by_its_line():
    problem = ex.year(
        2, rotations=(ex.clinic(), ex.wards()), curriculum=(CurriculumRequirement(1, "WARD", 3),)
    )

    solution = solve_annual(problem, PARAMS)

    assert solution.status == "INFEASIBLE"
    assert solution.conflicting == ("CurriculumRequirements",)
    assert solution.conflict_details == (
        "CurriculumRequirements: PGY-1 does 3 to any blocks of WARD",
    )


def test_infeasible_staffing_names_the_staffing_and_eligibility():
    problem = ex.year(
        1, rotations=(ex.clinic(), ex.rotation("WARD", "inpatient", 2, 3, min_per_block=1))
    )

    solution = solve_annual(problem, PARAMS)

    assert solution.conflicting == ("BlockStaffing", "RotationEligibility")
    assert "BlockStaffing: WARD needs 1 to any residents" in solution.conflict_details


def test_a_lock_during_a_deployment_is_explained():
    problem = ex.year(
        1,
        rotations=(ex.clinic(), ex.wards(), ex.leave()),
        absences=(away("r1", 1, 1, 28),),
        locked=(PlanEntry("r1", 1, 0, "WARD"),),
        policy=LEAVE,
    )

    solution = solve_annual(problem, PARAMS)

    assert solution.conflicting == (
        "BlockingAbsences",
        "LockedPlanEntries",
        "OneRotationPerHalfBlock",
    )
    assert "LockedPlanEntries: r1 on WARD in block 1" in solution.conflict_details


def test_malformed_problems_are_refused_naming_the_field():
    with pytest.raises(ProblemError, match="curriculum rotation: 'XX' is unknown"):
        ex.year(1, curriculum=(CurriculumRequirement(1, "XX", 1),))
    with pytest.raises(ProblemError, match=r"multiple of 0\.5"):
        ex.year(1, curriculum=(CurriculumRequirement(1, "CLIN", 0.3),))
    with pytest.raises(ProblemError, match=r"policy\.leave_rotation_id: not set"):
        ex.year(1, absences=(away("r1", 1, 1),))


def test_repair_mode_is_refused():
    with pytest.raises(ProblemError, match="repair"):
        solve_annual(ex.year(1), SolveParams(mode=SolveMode.REPAIR))
