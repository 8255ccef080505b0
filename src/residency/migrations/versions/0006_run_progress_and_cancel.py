"""run progress, cancel and one running run per range

- `schedule_runs.progress`: the latest improving solution of a running solve (objective,
  bound, gap, elapsed, stage), written at most once a second; `run_progress_points` keeps the
  curve, one row per write.
- `schedule_runs.cancel_requested_at`: set by a cancel, read by whichever process solves it.
- Two runs of the same kind never run at once over overlapping dates, whatever the number of
  workers: on PostgreSQL an exclusion constraint (btree_gist, a trusted extension since
  PostgreSQL 13, so the database's owner may create it); on SQLite, which has one writer at a
  time, a trigger. SQLite keeps a table's triggers only as long as the table: a later
  migration that alters schedule_runs in batch mode (copy, drop, rename) must create them
  again.

Revision ID: 0006
Revises: 0005
Created: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_RUNNING = "schedule_runs_one_running_per_range"
REFUSED = "another run of this kind is running over overlapping dates"
SQLITE_TRIGGERS = {f"{ONE_RUNNING}_insert": "INSERT", f"{ONE_RUNNING}_update": "UPDATE OF status"}


def upgrade() -> None:
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("progress", sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(
            sa.Column("cancel_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "run_progress_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("elapsed_s", sa.Float(), nullable=False),
        sa.Column("stage", sa.String(length=200), nullable=False),
        sa.Column("objective", sa.Float(), nullable=True),
        sa.Column("bound", sa.Float(), nullable=True),
        sa.Column("gap", sa.Float(), nullable=True),
        sa.Column("solutions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["schedule_runs.id"],
            name=op.f("fk_run_progress_points_run_id_schedule_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_progress_points")),
    )
    with op.batch_alter_table("run_progress_points", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_progress_points_run_id"), ["run_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        _create_sqlite_triggers()
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            f"ALTER TABLE schedule_runs ADD CONSTRAINT {ONE_RUNNING} EXCLUDE USING gist "
            "(kind WITH =, daterange(start_date, end_date, '[]') WITH &&) "
            "WHERE (status = 'running')"
        )


def _create_sqlite_triggers() -> None:
    for name, event in SQLITE_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON schedule_runs "
            "WHEN NEW.status = 'running' AND EXISTS (SELECT 1 FROM schedule_runs AS other "
            "WHERE other.id != NEW.id AND other.kind = NEW.kind AND other.status = 'running' "
            "AND other.start_date <= NEW.end_date AND other.end_date >= NEW.start_date) "
            f"BEGIN SELECT RAISE(ABORT, '{ONE_RUNNING}: {REFUSED}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute(f"ALTER TABLE schedule_runs DROP CONSTRAINT IF EXISTS {ONE_RUNNING}")
    with op.batch_alter_table("run_progress_points", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_progress_points_run_id"))
    op.drop_table("run_progress_points")
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.drop_column("cancel_requested_at")
        batch_op.drop_column("progress")
