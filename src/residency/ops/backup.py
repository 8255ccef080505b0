"""Taking, listing and verifying backups. A backup is a dump plus its manifest, written so that
a crash leaves either both files or neither."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from sqlalchemy import Engine

from residency.db import build_engine, check_reachable
from residency.errors import InputError, RefusedError, ResidencyError
from residency.files import writable_folder
from residency.ops.backup_manifest import (
    DUMP_SUFFIXES,
    MANIFEST_SUFFIX,
    BackupFiles,
    Manifest,
    Snapshot,
    check_checksum,
    locate_backup,
    manifest_path_for,
    sha256_of,
    write_manifest,
)
from residency.ops.backup_store import Store, store_for
from residency.ops.snapshot import read_snapshot

APP_DISTRIBUTION = "residency-scheduler"


def take_backup(
    engine: Engine, folder: Path, *, reason: str = "manual", now: datetime | None = None
) -> BackupFiles:
    store = store_for(engine)
    if store.engine_name != "sqlite":
        check_reachable(engine)
    _make_folder(folder)
    created = now or datetime.now(UTC)
    dump = _free_dump_name(folder, store.engine_name, created, reason)
    partial = dump.with_name(dump.name + ".partial")
    manifest_path = manifest_path_for(dump)
    try:
        snapshot = store.dump(partial)
        manifest = _manifest_for(store, snapshot, partial, dump.name, created, reason)
        os.replace(partial, dump)
        write_manifest(manifest, manifest_path)
    except BaseException:
        partial.unlink(missing_ok=True)
        if not manifest_path.exists():
            dump.unlink(missing_ok=True)  # a dump without its manifest is no backup
        raise
    return BackupFiles(dump, manifest_path, manifest)


def _make_folder(folder: Path) -> None:
    # Created when missing (the default folder appears with the first backup), and proved
    # writable before the dump starts: a folder we may not write to is bad input.
    writable_folder(folder, "backup folder (--dir or RESIDENCY_BACKUP_DIR)")


def _free_dump_name(folder: Path, engine_name: str, created: datetime, reason: str) -> Path:
    label = "" if reason == "manual" else f"-{reason}"
    base = f"residency-{engine_name}-{created.astimezone(UTC):%Y%m%dT%H%M%SZ}{label}"
    suffix = DUMP_SUFFIXES[engine_name]
    candidate, number = folder / f"{base}{suffix}", 1
    while candidate.exists() or manifest_path_for(candidate).exists():
        number += 1
        candidate = folder / f"{base}-{number}{suffix}"
    return candidate


def _manifest_for(
    store: Store, snapshot: Snapshot, partial: Path, name: str, created: datetime, reason: str
) -> Manifest:
    if not snapshot.alembic_revision:
        raise RefusedError(
            f"database {store.database_name()} has no schema yet, so there is nothing to back up "
            "(run `residency db upgrade` first)"
        )
    return Manifest(
        app_version=version(APP_DISTRIBUTION),
        alembic_revision=snapshot.alembic_revision,
        schema_updated_at=snapshot.schema_updated_at,
        engine=store.engine_name,
        server_version=store.server_version(),
        database_name=store.database_name(),
        created_at=created.astimezone(UTC).isoformat(),
        dump_file=name,
        size_bytes=partial.stat().st_size,
        sha256=sha256_of(partial),
        row_counts=snapshot.row_counts,
        reason=reason,
    )


@dataclass(frozen=True)
class Listing:
    backups: list[BackupFiles]  # newest first
    problems: list[str]  # manifests that cannot be read or have lost their dump


def list_backups(folder: Path) -> Listing:
    backups: list[BackupFiles] = []
    problems: list[str] = []
    if not folder.is_dir():
        return Listing(backups, problems)
    for manifest_path in sorted(folder.glob(f"*{MANIFEST_SUFFIX}")):
        try:
            backups.append(locate_backup(manifest_path))
        except ResidencyError as exc:
            problems.append(str(exc))
    backups.sort(key=lambda found: found.manifest.created, reverse=True)
    return Listing(backups, problems)


def staging_store(manifest: Manifest, engine: Engine, scratch: Path) -> Store:
    """Where a test restore of this backup can go: a scratch file for SQLite, a scratch
    database on the configured server for PostgreSQL."""
    if manifest.engine == "sqlite":
        return store_for(build_engine(f"sqlite:///{scratch / 'verify.db'}"))
    if engine.dialect.name != "postgresql":
        raise InputError(
            f"a {manifest.engine} backup can only be verified on a PostgreSQL server, and "
            f"RESIDENCY_DATABASE_URL is {engine.dialect.name}"
        )
    check_reachable(engine)
    return store_for(engine)  # stages into a new sibling database, never touches this one


def compare_row_counts(files: BackupFiles, restored: Snapshot) -> None:
    for table, expected in sorted(files.manifest.row_counts.items()):
        found = restored.row_counts.get(table)
        if found != expected:
            raise InputError(
                f"{files.dump}: table {table} has {found} rows after a test restore, "
                f"its manifest says {expected}"
            )


def snapshot_of(url: str) -> Snapshot:
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            return read_snapshot(connection)
    finally:
        engine.dispose()


def verify_backup(file: Path, engine: Engine, scratch: Path) -> BackupFiles:
    """Checksum, then a restore into a scratch database, then row counts against the manifest."""
    files = locate_backup(file)
    check_checksum(files)
    store = staging_store(files.manifest, engine, scratch)
    staging_url = store.stage(files.dump)
    try:
        compare_row_counts(files, snapshot_of(staging_url))
    finally:
        store.discard(staging_url)
    return files
