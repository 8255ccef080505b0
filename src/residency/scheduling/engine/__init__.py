"""The pure scheduling engine: `solve(problem, SolveParams(...)) -> Solution` (no database)."""

from residency.scheduling.engine.problem import Problem
from residency.scheduling.engine.results import Schedule, Solution, SolveMode, SolveParams
from residency.scheduling.engine.solve import solve

__all__ = ["Problem", "Schedule", "Solution", "SolveMode", "SolveParams", "solve"]
