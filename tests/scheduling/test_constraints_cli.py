"""`residency constraints list|verify`: the pre-flight of both levels as a command (and as this
CI test)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from residency.cli import main
from residency.errors import RefusedError
from residency.scheduling import preflight
from residency.scheduling.engine import verify as block_verify
from residency.scheduling.engine.annual import verify as annual_verify
from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY
from residency.scheduling.engine.constraints.base import Activation
from residency.scheduling.engine.constraints.registry import REGISTRY, by_name
from residency.scheduling.engine.manifest import BindReport


def test_both_registries_pass_the_preflight() -> None:
    for level in preflight.LEVELS:
        preflight.preflight(level)
        assert preflight.registry_report(level).ok


def test_list_json_names_every_constraint_of_both_levels(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["constraints", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert Counter(c["level"] for c in listed) == {"annual": 12, "block": 34}
    names = {lv: sorted(c["name"] for c in listed if c["level"] == lv) for lv in preflight.LEVELS}
    assert names["annual"] == sorted(annual_verify.MANIFEST)
    assert names["block"] == sorted(block_verify.MANIFEST)
    assert all(c["reason"] for c in listed)
    weights = {c["name"]: c["weight"] for c in listed if not c["hard"]}
    assert weights["SundayCallEquity"] == 10 and weights["SpreadHardRotations"] > 0


def test_list_filters_by_level(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["constraints", "list", "--json", "--level", "annual"]) == 0
    assert {c["level"] for c in json.loads(capsys.readouterr().out)} == {"annual"}
    assert main(["constraints", "list", "--level", "block"]) == 0
    table = capsys.readouterr().out
    assert "34 constraints (34 block)" in table and "RestAfterCall" in table
    assert "BlockStaffing" not in table


def test_list_table_has_a_level_column(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["constraints", "list"]) == 0
    table = capsys.readouterr().out
    assert "46 constraints (12 annual, 34 block)" in table
    rows = [[cell.strip() for cell in line.split("│")] for line in table.splitlines()]
    assert ["annual", "BlockStaffing", "hard"] in [row[:3] for row in rows]
    assert ["block", "SundayCallEquity", "soft", "10"] in [row[:4] for row in rows]


def test_an_unknown_level_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["constraints", "verify", "--level", "year"]) == 2
    assert "--level" in capsys.readouterr().err


def test_verify_passes_for_both_levels(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["constraints", "verify"]) == 0
    out = capsys.readouterr().out
    assert "OK annual: 12 constraints" in out and "OK block: 34 constraints" in out


def test_a_crippled_block_registry_fails_naming_the_level(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = (*(c for c in REGISTRY if c.name != "RestAfterCall"), REGISTRY[0])
    monkeypatch.setattr(preflight, "REGISTRY", broken)
    assert main(["constraints", "verify"]) == 1
    out = capsys.readouterr().out
    assert "OK annual: 12 constraints" in out
    assert "FAIL block: missing: RestAfterCall; duplicated: Availability" in out
    assert main(["constraints", "verify", "--level", "annual"]) == 0


def test_a_crippled_annual_registry_fails_naming_the_level(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    crippled = tuple(c for c in ANNUAL_REGISTRY if c.name != "BlockStaffing")
    monkeypatch.setattr(preflight, "ANNUAL_REGISTRY", crippled)
    assert main(["constraints", "verify"]) == 1
    out = capsys.readouterr().out
    assert "FAIL annual: missing: BlockStaffing" in out and "OK block: 34" in out
    with pytest.raises(RefusedError) as refused:
        preflight.preflight("annual")
    assert str(refused.value) == (
        "constraint pre-flight failed (annual: missing: BlockStaffing); "
        "see `residency constraints verify --level annual`"
    )
    preflight.preflight("block")  # the other level is unaffected


def test_deep_verify_passes_on_both_real_registries(
    shared_micro_solves: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["constraints", "verify", "--deep"]) == 0
    out = capsys.readouterr().out
    assert "OK annual: 12 constraints, names and kinds match the manifest; each binds" in out
    assert "OK block: 34 constraints, names and kinds match the manifest; each binds" in out


def test_deep_verify_fails_naming_an_inert_constraint(
    block_binds: Callable[[Any], BindReport[Any]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    class Inert(type(REGISTRY[0])):  # type: ignore[misc]
        def add_to(self, model, vars, problem):  # type: ignore[no-untyped-def]
            return Activation.inactive("does nothing on purpose")

        def possible(self, problem):  # type: ignore[no-untyped-def]
            return None  # and rules nothing out before the model is built

    inert = Inert()
    with_inert = (inert, *(c for c in REGISTRY if c.name != "Availability"))
    monkeypatch.setattr(preflight, "REGISTRY", with_inert)
    # Only the inert rule is solved again; the others keep the session's answers.
    monkeypatch.setattr(preflight, "check_block_binds", _solve_only(inert, block_binds))
    assert main(["constraints", "verify", "--deep", "--level", "block"]) == 1
    assert "FAIL block: inert: Availability (" in capsys.readouterr().out


def _solve_only(rule: Any, others: Callable[[Any], BindReport[Any]]) -> Any:
    def check(candidate: Any, rules: Sequence[Any]) -> BindReport[Any]:
        return block_verify.check_binds(rule, rules) if candidate is rule else others(candidate)

    return check


def test_fingerprint_tells_the_levels_and_the_weights_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    block, annual = preflight.fingerprint("block"), preflight.fingerprint("annual")
    assert len(block) == 64 and block != annual
    assert preflight.fingerprint("block") == block  # stable
    monkeypatch.setattr(type(by_name("SundayCallEquity")), "weight", 11)
    assert preflight.fingerprint("block") != block
    monkeypatch.setattr(preflight, "REGISTRY", REGISTRY[1:])
    assert preflight.fingerprint("block") not in (block, preflight.fingerprint("annual"))
