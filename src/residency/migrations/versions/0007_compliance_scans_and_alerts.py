"""compliance scans and alerts

The nightly compliance scan of every published block (`residency beat`, or `residency
compliance scan` by hand):

- `compliance_scans`: one row per scan (when, how many blocks, how many alerts it saw, opened
  and resolved, the blocks it could not check and why).
- `compliance_alerts`: one row per rule broken in a published schedule, per block, rule,
  person and first day; open until a scan no longer finds it (`resolved_at`). A partial
  unique index keeps one open alert per finding, so a scan that finds it again on the next
  night updates it instead of raising it twice.

Revision ID: 0007
Revises: 0006
Created: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "resolved_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "compliance_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocks_scanned", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("opened", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_scans")),
    )
    op.create_table(
        "compliance_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("academic_year", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("message", sa.String(length=1000), nullable=False),
        sa.Column("citation", sa.String(length=500), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_scan_id", sa.Integer(), nullable=False),
        sa.Column("last_scan_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_scan_id"],
            ["compliance_scans.id"],
            name=op.f("fk_compliance_alerts_first_scan_id_compliance_scans"),
        ),
        sa.ForeignKeyConstraint(
            ["last_scan_id"],
            ["compliance_scans.id"],
            name=op.f("fk_compliance_alerts_last_scan_id_compliance_scans"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["schedule_runs.id"],
            name=op.f("fk_compliance_alerts_run_id_schedule_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_alerts")),
    )
    with op.batch_alter_table("compliance_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compliance_alerts_scope"), ["scope"], unique=False)
        batch_op.create_index(
            "uq_compliance_alerts_open_finding",
            ["scope", "rule", "person_key", "period_start"],
            unique=True,
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )


def downgrade() -> None:
    with op.batch_alter_table("compliance_alerts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_compliance_alerts_open_finding",
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )
        batch_op.drop_index(batch_op.f("ix_compliance_alerts_scope"))
    op.drop_table("compliance_alerts")
    op.drop_table("compliance_scans")
