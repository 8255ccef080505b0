"""Runs through the API on both engines: started (202, Location) and executed after commit,
followed to their end, replayed under an Idempotency-Key, compared, published; refused when
they overlap a live run or when the input is bad, with nothing written; and failed when the
server that claimed them is gone."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fixtures.api import Api
from fixtures.block_program import BLOCK, YEAR
from fixtures.runs_api import QUICK_BLOCK, run_block, staff, wait_for_end
from residency.auth.models import IdempotentRequest, Role
from residency.cli import main
from residency.db import unit_of_work
from residency.scheduling.block.service import GenerateRequest, claim_block
from residency.scheduling.models import ScheduleRun
from residency.web import create_app
from residency.web.executor import executor_label

SCHEDULE = f"/api/v1/blocks/{YEAR}/{BLOCK}/schedule"


def _counts(api: Api) -> tuple[int, int]:
    with unit_of_work(api.engine) as session:
        return (
            session.scalar(select(func.count(ScheduleRun.id))) or 0,
            session.scalar(select(func.count()).select_from(IdempotentRequest)) or 0,
        )


def _error(answer: Any, status: int, field: str | None) -> str:
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["field"] == field, error
    return str(error["message"])


def test_a_finished_run_answers_the_keys_generate_prints(
    api: Api, cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--block", str(BLOCK), "--academic-year", str(YEAR)]
    # The same search as QUICK_BLOCK: one solve serves the CLI here and the API below.
    assert main(["generate", *where, "--time-limit", "5", "--first-feasible", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)

    run = api.client.get(f"/api/v1/runs/{printed['run_id']}", headers=staff(api)).json()

    assert run["status"] == "succeeded" and run["executor"] is None  # the CLI ran it itself
    result = run["result"]
    assert {k: v for k, v in result.items() if k in printed} == printed
    # Besides: which level it is, and the keys generate prints only when they apply.
    assert {k: result[k] for k in result.keys() - printed.keys()} == {
        "level": "block",
        "explanation": None,
        "changes": None,
    }
    assert run["progress"]["finished_at"] == run["finished_at"] is not None


def test_a_run_is_started_replayed_compared_published_and_shown(api: Api) -> None:
    headers = staff(api)
    keyed = headers | {"Idempotency-Key": "block-10-first-draft"}
    started = api.client.post("/api/v1/runs", json=QUICK_BLOCK, headers=keyed)
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    assert started.json()["status"] == "queued"
    assert started.headers["Location"] == f"/api/v1/runs/{run_id}"

    replayed = api.client.post("/api/v1/runs", json=QUICK_BLOCK, headers=keyed)
    assert (replayed.status_code, replayed.json()) == (202, started.json())
    assert replayed.headers["Location"] == started.headers["Location"]
    changed = api.client.post("/api/v1/runs", json=QUICK_BLOCK | {"time_limit_s": 6}, headers=keyed)
    assert "another request" in _error(changed, 422, "Idempotency-Key")

    first = wait_for_end(api, run_id, headers)
    assert first["status"] == "succeeded", first["message"]
    assert first["executor"] == executor_label()  # a restart here would fail it if left live
    assert first["result"]["published"] is False and first["result"]["assignments"] > 0
    assert _counts(api)[0] == 1  # the replay made no second run

    second = run_block(api, headers)
    listed = api.client.get("/api/v1/runs", headers=headers).json()
    assert [r["id"] for r in listed] == [second["id"], run_id]
    assert api.client.get("/api/v1/runs?kind=annual", headers=headers).json() == []

    draft = api.client.get(f"/api/v1/runs/{run_id}/diff", headers=headers).json()
    assert draft["old"] == "nothing published" and draft["changes"]
    assert all(c["old"] == "-" for c in draft["changes"])
    twin = api.client.get(f"/api/v1/runs/{second['id']}/diff?against={run_id}", headers=headers)
    assert twin.json()["changes"] == []  # the same problem and search: the same schedule

    _published_then_stale(api, headers, run_id, second["id"])


def _published_then_stale(api: Api, headers: dict[str, str], first: int, second: int) -> None:
    assert api.client.get(SCHEDULE, headers=headers).json()["groups"] == []
    draft = api.client.get(f"{SCHEDULE}?run={first}", headers=headers).json()
    assert draft["version"] == "draft" and draft["groups"]

    keyed = headers | {"Idempotency-Key": f"publish-{first}"}
    done = api.client.post(f"/api/v1/runs/{first}/publish", json={}, headers=keyed)
    assert done.status_code == 200, done.text
    again = api.client.post(f"/api/v1/runs/{first}/publish", headers=keyed)  # a retry
    assert (again.status_code, again.json()) == (200, done.json())
    unkeyed = api.client.post(f"/api/v1/runs/{first}/publish", headers=headers)
    assert "already the published version" in _error(unkeyed, 409, None)
    assert done.json() == {
        "run_id": first,
        "scope": f"block_schedule/{YEAR}/{BLOCK}",
        "previous_run_id": None,
        "revision": 1,
        "forced": False,
    }
    shown = api.client.get(SCHEDULE, headers=headers).json()
    assert shown["version"] == "published" and shown["groups"] == draft["groups"]
    for role in (Role.RESIDENT, Role.FACULTY):  # everyone reads what is published
        assert api.client.get(SCHEDULE, headers=api.headers(role)).json() == shown

    stale = api.client.post(f"/api/v1/runs/{second}/publish", json={}, headers=headers)
    message = _error(stale, 409, None)
    assert f"changed after run {second} was made" in message and "--force" in message
    forced = api.client.post(
        f"/api/v1/runs/{second}/publish", json={"force": True}, headers=headers
    )
    assert forced.json()["forced"] is True and forced.json()["previous_run_id"] == first


def test_a_resident_reads_no_draft_and_no_run(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        run_id = claim_block(session, GenerateRequest(YEAR, BLOCK))  # never executed
    resident = api.headers(Role.RESIDENT)
    for url in (
        f"{SCHEDULE}?run={run_id}",
        f"/api/v1/plan/{YEAR}?run={run_id}",
        f"/api/v1/compliance/blocks/{YEAR}/{BLOCK}?run={run_id}",
        f"/api/v1/runs/{run_id}",
        f"/api/v1/runs/{run_id}/diff",
    ):
        assert api.client.get(url, headers=resident).status_code == 403, url
    refused = api.client.post(f"/api/v1/runs/{run_id}/publish", json={}, headers=resident)
    assert refused.status_code == 403
    assert api.client.get(SCHEDULE, headers=resident).status_code == 200


def test_a_run_over_a_live_one_is_refused_and_writes_nothing(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        live = claim_block(session, GenerateRequest(YEAR, BLOCK))  # queued, never executed
    keyed = staff(api) | {"Idempotency-Key": "while-another-runs"}

    answer = api.client.post("/api/v1/runs", json=QUICK_BLOCK, headers=keyed)

    assert answer.json()["error"]["code"] == "refused"
    message = _error(answer, 409, None)
    assert f"schedule run {live} " in message and "still queued" in message
    assert _counts(api) == (1, 0)  # no run, and the key is not spent on a refusal


BAD_RUNS: list[tuple[dict[str, Any], str, str]] = [
    (QUICK_BLOCK | {"block": 14}, "block", "less than or equal to 13"),
    (QUICK_BLOCK | {"kind": "month"}, "kind", "'block' or 'annual'"),
    (QUICK_BLOCK | {"academic_year": "2025"}, "academic_year", "valid integer"),
    (QUICK_BLOCK | {"minimal_change": "yes"}, "minimal_change", "valid boolean"),
    (QUICK_BLOCK | {"time_limit_s": 0.5}, "time_limit_s", "greater than or equal to 1"),
    (QUICK_BLOCK | {"time_limit_s": 601}, "time_limit_s", "less than or equal to 600"),
    (QUICK_BLOCK | {"workers": 2}, "workers", "is not a field of this request"),
    ({k: v for k, v in QUICK_BLOCK.items() if k != "block"}, "block", "required when kind"),
    (QUICK_BLOCK | {"kind": "annual"}, "block", "plans the whole year"),
    (QUICK_BLOCK | {"minimal_change": True}, "first_feasible", "one of the two"),
    (QUICK_BLOCK | {"academic_year": 2031}, "academic_year", "2031 is not in the database"),
]


def test_bad_run_requests_name_the_field_and_write_nothing(api: Api) -> None:
    headers = staff(api) | {"Idempotency-Key": "bad"}
    for body, field, words in BAD_RUNS:
        answer = api.client.post("/api/v1/runs", json=body, headers=headers)
        assert words in _error(answer, 422, field), (body, answer.text)
    no_curriculum = {"kind": "annual", "academic_year": YEAR}
    answer = api.client.post("/api/v1/runs", json=no_curriculum, headers=headers)
    assert "no curriculum requirements" in _error(answer, 422, None)
    too_long = staff(api) | {"Idempotency-Key": "k" * 129}
    answer = api.client.post("/api/v1/runs", json=QUICK_BLOCK, headers=too_long)
    assert "1 to 128 printable characters" in _error(answer, 422, "Idempotency-Key")
    assert _counts(api) == (0, 0)


def test_unknown_runs_and_bad_reads_name_the_request_field(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        run_id = claim_block(session, GenerateRequest(YEAR, BLOCK))  # of block 10, queued
    cases = [
        ("GET", "/api/v1/runs/999", 404, "run_id", "999 is not a schedule run"),
        ("GET", "/api/v1/runs/abc", 422, "run_id", "valid integer"),
        ("GET", f"/api/v1/runs/{2**31}", 422, "run_id", "less than or equal to"),
        ("POST", "/api/v1/runs/999/publish", 404, "run_id", "999 is not a schedule run"),
        ("GET", f"{SCHEDULE}?run=999", 404, "run", "999 is not a schedule run"),
        ("GET", f"/api/v1/blocks/{YEAR}/14/schedule", 422, "block", "less than or equal"),
        ("GET", f"{SCHEDULE}?person=nobody", 422, "person", "'nobody' is not a person"),
        ("GET", "/api/v1/plan/2031", 404, "academic_year", "2031 is not in the database"),
        ("GET", f"/api/v1/blocks/{YEAR}/9/schedule?run={run_id}", 422, "run", "block 10"),
        ("GET", f"/api/v1/runs/{run_id}/diff?against=latest", 422, "against", "neither"),
        ("GET", f"/api/v1/runs/{run_id}/diff?against=999", 404, "against", "999 is not"),
    ]
    headers = staff(api)
    for method, url, status, field, words in cases:
        answer = api.client.request(
            method, url, headers=headers, json={} if method == "POST" else None
        )
        assert words in _error(answer, status, field), (url, answer.text)


def test_a_restarted_server_fails_the_runs_its_predecessor_left_live(api: Api) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    predecessor = {"executor": "local", "host": socket.gethostname(), "pid": int(gone.stdout)}
    with unit_of_work(api.engine) as session:
        left = claim_block(session, GenerateRequest(YEAR, BLOCK), claimed_by=predecessor)

    with TestClient(create_app(api.engine)) as restarted:  # start-up looks for runs left live
        assert restarted.get("/healthz").status_code == 200

    run = api.client.get(f"/api/v1/runs/{left}", headers=staff(api)).json()
    assert run["status"] == "failed" and run["executor"] == predecessor
    assert "stopped before it finished" in run["message"]
