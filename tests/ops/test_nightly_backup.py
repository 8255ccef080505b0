"""The nightly backup, through the task's body: a backup into RESIDENCY_BACKUP_DIR like
`residency backup`'s, then a prune with the retention settings (which `residency backup
prune` uses too unless told otherwise)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from test_retention import take_backups_at

from residency import clock
from residency.cli import main
from residency.config import get_settings
from residency.ops import tasks
from residency.ops.backup import list_backups


def test_the_nightly_backup_backs_up_then_prunes_with_the_retention_settings(
    demo_db: str,
    backup_dir: Path,
    cli_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    now = clock.now()
    take_backups_at(demo_db, backup_dir, [now - timedelta(days=days) for days in (1, 2)])
    cli_env.setenv("RESIDENCY_BACKUP_KEEP_DAILY", "2")
    cli_env.setenv("RESIDENCY_BACKUP_KEEP_WEEKLY", "0")
    cli_env.setenv("RESIDENCY_BACKUP_KEEP_MONTHLY", "0")
    get_settings.cache_clear()

    tasks.nightly_backup.run()

    kept = list_backups(backup_dir).backups  # newest first
    assert [found.manifest.reason for found in kept] == ["nightly", "manual"]
    assert kept[1].manifest.created.date() == (now - timedelta(days=1)).date()
    assert kept[0].manifest.row_counts["people"] > 0  # the demo program, backed up

    cli_env.setenv("RESIDENCY_BACKUP_KEEP_DAILY", "1")
    get_settings.cache_clear()
    capsys.readouterr()
    assert main(["backup", "prune", "--dry-run"]) == 0
    assert "kept 1 backups, would remove 1" in capsys.readouterr().out
