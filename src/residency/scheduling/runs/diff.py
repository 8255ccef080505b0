"""What changes between two versions of one scope: one line per cell (person, day and half-day
or call night, or half-block of the plan), old and new, and the count per person."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from residency.errors import InputError
from residency.scheduling import repository as repo
from residency.scheduling.models import RunKind, ScheduleRun
from residency.scheduling.repository import PUBLISHED, Version
from residency.scheduling.runs.versions import describe_scope, get_run, published, run_scope

NOTHING = "-"
Cells = dict[tuple[str, str], str]  # (person key, when) -> what


@dataclass(frozen=True, order=True)
class Change:
    person: str
    when: str  # "2026-03-10 AM", "2026-03-10 night", "block 3 half 1"
    old: str
    new: str

    def as_json(self) -> dict[str, str]:
        return {"person": self.person, "when": self.when, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Diff:
    scope: str
    old_label: str
    new_label: str
    changes: tuple[Change, ...]

    def per_person(self) -> dict[str, int]:
        return dict(sorted(Counter(c.person for c in self.changes).items()))

    def as_json(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "old": self.old_label,
            "new": self.new_label,
            "changes": [c.as_json() for c in self.changes],
            "per_person": self.per_person(),
        }


def diff_run(session: Session, run_id: int, against: int | None = None) -> Diff:
    """The run's version against the published one (or against another run of its scope)."""
    run = get_run(session, run_id)
    scope = run_scope(run)
    if against is None:
        pointer = published(session, scope)
        old = PUBLISHED if pointer is not None else None
        old_label = f"published (run {pointer.run_id})" if pointer else "nothing published"
    else:
        other = get_run(session, against)
        if run_scope(other) != scope:
            raise InputError(
                f"--against: run {against} is for "
                f"{describe_scope(other.kind, other.academic_year, other.block_number)}, run "
                f"{run_id} for {describe_scope(run.kind, run.academic_year, run.block_number)}; "
                "a diff compares two versions of the same block or year",
                field="against",
            )
        old, old_label = Version(against), f"run {against}"
    before = cells(session, run, old) if old is not None else {}
    after = cells(session, run, Version(run_id))
    found = [
        Change(*cell, before.get(cell, NOTHING), after.get(cell, NOTHING))
        for cell in sorted(before.keys() | after.keys())
        if before.get(cell) != after.get(cell)
    ]
    return Diff(scope, old_label, f"run {run_id}", tuple(found))


def cells(session: Session, run: ScheduleRun, version: Version) -> Cells:
    if run.kind == RunKind.ANNUAL_PLAN:
        return plan_cells(session, run.academic_year, version)
    return block_cells(session, run, version)


def block_cells(session: Session, run: ScheduleRun, version: Version) -> Cells:
    found: Cells = {}
    for row in repo.assignments_between(session, run.start_date, run.end_date, version):
        when = f"{row.half_day.date} {row.half_day.session}"
        found[(row.person.key, when)] = row.rotation.abbreviation
    for call in repo.calls_between(session, run.start_date, run.end_date, version):
        found[(call.person.key, f"{call.date} night")] = f"{call.call_type} call"
    return found


def plan_cells(session: Session, academic_year: int, version: Version) -> Cells:
    found: Cells = {}
    for entry in repo.year_plan_entries(session, academic_year, version):
        for half in (1, 2) if entry.block_half == 0 else (entry.block_half,):
            when = f"block {entry.block_number:02d} half {half}"
            found[(entry.person.key, when)] = entry.rotation.abbreviation
    return found
