"""Naming the request field a domain error is about as the request names it. Services name
their fields plainly ("run"); the route knows what its request calls each one ("run_id")."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from residency.errors import ResidencyError


@contextmanager
def located(**where: str) -> Iterator[None]:
    """A domain error about a field named here is about the request field it maps to, e.g.
    `located(run="run_id")`."""
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
