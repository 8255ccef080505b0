"""Benchmark: the service API under load, on the embedded SQLite default and on PostgreSQL.

    .venv/bin/python benchmarks/api.py --database-url URL [--requests 400] [--clients 4]
        [--logins 40] [--runs 3] [--workers 1]

The database must hold the demo with Block 10 of 2025 published (`residency demo` makes it;
this script runs it when the block is missing). The script adds a resident account, starts
`residency serve` as its own process on a free port, and from this process drives it over
loopback with `--clients` threads of keep-alive HTTP clients:

1. reading Block 10's published schedule (GET /api/v1/blocks/2025/10/schedule, as a resident);
2. a login (POST /api/v1/auth/login) with the deployment's Argon2id cost.

Prints, per run, requests per second and p50/p95 latency, then the median of the runs."""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import Engine, select

from residency.auth import service
from residency.auth.models import Role, User
from residency.db import build_engine, unit_of_work
from residency.ops.migrations import schema_status
from residency.scheduling.models import PublishedVersion

BIN = Path(sys.executable).parent
SCHEDULE = "/api/v1/blocks/2025/10/schedule"
EMAIL, PASSWORD = "bench.resident@example.org", "Bench-Lantern-Fjord-42"


def prepare(url: str) -> None:
    engine = build_engine(url)
    if not demo_published(engine):
        env = {**os.environ, "RESIDENCY_DATABASE_URL": url}
        subprocess.run(
            [str(BIN / "residency"), "demo"], env=env, check=True, stdout=subprocess.DEVNULL
        )
    with unit_of_work(engine) as session:
        if session.scalar(select(User.id).where(User.email == EMAIL)) is None:
            new = service.NewUser(EMAIL, Role.RESIDENT, "", "res-pgy1-01", PASSWORD)
            service.create_user(session, new)
    engine.dispose()


def demo_published(engine: Engine) -> bool:
    if not schema_status(engine).up_to_date:
        return False
    with unit_of_work(engine) as session:
        return session.get(PublishedVersion, "block_schedule/2025/10") is not None


def serve(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "RESIDENCY_DATABASE_URL": url}
    server = subprocess.Popen(
        [str(BIN / "residency"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("residency serve did not start")


Result = tuple[float, float, float]  # requests per second, p50 and p95 latency in ms


def measure(base: str, call: Callable[[httpx.Client], int], total: int, clients: int) -> Result:
    def worker(count: int) -> list[float]:
        latencies = []
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(count):
                started = time.perf_counter()
                status = call(client)
                latencies.append(time.perf_counter() - started)
                assert status == 200, status
        return latencies

    share = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = sorted(x for part in pool.map(worker, share) for x in part)
    elapsed = time.perf_counter() - started
    p50, p95 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.95)]
    return total / elapsed, p50 * 1000, p95 * 1000


def shown(result: Result) -> str:
    rate, p50, p95 = result
    return f"{rate:7.1f} req/s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--logins", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="residency serve --workers")
    args = parser.parse_args()
    prepare(args.database_url)
    server, base = serve(args.database_url, args.workers)
    try:
        login = {"email": EMAIL, "password": PASSWORD}
        token = httpx.post(f"{base}/api/v1/auth/login", json=login).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        cases: dict[str, tuple[Callable[[httpx.Client], int], int]] = {
            "read Block 10": (
                lambda c: c.get(SCHEDULE, headers=headers).status_code,
                args.requests,
            ),
            "login": (lambda c: c.post("/api/v1/auth/login", json=login).status_code, args.logins),
        }
        for name, (call, total) in cases.items():
            call(httpx.Client(base_url=base))  # warm up
            results = [measure(base, call, total, args.clients) for _ in range(args.runs)]
            for number, result in enumerate(results, 1):
                print(f"{name:14} run {number}: {shown(result)}")
            rate, p50, p95 = (statistics.median(r[i] for r in results) for i in range(3))
            medians = (rate, p50, p95)
            print(f"{name:14} median: {shown(medians)}  ({total} requests, {args.clients} clients)")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
