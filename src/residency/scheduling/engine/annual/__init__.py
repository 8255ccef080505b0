"""Level 1, the annual rotation plan: `solve_annual(problem, SolveParams(...))` (pure CP-SAT,
no database). One rotation per resident per half-block, curriculum, staffing and absences as
hard rules; spread, balance and requests as soft ones."""

from residency.scheduling.engine.annual.plan import AnnualPlan
from residency.scheduling.engine.annual.problem import (
    AnnualProblem,
    BlockSpan,
    CurriculumRequirement,
    PlanAbsence,
    PlanEntry,
    PlanPolicy,
    PlanRequest,
    PlanResident,
    PlanRotation,
    StaffingRule,
)
from residency.scheduling.engine.annual.results import AnnualSolution
from residency.scheduling.engine.annual.solve import solve_annual

__all__ = [
    "AnnualPlan",
    "AnnualProblem",
    "AnnualSolution",
    "BlockSpan",
    "CurriculumRequirement",
    "PlanAbsence",
    "PlanEntry",
    "PlanPolicy",
    "PlanRequest",
    "PlanResident",
    "PlanRotation",
    "StaffingRule",
    "solve_annual",
]
