"""Old progress curves: a run's progress points (one per written report while it solved) are
for watching it and for a look back soon after; once the run ended long ago only its
outcome, kept on the run itself, matters. The nightly cleanup calls this."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from residency.scheduling.models import RunProgressPoint, ScheduleRun


def prune_progress(session: Session, before: datetime) -> int:
    """Delete the progress points of runs that finished before `before`, in the caller's
    transaction; a live run (no finish yet) keeps its curve whatever its age."""
    ended = select(ScheduleRun.id).where(ScheduleRun.finished_at < before)
    result = session.execute(
        delete(RunProgressPoint)
        .where(RunProgressPoint.run_id.in_(ended))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
