"""Level 2 model: one Boolean per (person, half-day, activity), per (person, night, call
service) and per (faculty, FMIT week); every registered constraint adds itself to it.

Literals are CP-SAT Boolean variables, or the integers 1 (fixed duty from the boundary context)
and 0 (nothing can be there). Rules treat both kinds alike through `RuleModel`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ortools.sat.python import cp_model

from residency.rotations.duty_pattern import DutyKind, Session
from residency.scheduling.engine.items import (
    CallKey,
    FmitKey,
    Item,
    SlotKey,
    boundary_items,
    call_item,
    candidate_call_keys,
    candidate_slot_keys,
    day_bounds,
    fmit_week_starts,
    slot_item,
)
from residency.scheduling.engine.problem import FMIT_ACTIVITY, Problem
from residency.scheduling.engine.timeline import Segment, segments

Lit = Any  # a CP-SAT BoolVar, or the int 1 (fixed on) or 0 (impossible)


class RuleModel:
    """The CP-SAT model as one constraint sees it: hard rules go through `require`, so that an
    infeasibility explanation can switch each rule on and off with one literal."""

    def __init__(self, cp: cp_model.CpModel) -> None:
        self.cp = cp
        self.enabled: Any = None
        self.added = 0
        # Rules already broken by fixed duty alone (the days before the block, or an
        # assignment kept with a recorded override): reported, not made infeasible.
        self.fixed_conflicts = 0

    def require(self, constraint: Any) -> None:
        if isinstance(constraint, bool):  # a comparison over no variables folded to a constant
            if not constraint:
                # Nobody can fill it (a rotation with no eligible resident, say): the block
                # has no schedule, and the rule must be there for the explanation to name it.
                self._add(self.cp.add_bool_or([]))
            return
        self._add(self.cp.add(constraint))

    def _add(self, added: Any) -> None:
        if self.enabled is not None:
            added.only_enforce_if(self.enabled)
        self.added += 1

    def already_broken(self) -> None:
        self.fixed_conflicts += 1

    def forbid_together(self, lits: Sequence[Lit]) -> None:
        """Not all of `lits` may hold at once."""
        variables = [lit for lit in lits if not isinstance(lit, int)]
        if any(isinstance(lit, int) and lit == 0 for lit in lits):
            return
        if not variables:
            self.already_broken()
            return
        self._add(self.cp.add_bool_or([v.Not() for v in variables]))

    def forbid(self, lit: Lit) -> None:
        self.forbid_together([lit])

    def new_bool(self, name: str) -> Any:
        return self.cp.new_bool_var(name)

    def new_int(self, lower: int, upper: int, name: str) -> Any:
        return self.cp.new_int_var(lower, upper, name)


def is_variable(lit: Lit) -> bool:
    return not isinstance(lit, int)


def is_off(lit: Lit) -> bool:
    return isinstance(lit, int) and lit == 0


@dataclass
class PersonTimeline:
    items: list[Item] = field(default_factory=list)
    lits: list[Lit] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)


ItemTest = Callable[[Item], bool]


class ModelVars:
    def __init__(
        self, problem: Problem, cp: cp_model.CpModel, possible: Mapping[str, ItemTest] = {}
    ) -> None:
        self.problem = problem
        self.cp = cp
        self.possible = dict(possible)
        self.locked_days = frozenset((lock.person_id, lock.day) for lock in problem.locks)
        self.overrides = [lock for lock in problem.locks if lock.override_reason]
        self.not_created: Counter[str] = Counter()  # rule name: candidates it ruled out
        self.resident_ids = frozenset(r.id for r in problem.residents)
        self.slot: dict[SlotKey, Any] = {}
        self.call: dict[CallKey, Any] = {}
        self.fmit: dict[FmitKey, Any] = {}
        self.timelines: dict[str, PersonTimeline] = {
            p: PersonTimeline() for p in problem.person_ids
        }
        self._busy: dict[tuple[str, int, str], Lit] = {}
        self._any_busy: dict[tuple[str, int, int, str], Lit] = {}
        self._by_slot: dict[tuple[str, date, Session], list[tuple[SlotKey, Any]]] = {}
        self._by_person_day: dict[tuple[str, date], list[tuple[SlotKey | CallKey, Any]]] = {}
        self._create_variables()

    def _create_variables(self) -> None:
        for key in candidate_slot_keys(self.problem):
            name = f"x[{key.person_id},{key.day},{key.session},{key.activity_id}]"
            lit = self._candidate(slot_item(self.problem, key), key.activity_id, key.session, name)
            if lit is not None:
                self.slot[key] = lit
        for ckey in candidate_call_keys(self.problem):
            name = f"call[{ckey.person_id},{ckey.day},{ckey.service_id}]"
            lit = self._candidate(call_item(self.problem, ckey), ckey.service_id, None, name)
            if lit is not None:
                self.call[ckey] = lit
        for person_id, timeline in self.timelines.items():
            for item in boundary_items(self.problem, person_id):
                self._add_item(item, 1)
            timeline.segments = segments(timeline.items)
        if self.problem.policy.fmit is not None:
            for week in fmit_week_starts(self.problem):
                for f in self.problem.faculty:
                    fkey = FmitKey(f.id, week)
                    if any(
                        lock.person_id == f.id
                        and lock.activity_id == FMIT_ACTIVITY
                        and 0 <= (lock.day - week).days < 7
                        for lock in self.overrides
                    ):
                        self.fmit[fkey] = 1
                    else:
                        self.fmit[fkey] = self.cp.new_bool_var(f"fmit[{f.id},{week}]")

    def _candidate(
        self, item: Item | None, activity_id: str, session: Session | None, name: str
    ) -> Lit | None:
        """1 for an overridden assignment, a new variable for a possible one, None otherwise."""
        assert item is not None and item.key is not None, "candidates exist only where shifts do"
        lit: Lit
        if self._overridden(item.person_id, item.key.day, activity_id, session):
            lit = 1
        elif self._worth_a_variable(item):
            lit = self.cp.new_bool_var(name)
        else:
            return None
        self._add_item(item, lit)
        return lit

    def _overridden(
        self, person_id: str, day: date, activity_id: str, session: Session | None
    ) -> bool:
        """Named by a lock with a recorded override reason: fixed duty, not a variable."""
        return any(
            lock.person_id == person_id
            and lock.day == day
            and lock.activity_id == activity_id
            and lock.session in (None, session)
            for lock in self.overrides
        )

    def _worth_a_variable(self, item: Item) -> bool:
        """Skip what a hard rule rules out anyway; a locked person-day keeps every candidate,
        so that a lock on something impossible is reported as a conflict, not dropped."""
        assert item.key is not None
        if (item.person_id, item.key.day) in self.locked_days:
            return True
        rejected_by = [name for name, test in self.possible.items() if not test(item)]
        self.not_created.update(rejected_by)
        return not rejected_by

    def _add_item(self, item: Item | None, lit: Lit) -> None:
        assert item is not None, "candidate keys are built only where a shift exists"
        if isinstance(item.key, SlotKey):
            slot = (item.key.activity_id, item.key.day, item.key.session)
            self._by_slot.setdefault(slot, []).append((item.key, lit))
        if item.key is not None:
            day_key = (item.person_id, item.key.day)
            self._by_person_day.setdefault(day_key, []).append((item.key, lit))
        timeline = self.timelines[item.person_id]
        timeline.items.append(item)
        timeline.lits.append(lit)

    def slot_lit(self, key: SlotKey) -> Lit:
        """The half-day's variable, or 0 where a hard rule left no variable to create."""
        return self.slot.get(key, 0)

    def is_resident(self, person_id: str) -> bool:
        return person_id in self.resident_ids

    def items_of(self, person_id: str) -> list[tuple[Item, Lit]]:
        timeline = self.timelines[person_id]
        return list(zip(timeline.items, timeline.lits, strict=True))

    def lits_overlapping_day(self, person_id: str, day: date) -> list[Lit]:
        lo, hi = day_bounds(day)
        return [lit for item, lit in self.items_of(person_id) if item.overlaps(lo, hi)]

    def slot_lits(
        self, activity_id: str, day: date, session: Session, residents: bool = True
    ) -> list[Any]:
        return [
            lit
            for key, lit in self._by_slot.get((activity_id, day, session), [])
            if self.is_resident(key.person_id) == residents
        ]

    def slot_keys(self, activity_id: str, day: date, session: Session) -> list[tuple[SlotKey, Any]]:
        return list(self._by_slot.get((activity_id, day, session), []))

    def keys_on(self, person_id: str, day: date) -> list[tuple[SlotKey | CallKey, Any]]:
        return list(self._by_person_day.get((person_id, day), []))

    def busy(self, person_id: str, index: int, counts: Callable[[Item], bool], tag: str) -> Lit:
        """1 if fixed duty covers the segment, 0 if nothing can, else a Boolean implied by every
        covering item that `counts` (a lower bound is enough: rules only forbid busy segments)."""
        key = (person_id, index, tag)
        if key not in self._busy:
            self._busy[key] = self._make_busy(person_id, index, counts, tag)
        return self._busy[key]

    def _make_busy(
        self, person_id: str, index: int, counts: Callable[[Item], bool], tag: str
    ) -> Lit:
        timeline = self.timelines[person_id]
        lits = [
            timeline.lits[i] for i in timeline.segments[index].covering if counts(timeline.items[i])
        ]
        if not lits:
            return 0
        if any(not is_variable(lit) for lit in lits):
            return 1
        busy = self.cp.new_bool_var(f"busy_{tag}[{person_id},{index}]")
        for lit in lits:
            self.cp.add_implication(lit, busy)
        return busy

    def any_busy(
        self, person_id: str, first: int, last: int, counts: Callable[[Item], bool], tag: str
    ) -> Lit:
        """Like `busy`, for the stretch of segments first..last: implied by each busy one."""
        if first == last:
            return self.busy(person_id, first, counts, tag)
        key = (person_id, first, last, tag)
        if key not in self._any_busy:
            lits = [self.busy(person_id, k, counts, tag) for k in range(first, last + 1)]
            variables = [lit for lit in lits if is_variable(lit)]
            if any(not is_variable(lit) and lit == 1 for lit in lits):
                self._any_busy[key] = 1
            elif not variables:
                self._any_busy[key] = 0
            elif len(variables) == 1:
                self._any_busy[key] = variables[0]
            else:
                found = self.cp.new_bool_var(f"any_busy_{tag}[{person_id},{first},{last}]")
                for lit in variables:
                    self.cp.add_implication(lit, found)
                self._any_busy[key] = found
        return self._any_busy[key]

    def lits_for(
        self, person_id: str, day: date, activity_id: str | None, session: Session | None
    ) -> list[Any]:
        """Variables a lock or request names: a half-day, a call night, an FMIT week, or with
        no activity everything the person could do that day (or half-day)."""
        if activity_id == FMIT_ACTIVITY:
            return [
                lit
                for key, lit in self.fmit.items()
                if key.faculty_id == person_id and 0 <= (day - key.week_start).days < 7
            ]
        keys = self.keys_on(person_id, day)
        calls = [
            lit
            for key, lit in keys
            if isinstance(key, CallKey) and activity_id in (None, key.service_id)
        ]
        slots = [
            lit
            for key, lit in keys
            if isinstance(key, SlotKey)
            and session in (None, key.session)
            and activity_id in (None, key.activity_id)
        ]
        if activity_id is None and session is not None:
            return slots
        return slots + calls


def non_transition_work(item: Item) -> bool:
    return item.is_work and item.duty != DutyKind.TRANSITION


def work(item: Item) -> bool:
    return item.is_work
