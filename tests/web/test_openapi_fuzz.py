"""schemathesis against the served OpenAPI document, as a coordinator: whatever it sends, no
answer is a 5xx and every answer matches the schema the document declares.

The app under test queues the runs it is asked for without solving them (a solver per
generated request would take the suite's whole budget); what the runs do is tested in
tests/web/test_runs_api.py. Sign-out is left out: the fuzzer would end its own session. A
schema-valid request may still be refused by a business rule (a wrong current password), so
"schema-valid means accepted" is not checked; everything else schemathesis checks is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from conftest import (
    BACKENDS,
    _migrated_template,
    _postgres_problem,
    create_postgres_database,
    drop_postgres_database,
)
from fixtures.api import Api, make_api
from fixtures.block_program import seed
from residency.auth.models import Role
from residency.db import build_engine

EXAMPLES_PER_OPERATION = 15
LEFT_OUT = ("/api/v1/auth/logout",)
cases_sent: dict[str, int] = {}


class QueueOnly:
    """Takes run ids and keeps them queued: fuzzing checks answers, not solves."""

    def __init__(self) -> None:
        self.submitted: list[int] = []

    def submit(self, run_id: int) -> None:
        self.submitted.append(run_id)

    def label(self) -> dict[str, object]:
        return {"executor": "test-queue-only"}

    def shutdown(self) -> None:
        pass


@pytest.fixture(params=BACKENDS)
def fuzzed_api(
    request: pytest.FixtureRequest, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Api]]:
    backend = str(request.param)
    if backend == "postgresql" and _postgres_problem:
        pytest.skip(f"PostgreSQL unreachable: {_postgres_problem}")
    template = _migrated_template(backend, tmp_path_factory.getbasetemp())
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'fuzz.db'}"
        Path(tmp_path / "fuzz.db").write_bytes(Path(template.split("///", 1)[1]).read_bytes())
    else:
        url = create_postgres_database(template)
    engine = build_engine(url)
    seed(engine)
    api = make_api(engine)
    api.client.app.state.executor = QueueOnly()  # type: ignore[attr-defined]
    yield backend, api
    engine.dispose()
    if backend == "postgresql":
        drop_postgres_database(url)


@pytest.fixture
def api_schema(fuzzed_api: tuple[str, Api]) -> Any:
    backend, api = fuzzed_api
    headers = api.headers(Role.COORDINATOR)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", api.client.app, headers=headers)
    cases_sent[backend] = 0
    return schema.exclude(path=list(LEFT_OUT))


lazy = schemathesis.pytest.from_fixture("api_schema")


@lazy.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_input_gives_a_server_error_or_an_undeclared_answer(
    case: Any, fuzzed_api: tuple[str, Api]
) -> None:
    backend, api = fuzzed_api
    cases_sent[backend] += 1
    case.call_and_validate(
        headers=api.headers(Role.COORDINATOR), excluded_checks=[checks.positive_data_acceptance]
    )


def teardown_module() -> None:
    # The number of cases is part of the record (docs/api.md); `pytest -s` shows it.
    print(f"schemathesis cases sent: {cases_sent}")
