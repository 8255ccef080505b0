"""Test databases: every database test runs on the embedded SQLite and on the real PostgreSQL.

PostgreSQL is found at RESIDENCY_TEST_POSTGRES_URL (default: postgres@127.0.0.1:5432). When it
is unreachable, its tests are skipped with a notice, except under CI (CI=true), where that is
an error: CI must prove both engines."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from fixtures.api import Api, make_api
from fixtures.block_program import seed
from fixtures.databases import MigratedPool
from residency.config import get_settings
from residency.db import build_engine, engine_for
from residency.ops import migrations
from residency.scheduling.annual import service as annual_service
from residency.scheduling.block import service as block_service

# Argon2id at its lowest cost in tests: hashing is tested for what it does, not how slowly.
os.environ.setdefault("RESIDENCY_PASSWORD_HASH_TIME_COST", "1")
os.environ.setdefault("RESIDENCY_PASSWORD_HASH_MEMORY_KIB", "8192")

POSTGRES_ADMIN_URL = os.environ.get(
    "RESIDENCY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("sqlite", "postgresql")
_postgres_problem: str | None = None


def _postgres_reachable() -> str | None:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except OperationalError as exc:
        return " ".join(str(exc.orig).split())
    return None


def pytest_configure(config: pytest.Config) -> None:
    global _postgres_problem
    _postgres_problem = _postgres_reachable()
    if _postgres_problem and os.environ.get("CI"):
        raise pytest.UsageError(
            f"PostgreSQL is unreachable at {make_url(POSTGRES_ADMIN_URL)!s} and CI=true: "
            f"CI must run every test on PostgreSQL ({_postgres_problem})"
        )


def pytest_report_header(config: pytest.Config) -> str:
    if _postgres_problem:
        return f"PostgreSQL: UNREACHABLE, its tests are skipped ({_postgres_problem})"
    return f"PostgreSQL: {make_url(POSTGRES_ADMIN_URL)!s} (tests run on SQLite and PostgreSQL)"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _postgres_problem:
        terminalreporter.write_line(
            "NOTE: the PostgreSQL half of the suite was SKIPPED (server unreachable); "
            "only SQLite was tested.",
            yellow=True,
            bold=True,
        )


# The slowest modules (CI's --durations list), longest first: the two test processes take
# modules in collection order, so these start at once and the short ones fill in around them,
# instead of one long module starting last while the other process has nothing left to do.
SLOWEST_MODULES = (
    "web/test_openapi_fuzz.py",
    "ops/test_demo.py",
    "scheduling/test_annual_plan_service.py",
    "web/test_openapi_fuzz_postgresql.py",
    "scheduling/engine/test_engine_property.py",
    "web/test_audit_trail.py",
    "system/test_stack.py",
    "scheduling/test_block_repair.py",
    "ops/test_runbook.py",
    "ops/test_restore.py",
    "program/test_program_files.py",
)
TESTS = Path(__file__).parent


@pytest.hookimpl(trylast=True)  # after pytest-randomly's shuffle, which orders the rest
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {TESTS / name: index for index, name in enumerate(SLOWEST_MODULES)}
    items.sort(key=lambda item: rank.get(item.path, len(rank)))


def _solve_once(solve: Callable[..., Any]) -> Callable[..., Any]:
    """A recalled answer is reported to the run's control as its one improving solution, so
    the doors see progress on both engines; a solve asked to stop before it began is not
    shared (it searches nothing)."""
    answers: dict[tuple[str, Any], Any] = {}

    def solve_or_recall(problem: Any, params: Any) -> Any:
        control = params.control
        if control is not None and control.stop_requested:
            return solve(problem, params)
        key = (repr(problem), params)  # problems hold dicts, so their repr is the key
        if key not in answers:
            answers[key] = solve(problem, params)
        elif control is not None and answers[key].objective is not None:
            answer = answers[key]
            control.report("recalled", answer.objective, answer.best_bound, solution=True)
        return answers[key]

    return solve_or_recall


@pytest.fixture(scope="session", autouse=True)
def solve_each_problem_once() -> Iterator[None]:
    """The SQLite and PostgreSQL halves of a test build the same problem from the database:
    it is solved once, and each engine's saving and re-checking is tested with that one real
    solution. (What the solver itself does is tested in tests/scheduling/engine.)"""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(block_service, "solve", _solve_once(block_service.solve))
        patch.setattr(annual_service, "solve_annual", _solve_once(annual_service.solve_annual))
        yield


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and _postgres_problem:
        pytest.skip(f"PostgreSQL unreachable: {_postgres_problem}")
    return str(request.param)


def _admin() -> Engine:
    return create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")


def create_postgres_database(template: str | None = None) -> str:
    name = f"residency_test_{uuid.uuid4().hex[:12]}"
    copy_of = f' TEMPLATE "{make_url(template).database}"' if template else ""
    admin = _admin()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy_of}'))
    admin.dispose()
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    engine_for.cache_clear()  # pooled connections would block the drop
    name = make_url(url).database
    admin = _admin()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# One database per engine migrated to head once per session by running the migrations, then
# copied for each test that wants a migrated database: a file copy on SQLite, CREATE DATABASE
# ... TEMPLATE on PostgreSQL, whose copies are then wiped and reused (fixtures/databases.py).
# (The migrations themselves are tested on empty databases.)
_migrated: dict[str, str] = {}
_pools: dict[str, MigratedPool] = {}


def _migrated_template(backend: str, folder: Path) -> str:
    if backend not in _migrated:
        if backend == "sqlite":
            url = f"sqlite:///{folder / 'migrated-template.db'}"
        else:
            url = create_postgres_database()
        engine = build_engine(url)
        migrations.upgrade(engine)
        engine.dispose()  # PostgreSQL copies a template only while nobody is connected to it
        _migrated[backend] = url
    return _migrated[backend]


def _postgres_pool(folder: Path) -> MigratedPool:
    if "postgresql" not in _pools:
        _pools["postgresql"] = MigratedPool(_migrated_template("postgresql", folder))
    return _pools["postgresql"]


def pytest_sessionfinish(session: pytest.Session) -> None:
    pool = _pools.pop("postgresql", None)
    for url in pool.clean if pool else []:
        drop_postgres_database(url)
    if "postgresql" in _migrated:
        drop_postgres_database(_migrated.pop("postgresql"))


@pytest.fixture
def make_empty_db(
    backend: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., str]]:
    """Makes brand-new databases (with no schema at all, or `migrated` to head), dropped after
    the test."""
    created: list[str] = []
    reusable: set[str] = set()
    folder = tmp_path_factory.getbasetemp()

    def make(migrated: bool = False) -> str:
        template = _migrated_template(backend, folder) if migrated else None
        if backend == "sqlite":
            path = tmp_path / f"residency-{len(created)}.db"
            if template:
                shutil.copyfile(make_url(template).database or "", path)
            url = f"sqlite:///{path}"
        elif template:
            url = _postgres_pool(folder).take() or create_postgres_database(template)
            reusable.add(url)
        else:
            url = create_postgres_database()
        created.append(url)
        return url

    yield make
    for url in created:
        if backend == "postgresql":
            engine_for.cache_clear()  # let go of this test's pooled connections
            if url not in reusable or not _postgres_pool(folder).give_back(url):
                drop_postgres_database(url)


@pytest.fixture
def empty_db_url(make_empty_db: Callable[[], str]) -> str:
    return make_empty_db()


@pytest.fixture
def db_url(make_empty_db: Callable[..., str]) -> str:
    """A database migrated to the code's head, as `residency db upgrade` leaves it."""
    return make_empty_db(migrated=True)


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    engine = build_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    """A session in a transaction the test never commits."""
    with Session(db_engine) as session, session.begin():
        yield session


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """Environment for calling residency.cli.main(): settings re-read for each test."""
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    engine_for.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()
    engine_for.cache_clear()


@pytest.fixture
def cli_db(cli_env: pytest.MonkeyPatch, db_url: str) -> str:
    """A migrated database that `residency` commands in this test use."""
    cli_env.setenv("RESIDENCY_DATABASE_URL", db_url)
    return db_url


@pytest.fixture
def api(db_engine: Engine) -> Iterator[Api]:
    """The service over the mini program (seeded, no schedule yet), one user per role."""
    seed(db_engine)
    api = make_api(db_engine)
    with api.client:
        yield api
