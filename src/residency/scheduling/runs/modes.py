"""How a run searches, from the two switches every door offers, refused when they contradict
each other (the same words on the command line and, later, in the API)."""

from __future__ import annotations

from residency.errors import InputError
from residency.scheduling.engine.results import SolveMode


def solve_mode(minimal_change: bool, first_feasible: bool) -> SolveMode:
    if minimal_change and first_feasible:
        raise InputError(
            "--first-feasible: a repair searches for the fewest changes; give either "
            "--minimal-change or --first-feasible"
        )
    if minimal_change:
        return SolveMode.REPAIR
    return SolveMode.FEASIBLE if first_feasible else SolveMode.OPTIMIZE
