from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from fixtures.api import Api, make_api
from fixtures.block_program import seed


@pytest.fixture
def api(db_engine: Engine) -> Iterator[Api]:
    """The service over the mini program (seeded, no schedule yet), one user per role."""
    seed(db_engine)
    api = make_api(db_engine)
    with api.client:
        yield api
