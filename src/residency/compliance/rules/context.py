"""What a rule sees: one person's indexed timeline and the periods measured for averaging."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from residency.compliance.rules.averaging import PeriodStats
from residency.compliance.rules.base import Finding, RuleResult, Severity
from residency.compliance.rules.timeline import PersonTimeline


@dataclass(frozen=True, slots=True)
class PersonContext:
    timeline: PersonTimeline
    # Periods with at least one eligible day (a period that is all leave is skipped).
    periods: Sequence[PeriodStats]

    @property
    def person_id(self) -> str:
        return self.timeline.person_id


class Rule(Protocol):
    """Each rule module satisfies this: constants plus one pure `check`."""

    RULE_ID: str
    CITATION: str
    SEVERITY: Severity
    SUMMARY: str
    AVERAGED: bool  # measured per averaging period (else per run, gap or duty period)

    def check(self, context: PersonContext) -> RuleResult: ...


def closer(best: Finding | None, candidate: Finding) -> Finding:
    """The measurement nearer its limit (the smaller margin); ties keep the earlier one."""
    return candidate if best is None or candidate.margin < best.margin else best
