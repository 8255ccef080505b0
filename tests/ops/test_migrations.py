"""Migrations on both engines: upgrade, downgrade, upgrade again; recorded schema version;
status in every state; and drift between models and migrations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, inspect, text

from fixtures.block_program import generate_args, seed
from residency.cli import main
from residency.db import build_engine, unit_of_work
from residency.errors import SchemaMismatchError
from residency.ops import migrations
from residency.orm import load_all_models

EXTRA_REVISION = """
revision = "0999"
down_revision = "{head}"
branch_labels = None
depends_on = None

import sqlalchemy as sa
from alembic import op


def upgrade():
    op.create_table("probe", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("probe")
"""


def recorded_version(url: str) -> tuple[str | None, object]:
    with build_engine(url).connect() as connection:
        row = connection.execute(
            text("SELECT schema_revision, schema_updated_at FROM app_settings")
        ).one()
    return row[0], row[1]


def test_upgrade_downgrade_upgrade_round_trip(empty_db_url: str) -> None:
    engine = build_engine(empty_db_url)
    migrations.upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"people", "half_days", "assignments", "app_settings"} <= tables
    migrations.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert migrations.schema_status(engine).state == "empty"
    migrations.upgrade(engine)
    assert migrations.schema_status(engine).up_to_date


def test_every_upgrade_records_the_revision_and_a_timestamp(empty_db_url: str) -> None:
    engine = build_engine(empty_db_url)
    migrations.upgrade(engine)
    revision, stamp = recorded_version(empty_db_url)
    assert revision == migrations.code_head()
    assert stamp is not None
    status = migrations.schema_status(engine)
    assert status.schema_updated_at is not None


def test_models_and_migrations_do_not_drift(db_url: str) -> None:
    with build_engine(db_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, load_all_models()) == []


def test_the_drift_check_notices_a_column_missing_from_the_migrations(db_url: str) -> None:
    drifted = MetaData()
    for table in load_all_models().tables.values():
        table.to_metadata(drifted)
    Table("people", drifted, Column("shoe_size", Integer), extend_existing=True)
    with build_engine(db_url).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), drifted)
    assert any(step[0] == "add_column" and step[3].name == "shoe_size" for step in diff)


@pytest.fixture
def newer_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The migrations folder of a newer release: today's revisions plus one more."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, folder)
    head = migrations.code_head()
    (folder / "versions" / "0999_probe.py").write_text(EXTRA_REVISION.format(head=head))
    monkeypatch.setattr(migrations, "MIGRATIONS_DIR", folder)
    return head


def test_status_and_guard_for_a_database_behind_the_code(db_url: str, newer_code: str) -> None:
    engine = build_engine(db_url)
    status = migrations.schema_status(engine)
    assert status.state == "behind"
    assert (status.current_revision, status.code_head) == (newer_code, "0999")
    with pytest.raises(SchemaMismatchError) as refused, unit_of_work(engine):
        pass
    assert f"at revision {newer_code} but the code expects 0999" in str(refused.value)
    assert "residency db upgrade" in str(refused.value)


def test_downgrade_records_the_older_revision(db_url: str, newer_code: str) -> None:
    engine = build_engine(db_url)
    migrations.upgrade(engine)
    assert recorded_version(db_url)[0] == "0999"
    migrations.downgrade(engine, newer_code)
    assert recorded_version(db_url)[0] == newer_code
    assert "probe" not in inspect(engine).get_table_names()


def test_status_and_guard_for_a_database_from_newer_code(db_url: str) -> None:
    engine = build_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe'"))
    status = migrations.schema_status(engine)
    assert status.state == "ahead" and not status.up_to_date
    unknown = "f00dcafe, which this code does not know"
    with pytest.raises(SchemaMismatchError, match=unknown), unit_of_work(engine):
        pass


def test_0003_publishes_the_live_schedule_and_keeps_hand_made_rows_where_they_are(
    cli_db: str, db_engine: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before drafts, the rows of each block's latest run were the live schedule, and a row
    kept by hand could still point at an older run: 0003 publishes the latest run and moves
    such a row into it, so what everyone saw is what is published after the upgrade."""

    seed(db_engine)
    assert main(generate_args()) == 0
    assert main(generate_args("--seed", "2")) == 0
    capsys.readouterr()
    migrations.downgrade(db_engine, "0002")  # drops the unpublished run 1's rows
    with db_engine.begin() as connection:
        live = connection.execute(text("SELECT count(*) FROM assignments")).scalar_one()
        kept = connection.execute(text("SELECT min(id) FROM assignments")).scalar_one()
        connection.execute(
            text("UPDATE assignments SET source = 'manual', schedule_run_id = 1 WHERE id = :id"),
            {"id": kept},
        )
    migrations.upgrade(db_engine)
    with db_engine.connect() as connection:
        published = connection.execute(text("SELECT scope, run_id FROM published_versions"))
        assert published.all() == [("block_schedule/2025/10", 2)]
        moved = connection.execute(
            text("SELECT schedule_run_id FROM assignments WHERE id = :id"), {"id": kept}
        ).scalar_one()
        assert moved == 2
        assert (
            connection.execute(
                text("SELECT count(*) FROM assignments WHERE schedule_run_id = 2")
            ).scalar_one()
            == live
        )
    assert main(["runs", "list", "--json"]) == 0
    listed = {r["id"]: r["published"] for r in json.loads(capsys.readouterr().out)}
    assert listed[2] is True and listed[1] is False


def test_0009_adds_rotation_active_and_existing_templates_are_active(db_engine: Any) -> None:
    """Templates made before 0009 are active after it (the server default), on both engines;
    the downgrade drops the column and keeps the templates."""
    seed(db_engine)
    migrations.downgrade(db_engine, "0008")
    columns = {c["name"] for c in inspect(db_engine).get_columns("rotation_templates")}
    assert "active" not in columns and "color" in columns
    with db_engine.begin() as connection:
        count = connection.execute(text("SELECT count(*) FROM rotation_templates")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO rotation_templates (abbreviation, name, activity_type, eligible_pgy,"
                " min_residents_per_block, max_residents_per_block, min_residents_per_half_day,"
                " max_residents_per_half_day, requires_supervision, half_block, description)"
                " VALUES ('OLD', 'Made before 0009', 'outpatient', '[1]', 0, 1, 0, 1,"
                " false, false, '')"
            )
        )
    migrations.upgrade(db_engine)
    with db_engine.connect() as connection:
        rows = connection.execute(text("SELECT abbreviation, active FROM rotation_templates"))
        active = dict(rows.tuples().all())
    assert len(active) == count + 1 and set(active.values()) == {True}  # SQLite: 1
