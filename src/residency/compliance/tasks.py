"""The nightly compliance scan of every published block: thin, it calls compliance/scan.py."""

from __future__ import annotations

import logging

from celery import shared_task

from residency.compliance.scan import scan_published_blocks
from residency.db import unit_of_work

log = logging.getLogger("residency.worker")


@shared_task(name="residency.compliance.scan")  # type: ignore[misc]  # celery is untyped
def scan() -> None:
    with unit_of_work() as session:
        summary = scan_published_blocks(session)
    for alert in summary.opened:
        log.warning("compliance alert: %s", alert)
    for problem in summary.problems:
        log.warning("compliance scan: could not check %s", problem)
    log.info("compliance scan: %s", summary.as_json())
