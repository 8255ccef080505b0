"""schemathesis against the served OpenAPI document, as a coordinator: whatever it sends, no
answer is a 5xx and every answer matches the schema the document declares.

The app under test queues the runs it is asked for without solving them (a solver per
generated request would take the suite's whole budget); what the runs do is tested in
tests/web/test_runs_api.py. Sign-out is left out: the fuzzer would end its own session; so is
a run's event stream: it lasts until the run ends, and these runs never do
(tests/web/test_run_watch_api.py tests it). A
schema-valid request may still be refused by a business rule (a wrong current password), so
"schema-valid means accepted" is not checked; everything else schemathesis checks is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.config import SchemathesisConfig
from sqlalchemy import Engine

from fixtures.api import Api, QueueOnly, make_api
from fixtures.block_program import seed
from residency.auth.models import Role

EXAMPLES_PER_OPERATION = 3
# This module fuzzes SQLite; test_openapi_fuzz_postgresql.py runs the same test on PostgreSQL
# from a module of its own, so the suite's two processes fuzz the two engines side by side.
pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
LEFT_OUT = ("/api/v1/auth/logout", "/api/v1/runs/{run_id}/events")
PHASES: dict[str, dict[str, Any]] = {
    "sqlite": {
        "generation": {"max-examples": EXAMPLES_PER_OPERATION},
        # Boundaries where they are many and easy to get wrong: the bodies of writes. A GET's
        # query parameters are few and bounded by their declarations (about 700 cases); the
        # program file's own validation is tested field by field in tests/program (660 cases,
        # the costliest). Both keep the random phase.
        "operations": [
            {"include-method": "GET", "phases": {"coverage": {"enabled": False}}},
            {"include-path": "/api/v1/program/import", "phases": {"coverage": {"enabled": False}}},
        ],
    },
    "postgresql": {
        "phases": {"coverage": {"enabled": False}},
        "generation": {"max-examples": 2 * EXAMPLES_PER_OPERATION},
    },
}
cases_sent: dict[str, int] = {}
signed_in: dict[str, dict[str, str]] = {}


@pytest.fixture
def fuzzed_api(backend: str, db_engine: Engine) -> Iterator[tuple[str, Api]]:
    seed(db_engine)
    api = make_api(db_engine)
    api.client.app.state.executor = QueueOnly()  # type: ignore[attr-defined]
    signed_in[backend] = api.headers(Role.COORDINATOR)  # one session for every case
    yield backend, api


@pytest.fixture
def api_schema(fuzzed_api: tuple[str, Api]) -> Any:
    backend, api = fuzzed_api
    document = "/api/v1/openapi.json"
    # The coverage phase (every boundary and every kind of wrong value, about 2,000 cases)
    # runs on SQLite; PostgreSQL gets the random phases. What only PostgreSQL refuses (ids past
    # INTEGER, NUL in text) is bounded in the schema, so both phases reach it.
    config = SchemathesisConfig.from_dict(PHASES[backend])
    schema = schemathesis.openapi.from_asgi(
        document, api.client.app, headers=signed_in[backend], config=config
    )
    cases_sent[backend] = 0
    return schema


# Left out here, on the lazy schema: a filter applied to the fixture's schema is not seen by the
# lazy run, which then fuzzed sign-out and the event stream too.
lazy = schemathesis.pytest.from_fixture("api_schema").exclude(path=list(LEFT_OUT))


@lazy.parametrize()
@settings(
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_input_gives_a_server_error_or_an_undeclared_answer(
    case: Any, fuzzed_api: tuple[str, Api]
) -> None:
    backend, _ = fuzzed_api
    cases_sent[backend] += 1
    case.call_and_validate(
        headers=signed_in[backend], excluded_checks=[checks.positive_data_acceptance]
    )


def teardown_module() -> None:
    # The number of cases is part of the record (docs/api.md); `pytest -s` shows it.
    print(f"schemathesis cases sent: {cases_sent}")
