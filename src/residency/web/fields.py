"""Naming the request field a domain error is about as the request names it. Services name
their fields plainly ("run"); the route knows what its request calls each one ("run_id")."""

from __future__ import annotations

import re
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


_LEADING_FIELD = re.compile(r"^([a-z_][a-z0-9_]*): ")


@contextmanager
def named_by_message() -> Iterator[None]:
    """For services whose every input error starts with the field it is about ("day: ...
    is outside block 10"): an error that names no field names that one."""
    try:
        yield
    except ResidencyError as exc:
        found = _LEADING_FIELD.match(str(exc))
        if exc.field is None and found:
            exc.field = found.group(1)
        raise
