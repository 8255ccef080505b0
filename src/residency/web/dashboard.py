"""What the dashboard shows, read from the services every door uses: the academic year's
blocks and what is published of each, open compliance alerts, runs in progress, and what
changed in the shown block since its publish (block/since_publish.py). Each part is read only
for a role that may see it (the same permissions as the API routes that answer it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from residency import clock
from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.calendar import service as calendar
from residency.compliance.alerts import open_alerts
from residency.errors import RefusedError
from residency.people.repository import key_of_person
from residency.scheduling.block.since_publish import SincePublish, since_publish
from residency.scheduling.models import RunKind
from residency.scheduling.runs.report import runs_listing
from residency.scheduling.runs.versions import describe_scope, published, scope_of


@dataclass(frozen=True)
class BlockStatus:
    number: int
    start: date
    end: date
    published_run_id: int | None  # None: nothing published for the block yet
    revision: int | None
    published_at: datetime | None
    open_alerts: int | None  # None: the role may not read compliance alerts


@dataclass(frozen=True)
class RunInProgress:
    run_id: int
    what: str  # "block 10 of 2025"
    status: str
    started_at: datetime


@dataclass(frozen=True)
class Dashboard:
    today: date
    academic_year: int | None  # None: no academic year in the database yet
    label: str
    blocks: list[BlockStatus]
    current: BlockStatus | None  # the block holding today; None when today is outside the year
    shown: BlockStatus | None  # the block to link to: the current one, else the latest published
    plan_run_id: int | None  # the year's published annual plan
    open_alerts: int | None  # None: the role may not read compliance alerts
    runs: list[RunInProgress] | None  # None: the role may not see runs
    person_key: str | None  # the signed-in resident's or faculty member's own page
    # The shown block's changes since its publish; None: not staff, or nothing published.
    changes: SincePublish | None = None


def dashboard(session: Session, who: Principal, today: date) -> Dashboard:
    try:
        year = calendar.default_academic_year(session, today)
    except RefusedError:  # no academic year yet: an empty database
        key = key_of_person(session, who.person_id)
        return Dashboard(today, None, "", [], None, None, None, None, None, key)
    row = calendar.academic_year_with_blocks(session, year)
    staff = allows(who.role, Permission.READ_PROGRAM)  # alerts, the audit's actors, absences
    alerts = _alerts_by_block(session, year) if staff else None
    blocks = [
        _status(session, year, block.number, block.start_date, block.end_date, alerts)
        for block in sorted(row.blocks, key=lambda b: b.number)
    ]
    current = next((b for b in blocks if b.start <= today <= b.end), None)
    latest = next((b for b in reversed(blocks) if b.published_run_id is not None), None)
    plan = published(session, scope_of(RunKind.ANNUAL_PLAN, year, None))
    shown = current or latest or (blocks[0] if blocks else None)
    return Dashboard(
        today=today,
        academic_year=year,
        label=row.label,
        blocks=blocks,
        current=current,
        shown=shown,
        plan_run_id=plan.run_id if plan else None,
        open_alerts=None if alerts is None else sum(alerts.values()),
        runs=_runs_in_progress(session) if allows(who.role, Permission.RUN_SCHEDULES) else None,
        person_key=key_of_person(session, who.person_id),
        changes=since_publish(session, year, shown.number) if staff and shown else None,
    )


def _status(
    session: Session,
    year: int,
    number: int,
    start: date,
    end: date,
    alerts: Counter[int] | None,
) -> BlockStatus:
    pointer = published(session, scope_of(RunKind.BLOCK_SCHEDULE, year, number))
    return BlockStatus(
        number,
        start,
        end,
        pointer.run_id if pointer else None,
        pointer.revision if pointer else None,
        clock.aware(pointer.published_at) if pointer else None,
        None if alerts is None else alerts[number],
    )


def _alerts_by_block(session: Session, year: int) -> Counter[int]:
    """Open alerts of the year's blocks, by block number (the nightly scan raises them)."""
    scopes = [scope_of(RunKind.BLOCK_SCHEDULE, year, number) for number in range(1, 14)]
    return Counter(alert.block_number or 0 for alert in open_alerts(session, scopes))


def _runs_in_progress(session: Session) -> list[RunInProgress]:
    return [
        RunInProgress(
            run["id"],
            describe_scope(run["kind"], run["academic_year"], run["block_number"]),
            run["status"],
            datetime.fromisoformat(run["started_at"]),
        )
        for run in runs_listing(session, live_only=True)
    ]
