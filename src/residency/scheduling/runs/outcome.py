"""What a run's last step hands back: the status, message and metrics the run records, and the
level's own result for a caller in the same process (the CLI prints it; a task ignores it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from residency.scheduling.engine import Solution
from residency.scheduling.models import RunStatus


@dataclass(frozen=True)
class Outcome:
    run_id: int
    status: RunStatus
    message: str
    metrics: dict[str, Any]
    result: Any = None  # GenerateResult or AnnualPlanResult


def changes(solution: Solution) -> dict[str, list[str]]:
    return {
        "added": [describe_entry(e) for e in solution.added],
        "removed": [describe_entry(e) for e in solution.removed],
    }


def describe_entry(entry: Any) -> str:
    if hasattr(entry, "session"):
        return f"{entry.person_id} {entry.day} {entry.session} {entry.activity_id}"
    if hasattr(entry, "service_id"):
        return f"{entry.person_id} {entry.day} night {entry.service_id} call"
    return f"{entry.faculty_id} FMIT attending week from {entry.week_start}"
