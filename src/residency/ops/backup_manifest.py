"""The manifest written beside every dump: which schema, engine and rows it holds, and its
checksum. Restore trusts nothing about a dump that its manifest does not vouch for."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from residency.errors import InputError, NotFoundError

MANIFEST_FORMAT = "residency-backup/1"
MANIFEST_SUFFIX = ".manifest.json"
DUMP_SUFFIXES = {"sqlite": ".db", "postgresql": ".pgdump"}
ENGINES = tuple(DUMP_SUFFIXES)
_REQUIRED = (
    "format",
    "alembic_revision",
    "engine",
    "database_name",
    "created_at",
    "dump_file",
    "size_bytes",
    "sha256",
    "row_counts",
)


@dataclass(frozen=True)
class Snapshot:
    """What a dump holds, read inside the same consistent view the dump was taken from."""

    alembic_revision: str | None
    schema_updated_at: str | None
    row_counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    app_version: str
    alembic_revision: str
    schema_updated_at: str | None
    engine: str
    server_version: str
    database_name: str
    created_at: str
    dump_file: str
    size_bytes: int
    sha256: str
    row_counts: dict[str, int]
    reason: str = "manual"
    format: str = MANIFEST_FORMAT

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.created_at)

    @property
    def total_rows(self) -> int:
        return sum(self.row_counts.values())

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class BackupFiles:
    dump: Path
    manifest_path: Path
    manifest: Manifest


def manifest_path_for(dump: Path) -> Path:
    return dump.with_suffix(MANIFEST_SUFFIX)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(manifest: Manifest, path: Path) -> None:
    # Written to a temporary name and renamed, so a manifest is either complete or absent.
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(manifest.as_json(), indent=2, sort_keys=True) + "\n")
    os.replace(partial, path)


def read_manifest(path: Path) -> Manifest:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(f"{path}: not a backup manifest (not JSON)") from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise InputError(f"{path}: not a backup manifest (format is not {MANIFEST_FORMAT!r})")
    for name in _REQUIRED:
        if data.get(name) in (None, ""):
            raise InputError(f"{path}: manifest field {name!r} is missing or empty")
    if data["engine"] not in ENGINES:
        raise InputError(f"{path}: manifest field 'engine' is {data['engine']!r}, not {ENGINES}")
    _check_types(path, data)
    known = set(Manifest.__dataclass_fields__)
    return Manifest(**{key: value for key, value in data.items() if key in known})


def _check_types(path: Path, data: dict[str, Any]) -> None:
    try:
        datetime.fromisoformat(data["created_at"])
    except (TypeError, ValueError):
        raise InputError(
            f"{path}: manifest field 'created_at' is {data['created_at']!r}, not an ISO time"
        ) from None
    if not isinstance(data["size_bytes"], int) or not isinstance(data["row_counts"], dict):
        raise InputError(f"{path}: manifest fields 'size_bytes' or 'row_counts' are malformed")


def locate_backup(file: Path) -> BackupFiles:
    """FILE may name the dump or its manifest; the other must sit beside it."""
    if not file.exists():
        raise NotFoundError(f"backup file {file} does not exist")
    if file.name.endswith(MANIFEST_SUFFIX):
        manifest = read_manifest(file)
        dump = file.with_name(manifest.dump_file)
        if not dump.exists():
            raise NotFoundError(f"{file}: its dump {dump.name} is missing")
        return BackupFiles(dump, file, manifest)
    manifest_path = manifest_path_for(file)
    if not manifest_path.exists():
        raise InputError(
            f"{file} is not a backup: no manifest {manifest_path.name} beside it "
            "(take backups with `residency backup`)"
        )
    manifest = read_manifest(manifest_path)
    if manifest.dump_file != file.name:
        raise InputError(f"{manifest_path}: describes {manifest.dump_file}, not {file.name}")
    return BackupFiles(file, manifest_path, manifest)


def check_checksum(files: BackupFiles) -> None:
    size = files.dump.stat().st_size
    if size != files.manifest.size_bytes or sha256_of(files.dump) != files.manifest.sha256:
        raise InputError(
            f"{files.dump}: checksum does not match its manifest (SHA-256 {files.manifest.sha256}, "
            f"{files.manifest.size_bytes} bytes): the dump is damaged or was changed; "
            "use another backup"
        )
