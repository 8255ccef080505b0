"""Retention: keep the newest backup of each of the last N days, weeks and months that have
backups; remove the rest, each dump together with its manifest."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from residency.config import Settings
from residency.errors import InputError, NotFoundError
from residency.ops.backup import list_backups
from residency.ops.backup_manifest import (
    DUMP_SUFFIXES,
    MANIFEST_SUFFIX,
    BackupFiles,
    locate_backup,
    manifest_path_for,
)

# A dump without a manifest may be a backup still being written; only older ones are leftovers
# of a crash.
ORPHAN_GRACE = timedelta(hours=6)


@dataclass(frozen=True)
class RetentionPolicy:
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 6

    @classmethod
    def of_settings(cls, settings: Settings) -> RetentionPolicy:
        """RESIDENCY_BACKUP_KEEP_DAILY, _WEEKLY and _MONTHLY: the nightly prune's policy."""
        return cls(
            settings.backup_keep_daily, settings.backup_keep_weekly, settings.backup_keep_monthly
        )

    def check(self) -> None:
        for name, value in vars(self).items():
            if value < 0:
                raise InputError(f"--{name.replace('_', '-')}: {value} is negative")
        if not any(vars(self).values()):
            raise InputError(
                "--keep-daily, --keep-weekly and --keep-monthly are all 0: "
                "that would remove every backup"
            )


@dataclass(frozen=True)
class PruneReport:
    kept: list[BackupFiles]
    removed: list[BackupFiles]
    orphans_removed: list[Path]


def _day(moment: datetime) -> Hashable:
    return moment.date()


def _week(moment: datetime) -> Hashable:
    return moment.isocalendar()[:2]


def _month(moment: datetime) -> Hashable:
    return (moment.year, moment.month)


def backups_to_keep(backups: list[BackupFiles], policy: RetentionPolicy) -> set[Path]:
    """`backups` newest first. Each rule keeps the newest backup of its N most recent periods."""
    kept: set[Path] = set()
    rules: list[tuple[Callable[[datetime], Hashable], int]] = [
        (_day, policy.keep_daily),
        (_week, policy.keep_weekly),
        (_month, policy.keep_monthly),
    ]
    for period_of, count in rules:
        periods: set[Hashable] = set()
        for backup in backups:
            period = period_of(backup.manifest.created)
            if period not in periods and len(periods) < count:
                periods.add(period)
                kept.add(backup.dump)
    return kept


def prune(
    folder: Path, policy: RetentionPolicy, *, dry_run: bool = False, now: datetime | None = None
) -> PruneReport:
    policy.check()
    backups = list_backups(folder).backups
    keep = backups_to_keep(backups, policy)
    kept = [backup for backup in backups if backup.dump in keep]
    removed = [backup for backup in backups if backup.dump not in keep]
    orphans = orphan_files(folder, now or datetime.now(UTC))
    if not dry_run:
        for backup in removed:
            _remove(backup)
        for orphan in orphans:
            orphan.unlink(missing_ok=True)
    return PruneReport(kept, removed, orphans)


def _remove(backup: BackupFiles) -> None:
    # Manifest first: if we stop in between, what is left is a dump that `list` ignores,
    # never a manifest that promises a dump that is gone.
    backup.manifest_path.unlink(missing_ok=True)
    backup.dump.unlink(missing_ok=True)


def orphan_files(folder: Path, now: datetime) -> list[Path]:
    """Manifests whose dump is gone (they would promise a backup that does not exist), and
    dumps or partial files without a manifest left by a crash."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob(f"*{MANIFEST_SUFFIX}")):
        try:
            locate_backup(path)
        except NotFoundError:
            found.append(path)
    cutoff = (now - ORPHAN_GRACE).timestamp()
    for path in sorted(folder.glob("residency-*")):
        if path.stat().st_mtime < cutoff and _is_leftover(path):
            found.append(path)
    return found


def _is_leftover(path: Path) -> bool:
    if path.name.endswith(".partial"):
        return True
    is_dump = path.suffix in DUMP_SUFFIXES.values()
    return is_dump and not manifest_path_for(path).exists()
