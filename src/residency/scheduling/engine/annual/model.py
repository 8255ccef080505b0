"""Level 1 model: one Boolean per (resident, block, half, rotation); every registered rule adds
itself to it through `PlanModel`.

Hard rules add constraints through `require`, inside a `part(...)` naming what they encode.
When the model is built to explain an infeasibility, each part gets its own enabling literal,
so CP-SAT's sufficient assumptions name a curriculum line, a staffing rule or a lock, not just
a rule family.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from ortools.sat.python import cp_model

from residency.scheduling.engine.annual.plan import block_halves
from residency.scheduling.engine.annual.problem import HALVES, AnnualProblem


class HalfRotation(NamedTuple):
    resident_id: str
    block: int
    half: int
    rotation_id: str


class PlanModel:
    def __init__(self, problem: AnnualProblem, explain: bool = False) -> None:
        self.problem = problem
        self.cp = cp_model.CpModel()
        self.explain = explain
        self.x: dict[HalfRotation, Any] = {}
        self.enable: dict[str, Any] = {}  # part label -> enabling literal (explain mode)
        self.added = 0
        self._label: str | None = None
        self._hard_blocks: dict[tuple[str, int], Any] = {}
        for resident in problem.residents:
            for block, half in block_halves(problem):
                for rotation in problem.rotations:
                    key = HalfRotation(resident.id, block, half, rotation.id)
                    self.x[key] = self.cp.new_bool_var(f"x[{','.join(map(str, key))}]")

    def on(self, resident_id: str, block: int, half: int, rotation_id: str) -> Any:
        return self.x[HalfRotation(resident_id, block, half, rotation_id)]

    def half_lits(self, resident_id: str, block: int, half: int) -> list[Any]:
        return [self.on(resident_id, block, half, r.id) for r in self.problem.rotations]

    def rotation_lits(self, rotation_id: str, block: int, half: int) -> list[Any]:
        return [self.on(r.id, block, half, rotation_id) for r in self.problem.residents]

    def hard_lits(self, resident_id: str, block: int, half: int) -> list[Any]:
        hard = [r.id for r in self.problem.rotations if self.problem.is_hard(r.id)]
        return [self.on(resident_id, block, half, r) for r in hard]

    def hard_block(self, resident_id: str, block: int) -> Any:
        """1 when either half of the block is on a hard rotation; one shared indicator, so that
        the spread rule, its implied bounds and symmetry breaking reason about the same thing."""
        key = (resident_id, block)
        if key not in self._hard_blocks:
            lits = [lit for half in HALVES for lit in self.hard_lits(resident_id, block, half)]
            self._hard_blocks[key] = self.any_of(lits, f"hard_block[{resident_id},{block}]")
        return self._hard_blocks[key]

    @contextmanager
    def part(self, label: str) -> Iterator[None]:
        """Hard constraints added inside share one enabling literal when explaining."""
        outer, self._label = self._label, label
        try:
            yield
        finally:
            self._label = outer

    def require(self, constraint: Any) -> None:
        if isinstance(constraint, bool):  # a comparison that folded to a constant
            constraint = self.cp.add_bool_or([]) if not constraint else None
            if constraint is None:
                return
        else:
            constraint = self.cp.add(constraint)
        if self.explain and self._label is not None:
            constraint.only_enforce_if(self._enabling(self._label))
        self.added += 1

    def _enabling(self, label: str) -> Any:
        if label not in self.enable:
            self.enable[label] = self.cp.new_bool_var(f"enable[{label}]")
        return self.enable[label]

    def new_bool(self, name: str) -> Any:
        return self.cp.new_bool_var(name)

    def new_int(self, lower: int, upper: int, name: str) -> Any:
        return self.cp.new_int_var(lower, upper, name)

    def any_of(self, lits: list[Any], name: str) -> Any:
        """A Boolean equal to the OR of `lits`."""
        if not lits:
            return 0
        if len(lits) == 1:
            return lits[0]
        indicator = self.new_bool(name)
        self.cp.add_max_equality(indicator, lits)
        return indicator
