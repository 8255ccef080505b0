"""The nightly cleanup of sign-ins' leftovers: thin, it calls auth/cleanup.py."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import timedelta

from celery import shared_task

from residency import clock
from residency.auth.cleanup import remove_ended
from residency.config import get_settings
from residency.db import unit_of_work

log = logging.getLogger("residency.worker")


@shared_task(name="residency.auth.cleanup")  # type: ignore[misc]  # celery is untyped
def cleanup() -> None:
    history = timedelta(days=get_settings().auth_history_days)
    with unit_of_work() as session:
        removed = remove_ended(session, clock.now(), history)
    log.info("auth cleanup: removed %s", asdict(removed))
