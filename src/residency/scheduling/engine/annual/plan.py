"""A plan to check: generated, edited by hand or published, with the lookups every rule's
plain-Python `violations` uses (independent of the CP-SAT model)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property

from residency.scheduling.engine.annual.problem import HALVES, AnnualProblem, PlanEntry

HalfKey = tuple[str, int, int]  # (resident id, block number, half)


@dataclass(frozen=True)
class AnnualPlan:
    problem: AnnualProblem
    entries: tuple[PlanEntry, ...] = ()

    @cached_property
    def _by_half(self) -> dict[HalfKey, list[str]]:
        found: dict[HalfKey, list[str]] = {}
        for entry in self.entries:
            for half in entry.halves:
                found.setdefault((entry.resident_id, entry.block, half), []).append(
                    entry.rotation_id
                )
        return found

    def rotations_at(self, resident_id: str, block: int, half: int) -> list[str]:
        return self._by_half.get((resident_id, block, half), [])

    def on(self, resident_id: str, block: int, half: int, rotation_id: str) -> bool:
        return rotation_id in self.rotations_at(resident_id, block, half)

    def on_in_block(self, resident_id: str, block: int, rotation_id: str) -> bool:
        return any(self.on(resident_id, block, half, rotation_id) for half in HALVES)

    def residents_on(self, rotation_id: str, block: int, half: int) -> list[str]:
        return [r.id for r in self.problem.residents if self.on(r.id, block, half, rotation_id)]

    def hard_at(self, resident_id: str, block: int, half: int) -> bool:
        rotations = self.rotations_at(resident_id, block, half)
        return any(self.problem.is_hard(r) for r in rotations)

    def halves_on(self, resident_id: str, rotation_ids: set[str]) -> int:
        return sum(
            1
            for block, half in block_halves(self.problem)
            for r in self.rotations_at(resident_id, block, half)
            if r in rotation_ids
        )


def rotation_by_half(entries: Iterable[PlanEntry]) -> dict[HalfKey, str]:
    """(resident, block, half) -> the rotation there, for a plan of one rotation per half
    (a published plan, or a solution)."""
    return {(e.resident_id, e.block, half): e.rotation_id for e in entries for half in e.halves}


def block_halves(problem: AnnualProblem) -> Iterator[tuple[int, int]]:
    """Every (block number, half) of the year, in time order."""
    for span in sorted(problem.blocks, key=lambda b: b.number):
        for half in HALVES:
            yield span.number, half


def entries_from_halves(
    problem: AnnualProblem, chosen: AbstractSet[tuple[str, int, int, str]]
) -> tuple[PlanEntry, ...]:
    """One entry per rotation and block: half 0 when a whole-block rotation fills both halves."""
    entries = []
    for resident_id, block, half, rotation_id in sorted(chosen):
        both = (resident_id, block, 3 - half, rotation_id) in chosen
        if both and not problem.rotation(rotation_id).half_block:
            if half == 1:
                entries.append(PlanEntry(resident_id, block, 0, rotation_id))
            continue
        entries.append(PlanEntry(resident_id, block, half, rotation_id))
    return tuple(entries)
