"""Following and stopping runs through the API, on both engines: the event stream carries each
progress point and the run's end and resumes after the last point seen; a cancel ends a queued
run at once and refuses one that has ended."""

from __future__ import annotations

import json
import threading
from typing import Any

from fixtures.api import Api, QueueOnly
from fixtures.runs_api import QUICK_BLOCK, staff
from residency.scheduling.runs.execute import execute_run


def _queued(api: Api, headers: dict[str, str]) -> int:
    api.client.app.state.executor = QueueOnly()  # type: ignore[attr-defined]  # executed by hand
    started = api.client.post("/api/v1/runs", json=QUICK_BLOCK, headers=headers)
    assert started.status_code == 202, started.text
    return int(started.json()["id"])


def _events(api: Api, url: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """The stream, read to its end, as its events: {"event", "data", "id"}."""
    with api.client.stream("GET", url, headers=headers) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        text = "".join(answer.iter_text())
    found = []
    for chunk in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in chunk.splitlines() if ": " in line)
        if "event" in fields:
            data = json.loads(fields["data"])
            found.append({"event": fields["event"], "data": data, "id": fields.get("id")})
    return found


def test_the_event_stream_carries_progress_then_the_end_and_resumes_after_a_point(
    api: Api,
) -> None:
    headers = staff(api)
    run_id = _queued(api, headers)
    worker = threading.Timer(0.3, execute_run, args=(run_id, api.engine))
    worker.start()  # while the stream below is open: it follows the run from queued to its end
    events = _events(api, f"/api/v1/runs/{run_id}/events", headers)
    worker.join()
    kinds = [e["event"] for e in events]
    assert kinds[0] == "status" and events[0]["data"]["status"] == "queued"
    assert kinds[-1] == "end" and events[-1]["data"]["status"] == "succeeded"
    progress = [e for e in events if e["event"] == "progress"]
    assert progress and progress[-1]["data"]["objective"] is not None

    run = api.client.get(f"/api/v1/runs/{run_id}", headers=headers).json()
    assert run["progress"]["solver"]["objective"] == progress[-1]["data"]["objective"]
    assert len(run["progress"]["curve"]) == len(progress)

    resumed = _events(
        api, f"/api/v1/runs/{run_id}/events", headers | {"Last-Event-ID": progress[-1]["id"]}
    )
    assert [e["event"] for e in resumed] == ["status", "end"]  # nothing seen is sent again


def test_a_stream_of_an_unknown_run_or_from_a_bad_event_id_is_refused(api: Api) -> None:
    headers = staff(api)
    missing = api.client.get("/api/v1/runs/999999/events", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "run_id"
    run_id = _queued(api, headers)
    bad = api.client.get(f"/api/v1/runs/{run_id}/events", headers=headers | {"Last-Event-ID": "x1"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "Last-Event-ID"


def test_a_cancel_ends_a_queued_run_and_an_ended_run_cannot_be_cancelled(api: Api) -> None:
    headers = staff(api)
    run_id = _queued(api, headers)
    cancelled = api.client.post(f"/api/v1/runs/{run_id}/cancel", headers=headers)
    assert cancelled.status_code == 202, cancelled.text
    body = cancelled.json()
    assert body["status"] == "cancelled" and body["progress"]["cancel_requested_at"]
    again = api.client.post(f"/api/v1/runs/{run_id}/cancel", headers=headers)
    assert again.status_code == 409 and "has ended" in again.json()["error"]["message"]
    missing = api.client.post("/api/v1/runs/999999/cancel", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "run_id"
