"""Restore: every check before any change, a safety backup of the current database, then a
restore into a new database (or file) that is swapped in only once it is complete, counted
and, with --migrate, upgraded. A failure at any step leaves the current database as it was."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from residency.db import build_engine, check_reachable
from residency.errors import InputError, RefusedError, ResidencyError, SchemaMismatchError
from residency.ops import migrations
from residency.ops.backup import compare_row_counts, snapshot_of, take_backup
from residency.ops.backup_manifest import BackupFiles, Snapshot, check_checksum, locate_backup
from residency.ops.backup_store import store_for
from residency.ops.snapshot import read_snapshot

SAFETY_REASON = "pre-restore"


@dataclass(frozen=True)
class RestorePlan:
    files: BackupFiles
    code_head: str
    upgrade_after: bool  # --migrate on a backup older than the code
    forced_mismatch: bool  # --force on a backup at another revision


@dataclass(frozen=True)
class RestoreReport:
    plan: RestorePlan
    database_name: str
    replaced: Snapshot | None
    safety_backup: BackupFiles | None
    final_revision: str | None
    notes: list[str] = field(default_factory=list)


def plan_restore(file: Path, engine: Engine, *, migrate: bool, force: bool) -> RestorePlan:
    """Every check that needs no change: the file, its engine, its checksum, its revision."""
    files = locate_backup(file)
    store = store_for(engine)
    if files.manifest.engine != store.engine_name:
        raise InputError(
            f"{files.dump} is a {files.manifest.engine} backup and the database "
            f"(RESIDENCY_DATABASE_URL) is {store.engine_name}: restore it onto a "
            f"{files.manifest.engine} database"
        )
    check_checksum(files)
    head = migrations.code_head()
    upgrade_after = _revision_policy(files, head, migrate=migrate, force=force)
    forced = files.manifest.alembic_revision != head and not upgrade_after
    return RestorePlan(files, head, upgrade_after, forced)


def _revision_policy(files: BackupFiles, head: str, *, migrate: bool, force: bool) -> bool:
    """True when the restored copy must be upgraded to head before it is swapped in."""
    revision = files.manifest.alembic_revision
    if revision == head:
        return False
    older = revision in migrations.code_revisions().known
    if older and migrate:
        return True
    if force:
        return False
    if older:
        raise SchemaMismatchError(
            f"backup {files.dump.name} is at revision {revision}, older than the code's "
            f"{head}: use --migrate to restore it and upgrade it to {head}, or --force to "
            "restore it as is (the database then refuses to serve until it is migrated)"
        )
    raise SchemaMismatchError(
        f"backup {files.dump.name} is at revision {revision}, which this code (head {head}) "
        "does not know: it was taken by a newer version; install that version, or use --force "
        "to restore it as is (the database then refuses to serve)"
        + (" (--migrate only upgrades backups older than the code)" if migrate else "")
    )


def current_contents(engine: Engine) -> Snapshot | None:
    """What the restore would replace; None when there is no database yet."""
    store = store_for(engine)
    if not store.exists():
        return None
    check_reachable(engine)
    with engine.connect() as connection:
        return read_snapshot(connection)


def restore_backup(
    plan: RestorePlan, engine: Engine, backup_dir: Path, *, now: datetime | None = None
) -> RestoreReport:
    store = store_for(engine)
    replaced = current_contents(engine)
    safety = None
    if replaced is not None and replaced.alembic_revision:
        safety = take_backup(engine, backup_dir, reason=SAFETY_REASON, now=now)
    try:
        staging_url = store.stage(plan.files.dump)
    except ResidencyError as exc:
        raise type(exc)(f"{exc}; the current database is unchanged") from None
    try:
        compare_row_counts(plan.files, snapshot_of(staging_url))
        if plan.upgrade_after:
            _upgrade_staged_copy(staging_url, plan)
        final_revision = snapshot_of(staging_url).alembic_revision
        notes = store.swap_in(staging_url)
    except BaseException:
        store.discard(staging_url)
        raise
    finally:
        migrations.forget_schema_verdict(engine)  # another database now answers at this URL
    return RestoreReport(
        plan, store.database_name(), replaced, safety, final_revision, _notes(plan, notes)
    )


def _upgrade_staged_copy(staging_url: str, plan: RestorePlan) -> None:
    # The upgrade runs on the staged copy, so a failing migration never reaches the database.
    staged = build_engine(staging_url)
    try:
        migrations.upgrade(staged)
    except ResidencyError:
        raise
    except Exception as exc:
        reason = " ".join(str(exc).split())
        raise RefusedError(
            f"upgrading the restored copy from {plan.files.manifest.alembic_revision} to "
            f"{plan.code_head} failed ({type(exc).__name__}: {reason}); "
            "the current database is unchanged"
        ) from None
    finally:
        staged.dispose()


def _notes(plan: RestorePlan, store_notes: list[str]) -> list[str]:
    notes = list(store_notes)
    if plan.forced_mismatch:
        notes.append(
            f"the database is now at revision {plan.files.manifest.alembic_revision} and the "
            f"code expects {plan.code_head}: it refuses to serve until it is migrated "
            f"(`{migrations.UPGRADE_COMMAND}`, for an older backup)"
        )
    return notes


def describe(snapshot: Snapshot | None) -> str:
    if snapshot is None:
        return "no database"
    rows = sum(snapshot.row_counts.values())
    return f"revision {snapshot.alembic_revision or 'none'}, {rows} rows"
