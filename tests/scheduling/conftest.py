"""Each rule's micro-problem is solved once per test session (without and with the rule), and
every test that judges it (the bind tests of both levels, `constraints verify --deep`) reads
that one result."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from residency.scheduling import preflight
from residency.scheduling.engine import verify as block_verify
from residency.scheduling.engine.annual import verify as annual_verify
from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.manifest import BindReport

MicroBinds = Callable[[Any], BindReport[Any]]
REAL = {"annual": ANNUAL_REGISTRY, "block": REGISTRY}
CHECKS = {"annual": annual_verify.check_binds, "block": block_verify.check_binds}


@functools.cache
def _solved(level: str, name: str) -> BindReport[Any]:
    rules = REAL[level]
    rule = next(c for c in rules if c.name == name)
    return CHECKS[level](rule, rules)


def _cached_or_real(level: str) -> Callable[[Any, Sequence[Any]], BindReport[Any]]:
    # Only the real registry's answers are shared: a test that swaps a rule solves for real.
    def check(rule: Any, rules: Sequence[Any]) -> BindReport[Any]:
        if rules is REAL[level]:
            return _solved(level, rule.name)
        return CHECKS[level](rule, rules)

    return check


@pytest.fixture(scope="session")
def block_binds() -> MicroBinds:
    return lambda rule: _solved("block", rule.name)


@pytest.fixture(scope="session")
def annual_binds() -> MicroBinds:
    return lambda rule: _solved("annual", rule.name)


@pytest.fixture
def shared_micro_solves(monkeypatch: pytest.MonkeyPatch) -> None:
    """`constraints verify --deep` reads the session's micro-problem answers."""
    monkeypatch.setattr(preflight, "check_block_binds", _cached_or_real("block"))
    monkeypatch.setattr(preflight, "check_annual_binds", _cached_or_real("annual"))
