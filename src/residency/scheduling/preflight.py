"""The constraint pre-flight of both levels (the annual plan and the block schedule), and the
one text of its report, shared by `generate`, `plan year`, `constraints verify` and `doctor`.

No database: it compares each level's registry with its manifest and, when asked, solves each
rule's micro-problem (`--deep`)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from residency.errors import RefusedError
from residency.scheduling.engine import verify as block_verify
from residency.scheduling.engine.annual import verify as annual_verify
from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.manifest import BindReport, VerifyReport

Level = Literal["annual", "block"]
LEVELS: tuple[Level, ...] = ("annual", "block")  # Level 1 (the year), then Level 2 (a block)
REGISTRY_FILES: dict[Level, str] = {
    "annual": "scheduling/engine/annual/constraints/registry.py",
    "block": "scheduling/engine/constraints/registry.py",
}
# Module attributes, looked up at call time, so a test can swap one (monkeypatch) and see the
# pre-flight refuse.
check_annual_binds = annual_verify.check_binds
check_block_binds = block_verify.check_binds


def registry(level: Level) -> Sequence[Any]:
    return ANNUAL_REGISTRY if level == "annual" else REGISTRY


def manifest(level: Level) -> tuple[str, ...]:
    return annual_verify.MANIFEST if level == "annual" else block_verify.MANIFEST


@dataclass(frozen=True)
class RegistryReport:
    level: Level
    count: int
    problems: tuple[str, ...]  # "missing: A, B", ..., "inert: C (why)"
    deep: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def detail(self) -> str:
        if self.problems:
            return "; ".join(self.problems)
        checked = "; each binds on its micro-problem" if self.deep else ""
        return f"{self.count} constraints, names and kinds match the manifest{checked}"

    @property
    def line(self) -> str:
        return f"{'OK' if self.ok else 'FAIL'} {self.level}: {self.detail}"

    @property
    def fix(self) -> str:
        return f"list each expected {self.level} constraint once in {REGISTRY_FILES[self.level]}"


def registry_report(level: Level, *, deep: bool = False) -> RegistryReport:
    rules = registry(level)
    problems = _manifest_problems(_compare(level, rules))
    if deep:
        inert = [f"{r.name} ({r.detail})" for r in bind_reports(level) if not r.binds]
        problems += [f"inert: {', '.join(inert)}"] if inert else []
    return RegistryReport(level, len(rules), tuple(problems), deep)


def _compare(level: Level, rules: Sequence[Any]) -> VerifyReport:
    return annual_verify.verify(rules) if level == "annual" else block_verify.verify(rules)


def _manifest_problems(report: VerifyReport) -> list[str]:
    found = (
        ("missing", report.missing),
        ("duplicated", report.duplicated),
        ("unexpected", report.unexpected),
        ("wrong kind", report.wrong_kind),
    )
    return [f"{what}: {', '.join(names)}" for what, names in found if names]


def bind_reports(level: Level) -> list[BindReport[Any]]:
    """Each rule's micro-problem solved without and with it (two solves per rule)."""
    rules = registry(level)
    check: Callable[[Any, Sequence[Any]], BindReport[Any]]
    check = check_annual_binds if level == "annual" else check_block_binds
    return [check(rule, rules) for rule in rules]


def preflight(level: Level) -> None:
    """Refuse (exit 3) before anything is claimed when the level's registry is incomplete."""
    report = registry_report(level)
    if not report.ok:
        raise RefusedError(
            f"constraint pre-flight failed ({level}: {report.detail}); "
            f"see `residency constraints verify --level {level}`"
        )


def fingerprint(level: Level) -> str:
    """Which rules (and weights) a run was solved with, for the run's record."""
    text = ";".join(f"{c.name}:{c.hard}:{c.weight}" for c in registry(level))
    return hashlib.sha256(text.encode()).hexdigest()
