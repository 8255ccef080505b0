"""Each registered constraint binds on its own micro-problem: without it the solver does what
it forbids; with it the rule holds and no other hard rule is broken. Each micro-problem is
solved once per session (tests/scheduling/conftest.py) and judged by every test here."""

from __future__ import annotations

import pytest

from residency.scheduling.engine.constraints.registry import REGISTRY

HARD = [c for c in REGISTRY if c.hard]
SOFT = [c for c in REGISTRY if not c.hard]


@pytest.mark.parametrize("constraint", HARD, ids=lambda c: c.name)
def test_hard_constraint_binds(constraint, block_binds):
    report = block_binds(constraint)
    problem = constraint.micro_problem()

    assert constraint.violations(report.without.schedule(problem)), report.detail
    assert report.with_rule.has_schedule, report.detail
    assert constraint.violations(report.with_rule.schedule(problem)) == []
    assert not report.with_rule.notes[constraint.name].startswith("inactive")


@pytest.mark.parametrize("constraint", SOFT, ids=lambda c: c.name)
def test_soft_constraint_lowers_its_cost(constraint, block_binds):
    report = block_binds(constraint)
    problem = constraint.micro_problem()

    assert report.binds, report.detail
    schedule = report.with_rule.schedule(problem)
    # The solver's penalty and the plain-Python check agree on the cost.
    assert report.with_rule.penalties[constraint.name] == constraint.cost(schedule)
    without = report.without.schedule(problem)
    assert constraint.cost(without) > constraint.cost(schedule)


@pytest.mark.parametrize("constraint", REGISTRY, ids=lambda c: c.name)
def test_micro_solution_breaks_no_hard_rule(constraint, block_binds):
    problem = constraint.micro_problem()
    schedule = block_binds(constraint).with_rule.schedule(problem)

    broken = {c.name: c.violations(schedule) for c in HARD if c.violations(schedule)}

    assert broken == {}
