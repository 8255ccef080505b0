"""Level 1, the annual rotation plan: what the engine is asked to plan (frozen dataclasses).

The year is cut into blocks (normally 13 of 28 days) and each block into two halves. A resident
does one rotation per half; a rotation that is not `half_block` fills both halves of its block.
The service builds one `AnnualProblem` from the database or a program file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from residency.calendar.academic_year import days as calendar_days

HALVES = (1, 2)
WHOLE_BLOCK = 0  # PlanEntry.half for a rotation that fills both halves of its block


@dataclass(frozen=True)
class BlockSpan:
    number: int
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def half_span(self, half: int) -> tuple[date, date]:
        """Half 1 is the first half of the days (14 of 28), half 2 the rest."""
        middle = self.start + timedelta(days=self.days // 2)
        return (self.start, middle - timedelta(days=1)) if half == 1 else (middle, self.end)


@dataclass(frozen=True)
class PlanResident:
    id: str
    pgy: int


@dataclass(frozen=True)
class PlanRotation:
    id: str  # the rotation's abbreviation
    activity_type: str  # inpatient, night_float, outpatient, clinic, call, procedure, ...
    eligible_pgy: frozenset[int] = frozenset()  # empty: every PGY
    min_per_block: int = 0  # residents on it in every half of every block
    max_per_block: int | None = None
    half_block: bool = False  # runs two weeks (night float): one half of a block

    def admits(self, pgy: int) -> bool:
        return not self.eligible_pgy or pgy in self.eligible_pgy


@dataclass(frozen=True)
class CurriculumRequirement:
    """Blocks of a rotation a resident of this PGY does over the year (a half counts 0.5)."""

    pgy: int
    rotation_id: str
    min_blocks: float = 0.0
    max_blocks: float | None = None

    def halves(self) -> tuple[int, int | None]:
        top = None if self.max_blocks is None else round(self.max_blocks * 2)
        return round(self.min_blocks * 2), top


@dataclass(frozen=True)
class StaffingRule:
    """At least `min_residents` of PGY min_pgy..max_pgy on the rotation in every half-block."""

    rotation_id: str
    min_pgy: int
    max_pgy: int
    min_residents: int = 1

    def covers(self, pgy: int) -> bool:
        return self.min_pgy <= pgy <= self.max_pgy

    def label(self) -> str:
        levels = f"PGY-{self.min_pgy}" if self.min_pgy == self.max_pgy else "PGY-"
        if self.min_pgy != self.max_pgy:
            levels += f"{self.min_pgy}..{self.max_pgy}"
        return f"{self.rotation_id} needs {self.min_residents} {levels} in every half-block"


@dataclass(frozen=True)
class PlanAbsence:
    resident_id: str
    start: date
    end: date  # inclusive
    blocking: bool = True
    kind: str = "leave"


@dataclass(frozen=True, order=True)
class PlanEntry:
    resident_id: str
    block: int
    half: int  # WHOLE_BLOCK (0) for a rotation filling the block, else 1 or 2
    rotation_id: str

    @property
    def halves(self) -> tuple[int, ...]:
        return HALVES if self.half == WHOLE_BLOCK else (self.half,)


@dataclass(frozen=True)
class PlanRequest:
    """A resident's wish to do (or not to do) a rotation at some time in a block."""

    resident_id: str
    block: int
    rotation_id: str
    wanted: bool = True
    weight: int = 1


def default_hard_types() -> frozenset[str]:
    return frozenset({"inpatient", "night_float"})


@dataclass(frozen=True)
class PlanPolicy:
    hard_activity_types: frozenset[str] = field(default_factory=default_hard_types)
    leave_rotation_id: str | None = None  # a resident absent a whole half is on it
    absence_threshold_days: int = 3  # absent this many days of a half: no hard rotation then
    leave_only_when_absent: bool = True  # the leave rotation means "absent", not a free block
    # A PGY does only the rotations its curriculum lists (and leave), not every eligible one.
    only_curriculum_rotations: bool = False


@dataclass(frozen=True)
class AnnualProblem:
    academic_year: int
    blocks: tuple[BlockSpan, ...]
    residents: tuple[PlanResident, ...]
    rotations: tuple[PlanRotation, ...]
    curriculum: tuple[CurriculumRequirement, ...] = ()
    staffing: tuple[StaffingRule, ...] = ()
    absences: tuple[PlanAbsence, ...] = ()
    locked: tuple[PlanEntry, ...] = ()
    requests: tuple[PlanRequest, ...] = ()
    policy: PlanPolicy = field(default_factory=PlanPolicy)
    previous: tuple[PlanEntry, ...] = ()  # the published plan a repair changes as little as it can

    def __post_init__(self) -> None:
        from residency.scheduling.engine.annual.validation import validate_annual_problem

        validate_annual_problem(self)

    @cached_property
    def _rotations(self) -> dict[str, PlanRotation]:
        return {r.id: r for r in self.rotations}

    @cached_property
    def _residents(self) -> dict[str, PlanResident]:
        return {r.id: r for r in self.residents}

    def rotation(self, rotation_id: str) -> PlanRotation:
        return self._rotations[rotation_id]

    def resident(self, resident_id: str) -> PlanResident:
        return self._residents[resident_id]

    def block(self, number: int) -> BlockSpan:
        return next(b for b in self.blocks if b.number == number)

    def open_to(self, rotation_id: str, pgy: int) -> bool:
        """Eligible by PGY and, when the policy says so, listed in that PGY's curriculum."""
        if not self.rotation(rotation_id).admits(pgy):
            return False
        if not self.policy.only_curriculum_rotations or self.is_leave(rotation_id):
            return True
        return (pgy, rotation_id) in self._listed

    @cached_property
    def _listed(self) -> frozenset[tuple[int, str]]:
        return frozenset((c.pgy, c.rotation_id) for c in self.curriculum)

    def is_hard(self, rotation_id: str) -> bool:
        return self.rotation(rotation_id).activity_type in self.policy.hard_activity_types

    def fills_block(self, rotation_id: str) -> bool:
        """A rotation that occupies both halves; leave follows the absence, half by half."""
        return not self.rotation(rotation_id).half_block and not self.is_leave(rotation_id)

    def is_leave(self, rotation_id: str) -> bool:
        return rotation_id == self.policy.leave_rotation_id

    def absent_days(self, resident_id: str, block: int, half: int) -> int:
        """Days of the half covered by the resident's blocking absences."""
        return self._absent_days.get((resident_id, block, half), 0)

    @cached_property
    def _absent_days(self) -> dict[tuple[str, int, int], int]:
        days: dict[tuple[str, int, int], set[date]] = {}
        for a in (a for a in self.absences if a.blocking):
            for span in self.blocks:
                for half in HALVES:
                    first, last = span.half_span(half)
                    start, end = max(a.start, first), min(a.end, last)
                    covered = calendar_days(start, end)
                    days.setdefault((a.resident_id, span.number, half), set()).update(covered)
        return {key: len(found) for key, found in days.items()}

    def locked_half(self, resident_id: str, block: int, half: int) -> bool:
        """A lock on this very half only (a half-block entry such as orientation)."""
        return any(
            e.resident_id == resident_id and e.block == block and e.half == half
            for e in self.locked
        )

    def half_days(self, block: int, half: int) -> int:
        first, last = self.block(block).half_span(half)
        return (last - first).days + 1
