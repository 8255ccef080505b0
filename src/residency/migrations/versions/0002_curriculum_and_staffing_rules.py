"""curriculum and staffing rules

Revision ID: 0002
Revises: 0001
Created: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "curriculum_requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pgy", sa.Integer(), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=False),
        sa.Column("min_half_blocks", sa.Integer(), nullable=False),
        sa.Column("max_half_blocks", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "min_half_blocks >= 0 AND max_half_blocks >= min_half_blocks AND max_half_blocks <= 26",
            name=op.f("ck_curriculum_requirements_half_block_bounds"),
        ),
        sa.ForeignKeyConstraint(
            ["rotation_id"],
            ["rotation_templates.id"],
            name=op.f("fk_curriculum_requirements_rotation_id_rotation_templates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_curriculum_requirements")),
        sa.UniqueConstraint(
            "pgy", "rotation_id", name=op.f("uq_curriculum_requirements_pgy_rotation_id")
        ),
    )
    op.create_table(
        "staffing_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=False),
        sa.Column("min_pgy", sa.Integer(), nullable=False),
        sa.Column("max_pgy", sa.Integer(), nullable=False),
        sa.Column("min_residents", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "min_pgy <= max_pgy AND min_residents >= 1",
            name=op.f("ck_staffing_rules_sensible_rule"),
        ),
        sa.ForeignKeyConstraint(
            ["rotation_id"],
            ["rotation_templates.id"],
            name=op.f("fk_staffing_rules_rotation_id_rotation_templates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staffing_rules")),
        sa.UniqueConstraint(
            "rotation_id",
            "min_pgy",
            "max_pgy",
            name=op.f("uq_staffing_rules_rotation_id_min_pgy_max_pgy"),
        ),
    )


def downgrade() -> None:
    op.drop_table("staffing_rules")
    op.drop_table("curriculum_requirements")
