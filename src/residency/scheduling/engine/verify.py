"""Pre-flight: the registry holds exactly the expected rules, and each one changes the answer
on its own micro-problem (so a registered-but-inert rule cannot ship)."""

from __future__ import annotations

from collections.abc import Sequence

from residency.scheduling.engine.constraints.base import Constraint
from residency.scheduling.engine.manifest import (
    BindReport,
    VerifyReport,
    binds,
    compare_with_manifest,
)
from residency.scheduling.engine.results import Solution, SolveMode, SolveParams
from residency.scheduling.engine.solve import solve

EXPECTED_HARD = (
    "Availability",
    "OneActivityPerSlot",
    "Eligibility",
    "RotationStaffing",
    "ResidentInpatientHeadcount",
    "ClinicCapacity",
    "MaxPhysiciansInClinic",
    "SupervisionRatio",
    "EightyHourAverage",
    "OneDayOffInSeven",
    "TwentyFourPlusFour",
    "RestAfterCall",
    "CallFrequency",
    "NightCallCoverage",
    "NightFloatPostCall",
    "MaxConsecutiveNights",
    "FacultyClinicLimits",
    "FMITCoverage",
    "WednesdayAMInternOnly",
    "WednesdayPMSingleFaculty",
    "InvertedWednesday",
    "PostFMITRecovery",
    "PostFMITSundayBlocking",
    "LockedAssignments",
)
EXPECTED_SOFT = (
    "EightHoursOff",
    "ContinuityClinic",
    "WorkloadEquity",
    "Continuity",
    "SundayCallEquity",
    "CallSpacing",
    "WeekdayCallEquity",
    "TuesdayCallPreference",
    "Requests",
    "MinimalChange",
)
MANIFEST = EXPECTED_HARD + EXPECTED_SOFT
MICRO_PARAMS = SolveParams(time_limit_s=10, workers=1, seed=1, mode=SolveMode.OPTIMIZE)


def verify(registry: Sequence[Constraint]) -> VerifyReport:
    return compare_with_manifest(registry, EXPECTED_HARD, EXPECTED_SOFT)


def check_binds(
    constraint: Constraint, registry: Sequence[Constraint], params: SolveParams = MICRO_PARAMS
) -> BindReport[Solution]:
    """Solve the rule's micro-problem without and with it; the answer must change: a hard rule
    must be broken without it and kept with it, a soft rule must cost less with it."""
    problem = constraint.micro_problem()
    others = [c for c in registry if c.name != constraint.name]
    without, with_rule = solve(problem, params, others), solve(problem, params, registry)
    if not (without.has_schedule and with_rule.has_schedule):
        detail = f"no schedule: without {without.status}, with {with_rule.status}"
        return BindReport(constraint.name, False, detail, without, with_rule)
    verdict, detail = binds(constraint, without.schedule(problem), with_rule.schedule(problem))
    return BindReport(constraint.name, verdict, detail, without, with_rule)


def deep_verify(
    registry: Sequence[Constraint], params: SolveParams = MICRO_PARAMS
) -> list[BindReport[Solution]]:
    return [check_binds(c, registry, params) for c in registry]
