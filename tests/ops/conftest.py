"""Fixtures for backup, restore, retention and doctor tests: a demo database the `residency`
commands use, its backup folder, every row of a database, and a newer release of the code."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from residency.db import build_engine, engine_for, unit_of_work
from residency.ops import migrations
from residency.program.demo import demo_program
from residency.program.service import import_program

POSTGRES_ADMIN_URL = os.environ.get(
    "RESIDENCY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
Rows = dict[str, list[tuple[Any, ...]]]

NEXT_REVISION = """
revision = "0999"
down_revision = "{head}"
branch_labels = None
depends_on = None

import sqlalchemy as sa
from alembic import op


def upgrade():
    op.create_table(
        "probe",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), unique=True),
    )
{extra}


def downgrade():
    op.drop_table("probe")
"""
# A migration that works on a database without absences and fails on one with several, as a
# migration adding a unique constraint fails on old data that breaks it.
FAILS_ON_ABSENCES = (
    """    op.execute("INSERT INTO probe (id, kind) SELECT id, 'same' FROM absences")"""
)


@pytest.fixture
def backup_dir(cli_env: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Not in tmp_path: the test's SQLite file lives there, and backups belong outside its folder.
    folder = tmp_path_factory.mktemp("backups") / "backups"
    cli_env.setenv("RESIDENCY_BACKUP_DIR", str(folder))
    return folder


def _fill_with_demo(url: str) -> None:
    engine = build_engine(url)
    migrations.upgrade(engine)
    with unit_of_work(engine) as session:
        import_program(session, demo_program())
    engine.dispose()


def _admin() -> Engine:
    return create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _postgres_url(name: str) -> str:
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The demo database built once per engine; each test gets a copy (a file copy, or
    CREATE DATABASE ... TEMPLATE), which is much faster than importing the program again."""
    built: dict[str, str] = {}
    yield built
    if "postgresql" in built:
        with _admin().connect() as connection:
            name = built["postgresql"]
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _template(backend: str, built: dict[str, str], folder: Path) -> str:
    if backend not in built:
        if backend == "sqlite":
            built[backend] = str(folder / "demo-template.db")
            _fill_with_demo(f"sqlite:///{built[backend]}")
        else:
            name = f"residency_demo_template_{uuid.uuid4().hex[:8]}"
            with _admin().connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            built[backend] = name
            _fill_with_demo(_postgres_url(name))
    return built[backend]


@pytest.fixture
def demo_copy(
    backend: str, tmp_path_factory: pytest.TempPathFactory, demo_templates: dict[str, str]
) -> Iterator[Callable[[Path], str]]:
    """Makes a copy of the demo database: for SQLite at the given file, for PostgreSQL as a
    new database (dropped after the test)."""
    created: list[str] = []

    def copy(sqlite_file: Path) -> str:
        template = _template(backend, demo_templates, tmp_path_factory.getbasetemp())
        if backend == "sqlite":
            sqlite_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(template, sqlite_file)
            return f"sqlite:///{sqlite_file}"
        name = f"residency_test_{uuid.uuid4().hex[:12]}"
        with _admin().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        created.append(name)
        return _postgres_url(name)

    yield copy
    engine_for.cache_clear()
    for name in created:
        with _admin().connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def demo_db(
    cli_env: pytest.MonkeyPatch,
    backup_dir: Path,
    tmp_path: Path,
    demo_copy: Callable[[Path], str],
) -> str:
    """The demo program in a migrated database that `residency` commands use."""
    url = demo_copy(tmp_path / "residency-demo.db")
    cli_env.setenv("RESIDENCY_DATABASE_URL", url)
    return url


@pytest.fixture
def all_rows() -> Callable[[str], Rows]:
    def read(url: str) -> Rows:
        engine = build_engine(url)
        try:
            with engine.connect() as connection:
                quote = connection.dialect.identifier_preparer.quote
                return {
                    table: sorted(
                        (
                            tuple(row)
                            for row in connection.execute(text(f"SELECT * FROM {quote(table)}"))
                        ),
                        key=repr,
                    )
                    for table in sorted(inspect(connection).get_table_names())
                }
        finally:
            engine.dispose()

    return read


@pytest.fixture
def newer_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """Switches to a newer release: today's migrations plus 0999; returns today's head."""

    def install(*, failing: bool = False) -> str:
        head = migrations.code_head()
        folder = tmp_path / "newer-migrations"
        shutil.copytree(migrations.MIGRATIONS_DIR, folder)
        body = NEXT_REVISION.format(head=head, extra=FAILS_ON_ABSENCES if failing else "")
        (folder / "versions" / "0999_probe.py").write_text(body)
        monkeypatch.setattr(migrations, "MIGRATIONS_DIR", folder)
        return head

    return install


@pytest.fixture
def other_engine_db(backend: str, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database of the engine that `backend` is not."""
    if backend == "postgresql":
        url = f"sqlite:///{tmp_path / 'other.db'}"
        migrations.upgrade(build_engine(url))
        yield url
        return
    name = f"residency_test_{uuid.uuid4().hex[:12]}"
    try:
        with _admin().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        if os.environ.get("CI"):  # CI must prove both engines: never a silent skip there
            pytest.fail(f"PostgreSQL unreachable under CI=true: {exc.orig}")
        pytest.skip(f"PostgreSQL unreachable: {exc.orig}")
    url = _postgres_url(name)
    migrations.upgrade(build_engine(url))
    yield url
    engine_for.cache_clear()
    with _admin().connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
