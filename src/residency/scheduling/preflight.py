"""Pre-flight: before a run is claimed, the level's registry must hold exactly the rules its
manifest expects (the predecessor registered 25 constraints of which about eight reached the
solver). No database."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, Literal

from residency.errors import RefusedError
from residency.scheduling.engine import verify as block_verify
from residency.scheduling.engine.annual import verify as annual_verify
from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY
from residency.scheduling.engine.constraints.registry import REGISTRY

Level = Literal["annual", "block"]


def registry(level: Level) -> Sequence[Any]:
    return ANNUAL_REGISTRY if level == "annual" else REGISTRY


def problems(level: Level) -> list[str]:
    verify = annual_verify.verify if level == "annual" else block_verify.verify
    report = verify(registry(level))
    return [
        f"{what}: {', '.join(names)}"
        for what, names in (
            ("missing", report.missing),
            ("duplicated", report.duplicated),
            ("unexpected", report.unexpected),
            ("wrong kind", report.wrong_kind),
        )
        if names
    ]


def preflight(level: Level) -> None:
    found = problems(level)
    if found:
        raise RefusedError(
            f"constraint pre-flight failed ({'; '.join(found)}); see `residency constraints verify`"
        )


def fingerprint(level: Level) -> str:
    text = ";".join(f"{c.name}:{c.hard}:{c.weight}" for c in registry(level))
    return hashlib.sha256(text.encode()).hexdigest()
