"""docs/operations.md, step by step: each test runs one section's commands in order, on SQLite
(the default files var/residency.db and backups/) and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from residency.cli import main
from residency.db import build_engine, engine_for
from residency.ops import migrations
from residency.ops.backup import list_backups

Rows = dict[str, list[tuple[object, ...]]]


@pytest.fixture
def installation(
    backend: str, cli_env: pytest.MonkeyPatch, demo_copy: Callable[[Path], str], tmp_path: Path
) -> str:
    """An installation with the demo program, at the default places: var/residency.db (SQLite)
    and backups/ beside var/."""
    cli_env.delenv("RESIDENCY_BACKUP_DIR", raising=False)
    url = demo_copy(tmp_path / "var" / "residency.db")
    if backend == "sqlite":
        cli_env.delenv("RESIDENCY_DATABASE_URL", raising=False)
    else:
        cli_env.setenv("RESIDENCY_DATABASE_URL", url)
    return url


def run(*argv: str) -> int:
    return main(list(argv))


def newest_backup(folder: Path = Path("backups")) -> str:
    return str(list_backups(folder).backups[0].dump)


def delete_database(url: str) -> None:
    engine_for.cache_clear()
    if url.startswith("sqlite"):
        Path(make_url(url).database or "").unlink()
        return
    admin = build_engine(str(make_url(url).set(database="postgres")))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def test_backup(installation: str) -> None:
    assert run("backup") == 0
    assert run("backup", "list") == 0
    assert run("backup", "verify", newest_backup()) == 0
    assert run("backup", "prune", "--keep-daily", "7", "--keep-weekly", "4",
               "--keep-monthly", "6") == 0  # fmt: skip
    assert run("doctor") == 0


def test_nightly_jobs(installation: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("compliance", "scan") == 0  # the demo program publishes no block
    assert run("compliance", "alerts") == 0
    assert run("compliance", "alerts", "--status", "resolved", "--block", "10", "--json") == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == []


def test_restore(installation: str, all_rows: Callable[[str], Rows]) -> None:
    assert run("backup") == 0
    before = all_rows(installation)
    with build_engine(installation).begin() as connection:
        connection.execute(text("DELETE FROM absences"))
    assert run("restore", newest_backup(), "--yes") == 0
    assert run("db", "status") == 0
    assert all_rows(installation) == before


def test_upgrade(installation: str, newer_code: Callable[..., str]) -> None:
    assert run("backup") == 0
    newer_code()  # the new release is installed
    assert run("db", "status") == 3
    assert run("db", "upgrade") == 0
    assert run("db", "status") == 0
    assert run("backup") == 0
    assert run("doctor") == 0


def test_rebuild_from_scratch(installation: str, all_rows: Callable[[str], Rows]) -> None:
    assert run("backup") == 0
    before = all_rows(installation)
    delete_database(installation)  # the data folder or the database volume is gone
    assert run("restore", newest_backup(), "--yes") == 0
    assert run("db", "status") == 0
    assert all_rows(installation) == before
    assert run("doctor") == 0


def test_recovery_after_a_failed_migration(
    installation: str,
    newer_code: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
    all_rows: Callable[[str], Rows],
) -> None:
    released = migrations.MIGRATIONS_DIR
    assert run("backup") == 0
    before = all_rows(installation)
    newer_code(failing=True)  # a release whose migration breaks on this data
    assert run("db", "upgrade") != 0
    assert run("db", "status") == 3
    assert run("restore", newest_backup(), "--force", "--yes") == 0
    assert all_rows(installation) == before
    monkeypatch.setattr(migrations, "MIGRATIONS_DIR", released)  # the previous release again
    assert run("db", "status") == 0
    assert run("doctor") == 0


def test_audit_log(installation: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("audit", "list") == 0
    assert run("audit", "list", "--action", "run.publish", "--since", "2026-03-01",
               "--until", "2026-03-31") == 0  # fmt: skip
    assert run("audit", "list", "--user", "coordinator", "--json") == 0
    assert run("audit", "list", "--limit", "20", "--before-id", "120") == 0
    capsys.readouterr()
    assert run("audit", "list", "--action", "program.import", "--json") == 0
    (seeded,) = json.loads(capsys.readouterr().out)  # the demo's import, by the OS user
    assert seeded["actor_kind"] == "os" and seeded["after"]["people"]["created"] == 28
