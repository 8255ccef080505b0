"""Benchmark: back up and restore the demo database, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/backup_restore.py [--runs 5] [--engine sqlite|postgresql|both]
        [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

For each engine: a new database, migrated and filled with the demo program (not timed), then
--runs times: `take_backup` (dump + manifest with row counts and SHA-256), then the whole
restore of that backup as `residency restore FILE --yes` does it (checks, safety backup,
staged restore, row-count check, swap). Prints every run and the medians. The process start
of the `residency` command (about a second, mostly imports) is not included.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from residency.db import build_engine, unit_of_work
from residency.ops import migrations
from residency.ops.backup import take_backup
from residency.ops.restore import plan_restore, restore_backup
from residency.program.demo import demo_program
from residency.program.service import import_program

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@dataclass
class Timings:
    backup: list[float]
    restore: list[float]
    dump_bytes: int
    rows: int


def demo_database(url: str) -> None:
    engine = build_engine(url)
    migrations.upgrade(engine)
    with unit_of_work(engine) as session:
        import_program(session, demo_program())
    engine.dispose()


def measure(url: str, folder: Path, runs: int) -> Timings:
    demo_database(url)
    timings = Timings([], [], 0, 0)
    for _ in range(runs):
        engine = build_engine(url)
        started = time.perf_counter()
        files = take_backup(engine, folder)
        timings.backup.append(time.perf_counter() - started)
        started = time.perf_counter()
        plan = plan_restore(files.dump, engine, migrate=False, force=False)
        restore_backup(plan, engine, folder)
        timings.restore.append(time.perf_counter() - started)
        engine.dispose()
        timings.dump_bytes, timings.rows = files.manifest.size_bytes, files.manifest.total_rows
    return timings


def on_sqlite(runs: int) -> Timings:
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'var' / 'residency.db'}"
        return measure(url, Path(scratch) / "backups", runs)


def on_postgres(admin_url: str, runs: int) -> Timings:
    name = f"residency_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            return measure(url, Path(scratch) / "backups", runs)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def report(engine: str, timings: Timings) -> None:
    print(f"{engine}: {timings.rows} rows, dump {timings.dump_bytes / 1024:.0f} KiB")
    for label, values in (("backup", timings.backup), ("restore", timings.restore)):
        runs = ", ".join(f"{value:.3f}" for value in values)
        print(f"  {label:<8} runs {runs} s; median {statistics.median(values):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    args = parser.parse_args()
    if args.engine in ("sqlite", "both"):
        report("sqlite", on_sqlite(args.runs))
    if args.engine in ("postgresql", "both"):
        report("postgresql", on_postgres(args.postgres_url, args.runs))


if __name__ == "__main__":
    main()
