"""`residency doctor`: one line per check of the installation, each failure with its fix."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from residency.config import Settings
from residency.db import check_reachable, engine_for, redacted
from residency.errors import ResidencyError
from residency.ops import migrations
from residency.ops.backup import list_backups
from residency.ops.backup_location import location_problem
from residency.ops.backup_store import store_for
from residency.scheduling.preflight import LEVELS, Level, registry_report

DEFAULT_MAX_BACKUP_AGE = timedelta(hours=26)  # a daily backup, with slack for a slow night
DEFAULT_MIN_FREE_BYTES = 1 << 30
# A restore needs room for the safety backup and for the staged copy beside the database.
ROOM_PER_BACKUP = 3


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok, warn, fail, skip
    detail: str
    fix: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Limits:
    max_backup_age: timedelta = DEFAULT_MAX_BACKUP_AGE
    min_free_bytes: int = DEFAULT_MIN_FREE_BYTES


def run_checks(
    settings: Settings,
    *,
    now: datetime | None = None,
    limits: Limits = Limits(),
) -> list[Check]:
    backup_dir = Path(settings.backup_dir or "backups")
    database = _check_database(settings.database_url)
    engine = database[1]
    checks = [
        database[0],
        check_schema(engine),
        *(check_registry(level) for level in LEVELS),
        *_check_backup_folder(backup_dir, engine),
        _check_newest_backup(backup_dir, now or datetime.now(UTC), limits.max_backup_age),
        check_redis(settings.redis_url),
        *_check_free_disk(backup_dir, engine, limits.min_free_bytes),
    ]
    return checks


def readiness_checks(settings: Settings, engine: Engine) -> list[Check]:
    """What a server needs to answer requests: the `doctor` checks that are not about backups."""
    try:
        check_reachable(engine)
        database = Check("database reachable", "ok", redacted(str(engine.url)))
    except ResidencyError as exc:
        database = Check("database reachable", "fail", str(exc))
    return [
        database,
        check_schema(engine if database.status == "ok" else None),
        *(check_registry(level) for level in LEVELS),
        check_redis(settings.redis_url),
    ]


def installation_checks(
    settings: Settings, engine: Engine, *, now: datetime | None = None, limits: Limits = Limits()
) -> list[Check]:
    """The doctor's checks over a running server's own engine (the operations page): what a
    server needs, then the backups' folder, age and disk room, as `residency doctor` checks."""
    backup_dir = Path(settings.backup_dir or "backups")
    ready = readiness_checks(settings, engine)
    reachable = engine if ready[0].status == "ok" else None
    return [
        *ready,
        *_check_backup_folder(backup_dir, reachable),
        _check_newest_backup(backup_dir, now or datetime.now(UTC), limits.max_backup_age),
        *_check_free_disk(backup_dir, reachable, limits.min_free_bytes),
    ]


def failed(checks: Sequence[Check]) -> bool:
    return any(check.status == "fail" for check in checks)


def _check_database(url: str) -> tuple[Check, Engine | None]:
    name = "database reachable"
    missing = _missing_sqlite_file(url)
    if missing is not None:
        # Connecting would create an empty file (and its folder); the doctor only looks.
        fix = "residency db upgrade (creates it), or residency restore FILE"
        return Check(name, "fail", f"database file {missing} does not exist", fix), None
    try:
        engine = engine_for(url)
        check_reachable(engine)
    except ResidencyError as exc:
        fix = "start the database, or fix RESIDENCY_DATABASE_URL"
        return Check(name, "fail", str(exc), fix), None
    return Check(name, "ok", redacted(url)), engine


def _missing_sqlite_file(url: str) -> Path | None:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None  # engine_for reports the bad URL
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database or "")
    return None if path.is_file() else path


def check_schema(engine: Engine | None) -> Check:
    name = "schema at head"
    if engine is None:
        return Check(name, "skip", "database unreachable")
    status = migrations.schema_status(engine)
    if status.up_to_date:
        return Check(name, "ok", f"revision {status.current_revision}")
    fix = migrations.UPGRADE_COMMAND if status.state in ("empty", "behind") else None
    fix = fix or "install the version that wrote this schema, or restore a backup at the code's"
    return Check(name, "fail", migrations.mismatch_message(status).split(";")[0], fix)


def check_registry(level: Level) -> Check:
    report = registry_report(level)
    name = f"{level} constraint registry complete"
    if report.ok:
        return Check(name, "ok", report.detail)
    return Check(name, "fail", report.detail, report.fix)


def _check_backup_folder(folder: Path, engine: Engine | None) -> list[Check]:
    checks = []
    if folder.is_dir():
        checks += [
            Check("backup folder exists", "ok", str(folder.resolve())),
            _check_writable(folder),
        ]
    else:
        fix = f"mkdir -p {folder} (or set RESIDENCY_BACKUP_DIR)"
        checks.append(Check("backup folder exists", "fail", f"{folder} is not a folder", fix))
    if engine is not None:
        checks.append(_check_outside_storage(folder, engine))
    return checks


def _check_writable(folder: Path) -> Check:
    name = "backup folder writable"
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        fix = f"give the user running residency write access to {folder}"
        return Check(name, "fail", f"cannot write in {folder}: {exc.strerror}", fix)
    return Check(name, "ok", str(folder))


def _check_outside_storage(folder: Path, engine: Engine) -> Check:
    name = "backup folder outside the database's storage"
    try:
        problem = location_problem(store_for(engine), folder)
    except ResidencyError as exc:
        return Check(name, "warn", f"cannot tell: {exc}")
    if problem is not None:
        return Check(name, "fail", problem, "set RESIDENCY_BACKUP_DIR to a folder outside it")
    return Check(name, "ok", f"{folder.resolve()} survives the loss of the database's storage")


def _check_newest_backup(folder: Path, now: datetime, max_age: timedelta) -> Check:
    name = "newest backup"
    backups = list_backups(folder).backups
    if not backups:
        return Check(name, "fail", f"no backup in {folder}", "residency backup")
    newest = backups[0]
    age = now - newest.manifest.created
    detail = f"{newest.dump.name}, {_hours(age)} old, revision {newest.manifest.alembic_revision}"
    if age > max_age:
        return Check(name, "fail", f"{detail} (limit {_hours(max_age)})", "residency backup")
    return Check(name, "ok", detail)


def _hours(span: timedelta) -> str:
    return f"{span.total_seconds() / 3600:.1f} h"


def check_redis(url: str | None) -> Check:
    name = "redis reachable"
    if not url:
        return Check(name, "skip", "RESIDENCY_REDIS_URL is not set")
    import redis  # only needed when one is configured

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except (redis.RedisError, ValueError) as exc:
        fix = "start Redis, or fix or unset RESIDENCY_REDIS_URL"
        return Check(name, "fail", f"{redacted(url)}: {exc}", fix)
    return Check(name, "ok", redacted(url))


def _check_free_disk(folder: Path, engine: Engine | None, min_free: int) -> list[Check]:
    places = {"backup folder": folder}
    if engine is not None and engine.dialect.name == "sqlite" and engine.url.database:
        places["database folder"] = Path(engine.url.database).parent
    newest = list_backups(folder).backups
    needed = max(min_free, ROOM_PER_BACKUP * (newest[0].manifest.size_bytes if newest else 0))
    return [_free_disk(label, path, needed) for label, path in places.items()]


def _free_disk(label: str, path: Path, needed: int) -> Check:
    name = f"free disk ({label})"
    existing = path.resolve()
    while not existing.exists():
        existing = existing.parent
    free = shutil.disk_usage(existing).free
    detail = f"{_mib(free)} free at {existing} (needs {_mib(needed)})"
    if free < needed:
        return Check(name, "fail", detail, f"free space on the disk holding {existing}")
    return Check(name, "ok", detail)


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MiB"
