"""audit events

The append-only audit log. Triggers refuse UPDATE and DELETE of its rows on both engines, so
no code path (ours, a script, a mistyped SQL statement) can rewrite history. TRUNCATE is not
refused: row triggers do not fire on it, and the test databases are wiped with it.

SQLite keeps a table's triggers only as long as the table: a later migration that alters
audit_events in batch mode (copy, drop, rename) must create the triggers again.

Revision ID: 0005
Revises: 0004
Created: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFUSED = "audit_events is append-only"
SQLITE_TRIGGERS = {"audit_events_no_update": "UPDATE", "audit_events_no_delete": "DELETE"}
POSTGRES_FUNCTION = "audit_events_refuse_change"
POSTGRES_TRIGGER = "audit_events_append_only"


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_name", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("person_key", sa.String(length=64), nullable=True),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_events_entity_entity_id", ["entity", "entity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_events_occurred_at"), ["occurred_at"], unique=False
        )
    if op.get_bind().dialect.name == "sqlite":
        _create_sqlite_triggers()
    else:
        _create_postgres_trigger()


def _create_sqlite_triggers() -> None:
    for name, statement in SQLITE_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {statement} ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
        )


def _create_postgres_trigger() -> None:
    # No '%' in the body: the driver would read it as a parameter placeholder.
    op.execute(
        f"CREATE FUNCTION {POSTGRES_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION USING MESSAGE = '{REFUSED}: ' || TG_OP || ' refused'; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {POSTGRES_TRIGGER} BEFORE UPDATE OR DELETE ON audit_events "
        f"FOR EACH ROW EXECUTE FUNCTION {POSTGRES_FUNCTION}()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {POSTGRES_TRIGGER} ON audit_events")
        op.execute(f"DROP FUNCTION IF EXISTS {POSTGRES_FUNCTION}()")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_occurred_at"))
        batch_op.drop_index("ix_audit_events_entity_entity_id")

    op.drop_table("audit_events")
