"""Naming the request field a domain error is about the way request validation names it:
"path.block", "query.run", or a body or form field's own name. Services name their fields
plainly ("block", "run"); the route knows where in its request each one lives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from residency.errors import ResidencyError


@contextmanager
def located(**where: str) -> Iterator[None]:
    """A domain error about a field named here is about the request field it maps to, e.g.
    `located(run="query.run")`."""
    try:
        yield
    except ResidencyError as exc:
        if exc.field in where:
            exc.field = where[exc.field]
        raise


@contextmanager
def naming(field: str) -> Iterator[None]:
    """Any domain error raised inside is about `field` (e.g. the uploaded `file`)."""
    try:
        yield
    except ResidencyError as exc:
        exc.field = field
        raise
