"""drafts and publishing

Every run's rows become a version of their scope (the year's plan, or one block), and
`published_versions` names the one everyone sees. Runs gain the queued and cancelled statuses,
a heartbeat, and the published version they were built on.

Data: in an existing database the rows of the latest run of each scope are the live schedule,
so that run is published (revision 1); rows a person kept (manual or locked) that still point
at an older run of the scope move to the published run, so they stay where they are.

Revision ID: 0003
Revises: 0002
Created: 2026-12-01
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

OLD_STATUSES = ("running", "succeeded", "infeasible", "failed")
NEW_STATUSES = ("queued", *OLD_STATUSES, "cancelled")
ROW_TABLES = ("assignments", "call_assignments", "rotation_plan_entries")


def _status_type(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name="run_status", native_enum=False, create_constraint=True, length=32)


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("previous_run_id", sa.Integer(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("forced", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["previous_run_id"],
            ["schedule_runs.id"],
            name=op.f("fk_publications_previous_run_id_schedule_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["schedule_runs.id"], name=op.f("fk_publications_run_id_schedule_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publications")),
    )
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publications_scope"), ["scope"], unique=False)

    op.create_table(
        "published_versions",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("academic_year", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["schedule_runs.id"],
            name=op.f("fk_published_versions_run_id_schedule_runs"),
        ),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_published_versions")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_assignments_person_id_half_day_id"), type_="unique")
        batch_op.create_index(
            "uq_assignments_people_made",
            ["person_id", "half_day_id"],
            unique=True,
            sqlite_where=sa.text("schedule_run_id IS NULL"),
            postgresql_where=sa.text("schedule_run_id IS NULL"),
        )
        batch_op.create_unique_constraint(
            "uq_assignments_version_slot", ["person_id", "half_day_id", "schedule_run_id"]
        )
        batch_op.drop_constraint(
            batch_op.f("fk_assignments_schedule_run_id_schedule_runs"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_assignments_schedule_run_id_schedule_runs"),
            "schedule_runs",
            ["schedule_run_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("call_assignments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_call_assignments_person_id_date_call_type"), type_="unique"
        )
        batch_op.create_index(
            "uq_call_assignments_people_made",
            ["person_id", "date", "call_type"],
            unique=True,
            sqlite_where=sa.text("schedule_run_id IS NULL"),
            postgresql_where=sa.text("schedule_run_id IS NULL"),
        )
        batch_op.create_unique_constraint(
            "uq_call_assignments_version_night",
            ["person_id", "date", "call_type", "schedule_run_id"],
        )
        batch_op.drop_constraint(
            batch_op.f("fk_call_assignments_schedule_run_id_schedule_runs"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_call_assignments_schedule_run_id_schedule_runs"),
            "schedule_runs",
            ["schedule_run_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("rotation_plan_entries", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_rotation_plan_entries_person_id_academic_year_block_number_block_half"),
            type_="unique",
        )
        batch_op.create_index(
            "uq_rotation_plan_entries_people_made",
            ["person_id", "academic_year", "block_number", "block_half"],
            unique=True,
            sqlite_where=sa.text("schedule_run_id IS NULL"),
            postgresql_where=sa.text("schedule_run_id IS NULL"),
        )
        batch_op.create_unique_constraint(
            "uq_rotation_plan_entries_version_half_block",
            ["person_id", "academic_year", "block_number", "block_half", "schedule_run_id"],
        )
        batch_op.drop_constraint(
            batch_op.f("fk_rotation_plan_entries_schedule_run_id_schedule_runs"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_rotation_plan_entries_schedule_run_id_schedule_runs"),
            "schedule_runs",
            ["schedule_run_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("base_run_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("base_revision", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.alter_column(
            "status", existing_type=_status_type(OLD_STATUSES), type_=_status_type(NEW_STATUSES)
        )
    _publish_live_rows()


def _scope(kind: str, year: int, block: int | None) -> str:
    return f"{kind}/{year}" if block is None else f"{kind}/{year}/{block}"


def _publish_live_rows() -> None:
    connection = op.get_bind()
    referenced: set[int] = set()
    for table in ROW_TABLES:
        referenced |= set(
            connection.execute(
                sa.text(
                    f"SELECT DISTINCT schedule_run_id FROM {table} WHERE schedule_run_id IS NOT NULL"
                )
            ).scalars()
        )
    runs = connection.execute(
        sa.text("SELECT id, kind, academic_year, block_number FROM schedule_runs")
    ).all()
    latest: dict[str, tuple[int, str, int, int | None]] = {}
    for run_id, kind, year, block in runs:
        if run_id in referenced:
            scope = _scope(kind, year, block)
            if scope not in latest or run_id > latest[scope][0]:
                latest[scope] = (run_id, kind, year, block)
    now = datetime.now(UTC)
    for scope, (run_id, kind, year, block) in latest.items():
        values = {
            "scope": scope,
            "run": run_id,
            "kind": kind,
            "year": year,
            "block": block,
            "at": now,
        }
        connection.execute(
            sa.text(
                "INSERT INTO published_versions (scope, kind, academic_year, block_number, run_id, "
                "revision, published_at) VALUES (:scope, :kind, :year, :block, :run, 1, :at)"
            ),
            values,
        )
        connection.execute(
            sa.text(
                "INSERT INTO publications (scope, run_id, previous_run_id, revision, forced, "
                "published_at) VALUES (:scope, :run, NULL, 1, false, :at)"
            ),
            values,
        )
        older = [r for r, k, y, b in runs if (k, y, b) == (kind, year, block) and r != run_id]
        for table in ROW_TABLES:
            for old in older:
                connection.execute(
                    sa.text(
                        f"UPDATE {table} SET schedule_run_id = :run WHERE schedule_run_id = :old"
                    ),
                    {"run": run_id, "old": old},
                )


def downgrade() -> None:
    # Only the published version of each scope was live before drafts existed: drop the rest,
    # and end the runs the old schema has no status for.
    connection = op.get_bind()
    for table in ROW_TABLES:
        connection.execute(
            sa.text(
                f"DELETE FROM {table} WHERE schedule_run_id IS NOT NULL AND schedule_run_id NOT IN "
                "(SELECT run_id FROM published_versions)"
            )
        )
    connection.execute(
        sa.text(
            "UPDATE schedule_runs SET status = 'failed' WHERE status IN ('queued', 'cancelled')"
        )
    )
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=_status_type(NEW_STATUSES), type_=_status_type(OLD_STATUSES)
        )
        batch_op.drop_column("base_revision")
        batch_op.drop_column("base_run_id")
        batch_op.drop_column("heartbeat_at")

    with op.batch_alter_table("rotation_plan_entries", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_rotation_plan_entries_schedule_run_id_schedule_runs"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_rotation_plan_entries_schedule_run_id_schedule_runs"),
            "schedule_runs",
            ["schedule_run_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint("uq_rotation_plan_entries_version_half_block", type_="unique")
        batch_op.drop_index(
            "uq_rotation_plan_entries_people_made",
            sqlite_where=sa.text("schedule_run_id IS NULL"),
            postgresql_where=sa.text("schedule_run_id IS NULL"),
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_rotation_plan_entries_person_id_academic_year_block_number_block_half"),
            ["person_id", "academic_year", "block_number", "block_half"],
        )

    with op.batch_alter_table("call_assignments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_call_assignments_schedule_run_id_schedule_runs"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_call_assignments_schedule_run_id_schedule_runs"),
            "schedule_runs",
            ["schedule_run_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint("uq_call_assignments_version_night", type_="unique")
        batch_op.drop_index(
            "uq_call_assignments_people_made",
            sqlite_where=sa.text("schedule_run_id IS NULL"),
            postgresql_where=sa.text("schedule_run_id IS NULL"),
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_call_assignments_person_id_date_call_type"),
            ["person_id", "date", "call_type"],
        )

    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_assignments_schedule_run_id_schedule_runs"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_assignments_schedule_run_id_schedule_runs"),
            "schedule_runs",
            ["schedule_run_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint("uq_assignments_version_slot", type_="unique")
        batch_op.drop_index(
            "uq_assignments_people_made",
            sqlite_where=sa.text("schedule_run_id IS NULL"),
            postgresql_where=sa.text("schedule_run_id IS NULL"),
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_assignments_person_id_half_day_id"), ["person_id", "half_day_id"]
        )

    op.drop_table("published_versions")
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publications_scope"))

    op.drop_table("publications")
