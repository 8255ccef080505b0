"""Each annual-plan rule binds on its own micro-problem: without it the solver does what it
forbids; with it the rule holds and no other hard rule is broken. Each micro-problem is
solved once per session (tests/scheduling/conftest.py) and judged by every test here."""

from __future__ import annotations

import pytest

from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY

HARD = [c for c in ANNUAL_REGISTRY if c.hard]
SOFT = [c for c in ANNUAL_REGISTRY if not c.hard]


@pytest.mark.parametrize("constraint", HARD, ids=lambda c: c.name)
def test_hard_rule_binds(constraint, annual_binds):
    report = annual_binds(constraint)
    problem = constraint.micro_problem()

    assert constraint.violations(report.without.plan(problem)), report.detail
    assert report.with_rule.has_plan, report.detail
    assert constraint.violations(report.with_rule.plan(problem)) == []
    assert not report.with_rule.notes[constraint.name].startswith("inactive")


@pytest.mark.parametrize("constraint", SOFT, ids=lambda c: c.name)
def test_soft_rule_lowers_its_cost(constraint, annual_binds):
    report = annual_binds(constraint)
    problem = constraint.micro_problem()

    assert report.binds, report.detail
    plan = report.with_rule.plan(problem)
    # The solver's penalty and the plain-Python check agree on the cost.
    assert report.with_rule.penalties[constraint.name] == constraint.cost(plan)
    assert constraint.cost(report.without.plan(problem)) > constraint.cost(plan)


@pytest.mark.parametrize("constraint", ANNUAL_REGISTRY, ids=lambda c: c.name)
def test_micro_plan_breaks_no_hard_rule(constraint, annual_binds):
    problem = constraint.micro_problem()
    plan = annual_binds(constraint).with_rule.plan(problem)

    assert {c.name: c.violations(plan) for c in HARD if c.violations(plan)} == {}
