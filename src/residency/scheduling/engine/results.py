"""What the engine hands back: solve parameters, a plain schedule and the solver's result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property

from residency.rotations.duty_pattern import Session
from residency.scheduling.engine.items import (
    CallKey,
    Item,
    SlotKey,
    boundary_items,
    call_item,
    slot_item,
)
from residency.scheduling.engine.problem import (
    Assignment,
    CallAssignment,
    FmitWeek,
    PreviousSchedule,
    Problem,
)
from residency.scheduling.engine.progress import SolveControl

FOUND = ("OPTIMAL", "FEASIBLE")  # CP-SAT statuses that come with an answer


class SolveMode(StrEnum):
    OPTIMIZE = "optimize"  # search until proven optimal or the time limit
    FEASIBLE = "feasible"  # stop at the first schedule that breaks no hard rule
    REPAIR = "repair"  # needs problem.previous: MinimalChange keeps the published schedule


@dataclass(frozen=True)
class SolveParams:
    time_limit_s: float = 60.0
    workers: int = 8  # CP-SAT's portfolio needs several workers even on two cores
    seed: int = 0
    mode: SolveMode = SolveMode.OPTIMIZE
    # Watching and stopping (engine/progress.py): not part of what is solved, so two params
    # that differ only here are equal.
    control: SolveControl | None = field(default=None, compare=False, repr=False)
    stage: str = field(default="", compare=False)  # what progress reports call this search


@dataclass(frozen=True)
class Schedule:
    """A schedule to check: generated, edited by hand or published earlier."""

    problem: Problem
    assignments: tuple[Assignment, ...] = ()
    call_assignments: tuple[CallAssignment, ...] = ()
    fmit_weeks: tuple[FmitWeek, ...] = ()

    @cached_property
    def _items_by_person(self) -> dict[str, list[Item]]:
        by_person: dict[str, list[Item]] = {p: [] for p in self.problem.person_ids}
        for a in self.assignments:
            item = slot_item(self.problem, SlotKey(a.person_id, a.day, a.session, a.activity_id))
            if item is not None:
                by_person.setdefault(a.person_id, []).append(item)
        for c in self.call_assignments:
            call = call_item(self.problem, CallKey(c.person_id, c.day, c.service_id))
            if call is not None:
                by_person.setdefault(c.person_id, []).append(call)
        for person_id, items in by_person.items():
            items.extend(boundary_items(self.problem, person_id))
            items.sort(key=lambda i: (i.start, i.end))
        return by_person

    def items(self, person_id: str) -> list[Item]:
        return self._items_by_person.get(person_id, [])

    def in_slot(self, activity_id: str, day: date, session: Session) -> list[str]:
        return [
            a.person_id
            for a in self.assignments
            if a.activity_id == activity_id and a.day == day and a.session == session
        ]

    def on_call(self, service_id: str, day: date) -> list[str]:
        return [
            c.person_id
            for c in self.call_assignments
            if c.service_id == service_id and c.day == day
        ]

    def fmit_attendings(self, week_start: date) -> list[str]:
        return [w.faculty_id for w in self.fmit_weeks if w.week_start == week_start]

    def has(self, assignment: Assignment) -> bool:
        return assignment in self._assignment_set

    def has_slot(self, key: SlotKey) -> bool:
        return (
            Assignment(key.person_id, key.day, key.session, key.activity_id) in self._assignment_set
        )

    @cached_property
    def _assignment_set(self) -> frozenset[Assignment]:
        return frozenset(self.assignments)


@dataclass(frozen=True)
class Solution:
    status: str  # CP-SAT status name: OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    assignments: tuple[Assignment, ...] = ()
    call_assignments: tuple[CallAssignment, ...] = ()
    fmit_weeks: tuple[FmitWeek, ...] = ()
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None  # (objective - best bound) / objective, 0 when proven optimal
    wall_s: float = 0.0
    penalties: Mapping[str, int] = field(default_factory=dict)  # soft rule -> weighted cost
    notes: Mapping[str, str] = field(default_factory=dict)  # rule -> what it added or why inert
    conflicting: tuple[str, ...] = ()  # on infeasibility: hard rules that together conflict
    added: tuple[Assignment | CallAssignment | FmitWeek, ...] = ()  # versus problem.previous
    removed: tuple[Assignment | CallAssignment | FmitWeek, ...] = ()
    model_size: Mapping[str, int] = field(default_factory=dict)

    @property
    def has_schedule(self) -> bool:
        return self.status in FOUND

    def schedule(self, problem: Problem) -> Schedule:
        return Schedule(problem, self.assignments, self.call_assignments, self.fmit_weeks)


def differences(
    previous: PreviousSchedule | None, solution: Schedule
) -> tuple[tuple[Assignment | CallAssignment | FmitWeek, ...], ...]:
    if previous is None:
        return (), ()
    before: set[Assignment | CallAssignment | FmitWeek] = {
        *previous.assignments,
        *previous.call_assignments,
        *previous.fmit_weeks,
    }
    after: set[Assignment | CallAssignment | FmitWeek] = {
        *solution.assignments,
        *solution.call_assignments,
        *solution.fmit_weeks,
    }
    return tuple(sorted(after - before, key=str)), tuple(sorted(before - after, key=str))
