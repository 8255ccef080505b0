"""A run's events as a server-sent event stream: each progress point as it is written, each
change of state, and the end. Read from the database twice a second, so it follows a run
wherever it is solved; `Last-Event-ID` (the last progress point seen) resumes a stream after a
dropped connection without repeating points."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
from sqlalchemy import Engine

from residency.db import unit_of_work
from residency.scheduling.models import LIVE_STATUSES
from residency.scheduling.runs.progress import point_json, points_after
from residency.scheduling.runs.versions import get_run

POLL_S = 0.5
KEEPALIVE_S = 15.0  # a comment line, so that proxies do not close a quiet stream
# One stream ends after this (the client reconnects, with Last-Event-ID): no request is held
# open for ever by a run that never ends.
MAX_STREAM_S = 15 * 60.0
RETRY_MS = 2000  # how long a browser's EventSource waits before it reconnects


def sse(event: str, data: dict[str, Any], event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


async def run_events(engine: Engine, run_id: int, after_point: int = 0) -> AsyncIterator[str]:
    """Async, so that a watcher holds no thread while it waits: only each read of the database
    takes one, from the server's pool, for a moment."""
    yield f"retry: {RETRY_MS}\n\n"
    state: dict[str, Any] | None = None
    began = quiet_since = time.monotonic()
    while time.monotonic() - began < MAX_STREAM_S:
        now_state, ended, found = await anyio.to_thread.run_sync(_read, engine, run_id, after_point)
        for point_id, point in found:
            yield sse("progress", point, point_id)
            after_point = point_id
        if now_state != state:
            state = now_state
            yield sse("status", state)
        if ended:
            yield sse("end", state)
            return
        if found:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= KEEPALIVE_S:
            yield ": keepalive\n\n"
            quiet_since = time.monotonic()
        await anyio.sleep(POLL_S)


def _read(
    engine: Engine, run_id: int, after_point: int
) -> tuple[dict[str, Any], bool, list[tuple[int, dict[str, Any]]]]:
    """The run's state, whether it has ended, and its progress points after `after_point`."""
    with unit_of_work(engine) as session:
        run = get_run(session, run_id)
        found = [(p.id, point_json(p)) for p in points_after(session, run_id, after_point)]
        state = {
            "status": run.status.value,
            "message": run.message,
            "cancel_requested": run.cancel_requested_at is not None,
        }
        return state, run.status not in LIVE_STATUSES, found
