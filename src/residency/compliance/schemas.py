"""The ACGME report as the API answers it: the shape of `compliance check --json`
(compliance/report.py `to_json`), described for the OpenAPI document."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class FindingOut(BaseModel):
    rule: str
    person_id: str
    period_start: str = Field(description="local wall-clock time, e.g. 2026-03-10T07:00")
    period_end: str
    value: float
    limit: float
    severity: str  # violation | warning
    citation: str
    unit: str
    note: str


class ClosestOut(FindingOut):
    margin: float = Field(description="how far inside the limit; negative when broken")


class RuleSummaryOut(BaseModel):
    citation: str
    severity: str
    findings: int
    closest: ClosestOut | None


class AveragingPeriodOut(BaseModel):
    label: str
    first: str
    last: str


class SummaryOut(BaseModel):
    mode: str  # block | rolling
    averaging: str
    continuous_break_minutes: int
    people: int
    duty_periods: int
    periods_checked: int
    periods_skipped_all_leave: int
    averaging_periods: list[AveragingPeriodOut]
    violations: int
    warnings: int
    rules: dict[str, RuleSummaryOut]


class ComplianceReport(BaseModel):
    violations: list[FindingOut]
    warnings: list[FindingOut]
    summary: SummaryOut


class AlertOut(BaseModel):
    """A rule broken in a published schedule, found by the nightly compliance scan."""

    id: int
    status: str = Field(description="open, or resolved (a later scan no longer found it)")
    scope: str = Field(description="the published version's scope, e.g. block_schedule/2025/10")
    academic_year: int
    block: int
    rule: str = Field(description="a hard rule, an ACGME rule id, or a conflict kind")
    person_key: str | None = Field(description="whom it concerns (null: the block as a whole)")
    person_name: str | None
    period_start: date
    period_end: date = Field(description="inclusive")
    message: str
    citation: str = Field(description="the rule's citation or reason")
    run_id: int | None = Field(description="the published run it was last seen in")
    first_seen_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None
