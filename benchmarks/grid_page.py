"""Benchmark: rendering the block grid page, Block 10 of the demo, on the server.

    .venv/bin/python benchmarks/grid_page.py --database-url URL [--runs 15]

The database must hold the demo with Block 10 of 2025 published (`residency demo` makes it;
this script runs it when the block is missing, as benchmarks/api.py does). The script signs a
coordinator and a resident in with a cookie session and, through the TestClient in this
process (no network), times `GET /blocks/10?year=2025` end to end: the session and CSRF
checks, reading the grid, the view model and the Jinja2 rendering. A coordinator's page is
the larger one (every cell a link to its edit form). One warm-up request each, then
`--runs` timed requests; prints each role's median and p95."""

from __future__ import annotations

import argparse
import statistics
import time

from api import prepare  # benchmarks/api.py: the demo database, made when missing
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from residency.auth import service, tokens
from residency.auth.models import Role, User
from residency.db import build_engine, unit_of_work
from residency.web.app import create_app, freeze_startup_heap
from residency.web.deps import COOKIE_NAME

PAGE = "/blocks/10?year=2025"
COORDINATOR = "bench.coordinator@example.org"
RESIDENT = "bench.resident@example.org"  # made by prepare()


def cookie(engine: Engine, email: str, role: Role) -> dict[str, str]:
    with unit_of_work(engine) as session:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            new = service.NewUser(email, role, "", None, None)
            user = session.get(User, service.create_user(session, new).user_id)
        assert user is not None
        token = tokens.open_cookie_session(session, user, "benchmark")
    return {"Cookie": f"{COOKIE_NAME}={token}"}


def timed(client: TestClient, headers: dict[str, str], runs: int) -> tuple[list[float], str]:
    first = client.get(PAGE, headers=headers)  # warm-up: templates compiled, caches filled
    assert first.status_code == 200, first.text[:500]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = client.get(PAGE, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200
    return times, first.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--no-freeze", action="store_true", help="skip the heap freeze `residency serve` does"
    )
    args = parser.parse_args()
    prepare(args.database_url)
    engine = build_engine(args.database_url)
    app = create_app(engine)
    if not args.no_freeze:
        freeze_startup_heap()  # as `residency serve` does before it listens
    with TestClient(app) as client:
        for label, email, role in (
            ("coordinator", COORDINATOR, Role.COORDINATOR),
            ("resident", RESIDENT, Role.RESIDENT),
        ):
            times, page = timed(client, cookie(engine, email, role), args.runs)
            p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
            shown = ", ".join(f"{t:.0f}" for t in times)
            size, people = len(page.encode()) / 1024, page.count("<tr data-person=")
            print(f"{label}: {people} people, {size:.0f} KiB page; runs (ms): {shown}")
            print(f"{label}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()
