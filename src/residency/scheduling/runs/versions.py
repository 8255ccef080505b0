"""Versions and publishing. A successful run's rows are a draft of its scope (the year's plan,
or one block); publishing points the scope at that run in one transaction, keeps every earlier
version, and any earlier version can be published again (a rollback).

A draft remembers the published version it was built on (`base_run_id`, `base_revision`).
Publishing it over a newer published version (someone published or rolled back since, or
edited the published version by hand) would silently undo that change, so it needs `force`."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.audit.service import record
from residency.errors import InputError, NotFoundError, RefusedError
from residency.scheduling import repository as repo
from residency.scheduling.models import (
    LIVE_STATUSES,
    Publication,
    PublishedVersion,
    RunKind,
    RunStatus,
    ScheduleRun,
)
from residency.scheduling.repository import PUBLISHED, Version

PUBLISHABLE = (RunStatus.SUCCEEDED, RunStatus.CANCELLED)  # a cancelled run may keep a schedule


class StaleVersion(RefusedError):
    """The published version changed after the run was built: publishing needs force."""


def scope_of(kind: str, academic_year: int, block_number: int | None) -> str:
    if kind == RunKind.ANNUAL_PLAN:
        return f"{kind}/{academic_year}"
    return f"{kind}/{academic_year}/{block_number}"


def run_scope(run: ScheduleRun) -> str:
    return scope_of(run.kind, run.academic_year, run.block_number)


def describe_scope(kind: str, academic_year: int, block_number: int | None) -> str:
    if kind == RunKind.ANNUAL_PLAN:
        return f"the {academic_year} annual plan"
    return f"block {block_number} of {academic_year}"


def describe_run(run: ScheduleRun) -> str:
    return describe_scope(run.kind, run.academic_year, run.block_number)


@dataclass(frozen=True)
class Base:
    """What was published when a run was built: the run (None: nothing yet) and the revision."""

    run_id: int | None = None
    revision: int = 0


def published(session: Session, scope: str) -> PublishedVersion | None:
    return session.get(PublishedVersion, scope)


def published_for_update(session: Session, scope: str) -> PublishedVersion | None:
    """The scope's pointer, locked until the caller's transaction ends (PostgreSQL; SQLite
    has one writer at a time anyway): publishing and editing the published version queue."""
    return session.scalars(
        select(PublishedVersion).where(PublishedVersion.scope == scope).with_for_update()
    ).first()


def bump_revision(pointer: PublishedVersion) -> int:
    """The published version's rows changed in place (a manual edit): drafts built on the
    revision before are now stale, so publishing one needs --force. The publication history
    is left alone: nothing was published."""
    pointer.revision += 1
    return pointer.revision


def current_base(session: Session, scope: str) -> Base:
    pointer = published(session, scope)
    return Base() if pointer is None else Base(pointer.run_id, pointer.revision)


def get_run(session: Session, run_id: int) -> ScheduleRun:
    run = session.get(ScheduleRun, run_id)
    if run is None:
        raise NotFoundError(
            f"run: {run_id} is not a schedule run (see `residency runs list`)", field="run"
        )
    return run


def version_of(
    session: Session, run_id: int | None, kind: RunKind, academic_year: int, block: int | None
) -> Version:
    """The version a reader asked for: a run of exactly this scope, or (None) the published."""
    if run_id is None:
        return PUBLISHED
    run = get_run(session, run_id)
    wanted = scope_of(kind, academic_year, block)
    if run_scope(run) != wanted:
        raise InputError(
            f"--run: run {run_id} is for {describe_run(run)}, not "
            f"{describe_scope(kind, academic_year, block)}",
            field="run",
        )
    return Version(run_id)


@dataclass(frozen=True)
class PublishResult:
    run_id: int
    scope: str
    previous_run_id: int | None
    revision: int
    forced: bool


def publish(session: Session, run_id: int, *, force: bool = False) -> PublishResult:
    """Make the run's version the published one of its scope (in the caller's transaction)."""
    run = get_run(session, run_id)
    what = describe_run(run)
    if run.status not in PUBLISHABLE or not run.metrics.get("has_schedule", False):
        wait = " yet; wait for it to finish" if run.status in LIVE_STATUSES else ""
        raise RefusedError(
            f"run {run.id} is {run.status.value} and holds no schedule to publish{wait}"
        )
    scope = run_scope(run)
    pointer = published_for_update(session, scope)
    if pointer is not None and pointer.run_id == run.id:
        raise RefusedError(f"run {run.id} is already the published version of {what}")
    now_base = Base() if pointer is None else Base(pointer.run_id, pointer.revision)
    stale = now_base != Base(run.base_run_id, run.base_revision)
    if stale and not force:
        raise StaleVersion(stale_message(run, now_base, what))
    revision = now_base.revision + 1
    when = repo.now()
    if pointer is None:
        pointer = PublishedVersion(
            scope=scope,
            kind=run.kind,
            academic_year=run.academic_year,
            block_number=run.block_number,
            run_id=run.id,
            revision=revision,
            published_at=when,
        )
        session.add(pointer)
    else:
        pointer.run_id, pointer.revision, pointer.published_at = run.id, revision, when
    session.add(
        Publication(
            scope=scope,
            run_id=run.id,
            previous_run_id=now_base.run_id,
            revision=revision,
            forced=stale,
            published_at=when,
        )
    )
    session.flush()
    result = PublishResult(run.id, scope, now_base.run_id, revision, stale)
    _audit_publish(session, now_base, result)
    return result


def _audit_publish(session: Session, replaced: Base, result: PublishResult) -> None:
    # Nothing was published before: like a creation, the event has no "before".
    before = None if replaced.run_id is None else asdict(replaced)
    after = {"run_id": result.run_id, "revision": result.revision, "forced": result.forced}
    record(session, "run.publish", "published_version", result.scope, before=before, after=after)


def stale_message(run: ScheduleRun, now: Base, what: str) -> str:
    """One message for every door (CLI, API, the run's page): each names what to do in all of
    them, since a coordinator may read it on the page and act in a terminal, or the reverse."""
    built_on = f"run {run.base_run_id}" if run.base_run_id else "nothing published"
    published_now = f"run {now.run_id} is published now" if now.run_id else "nothing is now"
    rollback = (
        " (publishing it would roll back to an older version)"
        if now.run_id is not None and run.id < now.run_id
        else ""
    )
    return (
        f"the published version of {what} changed after run {run.id} was made (it was built on "
        f"{built_on}; {published_now}){rollback}; to publish it anyway, run "
        f"`residency runs publish {run.id} --force` (on the run's page: Publish anyway; in the "
        f'API: "force": true), or make a fresh repair of what is published now with '
        f"`{repair_command(run)}`"
    )


def repair_command(run: ScheduleRun) -> str:
    """The CLI's minimal-change run of the run's scope."""
    year = f"--academic-year {run.academic_year}"
    if run.kind == RunKind.ANNUAL_PLAN:
        return f"residency plan year {year} --minimal-change"
    return f"residency generate --block {run.block_number} {year} --minimal-change"


def history(session: Session, scope: str) -> list[Publication]:
    return list(
        session.scalars(
            select(Publication).where(Publication.scope == scope).order_by(Publication.id)
        )
    )
