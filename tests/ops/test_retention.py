"""`residency backup prune`: daily, weekly and monthly retention; dumps leave with their
manifests, and nothing is left orphaned."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from residency.cli import main
from residency.db import build_engine
from residency.ops.backup import list_backups, take_backup
from residency.ops.backup_manifest import MANIFEST_SUFFIX, manifest_path_for
from residency.ops.retention import RetentionPolicy, prune

NOW = datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # a Tuesday


def take_backups_at(url: str, folder: Path, moments: list[datetime]) -> None:
    engine = build_engine(url)
    for moment in moments:
        take_backup(engine, folder, now=moment)
    engine.dispose()


def assert_no_orphans(folder: Path) -> None:
    manifests = {p for p in folder.iterdir() if p.name.endswith(MANIFEST_SUFFIX)}
    dumps = {p for p in folder.iterdir() if p not in manifests}
    assert {manifest_path_for(dump) for dump in dumps} == manifests


def created(folder: Path) -> list[datetime]:
    return [found.manifest.created for found in list_backups(folder).backups]


def test_prune_keeps_the_newest_of_each_day_week_and_month(
    demo_db: str, backup_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moments = [NOW - timedelta(hours=h) for h in (0, 3)]  # two today: the older one goes
    moments += [NOW - timedelta(days=d) for d in (1, 2, 9, 16, 40, 75, 200)]
    take_backups_at(demo_db, backup_dir, moments)
    assert main(["backup", "prune", "--keep-daily", "2", "--keep-weekly", "3",
                 "--keep-monthly", "3"]) == 0  # fmt: skip
    assert "kept 6 backups, removed 3" in capsys.readouterr().out
    assert created(backup_dir) == [
        NOW,  # daily 1, weekly 1, monthly 1 (March)
        NOW - timedelta(days=1),  # daily 2
        NOW - timedelta(days=2),  # weekly 2 (Sunday, the week before)
        NOW - timedelta(days=9),  # weekly 3
        NOW - timedelta(days=40),  # monthly 2 (February)
        NOW - timedelta(days=75),  # monthly 3 (January)
    ]
    assert_no_orphans(backup_dir)


def test_dry_run_removes_nothing(demo_db: str, backup_dir: Path) -> None:
    take_backups_at(demo_db, backup_dir, [NOW - timedelta(days=d) for d in range(4)])
    report = prune(backup_dir, RetentionPolicy(1, 0, 0), dry_run=True)
    assert len(report.removed) == 3
    assert len(created(backup_dir)) == 4


def test_prune_removes_orphans_left_by_a_crash(demo_db: str, backup_dir: Path) -> None:
    take_backups_at(demo_db, backup_dir, [NOW - timedelta(days=d) for d in range(3)])
    [newest, middle, _] = list_backups(backup_dir).backups
    middle.dump.unlink()  # someone deleted a dump by hand: its manifest promises nothing
    leftover = backup_dir / "residency-sqlite-20260301T000000Z.db.partial"
    leftover.write_bytes(b"half a dump")
    stale = (NOW - timedelta(days=2)).timestamp()
    os.utime(leftover, (stale, stale))
    report = prune(backup_dir, RetentionPolicy(7, 4, 6), now=NOW)
    assert {p.name for p in report.orphans_removed} == {middle.manifest_path.name, leftover.name}
    assert not middle.manifest_path.exists() and not leftover.exists()
    assert newest.dump.exists()
    assert_no_orphans(backup_dir)


def test_a_fresh_partial_file_may_be_a_backup_in_progress(demo_db: str, backup_dir: Path) -> None:
    take_backups_at(demo_db, backup_dir, [NOW])
    in_progress = backup_dir / "residency-sqlite-20260331T220000Z.db.partial"
    in_progress.write_bytes(b"being written")
    prune(backup_dir, RetentionPolicy(7, 4, 6), now=datetime.now(UTC))
    assert in_progress.exists()


def test_a_policy_keeping_nothing_is_refused(
    demo_db: str, backup_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    take_backups_at(demo_db, backup_dir, [NOW])
    code = main(["backup", "prune", "--keep-daily", "0", "--keep-weekly", "0",
                 "--keep-monthly", "0"])  # fmt: skip
    assert code == 2
    assert "would remove every backup" in capsys.readouterr().err
    assert len(created(backup_dir)) == 1
