"""Benchmark: background runs through the task queue, on PostgreSQL and Redis.

    .venv/bin/python benchmarks/jobs.py --database-url URL [--runs 5] [--redis-url URL]

The database must hold the demo with Block 10 of 2025 published (`residency demo` makes it;
this script runs it when the block is missing). The script adds a coordinator account, starts
`residency serve` and `residency worker` as processes of their own (Redis keys under a prefix
of their own), and then, per run, through the API: starts a Block 10 run (optimising, 120 s
limit) and polls it every 10 ms:

1. start latency: from sending POST /api/v1/runs to the run seen running (the worker has
   taken it and its solve has begun);
2. progress latency: for each improving solution, from when the solver reported it (the run's
   progress.solver.found_at) to when GET /api/v1/runs/{id} first shows it;
3. cancel latency: 5 s into the solve, from sending POST /cancel to the run seen ended.

Prints each run's figures, then the median over the runs (the progress median is over every
solution of every run), and the most database connections the deployment held meanwhile.
Then, for scaling out, blocks 9 and 11 with a 20 s limit each, first one after the other and
then both at once on the worker's two processes: each one's objective and gap, alone and
side by side. Server and client share the machine: these are loopback figures."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import httpx2 as httpx
from api import demo_published, prepare
from sqlalchemy import Engine, select, text

from residency.auth import service
from residency.auth.models import Role, User
from residency.db import build_engine, unit_of_work

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fixtures.stack import stack_on  # the processes the system test starts

EMAIL, PASSWORD = "bench.chief@example.org", "Bench-Copper-Meadow-58"
RUN = {"kind": "block", "academic_year": 2025, "block": 10, "time_limit_s": 120}
POLL_S = 0.01
CANCEL_AFTER_S = 5.0
SIDE_BY_SIDE = (9, 11)
SIDE_BY_SIDE_LIMIT_S = 20


def add_coordinator(url: str) -> None:
    engine = build_engine(url)
    with unit_of_work(engine) as session:
        if session.scalar(select(User.id).where(User.email == EMAIL)) is None:
            service.create_user(
                session, service.NewUser(EMAIL, Role.COORDINATOR, password=PASSWORD)
            )
    engine.dispose()


def connections(engine: Engine) -> int:
    with engine.connect() as connection:
        count = connection.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        )
    return int(count or 0) - 1  # not this one


def one_run(api: httpx.Client, engine: Engine) -> dict[str, Any]:
    sent = time.monotonic()
    run_id = api.post("/api/v1/runs", json=RUN).json()["id"]
    run = api.get(f"/api/v1/runs/{run_id}").json()
    while run["status"] == "queued":
        time.sleep(POLL_S)
        run = api.get(f"/api/v1/runs/{run_id}").json()
    started = time.monotonic()
    seen: dict[int, float] = {}  # solutions count -> progress latency
    most = 0
    while time.monotonic() - started < CANCEL_AFTER_S:
        most = max(most, connections(engine))
        solver = api.get(f"/api/v1/runs/{run_id}").json()["progress"]["solver"]
        if solver and solver["solutions"] not in seen and solver["found_at"]:
            found = datetime.fromisoformat(solver["found_at"])
            seen[solver["solutions"]] = (datetime.now(UTC) - found).total_seconds()
        time.sleep(POLL_S)
    asked = time.monotonic()
    assert api.post(f"/api/v1/runs/{run_id}/cancel").status_code == 202
    while not api.get(f"/api/v1/runs/{run_id}").json()["finished_at"]:
        time.sleep(POLL_S)
    return {
        "start_s": started - sent,
        "progress_s": list(seen.values()),
        "cancel_s": time.monotonic() - asked,
        "connections": most,
    }


def finished(api: httpx.Client, run_ids: list[int]) -> list[dict[str, Any]]:
    while True:
        runs = [api.get(f"/api/v1/runs/{run_id}").json() for run_id in run_ids]
        if all(run["finished_at"] for run in runs):
            return runs
        time.sleep(0.2)


def side_by_side(api: httpx.Client) -> None:
    body = RUN | {"time_limit_s": SIDE_BY_SIDE_LIMIT_S}
    alone = [
        finished(api, [api.post("/api/v1/runs", json=body | {"block": block}).json()["id"]])[0]
        for block in SIDE_BY_SIDE
    ]
    ids = [api.post("/api/v1/runs", json=body | {"block": b}).json()["id"] for b in SIDE_BY_SIDE]
    together = finished(api, ids)
    for block, one, two in zip(SIDE_BY_SIDE, alone, together, strict=True):
        print(
            f"block {block} at {SIDE_BY_SIDE_LIMIT_S} s: alone objective "
            f"{one['result']['objective']:g} gap {100 * one['result']['gap']:.1f} %; "
            f"side by side objective {two['result']['objective']:g} gap "
            f"{100 * two['result']['gap']:.1f} %"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not demo_published(build_engine(args.database_url)):
        prepare(args.database_url)
    add_coordinator(args.database_url)
    results = []
    with (
        TemporaryDirectory() as folder,
        stack_on(args.database_url, Path(folder), RESIDENCY_REDIS_URL=args.redis_url) as stack,
    ):
        stack.start("web", "serve", "--port", str(stack.port))
        stack.start("worker", "worker", "--concurrency", "2")
        stack.wait_for_web()
        stack.wait_for_log("worker", "ready.")
        login = {"email": EMAIL, "password": PASSWORD}
        token = httpx.post(f"{stack.url}/api/v1/auth/login", json=login).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=stack.url, headers=headers, timeout=30) as api:
            engine = build_engine(args.database_url)
            for number in range(1, args.runs + 1):
                found = one_run(api, engine)
                results.append(found)
                progress = ", ".join(f"{s:.2f}" for s in found["progress_s"])
                print(
                    f"run {number}: start {found['start_s']:.3f} s, cancel "
                    f"{found['cancel_s']:.3f} s, {found['connections']} connections, "
                    f"progress per solution [{progress}] s"
                )
            side_by_side(api)
    every_progress = [s for r in results for s in r["progress_s"]]
    start = statistics.median(r["start_s"] for r in results)
    cancel = statistics.median(r["cancel_s"] for r in results)
    print(
        f"median over {len(results)} runs: start {start:.3f} s, progress "
        f"{statistics.median(every_progress):.3f} s (max {max(every_progress):.3f} s, "
        f"{len(every_progress)} solutions), cancel {cancel:.3f} s; at most "
        f"{max(r['connections'] for r in results)} database connections"
    )


if __name__ == "__main__":
    main()
