"""Every rule of the annual rotation plan, listed explicitly in one place."""

from __future__ import annotations

from residency.scheduling.engine.annual.constraints.absences import BlockingAbsences
from residency.scheduling.engine.annual.constraints.assignment import (
    LockedPlanEntries,
    OneRotationPerHalfBlock,
    RotationEligibility,
    WholeBlockRotations,
)
from residency.scheduling.engine.annual.constraints.base import AnnualConstraint
from residency.scheduling.engine.annual.constraints.curriculum import CurriculumRequirements
from residency.scheduling.engine.annual.constraints.requests import (
    PlanMinimalChange,
    RotationRequests,
)
from residency.scheduling.engine.annual.constraints.spread import (
    InpatientLoadBalance,
    SpreadHardRotations,
)
from residency.scheduling.engine.annual.constraints.staffing import BlockStaffing, PgyStaffingMix

ANNUAL_REGISTRY: tuple[AnnualConstraint, ...] = (
    # hard: who may be where
    OneRotationPerHalfBlock(),
    WholeBlockRotations(),
    RotationEligibility(),
    BlockingAbsences(),
    LockedPlanEntries(),
    # hard: curriculum and service staffing
    CurriculumRequirements(),
    BlockStaffing(),
    PgyStaffingMix(),
    # soft
    SpreadHardRotations(),
    InpatientLoadBalance(),
    RotationRequests(),
    PlanMinimalChange(),
)


def annual_rule(name: str) -> AnnualConstraint:
    found = [c for c in ANNUAL_REGISTRY if c.name == name]
    if not found:
        raise KeyError(f"no annual-plan constraint named {name!r}")
    return found[0]
