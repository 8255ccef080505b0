from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from fixtures.api import Api, make_api


@pytest.fixture
def api(db_engine: Engine) -> Iterator[Api]:
    """Accounts need no program: the service over an empty database, with staff users only."""
    api = make_api(db_engine, with_people=False)
    with api.client:
        yield api
