"""`residency restore` on SQLite and PostgreSQL: round trip, revision policy, tampered and
broken dumps, failures half way, the safety backup, confirmation and bad input."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from residency.cli import main
from residency.db import build_engine, unit_of_work
from residency.errors import SchemaMismatchError
from residency.ops import migrations
from residency.ops.backup import take_backup
from residency.ops.backup_manifest import BackupFiles, sha256_of

Rows = dict[str, list[tuple[object, ...]]]


def change_data(url: str) -> None:
    with build_engine(url).begin() as connection:
        connection.execute(text("DELETE FROM absences"))
        connection.execute(text("UPDATE people SET name = 'changed after the backup'"))


def backup_of(url: str, folder: Path) -> BackupFiles:
    return take_backup(build_engine(url), folder)


def safety_backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*-pre-restore*") if not p.name.endswith(".json"))


def leftovers(url: str, tmp_path: Path) -> list[str]:
    """Staging files or databases a failed restore might have left behind."""
    files = [p.name for p in tmp_path.rglob("*.restore-*")]
    if not url.startswith("postgresql"):
        return files
    # Only this database's staging copies: another test's restore may be running beside it.
    engine = build_engine(url)
    own = engine.url.database
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT datname FROM pg_database WHERE starts_with(datname, :prefix)"),
            {"prefix": f"{own}__restore_"},
        )
        return files + [row[0] for row in found]


def assert_untouched_and_working(url: str, before: Rows, all_rows: Callable[[str], Rows]) -> None:
    assert all_rows(url) == before
    with unit_of_work(build_engine(url)) as session:  # still serves: schema at head
        assert session.execute(text("SELECT COUNT(*) FROM people")).scalar_one() == 28


def test_backup_then_restore_round_trips_every_row(
    demo_db: str,
    backup_dir: Path,
    all_rows: Callable[[str], Rows],
    capsys: pytest.CaptureFixture[str],
) -> None:
    original = all_rows(demo_db)
    files = backup_of(demo_db, backup_dir)
    change_data(demo_db)
    changed = all_rows(demo_db)
    assert changed != original
    assert main(["restore", str(files.dump), "--yes"]) == 0
    out = capsys.readouterr().out
    assert all_rows(demo_db) == original
    [safety] = safety_backups(backup_dir)
    assert f"safety backup: {safety}" in out
    assert f"replaced: revision {migrations.code_head()}" in out
    # The safety backup holds the replaced state, and restores it.
    assert main(["restore", str(safety), "--yes"]) == 0
    assert all_rows(demo_db) == changed
    assert len(safety_backups(backup_dir)) == 2


def test_an_older_backup_is_refused_then_restored_with_migrate(
    demo_db: str,
    backup_dir: Path,
    newer_code: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = backup_of(demo_db, backup_dir)
    old_head = newer_code()
    migrations.upgrade(build_engine(demo_db))  # the installation moved on to 0999
    change_data(demo_db)
    assert main(["restore", str(files.dump), "--yes"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"revision {old_head}, older than the code's 0999" in err
    assert "--migrate" in err and "--force" in err
    assert safety_backups(backup_dir) == []  # refused before anything was written
    assert main(["restore", str(files.dump), "--migrate", "--yes"]) == 0
    engine = build_engine(demo_db)
    assert migrations.schema_status(engine).up_to_date
    assert "probe" in inspect(engine).get_table_names()
    with unit_of_work(engine) as session:
        assert session.execute(text("SELECT COUNT(*) FROM absences")).scalar_one() == 7
    assert len(safety_backups(backup_dir)) == 1


def test_a_backup_from_newer_code_needs_force(
    demo_db: str,
    backup_dir: Path,
    newer_code: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    released = migrations.MIGRATIONS_DIR
    old_head = newer_code()
    migrations.upgrade(build_engine(demo_db))
    files = backup_of(demo_db, backup_dir)  # taken at 0999
    migrations.downgrade(build_engine(demo_db), old_head)
    monkeypatch.setattr(migrations, "MIGRATIONS_DIR", released)  # back to today's code
    assert main(["restore", str(files.dump), "--migrate", "--yes"]) == 3
    err = capsys.readouterr().err
    assert "revision 0999, which this code" in err and "--force" in err
    assert main(["restore", str(files.dump), "--force", "--yes"]) == 0
    assert "refuses to serve until it is migrated" in capsys.readouterr().err
    with pytest.raises(SchemaMismatchError), unit_of_work(build_engine(demo_db)):
        pass


def test_a_dump_with_one_byte_changed_is_refused(
    demo_db: str,
    backup_dir: Path,
    all_rows: Callable[[str], Rows],
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = backup_of(demo_db, backup_dir)
    data = bytearray(files.dump.read_bytes())
    data[len(data) // 2] ^= 0x01
    files.dump.write_bytes(bytes(data))
    change_data(demo_db)
    before = all_rows(demo_db)
    assert main(["restore", str(files.dump), "--yes"]) == 2
    assert "checksum does not match" in capsys.readouterr().err
    assert all_rows(demo_db) == before
    assert safety_backups(backup_dir) == []


def test_a_dump_that_fails_half_way_leaves_the_database_untouched(
    demo_db: str,
    backup_dir: Path,
    tmp_path: Path,
    all_rows: Callable[[str], Rows],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A dump cut in half whose manifest vouches for it: pg_restore (or SQLite) fails mid-way.
    files = backup_of(demo_db, backup_dir)
    files.dump.write_bytes(files.dump.read_bytes()[: files.manifest.size_bytes // 2])
    manifest = json.loads(files.manifest_path.read_text())
    manifest.update(sha256=sha256_of(files.dump), size_bytes=files.dump.stat().st_size)
    files.manifest_path.write_text(json.dumps(manifest))
    before = all_rows(demo_db)
    assert main(["restore", str(files.dump), "--yes"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the current database is unchanged" in err
    assert_untouched_and_working(demo_db, before, all_rows)
    assert leftovers(demo_db, tmp_path) == []
    assert len(safety_backups(backup_dir)) == 1


def test_a_migration_failing_after_the_restore_leaves_the_database_untouched(
    demo_db: str,
    backup_dir: Path,
    tmp_path: Path,
    newer_code: Callable[..., str],
    all_rows: Callable[[str], Rows],
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = backup_of(demo_db, backup_dir)
    newer_code(failing=True)  # 0999 breaks on a database with absences in it
    with build_engine(demo_db).begin() as connection:
        connection.execute(text("DELETE FROM absences"))
    migrations.upgrade(build_engine(demo_db))
    before = all_rows(demo_db)
    assert main(["restore", str(files.dump), "--migrate", "--yes"]) == 3
    err = capsys.readouterr().err
    assert "failed" in err and "the current database is unchanged" in err
    assert all_rows(demo_db) == before
    with unit_of_work(build_engine(demo_db)) as session:
        assert session.execute(text("SELECT COUNT(*) FROM probe")).scalar_one() == 0
    assert leftovers(demo_db, tmp_path) == []


def test_a_restore_interrupted_at_the_swap_leaves_the_database_untouched(
    demo_db: str,
    backup_dir: Path,
    tmp_path: Path,
    backend: str,
    monkeypatch: pytest.MonkeyPatch,
    all_rows: Callable[[str], Rows],
) -> None:
    files = backup_of(demo_db, backup_dir)
    change_data(demo_db)
    before = all_rows(demo_db)

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C at the worst moment

    if backend == "sqlite":
        monkeypatch.setattr("residency.ops.backup_sqlite.os.replace", interrupted)
    else:
        monkeypatch.setattr("residency.ops.backup_postgres.PostgresStore._rename_both", interrupted)
    assert main(["restore", str(files.dump), "--yes"]) != 0
    monkeypatch.undo()
    assert_untouched_and_working(demo_db, before, all_rows)
    assert leftovers(demo_db, tmp_path) == []


def test_without_yes_it_asks_and_no_changes_nothing(
    demo_db: str,
    backup_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    all_rows: Callable[[str], Rows],
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = backup_of(demo_db, backup_dir)
    change_data(demo_db)
    before = all_rows(demo_db)
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    assert main(["restore", str(files.dump)]) == 1
    out = capsys.readouterr().out
    assert "Replace" in out and "nothing changed" in out
    assert all_rows(demo_db) == before
    assert safety_backups(backup_dir) == []


@pytest.mark.parametrize("case", ["missing", "not a backup", "no revision"])
def test_bad_input_is_one_line_and_changes_nothing(
    case: str,
    demo_db: str,
    backup_dir: Path,
    tmp_path: Path,
    all_rows: Callable[[str], Rows],
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = backup_of(demo_db, backup_dir)
    target = files.dump
    if case == "missing":
        target = tmp_path / "nowhere.db"
    elif case == "not a backup":
        target = tmp_path / "notes.txt"
        target.write_text("not a database")
    else:
        manifest = json.loads(files.manifest_path.read_text())
        del manifest["alembic_revision"]
        files.manifest_path.write_text(json.dumps(manifest))
    change_data(demo_db)
    before = all_rows(demo_db)
    before_files = sorted(backup_dir.iterdir())
    code = main(["restore", str(target), "--yes"])
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("error:") and err.count("\n") == 1, err
    expected = {
        "missing": "does not exist",
        "not a backup": "is not a backup",
        "no revision": "'alembic_revision' is missing",
    }[case]
    assert expected in err
    assert all_rows(demo_db) == before
    assert sorted(backup_dir.iterdir()) == before_files


def test_a_backup_of_the_other_engine_is_refused(
    demo_db: str,
    backend: str,
    backup_dir: Path,
    other_engine_db: str,
    cli_env: pytest.MonkeyPatch,
    all_rows: Callable[[str], Rows],
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = backup_of(demo_db, backup_dir)  # e.g. a PostgreSQL dump ...
    cli_env.setenv("RESIDENCY_DATABASE_URL", other_engine_db)  # ... onto SQLite
    before = all_rows(other_engine_db)
    assert main(["restore", str(files.dump), "--yes"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"is a {backend} backup" in err
    assert all_rows(other_engine_db) == before
    assert safety_backups(backup_dir) == []
