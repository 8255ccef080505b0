"""rotation templates can be deactivated

`rotation_templates.active`: false leaves the template out of new schedules (the block and
annual problems skip it) while published and historical rows that name it stay readable.
Existing templates are active (the server default fills them in).

Revision ID: 0009
Revises: 0008
Created: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rotation_templates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("rotation_templates", schema=None) as batch_op:
        batch_op.drop_column("active")
