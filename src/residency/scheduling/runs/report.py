"""Runs as plain data for every door: the listing with its one-line result, and one run in
full (the CLI prints these; the API returns them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.scheduling import repository as repo
from residency.scheduling.models import LIVE_STATUSES, PublishedVersion, RunKind, ScheduleRun
from residency.scheduling.runs.progress import progress_curve
from residency.scheduling.runs.versions import get_run


def published_run_ids(session: Session) -> set[int]:
    return set(session.scalars(select(PublishedVersion.run_id)))


def runs_listing(
    session: Session, kind: RunKind | None = None, live_only: bool = False
) -> list[dict[str, Any]]:
    """Every run (of a kind; only those queued or running), newest first, each with a
    one-line result."""
    query = select(ScheduleRun).order_by(ScheduleRun.id.desc())
    if kind is not None:
        query = query.where(ScheduleRun.kind == kind)
    if live_only:
        query = query.where(ScheduleRun.status.in_(LIVE_STATUSES))
    published = published_run_ids(session)
    return [run_json(r, published) | _brief(r) for r in session.scalars(query)]


def run_detail(session: Session, run_id: int) -> dict[str, Any]:
    run = get_run(session, run_id)
    published = published_run_ids(session)
    return run_json(run, published) | {
        "metrics": run.metrics,
        "result": run_result(run, published),
        "curve": progress_curve(session, run.id),
    }


def run_result(run: ScheduleRun, published_ids: set[int]) -> dict[str, Any] | None:
    """Once the run has ended, what `generate --json` (or `plan year --json`) printed for it,
    read back from what it recorded (with the level's internal metrics beside them)."""
    if run.status in LIVE_STATUSES:
        return None
    return {"run_id": run.id, **run.metrics, "published": run.id in published_ids}


def run_json(run: ScheduleRun, published_ids: set[int]) -> dict[str, Any]:
    return {
        "id": run.id,
        "kind": run.kind,
        "academic_year": run.academic_year,
        "block_number": run.block_number,
        "status": run.status.value,
        "published": run.id in published_ids,
        "base_run_id": run.base_run_id,
        "started_at": repo.aware(run.started_at).isoformat(),
        "finished_at": repo.aware(run.finished_at).isoformat() if run.finished_at else None,
        "heartbeat_at": repo.aware(run.heartbeat_at).isoformat() if run.heartbeat_at else None,
        "parameters": run.parameters,
        "message": run.message,
        "solver": run.progress,
        "cancel_requested_at": (
            repo.aware(run.cancel_requested_at).isoformat() if run.cancel_requested_at else None
        ),
    }


def _brief(run: ScheduleRun) -> dict[str, Any]:
    m = run.metrics or {}
    if m.get("has_schedule"):
        gap = m.get("gap")
        summary = f"objective {m.get('objective')}" + (
            f", gap {100 * gap:.1f} %" if gap is not None else ""
        )
    else:
        summary = run.message[:60]
    return {"summary": summary}
