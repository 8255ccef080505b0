"""initial schema

Revision ID: 0001
Revises:
Created: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "academic_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_academic_years")),
        sa.UniqueConstraint("start_date", name=op.f("uq_academic_years_start_date")),
        sa.UniqueConstraint("year", name=op.f("uq_academic_years_year")),
    )
    op.create_table(
        "app_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_name", sa.String(length=200), nullable=False),
        sa.Column("academic_year_start_month", sa.Integer(), nullable=False),
        sa.Column("academic_year_start_day", sa.Integer(), nullable=False),
        sa.Column("policy", sa.JSON(), nullable=False),
        sa.Column("schema_revision", sa.String(length=64), nullable=True),
        sa.Column("schema_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_app_settings_singleton")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_settings")),
    )
    # The singleton row exists from the first revision on: env.py records the schema version
    # in it after every upgrade or downgrade.
    app_settings = sa.table(
        "app_settings",
        sa.column("id", sa.Integer),
        sa.column("program_name", sa.String),
        sa.column("academic_year_start_month", sa.Integer),
        sa.column("academic_year_start_day", sa.Integer),
        sa.column("policy", sa.JSON),
    )
    op.bulk_insert(
        app_settings,
        [
            {
                "id": 1,
                "program_name": "",
                "academic_year_start_month": 7,
                "academic_year_start_day": 1,
                "policy": {},
            }
        ],
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "resident",
                "faculty",
                name="person_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column(
            "faculty_role",
            sa.Enum(
                "program_director",
                "associate_program_director",
                "officer_in_charge",
                "department_chief",
                "sports_medicine",
                "core",
                name="faculty_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'faculty') = (faculty_role IS NOT NULL)",
            name=op.f("ck_people_faculty_have_a_role"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("email", name=op.f("uq_people_email")),
        sa.UniqueConstraint("key", name=op.f("uq_people_key")),
    )
    op.create_table(
        "rotation_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("abbreviation", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column(
            "activity_type",
            sa.Enum(
                "inpatient",
                "night_float",
                "outpatient",
                "clinic",
                "call",
                "procedure",
                "education",
                "orientation",
                "leave",
                "off",
                name="activity_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("eligible_pgy", sa.JSON(), nullable=False),
        sa.Column("min_residents_per_block", sa.Integer(), nullable=False),
        sa.Column("max_residents_per_block", sa.Integer(), nullable=False),
        sa.Column("min_residents_per_half_day", sa.Integer(), nullable=False),
        sa.Column("max_residents_per_half_day", sa.Integer(), nullable=False),
        sa.Column("requires_supervision", sa.Boolean(), nullable=False),
        sa.Column("half_block", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "min_residents_per_block >= 0 AND max_residents_per_block >= min_residents_per_block",
            name=op.f("ck_rotation_templates_block_staffing_bounds"),
        ),
        sa.CheckConstraint(
            "min_residents_per_half_day >= 0 AND max_residents_per_half_day >= min_residents_per_half_day",
            name=op.f("ck_rotation_templates_half_day_staffing_bounds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rotation_templates")),
        sa.UniqueConstraint("abbreviation", name=op.f("uq_rotation_templates_abbreviation")),
        sa.UniqueConstraint("name", name=op.f("uq_rotation_templates_name")),
    )
    op.create_table(
        "schedule_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("academic_year", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "running",
                "succeeded",
                "infeasible",
                "failed",
                name="run_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("constraint_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message", sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_runs")),
    )
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "absence_type",
            sa.Enum(
                "vacation",
                "sick",
                "medical",
                "parental",
                "conference",
                "deployment",
                "tdy",
                "bereavement",
                "emergency",
                name="absence_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("blocks_scheduling", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "end_date >= start_date", name=op.f("ck_absences_ends_on_or_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_absences_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
        sa.UniqueConstraint(
            "person_id",
            "start_date",
            "absence_type",
            name=op.f("uq_absences_person_id_start_date_absence_type"),
        ),
    )
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absences_person_id"), ["person_id"], unique=False)

    op.create_table(
        "blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("academic_year_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_blocks_ends_after_start")),
        sa.CheckConstraint("number BETWEEN 1 AND 13", name=op.f("ck_blocks_number_1_to_13")),
        sa.ForeignKeyConstraint(
            ["academic_year_id"],
            ["academic_years.id"],
            name=op.f("fk_blocks_academic_year_id_academic_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocks")),
        sa.UniqueConstraint(
            "academic_year_id", "number", name=op.f("uq_blocks_academic_year_id_number")
        ),
    )
    op.create_table(
        "call_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column(
            "call_type",
            sa.Enum(
                "in_house",
                "weekend",
                "home",
                "backup",
                name="call_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("schedule_run_id", sa.Integer(), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "primary",
                "supervising",
                "backup",
                name="assignment_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum(
                "solver",
                "manual",
                "import",
                name="assignment_source",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("override_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "ends_at > starts_at", name=op.f("ck_call_assignments_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_call_assignments_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_run_id"],
            ["schedule_runs.id"],
            name=op.f("fk_call_assignments_schedule_run_id_schedule_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_assignments")),
        sa.UniqueConstraint(
            "person_id",
            "date",
            "call_type",
            name=op.f("uq_call_assignments_person_id_date_call_type"),
        ),
    )
    with op.batch_alter_table("call_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_assignments_date"), ["date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_call_assignments_schedule_run_id"), ["schedule_run_id"], unique=False
        )

    op.create_table(
        "duty_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "shift",
                "in_house_call",
                "transition",
                "home_call",
                "home_call_work",
                "moonlighting",
                "leave",
                name="duty_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_duty_shifts_weekday_0_to_6")),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["rotation_templates.id"],
            name=op.f("fk_duty_shifts_template_id_rotation_templates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_shifts")),
        sa.UniqueConstraint(
            "template_id",
            "weekday",
            "start_time",
            name=op.f("uq_duty_shifts_template_id_weekday_start_time"),
        ),
    )
    op.create_table(
        "resident_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("academic_year", sa.Integer(), nullable=False),
        sa.Column("pgy", sa.Integer(), nullable=False),
        sa.CheckConstraint("pgy BETWEEN 1 AND 10", name=op.f("ck_resident_levels_pgy_in_range")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_resident_levels_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident_levels")),
        sa.UniqueConstraint(
            "person_id", "academic_year", name=op.f("uq_resident_levels_person_id_academic_year")
        ),
    )
    op.create_table(
        "rotation_plan_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("academic_year", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.Integer(), nullable=False),
        sa.Column("block_half", sa.Integer(), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=False),
        sa.Column("schedule_run_id", sa.Integer(), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "primary",
                "supervising",
                "backup",
                name="assignment_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum(
                "solver",
                "manual",
                "import",
                name="assignment_source",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("override_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "block_half IN (0, 1, 2)", name=op.f("ck_rotation_plan_entries_block_half_0_1_2")
        ),
        sa.CheckConstraint(
            "block_number BETWEEN 1 AND 13",
            name=op.f("ck_rotation_plan_entries_block_number_1_to_13"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_rotation_plan_entries_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rotation_id"],
            ["rotation_templates.id"],
            name=op.f("fk_rotation_plan_entries_rotation_id_rotation_templates"),
        ),
        sa.ForeignKeyConstraint(
            ["schedule_run_id"],
            ["schedule_runs.id"],
            name=op.f("fk_rotation_plan_entries_schedule_run_id_schedule_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rotation_plan_entries")),
        sa.UniqueConstraint(
            "person_id",
            "academic_year",
            "block_number",
            "block_half",
            name=op.f("uq_rotation_plan_entries_person_id_academic_year_block_number_block_half"),
        ),
    )
    op.create_table(
        "half_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("block_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column(
            "session",
            sa.Enum(
                "AM", "PM", name="session", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("is_weekend", sa.Boolean(), nullable=False),
        sa.Column("is_holiday", sa.Boolean(), nullable=False),
        sa.Column("holiday_name", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["block_id"],
            ["blocks.id"],
            name=op.f("fk_half_days_block_id_blocks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_half_days")),
        sa.UniqueConstraint("date", "session", name=op.f("uq_half_days_date_session")),
    )
    with op.batch_alter_table("half_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_half_days_block_id"), ["block_id"], unique=False)

    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("half_day_id", sa.Integer(), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=False),
        sa.Column("activity", sa.String(length=64), nullable=False),
        sa.Column("schedule_run_id", sa.Integer(), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "primary",
                "supervising",
                "backup",
                name="assignment_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum(
                "solver",
                "manual",
                "import",
                name="assignment_source",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("override_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["half_day_id"],
            ["half_days.id"],
            name=op.f("fk_assignments_half_day_id_half_days"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_assignments_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rotation_id"],
            ["rotation_templates.id"],
            name=op.f("fk_assignments_rotation_id_rotation_templates"),
        ),
        sa.ForeignKeyConstraint(
            ["schedule_run_id"],
            ["schedule_runs.id"],
            name=op.f("fk_assignments_schedule_run_id_schedule_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "person_id", "half_day_id", name=op.f("uq_assignments_person_id_half_day_id")
        ),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignments_half_day_id"), ["half_day_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assignments_schedule_run_id"), ["schedule_run_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_schedule_run_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_half_day_id"))

    op.drop_table("assignments")
    with op.batch_alter_table("half_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_half_days_block_id"))

    op.drop_table("half_days")
    op.drop_table("rotation_plan_entries")
    op.drop_table("resident_levels")
    op.drop_table("duty_shifts")
    with op.batch_alter_table("call_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_assignments_schedule_run_id"))
        batch_op.drop_index(batch_op.f("ix_call_assignments_date"))

    op.drop_table("call_assignments")
    op.drop_table("blocks")
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absences_person_id"))

    op.drop_table("absences")
    op.drop_table("schedule_runs")
    op.drop_table("rotation_templates")
    op.drop_table("people")
    op.drop_table("app_settings")
    op.drop_table("academic_years")
