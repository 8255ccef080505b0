"""The schemathesis run of test_openapi_fuzz.py, on PostgreSQL (a module of its own, so that
it runs beside the SQLite one in the suite's other process)."""

from __future__ import annotations

import pytest
from test_openapi_fuzz import (
    api_schema,
    fuzzed_api,
    teardown_module,
    test_no_input_gives_a_server_error_or_an_undeclared_answer,
)

__all__ = [
    "api_schema",
    "fuzzed_api",
    "teardown_module",
    "test_no_input_gives_a_server_error_or_an_undeclared_answer",
]
pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
