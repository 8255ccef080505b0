"""Watching and stopping a solve (engine/progress.py): every search reports its improving
solutions to the control, and a stop asked from another thread ends the search long before its
time limit, keeping what it found."""

from __future__ import annotations

import random
import threading

from ortools.sat.python import cp_model

from residency.scheduling.engine.cpsat import run
from residency.scheduling.engine.progress import Progress, SolveControl
from residency.scheduling.engine.results import SolveParams

LONG_S = 600.0  # far longer than any test waits: a search that ends early was stopped


def hard_subset_sum() -> cp_model.CpModel:
    """Get as close to a target as large random weights allow: improving solutions come at
    once, a proof of optimality not for a long time."""
    draw = random.Random(7)
    weights = [draw.randrange(10**8, 10**9) for _ in range(60)]
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"x{i}") for i in range(len(weights))]
    total = sum(w * x for w, x in zip(weights, chosen, strict=True))
    model.add(total <= sum(weights) // 2 + 1)
    model.maximize(total)
    return model


def test_each_improving_solution_is_reported_with_its_stage_objective_and_bound() -> None:
    seen: list[Progress] = []
    first = threading.Event()

    def heard(progress: Progress) -> None:
        seen.append(progress)
        if progress.objective is not None:
            first.set()

    control = SolveControl(heard)
    stopper = threading.Thread(target=lambda: first.wait() and control.request_stop())
    stopper.start()
    params = SolveParams(LONG_S, workers=2, control=control, stage="sums")
    solver, status = run(hard_subset_sum(), params)
    stopper.join()
    solutions = [p for p in seen if p.objective is not None]
    assert status == "FEASIBLE" and solutions
    assert all(p.stage == "sums" for p in seen)
    assert [p.solutions for p in solutions] == sorted(p.solutions for p in solutions)
    last = solutions[-1]
    assert last.bound is not None and last.gap is not None and last.bound >= last.objective
    assert solver.objective_value >= last.objective  # the kept solution is the best found


def test_a_stop_asked_while_searching_ends_the_search_and_keeps_its_best_solution() -> None:
    found = threading.Event()
    control = SolveControl(lambda p: p.objective is not None and found.set())
    asked = threading.Thread(target=lambda: found.wait() and control.request_stop())
    asked.start()
    params = SolveParams(LONG_S, workers=2, control=control)
    solver, status = run(hard_subset_sum(), params)
    asked.join()
    assert status == "FEASIBLE"  # stopped with a solution, not proven optimal
    assert solver.wall_time < LONG_S / 10
    assert control.stop_requested


def test_once_a_stop_was_asked_no_search_starts() -> None:
    control = SolveControl()
    control.request_stop()
    _, status = run(hard_subset_sum(), SolveParams(LONG_S, control=control))
    assert status == "UNKNOWN"
