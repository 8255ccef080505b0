"""The ACGME report as the API answers it: the shape of `compliance check --json`
(compliance/report.py `to_json`), described for the OpenAPI document."""

from __future__ import annotations

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
