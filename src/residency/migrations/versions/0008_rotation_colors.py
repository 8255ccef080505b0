"""rotation colours

`rotation_templates.color`: "#RRGGBB" from the program file, or NULL for the colour of the
rotation's activity type (rotations/colors.py); the grid, its legend and the spreadsheets
draw each rotation in it.

Revision ID: 0008
Revises: 0007
Created: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rotation_templates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("color", sa.String(length=7), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rotation_templates", schema=None) as batch_op:
        batch_op.drop_column("color")
