"""Comparing a constraint registry with its manifest: shared by both levels' pre-flights."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class Registered(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def hard(self) -> bool: ...


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
