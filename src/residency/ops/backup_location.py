"""Whether the backup folder would be lost together with the database: inside its data folder
or data directory, or on the same container volume. The predecessor survived `docker volume rm`
only because its backups lived elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine

from residency.errors import ResidencyError
from residency.ops.backup_store import Store, store_for

CONTAINER_MARKERS = (Path("/.dockerenv"), Path("/run/.containerenv"))


def in_container() -> bool:
    return any(marker.exists() for marker in CONTAINER_MARKERS)


def mount_point(path: Path) -> Path:
    current = path.resolve()
    while not current.exists():
        current = current.parent
    while not os.path.ismount(current):
        current = current.parent
    return current


def shared_storage(folder: Path, storage: Path) -> str | None:
    """Why `folder` would go with `storage`, or None when it would survive its deletion."""
    folder, storage = folder.resolve(), storage.resolve()
    if folder.is_relative_to(storage):
        return f"inside the database's storage {storage}"
    if in_container():
        volume = mount_point(storage)
        if volume != Path("/") and mount_point(folder) == volume:
            return f"on the same container volume ({volume}) as the database's storage {storage}"
    return None


def location_problem(store: Store, folder: Path) -> str | None:
    """A one-line warning when deleting the database's storage would take the backups with it.
    Raises EnvironmentProblem when the storage cannot be found out."""
    storage = store.storage_folder()
    if storage is None:
        return None
    reason = shared_storage(folder, storage)
    if reason is None:
        return None
    return (
        f"the backup folder {folder.resolve()} is {reason}: deleting that storage would take "
        "the backups with it; set RESIDENCY_BACKUP_DIR (or --dir) to a folder outside it"
    )


def location_warning(engine: Engine, folder: Path) -> str | None:
    """What is wrong with keeping this engine's backups in the folder, if anything we can tell
    (a server that will not say where its data lives is `residency doctor`'s to report)."""
    try:
        return location_problem(store_for(engine), folder)
    except ResidencyError:
        return None
