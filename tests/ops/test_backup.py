"""`residency backup`, `backup list` and `backup verify` on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from residency.cli import main
from residency.db import build_engine
from residency.ops.backup import take_backup
from residency.ops.backup_location import location_problem
from residency.ops.backup_manifest import manifest_path_for, sha256_of
from residency.ops.backup_store import store_for
from residency.ops.migrations import code_head

MANIFEST_FIELDS = {
    "app_version",
    "alembic_revision",
    "schema_updated_at",
    "engine",
    "server_version",
    "database_name",
    "created_at",
    "dump_file",
    "size_bytes",
    "sha256",
    "row_counts",
}


def flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_backup_writes_a_dump_and_its_manifest(
    demo_db: str, backup_dir: Path, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--json"]) == 0
    manifest = json.loads(capsys.readouterr().out)
    assert set(manifest) >= MANIFEST_FIELDS
    dump = backup_dir / manifest["dump_file"]
    assert manifest["engine"] == backend
    assert manifest["alembic_revision"] == code_head()
    assert manifest["schema_updated_at"] and manifest["server_version"]
    assert manifest["app_version"] == "0.1.0"
    assert manifest["sha256"] == sha256_of(dump)
    assert manifest["size_bytes"] == dump.stat().st_size
    assert manifest["row_counts"]["people"] == 28
    assert manifest["row_counts"]["half_days"] == 730
    assert manifest_path_for(dump).exists()
    assert [p.name for p in backup_dir.iterdir() if p.name.endswith(".partial")] == []


def test_backup_prints_the_path(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup"]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.exists() and manifest_path_for(printed).exists()


def test_the_revision_is_recorded_in_full(demo_db: str, backup_dir: Path) -> None:
    # The predecessor's script cut revision ids in half; a 32-character id must survive whole.
    long_id = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    engine = build_engine(demo_db)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": long_id})
    assert take_backup(engine, backup_dir).manifest.alembic_revision == long_id


def test_dir_option_overrides_the_setting(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--dir", str(tmp_path / "elsewhere")]) == 0
    assert Path(capsys.readouterr().out.strip()).parent == tmp_path / "elsewhere"


def test_an_empty_database_is_not_backed_up(
    cli_env: pytest.MonkeyPatch,
    empty_db_url: str,
    backup_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cli_env.setenv("RESIDENCY_DATABASE_URL", empty_db_url)
    with build_engine(empty_db_url).begin() as connection:  # some table, but no migrations
        connection.execute(text("CREATE TABLE notes (id INTEGER)"))
    assert main(["backup"]) == 3
    assert "no schema" in capsys.readouterr().err
    assert list(backup_dir.iterdir()) == []


def test_list_is_newest_first_and_says_which_match_the_schema(
    demo_db: str, backup_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = build_engine(demo_db)
    now = datetime.now(UTC)
    older = take_backup(engine, backup_dir, now=now - timedelta(days=2))
    newer = take_backup(engine, backup_dir, now=now)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    other = take_backup(engine, backup_dir, now=now - timedelta(days=1))
    assert main(["backup", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[-1] for line in lines] == [
        newer.dump.name,
        other.dump.name,
        older.dump.name,
    ]
    assert "matches schema" in lines[0] and f"revision {code_head()}" in lines[0]
    assert "revision 0042" in lines[1] and f"differs from {code_head()}" in lines[1]


def test_verify_restores_into_a_scratch_database_and_counts(
    demo_db: str, backup_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = take_backup(build_engine(demo_db), backup_dir)
    assert main(["backup", "verify", str(files.dump)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok:") and "row counts match" in out
    assert main(["backup", "verify", str(files.manifest_path)]) == 0


def test_verify_refuses_a_dump_with_one_byte_changed(
    demo_db: str, backup_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = take_backup(build_engine(demo_db), backup_dir)
    flip_one_byte(files.dump)
    assert main(["backup", "verify", str(files.dump)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "checksum does not match" in err


def test_verify_compares_row_counts_with_the_manifest(
    demo_db: str, backup_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = take_backup(build_engine(demo_db), backup_dir)
    manifest = json.loads(files.manifest_path.read_text())
    manifest["row_counts"]["people"] = 29
    files.manifest_path.write_text(json.dumps(manifest))
    assert main(["backup", "verify", str(files.dump)]) == 2
    assert "table people has 28 rows after a test restore, its manifest says 29" in (
        capsys.readouterr().err
    )


def test_backup_warns_when_the_folder_is_inside_the_database_storage(
    cli_env: pytest.MonkeyPatch, demo_db: str, backup_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = store_for(build_engine(demo_db))
    storage = store.storage_folder()
    assert storage is not None
    # Only the path is compared: nothing is written into the server's data directory.
    assert "inside the database's storage" in (location_problem(store, storage / "backups") or "")
    assert location_problem(store, backup_dir) is None
    if store.engine_name == "sqlite":
        cli_env.setenv("RESIDENCY_BACKUP_DIR", str(storage / "backups"))
        assert main(["backup"]) == 0
        err = capsys.readouterr().err
        assert err.startswith("warning: the backup folder") and "RESIDENCY_BACKUP_DIR" in err
