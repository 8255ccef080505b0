from __future__ import annotations

from residency.scheduling.engine.annual import examples as ex
from residency.scheduling.engine.annual import solve_annual
from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY, annual_rule
from residency.scheduling.engine.annual.verify import MANIFEST, verify
from residency.scheduling.engine.results import SolveParams


def test_registry_matches_the_manifest():
    report = verify(ANNUAL_REGISTRY)

    assert report.ok, report
    assert sorted(c.name for c in ANNUAL_REGISTRY) == sorted(MANIFEST)


def test_verify_names_missing_and_duplicated_rules():
    registry = [c for c in ANNUAL_REGISTRY if c.name != "BlockStaffing"]
    registry.append(annual_rule("RotationRequests"))

    report = verify(registry)

    assert not report.ok
    assert report.missing == ("BlockStaffing",)
    assert report.duplicated == ("RotationRequests",)


def test_every_rule_states_its_reason_and_soft_rules_a_weight():
    for constraint in ANNUAL_REGISTRY:
        assert constraint.reason.strip()
        assert constraint.hard or constraint.weight > 0


def test_rules_with_nothing_to_act_on_say_they_are_inactive():
    notes = solve_annual(ex.year(1), SolveParams(time_limit_s=5, workers=1, seed=1)).notes

    assert notes["OneRotationPerHalfBlock"] == "2 one-rotation rows"
    for name in ("LockedPlanEntries", "PgyStaffingMix", "RotationRequests", "SpreadHardRotations"):
        assert notes[name].startswith("inactive:"), name
