"""Alerts from the nightly compliance scan: what it found is matched against the open alerts
of the blocks it checked. A finding seen again updates its alert (last seen, message); a new
one opens an alert; an open alert whose finding is gone is resolved. Services flush; the
caller owns the transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from residency import clock
from residency.compliance.models import ComplianceAlert, ComplianceScan
from residency.people.models import Person

MESSAGE_LENGTH = 1000
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


@dataclass(frozen=True)
class Found:
    """One rule broken in a published block: one alert's worth (a rule may break several
    times on one day for one person, e.g. each half-day during an absence: one alert)."""

    scope: str
    academic_year: int
    block: int
    run_id: int
    rule: str
    person_key: str  # "": the block as a whole
    period_start: date
    period_end: date
    message: str
    citation: str

    @property
    def key(self) -> tuple[str, str, str, date]:
        return (self.scope, self.rule, self.person_key, self.period_start)


@dataclass(frozen=True)
class ScanSummary:
    scan_id: int
    blocks_scanned: int
    findings: int
    opened: list[str]  # each new alert, described
    resolved: int
    open_total: int
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "scan_id": self.scan_id,
            "blocks_scanned": self.blocks_scanned,
            "findings": self.findings,
            "opened": len(self.opened),
            "resolved": self.resolved,
            "open": self.open_total,
            "problems": self.problems,
        }


def record_scan(
    session: Session,
    scanned_scopes: Sequence[str],
    found: Sequence[Found],
    problems: Sequence[str],
    started_at: datetime,
) -> ScanSummary:
    now = clock.now()
    scan = ComplianceScan(
        started_at=started_at,
        finished_at=now,
        blocks_scanned=len(scanned_scopes),
        findings=0,
        opened=0,
        resolved=0,
        problems=list(problems),
    )
    session.add(scan)
    session.flush()
    merged = merge(found)
    # Only the blocks checked tonight: a block that could not be checked keeps its alerts.
    still_open = {alert.key: alert for alert in open_alerts(session, scanned_scopes)}
    opened = []
    for key, finding in merged.items():
        alert = still_open.pop(key, None)
        if alert is None:
            alert = ComplianceAlert(first_seen_at=now, first_scan_id=scan.id, **_columns(finding))
            session.add(alert)
            opened.append(describe(finding))
        else:
            for name, value in _columns(finding).items():
                setattr(alert, name, value)
        alert.last_seen_at, alert.last_scan_id = now, scan.id
    for gone in still_open.values():
        gone.resolved_at = now
    scan.findings, scan.opened, scan.resolved = len(merged), len(opened), len(still_open)
    session.flush()
    total = session.scalar(
        select(func.count())
        .select_from(ComplianceAlert)
        .where(ComplianceAlert.resolved_at.is_(None))
    )
    return ScanSummary(
        scan.id,
        len(scanned_scopes),
        len(merged),
        opened,
        len(still_open),
        total or 0,
        list(problems),
    )


def merge(found: Sequence[Found]) -> dict[tuple[str, str, str, date], Found]:
    """One per alert key: the messages of one rule's breaks for one person and day joined,
    the latest end kept."""
    groups: defaultdict[tuple[str, str, str, date], list[Found]] = defaultdict(list)
    for finding in found:
        groups[finding.key].append(finding)
    return {
        key: replace(
            group[0],
            period_end=max(f.period_end for f in group),
            message="; ".join(dict.fromkeys(f.message for f in group))[:MESSAGE_LENGTH],
        )
        for key, group in groups.items()
    }


def describe(finding: Found) -> str:
    who = f" {finding.person_key}" if finding.person_key else ""
    return (
        f"block {finding.block} of {finding.academic_year}: {finding.rule}{who} "
        f"{finding.period_start}: {finding.message}"
    )


def _columns(finding: Found) -> dict[str, Any]:
    return {
        "scope": finding.scope,
        "academic_year": finding.academic_year,
        "block_number": finding.block,
        "rule": finding.rule,
        "person_key": finding.person_key,
        "period_start": finding.period_start,
        "period_end": finding.period_end,
        "message": finding.message[:MESSAGE_LENGTH],
        "citation": finding.citation[:500],
        "run_id": finding.run_id,
    }


def open_alerts(session: Session, scopes: Sequence[str] | None) -> list[ComplianceAlert]:
    query = select(ComplianceAlert).where(ComplianceAlert.resolved_at.is_(None))
    if scopes is not None:
        query = query.where(ComplianceAlert.scope.in_(scopes))
    return list(session.scalars(query))


class AlertStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    ALL = "all"


@dataclass(frozen=True)
class AlertFilter:
    status: AlertStatus = AlertStatus.OPEN
    academic_year: int | None = None
    block: int | None = None
    limit: int = DEFAULT_LIMIT
    before_id: int | None = None


def list_alerts(session: Session, wanted: AlertFilter) -> list[dict[str, Any]]:
    """Newest first, each with the person's name (None when nobody, or no longer in the
    program)."""
    query = (
        select(ComplianceAlert, Person.name)
        .outerjoin(Person, Person.key == ComplianceAlert.person_key)
        .order_by(ComplianceAlert.id.desc())
        .limit(wanted.limit)
    )
    if wanted.status is AlertStatus.OPEN:
        query = query.where(ComplianceAlert.resolved_at.is_(None))
    elif wanted.status is AlertStatus.RESOLVED:
        query = query.where(ComplianceAlert.resolved_at.is_not(None))
    if wanted.academic_year is not None:
        query = query.where(ComplianceAlert.academic_year == wanted.academic_year)
    if wanted.block is not None:
        query = query.where(ComplianceAlert.block_number == wanted.block)
    if wanted.before_id is not None:
        query = query.where(ComplianceAlert.id < wanted.before_id)
    return [alert_json(alert, name) for alert, name in session.execute(query)]


def alert_json(alert: ComplianceAlert, person_name: str | None) -> dict[str, Any]:
    return {
        "id": alert.id,
        "status": "open" if alert.resolved_at is None else "resolved",
        "scope": alert.scope,
        "academic_year": alert.academic_year,
        "block": alert.block_number,
        "rule": alert.rule,
        "person_key": alert.person_key or None,
        "person_name": person_name,
        "period_start": alert.period_start,
        "period_end": alert.period_end,
        "message": alert.message,
        "citation": alert.citation,
        "run_id": alert.run_id,
        "first_seen_at": clock.aware(alert.first_seen_at),
        "last_seen_at": clock.aware(alert.last_seen_at),
        "resolved_at": clock.aware(alert.resolved_at) if alert.resolved_at else None,
    }
