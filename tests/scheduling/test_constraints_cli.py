"""`residency constraints list|verify`: the pre-flight as a command (and as this CI test)."""

from __future__ import annotations

import json

import pytest

from residency.cli import main
from residency.scheduling import cli as scheduling_cli
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.verify import MANIFEST, verify


def test_the_registry_passes_the_preflight() -> None:
    assert verify(REGISTRY).ok


def test_list_json_names_every_constraint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["constraints", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(c["name"] for c in listed) == sorted(MANIFEST)
    assert all(c["reason"] for c in listed)
    assert {c["name"]: c["weight"] for c in listed if not c["hard"]}["SundayCallEquity"] == 10


def test_verify_passes_and_fails_naming_missing_and_duplicated(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["constraints", "verify"]) == 0
    assert "OK: 34 constraints" in capsys.readouterr().out
    broken = (*(c for c in REGISTRY if c.name != "RestAfterCall"), REGISTRY[0])
    monkeypatch.setattr(scheduling_cli, "REGISTRY", broken)
    assert main(["constraints", "verify"]) == 1
    out = capsys.readouterr().out
    assert "missing: RestAfterCall" in out and "duplicated: Availability" in out


def test_deep_verify_passes_on_the_real_registry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["constraints", "verify", "--deep"]) == 0
    assert "each binds on its micro-problem" in capsys.readouterr().out


def test_deep_verify_fails_naming_an_inert_constraint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Inert(type(REGISTRY[0])):  # type: ignore[misc]
        def add_to(self, model, vars, problem):  # type: ignore[no-untyped-def]
            from residency.scheduling.engine.constraints.base import Activation

            return Activation.inactive("does nothing on purpose")

        def possible(self, problem):  # type: ignore[no-untyped-def]
            return None  # and rules nothing out before the model is built

    only_one = (Inert(), *(c for c in REGISTRY if c.name != "Availability"))
    monkeypatch.setattr(scheduling_cli, "REGISTRY", only_one)
    monkeypatch.setattr(scheduling_cli, "deep_verify", lambda registry: _deep_first(registry))
    assert main(["constraints", "verify", "--deep"]) == 1
    assert "inert: Availability" in capsys.readouterr().out


def _deep_first(registry):  # type: ignore[no-untyped-def]
    from residency.scheduling.engine.verify import check_binds

    return [check_binds(registry[0], registry)]  # one rule keeps the test fast
