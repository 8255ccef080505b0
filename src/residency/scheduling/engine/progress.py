"""Watching and stopping a solve from outside it, the engine staying pure.

A caller hands `SolveParams(control=SolveControl(on_progress))` to `solve` or `solve_annual`.
Every CP-SAT search the solve runs (the annual search runs several, one per stage) reports each
improving solution and each better bound to `on_progress`, from the solver's own thread, and
`request_stop()` (from any thread) ends the current search within a moment and skips every
later one. What the solve had found by then comes back as usual (status FEASIBLE with a
schedule, or UNKNOWN without one); `stop_requested` tells the two kinds of early end apart."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

# How often a search looks for a requested stop; CP-SAT's stop_search() is lost when it comes
# before the search has begun, so it is repeated until the search ends.
STOP_REPEAT_S = 0.1


@dataclass(frozen=True)
class Progress:
    stage: str  # "block schedule", "PGY-2 alone", "whole model", ...
    elapsed_s: float  # since the control was made (the start of the whole solve)
    objective: float | None  # the best solution's cost in this stage; None before the first
    bound: float | None  # the best lower bound of this stage's search
    gap: float | None  # relative, as `cpsat.relative_gap`
    solutions: int  # improving solutions found so far, all stages together


class SolveControl:
    def __init__(self, on_progress: Callable[[Progress], None] | None = None) -> None:
        self.on_progress = on_progress
        self.started = time.monotonic()
        self.solutions = 0
        self._stop = threading.Event()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def request_stop(self) -> None:
        self._stop.set()

    def report(
        self, stage: str, objective: float | None, bound: float | None, solution: bool
    ) -> None:
        if solution:
            self.solutions += 1
        if self.on_progress is None:
            return
        gap = None
        if objective is not None and bound is not None:
            gap = abs(objective - bound) / max(1.0, abs(objective))
        elapsed = time.monotonic() - self.started
        self.on_progress(Progress(stage, elapsed, objective, bound, gap, self.solutions))

    @contextmanager
    def searching(self, solver: cp_model.CpSolver) -> Iterator[None]:
        """While one CP-SAT search runs: pass a requested stop on to it."""
        done = threading.Event()

        def pass_stop_on() -> None:
            while not done.wait(STOP_REPEAT_S):
                if self._stop.is_set():
                    solver.stop_search()

        watcher = threading.Thread(target=pass_stop_on, name="solve-stop", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            done.set()
            watcher.join()


class Reporter(cp_model.CpSolverSolutionCallback):
    """Hands a search's improving solutions and bounds to the control."""

    def __init__(self, control: SolveControl, stage: str, has_objective: bool) -> None:
        super().__init__()
        self.control = control
        self.stage = stage
        self.has_objective = has_objective
        self.objective: float | None = None
        self.bound: float | None = None

    def on_solution_callback(self) -> None:
        if self.has_objective:
            self.objective = self.objective_value
            self.bound = self.best_objective_bound
        else:
            self.objective = self.bound = 0.0
        self.control.report(self.stage, self.objective, self.bound, solution=True)

    def on_bound(self, bound: Any) -> None:
        self.bound = float(bound)
        self.control.report(self.stage, self.objective, self.bound, solution=False)
