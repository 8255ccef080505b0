"""Path and query parameters several routes share, bounded so that no number a client sends
reaches the database unchecked: an id past PostgreSQL's integer names nothing, and SQLite
cannot even bind it (both would answer 500 instead of a clear 404 or 422)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_ID = 2**31 - 1  # PostgreSQL's integer, the type of every id column
FIRST_YEAR, LAST_YEAR = 1900, 2999

AcademicYear = Annotated[
    int,
    Path(ge=FIRST_YEAR, le=LAST_YEAR, description="by its first calendar year, e.g. 2025"),
]
BlockNumber = Annotated[int, Path(ge=1, le=13, description="block number, 1 to 13")]
RunId = Annotated[int, Path(ge=1, le=MAX_ID)]
DraftRun = Annotated[
    int | None,
    Query(
        ge=1,
        le=MAX_ID,
        description="a run's draft instead of the published version (staff only)",
    ),
]
