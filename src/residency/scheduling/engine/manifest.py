"""Comparing a constraint registry with its manifest, and judging whether a rule binds on its
micro-problem: shared by both levels' pre-flights."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar


class Registered(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def hard(self) -> bool: ...


class RuleMetadata:
    """What both levels' constraints declare about themselves, and how `constraints list`
    shows it."""

    name: ClassVar[str]
    hard: ClassVar[bool]
    weight: ClassVar[int] = 0  # soft rules only: cost of one penalty unit
    reason: ClassVar[str]

    def describe(self) -> dict[str, object]:
        return {
            "name": self.name,
            "hard": self.hard,
            "weight": self.weight if not self.hard else None,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class VerifyReport:
    missing: tuple[str, ...]
    duplicated: tuple[str, ...]
    unexpected: tuple[str, ...]
    wrong_kind: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.duplicated or self.unexpected or self.wrong_kind)


def compare_with_manifest(
    registry: Sequence[Registered], expected_hard: Sequence[str], expected_soft: Sequence[str]
) -> VerifyReport:
    manifest = (*expected_hard, *expected_soft)
    names = Counter(c.name for c in registry)
    hard = {c.name for c in registry if c.hard}
    wrong = [n for n in expected_hard if n in names and n not in hard]
    wrong += [n for n in expected_soft if n in hard]
    return VerifyReport(
        missing=tuple(n for n in manifest if n not in names),
        duplicated=tuple(sorted(n for n, count in names.items() if count > 1)),
        unexpected=tuple(sorted(n for n in names if n not in manifest)),
        wrong_kind=tuple(wrong),
    )


SolutionT = TypeVar("SolutionT")


@dataclass(frozen=True)
class BindReport(Generic[SolutionT]):
    """A rule's micro-problem solved without and with it, and the verdict."""

    name: str
    binds: bool
    detail: str
    without: SolutionT
    with_rule: SolutionT


class SelfChecking(Registered, Protocol):
    """A rule with its own plain-Python check, on a schedule (Level 2) or a plan (Level 1)."""

    def violations(self, answer: Any) -> Sequence[Any]: ...

    def cost(self, answer: Any) -> int: ...


def binds(rule: SelfChecking, without: Any, with_rule: Any) -> tuple[bool, str]:
    """Did the rule change the answer? A hard rule must be broken without it and kept with it,
    a soft rule must cost less with it. Returns the verdict and a line saying why."""
    if rule.hard:
        before, after = rule.violations(without), rule.violations(with_rule)
        return bool(before) and not after, f"{len(before)} violations without, {len(after)} with"
    cost_before, cost_after = rule.cost(without), rule.cost(with_rule)
    return cost_before > cost_after, f"cost {cost_before} without, {cost_after} with"
