"""Turning a change's before and after into plain JSON with every secret removed. Pure."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Any
from uuid import UUID

SECRET_WORDS = ("password", "token", "secret")


def is_secret(key: str) -> bool:
    """password, password_hash, token_hash, api_token, client_secret, any *_hash..."""
    name = key.lower()
    return name.endswith("_hash") or any(word in name for word in SECRET_WORDS)


def scrubbed(change: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if change is None else _mapping(change)


def json_safe(value: Any) -> Any:
    """Plain JSON values, secrets dropped at every depth. Anything unknown is refused rather
    than turned into str(), which could carry a secret (a model's repr) into the log."""
    if isinstance(value, Enum):  # before str and int: a StrEnum is a str
        return json_safe(value.value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal | UUID | PurePath):
        return str(value)
    if isinstance(value, Mapping):
        return _mapping(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _mapping({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if isinstance(value, set | frozenset):
        return _sorted_if_possible([json_safe(item) for item in value])
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    raise TypeError(f"audit: cannot record a {type(value).__name__} as JSON")


def _mapping(value: Mapping[Any, Any]) -> dict[str, Any]:
    keys = ((_key(key), item) for key, item in value.items())
    return {key: json_safe(item) for key, item in keys if not is_secret(key)}


def _key(key: Any) -> str:
    return str(key.value) if isinstance(key, Enum) else str(key)


def _sorted_if_possible(items: list[Any]) -> list[Any]:
    # A set has no order; sorted, the same set is always recorded the same way.
    try:
        return sorted(items)
    except TypeError:
        return items
