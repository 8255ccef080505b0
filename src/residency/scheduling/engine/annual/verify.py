"""Pre-flight for the annual plan: the registry holds exactly the expected rules, and each one
changes the answer on its own micro-problem (so a registered-but-inert rule cannot ship)."""

from __future__ import annotations

from collections.abc import Sequence

from residency.scheduling.engine.annual.constraints.base import AnnualConstraint
from residency.scheduling.engine.annual.results import AnnualSolution
from residency.scheduling.engine.annual.solve import solve_annual
from residency.scheduling.engine.manifest import (
    BindReport,
    VerifyReport,
    binds,
    compare_with_manifest,
)
from residency.scheduling.engine.results import SolveMode, SolveParams

EXPECTED_HARD = (
    "OneRotationPerHalfBlock",
    "WholeBlockRotations",
    "RotationEligibility",
    "BlockingAbsences",
    "LockedPlanEntries",
    "CurriculumRequirements",
    "BlockStaffing",
    "PgyStaffingMix",
)
EXPECTED_SOFT = (
    "SpreadHardRotations",
    "InpatientLoadBalance",
    "RotationRequests",
    "PlanMinimalChange",
)
MANIFEST = EXPECTED_HARD + EXPECTED_SOFT
MICRO_PARAMS = SolveParams(time_limit_s=10, workers=1, seed=1, mode=SolveMode.OPTIMIZE)


def verify(registry: Sequence[AnnualConstraint]) -> VerifyReport:
    return compare_with_manifest(registry, EXPECTED_HARD, EXPECTED_SOFT)


def check_binds(
    constraint: AnnualConstraint,
    registry: Sequence[AnnualConstraint],
    params: SolveParams = MICRO_PARAMS,
) -> BindReport[AnnualSolution]:
    """Solve the rule's micro-problem without and with it; the answer must change: a hard rule
    must be broken without it and kept with it, a soft rule must cost less with it."""
    problem = constraint.micro_problem()
    others = [c for c in registry if c.name != constraint.name]
    without = solve_annual(problem, params, others)
    with_rule = solve_annual(problem, params, registry)
    if not (without.has_plan and with_rule.has_plan):
        detail = f"no plan: without {without.status}, with {with_rule.status}"
        return BindReport(constraint.name, False, detail, without, with_rule)
    verdict, detail = binds(constraint, without.plan(problem), with_rule.plan(problem))
    return BindReport(constraint.name, verdict, detail, without, with_rule)


def deep_verify(
    registry: Sequence[AnnualConstraint], params: SolveParams = MICRO_PARAMS
) -> list[BindReport[AnnualSolution]]:
    return [check_binds(c, registry, params) for c in registry]
