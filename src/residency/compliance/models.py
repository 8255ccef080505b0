"""The nightly compliance scan's record: one row per scan, and one alert per rule broken in a
published schedule (per block, rule, person and first day), open until a scan no longer
finds it. A finding seen again on later nights is the same alert, seen again."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from residency.orm import Base

OPEN = text("resolved_at IS NULL")


class ComplianceScan(Base):
    __tablename__ = "compliance_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    blocks_scanned: Mapped[int]
    findings: Mapped[int]  # alerts this scan saw (new or seen again)
    opened: Mapped[int]
    resolved: Mapped[int]
    # The published blocks that could not be checked, and why: their alerts stay as they were.
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)


class ComplianceAlert(Base):
    __tablename__ = "compliance_alerts"
    # One open alert per finding: a second scan finds it again, it does not raise it again.
    __table_args__ = (
        Index(
            "uq_compliance_alerts_open_finding",
            "scope",
            "rule",
            "person_key",
            "period_start",
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(64), index=True)  # a published version's scope
    academic_year: Mapped[int]
    block_number: Mapped[int]
    rule: Mapped[str] = mapped_column(String(64))  # a hard rule, an ACGME rule, a conflict
    person_key: Mapped[str] = mapped_column(String(64))  # "": the block as a whole
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # inclusive
    message: Mapped[str] = mapped_column(String(1000))
    citation: Mapped[str] = mapped_column(String(500), default="")
    # The published run it was last seen in (a later publication may carry it over).
    run_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_runs.id", ondelete="SET NULL"))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_scan_id: Mapped[int] = mapped_column(ForeignKey("compliance_scans.id"))
    last_scan_id: Mapped[int] = mapped_column(ForeignKey("compliance_scans.id"))

    @property
    def key(self) -> tuple[str, str, str, date]:
        return (self.scope, self.rule, self.person_key, self.period_start)
