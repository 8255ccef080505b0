"""The schema guard of unit_of_work on both engines: the database is asked once per engine, and
again after the pool opens a new connection, after our own migrations and for a new code head."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from residency.db import build_engine, unit_of_work
from residency.errors import SchemaMismatchError
from residency.ops import migrations

REFUSED_EMPTY = "the database has no schema yet"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = build_engine(db_url)
    yield engine
    engine.dispose()


def revision_queries(engine: Engine) -> list[str]:
    """Every statement this engine sends that reads or touches alembic_version, from now on."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if "alembic_version" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    return seen


def test_the_verdict_is_cached_per_engine(engine: Engine) -> None:
    queries = revision_queries(engine)
    with unit_of_work(engine):
        pass
    assert queries, "the first unit of work asks the database for its revision"
    queries.clear()
    with unit_of_work(engine):
        pass
    assert queries == []


def test_a_new_pool_connection_asks_again(engine: Engine) -> None:
    with unit_of_work(engine):
        pass
    queries = revision_queries(engine)
    engine.dispose()  # as a restarted server or a pool recycle would
    with unit_of_work(engine):
        pass
    assert queries


def test_a_downgrade_by_another_process_is_noticed_once_the_pool_reconnects(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    with unit_of_work(engine):
        pass
    # Another process downgrades (what `residency db downgrade base` calls, without the
    # seconds the whole CLI takes to import).
    downgrade = (
        "import sys; from residency.db import build_engine; from residency.ops import migrations;"
        " migrations.downgrade(build_engine(sys.argv[1]), 'base')"
    )
    subprocess.run(
        [sys.executable, "-c", downgrade, db_url],
        capture_output=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        check=True,
    )
    with unit_of_work(engine):  # the pooled connection still vouches for the old verdict
        pass
    engine.dispose()
    with pytest.raises(SchemaMismatchError, match=REFUSED_EMPTY), unit_of_work(engine):
        pass


def test_our_own_migrations_drop_every_verdict_on_that_database(
    engine: Engine, db_url: str
) -> None:
    with unit_of_work(engine):
        pass
    other = build_engine(db_url)  # another engine object of this process, same database
    try:
        migrations.downgrade(other, "base")
    finally:
        other.dispose()
    with pytest.raises(SchemaMismatchError, match=REFUSED_EMPTY), unit_of_work(engine):
        pass
    migrations.upgrade(engine)
    queries = revision_queries(engine)
    with unit_of_work(engine):
        pass
    assert queries, "the upgrade dropped the verdict, so the guard asked again"


def test_a_new_code_head_asks_again(engine: Engine, newer_code: Callable[..., str]) -> None:
    with unit_of_work(engine):
        pass
    expected = f"at revision {newer_code()} but the code expects 0999"
    with pytest.raises(SchemaMismatchError, match=expected), unit_of_work(engine):
        pass


def test_the_code_revisions_are_read_once_per_folder() -> None:
    assert migrations.code_revisions() is migrations.code_revisions()
    assert migrations.code_head() in migrations.code_revisions().known
