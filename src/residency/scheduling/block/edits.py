"""Manual edits of a block: one half-day cell or one call night of one version (the published
one, or a run's draft), checked against the hard rules and the ACGME checker before it stays.

The edit changes that version's row in place (it keeps its run id) and marks it `manual` and
locked, so every later run keeps it. Inside a savepoint the change is applied and the block's
verdict re-read (`verdict.check_saved`); whatever it finds that it did not find before is what
this edit causes. Without an override reason that refuses the edit (`EditRefused`, naming each
rule) and the savepoint is rolled back; with one the edit is kept as the coordinator's
recorded exception, and the version's verdict lists it under its overrides.

Editing the published version bumps its revision, so a draft built before it is stale (its
publishing then needs --force). Services flush; the caller owns the transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy.orm import Session

from residency.audit.service import record
from residency.db import savepoint
from residency.errors import InputError, RefusedError
from residency.scheduling.block.data import BlockData
from residency.scheduling.block.edit_rows import Change, plan_call, plan_slot
from residency.scheduling.block.problem import build_block_problem
from residency.scheduling.block.verdict import RuleBreak, SavedReport, check_saved
from residency.scheduling.models import (
    LIVE_STATUSES,
    Assignment,
    CallAssignment,
    PublishedVersion,
    RunKind,
)
from residency.scheduling.repository import PUBLISHED, Version
from residency.scheduling.runs.versions import (
    PUBLISHABLE,
    bump_revision,
    describe_run,
    describe_scope,
    get_run,
    published_for_update,
    run_scope,
    scope_of,
)

MAX_REASON = 500  # the override_reason column


@dataclass(frozen=True)
class SlotEdit:
    """Put a person on a rotation for one half-day (`rotation` None: clear the cell)."""

    academic_year: int
    block: int
    person_key: str
    day: date
    session: str  # AM or PM
    rotation: str | None  # a rotation's abbreviation
    run_id: int | None = None  # None: the published version
    override_reason: str | None = None


@dataclass(frozen=True)
class CallEdit:
    """Put a person on one night's call (`person_key` None: remove the call). `replacing` names
    whose call changes when the night has several people on it."""

    academic_year: int
    block: int
    day: date
    call_type: str  # in_house, weekend, home, backup
    person_key: str | None
    run_id: int | None = None
    override_reason: str | None = None
    replacing: str | None = None


@dataclass(frozen=True)
class EditResult:
    scope: str
    run_id: int  # the run whose version was edited (the published run, if `published`)
    published: bool
    change: Change
    override_reason: str | None  # as stored (also on a cleared cell's audit entry, with no row)
    overridden: bool  # kept against the hard rules in `findings`, with the override reason
    findings: tuple[RuleBreak, ...]  # what the verdict finds now and did not before the edit
    # Of those, what no kept row's reason excuses (a clear, a service left short): the
    # version's verdict still lists them as broken.
    still_broken: tuple[RuleBreak, ...]
    revision: int | None  # the published version's revision after the edit; None: a draft

    def as_json(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "run_id": self.run_id,
            "published": self.published,
            "entity": self.change.entity,
            "row_id": self.change.row_id,
            "before": self.change.before,
            "after": self.change.after,
            "override_reason": self.override_reason,
            "overridden": self.overridden,
            "findings": [
                f.as_json() | {"still_broken": f in self.still_broken} for f in self.findings
            ],
            "revision": self.revision,
        }


class EditRefused(RefusedError):
    """The edit breaks hard rules and no override reason was given: nothing was changed."""

    def __init__(self, what: str, reasons: list[RuleBreak]) -> None:
        self.reasons = reasons
        listed = "; ".join(str(r) for r in reasons)
        super().__init__(
            f"not saved: the edit of {what} breaks {listed}; give an override reason to keep "
            "it as a recorded exception"
        )


class _Plan(Protocol):
    @property
    def row(self) -> Assignment | CallAssignment | None: ...

    def apply(self, session: Session, run_id: int, reason: str | None) -> Change: ...


@dataclass
class _Target:
    """The version an edit changes: a draft (`pointer` None) or the published one."""

    scope: str
    run_id: int
    version: Version
    pointer: PublishedVersion | None


def edit_slot(session: Session, edit: SlotEdit) -> EditResult:
    reason = _reason(edit.override_reason)
    target = _target(session, edit.academic_year, edit.block, edit.run_id)
    data = _block(session, edit.academic_year, edit.block, target)
    cell = (edit.person_key, edit.day, edit.session)
    plan = plan_slot(session, data, target.version, cell, edit.rotation)
    what = f"{edit.person_key} on {edit.day} {edit.session}"
    return _edit(session, target, data, plan, reason, what)


def edit_call(session: Session, edit: CallEdit) -> EditResult:
    reason = _reason(edit.override_reason)
    target = _target(session, edit.academic_year, edit.block, edit.run_id)
    data = _block(session, edit.academic_year, edit.block, target)
    night = (edit.day, edit.call_type)
    plan = plan_call(session, data, target.version, night, edit.person_key, edit.replacing)
    what = f"the {edit.call_type} call on {edit.day}"
    return _edit(session, target, data, plan, reason, what)


def _reason(given: str | None) -> str | None:
    if given is None:
        return None
    reason = " ".join(given.split())
    if not reason:
        raise InputError(
            "override_reason: empty; say why the rule may be broken, or give none",
            field="override_reason",
        )
    if len(reason) > MAX_REASON:
        raise InputError(
            f"override_reason: {len(reason)} characters; at most {MAX_REASON}",
            field="override_reason",
        )
    return reason


def _target(session: Session, year: int, block: int, run_id: int | None) -> _Target:
    scope = scope_of(RunKind.BLOCK_SCHEDULE, year, block)
    pointer = published_for_update(session, scope)  # edits and publishing queue
    if run_id is None or (pointer is not None and pointer.run_id == run_id):
        if pointer is None:
            raise RefusedError(
                f"{describe_scope(RunKind.BLOCK_SCHEDULE, year, block)} has no published "
                "schedule to edit; edit a run's draft, or publish one first"
            )
        return _Target(scope, pointer.run_id, PUBLISHED, pointer)
    run = get_run(session, run_id)
    session.refresh(run, with_for_update=True)  # two edits of one draft queue
    if run_scope(run) != scope:
        raise InputError(
            f"run: run {run_id} is for {describe_run(run)}, not "
            f"{describe_scope(RunKind.BLOCK_SCHEDULE, year, block)}",
            field="run",
        )
    if run.status in LIVE_STATUSES:
        raise RefusedError(
            f"run {run_id} is still {run.status.value}; wait for it to finish before editing "
            "its draft",
            field="run",
        )
    if run.status not in PUBLISHABLE or not run.metrics.get("has_schedule", False):
        raise InputError(
            f"run: run {run_id} is {run.status.value} and holds no draft to edit", field="run"
        )
    return _Target(scope, run.id, Version(run.id), None)


def _block(session: Session, year: int, block: int, target: _Target) -> BlockData:
    return build_block_problem(session, year, block, kept_from=target.version)


def _edit(
    session: Session, target: _Target, data: BlockData, plan: _Plan, reason: str | None, what: str
) -> EditResult:
    if plan.row is not None and plan.row.schedule_run_id is None and target.pointer is None:
        # Changing it through a draft would change the published version too.
        raise RefusedError(
            f"{what} is a row made outside every run, shared by every version; edit it in "
            "the published version"
        )
    change, findings, after = _checked(session, target, data, plan, reason, what)
    revision = None if target.pointer is None else bump_revision(target.pointer)
    session.flush()
    result = EditResult(
        target.scope,
        target.run_id,
        target.pointer is not None,
        change,
        override_reason=reason,
        overridden=bool(findings),
        findings=tuple(findings),
        still_broken=tuple(f for f in findings if f in after.breaks),
        revision=revision,
    )
    _audit(session, result)
    return result


def _checked(
    session: Session, target: _Target, data: BlockData, plan: _Plan, reason: str | None, what: str
) -> tuple[Change, list[RuleBreak], SavedReport]:
    """The plan applied in a savepoint, kept only if it breaks nothing new or has a reason."""
    before = check_saved(session, data, target.version)
    with savepoint(session):
        change = plan.apply(session, target.run_id, reason)
        edited = _block(session, data.academic_year, data.number, target)
        after = check_saved(session, edited, target.version)
        findings = caused(before, after)
        if findings and reason is None:
            raise EditRefused(what, findings)  # leaving the block rolls the savepoint back
    return change, findings, after


def caused(before: SavedReport, after: SavedReport) -> list[RuleBreak]:
    """What the verdict finds after the edit and did not before: newly broken (a withdrawn
    override reason too) or newly excused (an override's window now holds it)."""
    found = [b for b in after.breaks if b not in before.breaks]
    found += [b for b in after.excused if b not in before.excused and b not in found]
    return list(dict.fromkeys(found))


def _audit(session: Session, result: EditResult) -> None:
    """The one place an edit is recorded, in the caller's transaction; who acted is the
    session's actor (the signed-in coordinator, or the command's OS user)."""
    change = result.change
    person = (change.after or change.before or {}).get("person_key")
    record(
        session,
        "schedule.edit",
        change.entity,
        change.row_id,
        before=change.before,
        after={
            **(change.after or {}),
            "scope": result.scope,
            "run_id": result.run_id,
            "override_reason": result.override_reason,
            "overridden": result.overridden,
            "findings": [str(f) for f in result.findings],
            "revision": result.revision,
        },
        person_key=person,
    )
