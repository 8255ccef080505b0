"""Bodies and answers of the run routes. A run's `result` holds the keys `generate --json`
(a block) or `plan year --json` (the year) prints, once the run has ended."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from residency.compliance.schemas import ComplianceReport
from residency.scheduling.models import RunStatus
from residency.web.params import FIRST_YEAR, LAST_YEAR
from residency.web.schemas import Body

MAX_TIME_LIMIT_S = 600.0  # a run holds one of the server's few solver threads meanwhile


class RunRequest(Body):
    model_config = ConfigDict(strict=True)  # "5" is not a number of seconds, "yes" not true

    kind: Literal["block", "annual"]
    academic_year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    block: int | None = Field(None, ge=1, le=13, description="1 to 13; kind=block only")
    time_limit_s: float | None = Field(
        None, ge=1, le=MAX_TIME_LIMIT_S, description="default: 60 for a block, 30 for the year"
    )
    minimal_change: bool = Field(False, description="repair the published version")
    first_feasible: bool = Field(
        False, description="stop at the first schedule that keeps every hard rule"
    )


class BlocksRequest(Body):
    model_config = ConfigDict(strict=True)

    academic_year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    first_block: int = Field(1, ge=1, le=13)
    last_block: int = Field(13, ge=1, le=13)
    time_limit_s: float | None = Field(
        None, ge=1, le=MAX_TIME_LIMIT_S, description="per block; default 60"
    )
    first_feasible: bool = Field(
        False, description="stop each block at its first schedule that keeps every hard rule"
    )


class RunsStarted(BaseModel):
    ids: list[int] = Field(description="one run per block, in block order")
    status: RunStatus


class RunStarted(BaseModel):
    id: int
    status: RunStatus


class RunSummary(BaseModel):
    id: int
    kind: str  # annual_plan | block_schedule
    academic_year: int
    block_number: int | None
    status: RunStatus
    published: bool
    base_run_id: int | None
    started_at: datetime = Field(description="when it was claimed")
    finished_at: datetime | None
    heartbeat_at: datetime | None
    parameters: dict[str, Any]
    message: str
    summary: str = ""


class SolverProgress(BaseModel):
    stage: str = Field(description="which search: 'block schedule', 'PGY-2 alone', ...")
    elapsed_s: float = Field(description="since the solve began")
    objective: float | None = Field(description="the best schedule's cost in this stage")
    bound: float | None = Field(description="no schedule of this stage costs less")
    gap: float | None = Field(description="relative: |objective - bound| / max(1, objective)")
    solutions: int = Field(description="improving solutions found so far")


class LatestProgress(SolverProgress):
    found_at: datetime | None = Field(None, description="when the solver reported it")


class CurvePoint(SolverProgress):
    recorded_at: datetime


class Progress(BaseModel):
    """How far the run is: its state, and the solver's latest improving solution (written at
    most once a second) with the curve of every one written."""

    status: RunStatus
    started_at: datetime = Field(description="when it was claimed")
    heartbeat_at: datetime | None = Field(description="last sign of life while it works")
    finished_at: datetime | None
    cancel_requested_at: datetime | None = None
    solver: LatestProgress | None = Field(None, description="none before the first report")
    curve: list[CurvePoint] = []


class ClaimedBy(BaseModel):
    model_config = ConfigDict(extra="allow")

    executor: str
    host: str | None = None
    pid: int | None = None


class BlockResult(BaseModel):
    level: Literal["block"] = "block"
    run_id: int
    published: bool
    solver_status: str | None = None
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    wall_s: float | None = None
    assignments: int = 0
    call_assignments: int = 0
    coverage_pct: float = 0.0
    conflicts: list[dict[str, Any]] = []
    acgme_overrides: list[dict[str, Any]] = []
    compliance: ComplianceReport | None = None
    penalties: dict[str, int | float] = {}
    explanation: list[str] | None = None
    changes: dict[str, list[str]] | None = None  # added, removed (minimal change)

    @field_validator("compliance", mode="before")
    @classmethod
    def _no_report_without_schedule(cls, value: Any) -> Any:
        # A run that found no schedule records empty findings and no summary: no report.
        return None if isinstance(value, dict) and "summary" not in value else value


class AnnualResult(BaseModel):
    level: Literal["annual"] = "annual"
    run_id: int
    published: bool
    academic_year: int
    solver_status: str | None = None
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    wall_s: float | None = None
    penalties: dict[str, int | float] = {}
    model_size: dict[str, int] = {}
    search: list[str] = []
    entries_saved: int = 0
    entries_kept: int = 0
    conflicts: list[str] = []
    plan: dict[str, list[str]] = Field({}, description="resident -> 26 half-blocks")
    changes: list[str] | None = None  # minimal change: every half-block that moved


class RunOut(RunSummary):
    progress: Progress
    executor: ClaimedBy | None = Field(description="who claimed it to execute it")
    result: BlockResult | AnnualResult | None = Field(
        None, discriminator="level", description="once ended: the keys generate --json prints"
    )


class DiffChange(BaseModel):
    person: str
    when: str  # "2026-03-10 AM", "2026-03-10 night", "block 03 half 1"
    old: str
    new: str


class DiffOut(BaseModel):
    scope: str
    old: str
    new: str
    changes: list[DiffChange]
    per_person: dict[str, int]


class PublishRequest(Body):
    model_config = ConfigDict(strict=True)

    force: bool = Field(False, description="publish over a newer published version")


class PublishOut(BaseModel):
    run_id: int
    scope: str
    previous_run_id: int | None
    revision: int
    forced: bool
