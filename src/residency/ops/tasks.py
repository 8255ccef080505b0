"""The nightly backup: the same backup and prune as `residency backup` and `residency backup
prune`, into RESIDENCY_BACKUP_DIR with the retention settings."""

from __future__ import annotations

import logging

from celery import shared_task

from residency.config import get_settings
from residency.db import get_engine
from residency.ops.backup import take_backup
from residency.ops.backup_location import location_warning
from residency.ops.retention import RetentionPolicy, prune

log = logging.getLogger("residency.worker")


@shared_task(name="residency.ops.nightly_backup")  # type: ignore[misc]  # celery is untyped
def nightly_backup() -> None:
    """Back up, then prune; no transaction of ours is open (the dump is the engine's own)."""
    settings = get_settings()
    folder, engine = settings.backup_dir, get_engine()
    assert folder is not None  # filled in by the settings
    files = take_backup(engine, folder, reason="nightly")
    log.info("nightly backup: %s (%s rows)", files.dump, files.manifest.total_rows)
    problem = location_warning(engine, folder)
    if problem:
        log.warning("nightly backup: %s", problem)
    report = prune(folder, RetentionPolicy.of_settings(settings))
    log.info("nightly prune: kept %s backups, removed %s", len(report.kept), len(report.removed))
