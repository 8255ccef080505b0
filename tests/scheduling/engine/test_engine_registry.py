from __future__ import annotations

from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.registry import REGISTRY, by_name
from residency.scheduling.engine.constraints.wednesday import WednesdayAMInternOnly
from residency.scheduling.engine.results import SolveParams
from residency.scheduling.engine.solve import solve
from residency.scheduling.engine.verify import MANIFEST, verify


def test_registry_matches_the_manifest():
    report = verify(REGISTRY)

    assert report.ok, report
    assert sorted(c.name for c in REGISTRY) == sorted(MANIFEST)


def test_verify_names_missing_and_duplicated_rules():
    registry = [c for c in REGISTRY if c.name != "RestAfterCall"] + [by_name("Requests")]

    report = verify(registry)

    assert not report.ok
    assert report.missing == ("RestAfterCall",)
    assert report.duplicated == ("Requests",)


def test_every_rule_states_its_reason_and_soft_rules_a_weight():
    for constraint in REGISTRY:
        assert constraint.reason.strip()
        assert constraint.hard or constraint.weight > 0


def test_unconfigured_program_rules_say_they_are_inactive():
    problem = WednesdayAMInternOnly().micro_problem()
    plain = ex.week(residents=problem.residents, activities=problem.activities)

    notes = solve(plain, SolveParams(time_limit_s=5, workers=1, seed=1)).notes

    assert notes["WednesdayAMInternOnly"] == "inactive: Wednesday-morning rule not configured"
    assert notes["PostFMITRecovery"].startswith("inactive:")
    assert notes["NightCallCoverage"].startswith("inactive:")
