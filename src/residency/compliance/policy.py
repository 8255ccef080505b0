"""The program's duty settings the checker reads from the program policy (a JSON mapping, the
settings row's `policy`), validated with one message naming the key. Pure: the caller reads
the policy (`program.settings.program_policy`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from residency.compliance.rules.base import (
    DEFAULT_CONTINUOUS_BREAK_MINUTES,
    MAX_CONTINUOUS_BREAK_MINUTES,
)
from residency.errors import InputError


def continuous_break_minutes(policy: Mapping[str, Any]) -> int:
    """policy.duty.continuous_break_minutes: a break of at most this long inside a working day
    is part of one duty period, for the checker (CheckOptions) and the engine (Policy).
    Absent: the default, 60."""
    duty = policy.get("duty", {})
    if not isinstance(duty, Mapping):
        raise InputError(f"policy.duty: expected a mapping, got {duty!r}")
    value: object = duty.get("continuous_break_minutes", DEFAULT_CONTINUOUS_BREAK_MINUTES)
    # bool is an int in Python; `true` minutes is a typo, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(
            f"policy.duty.continuous_break_minutes: {value!r} is not a whole number of minutes"
        )
    if not 0 <= value <= MAX_CONTINUOUS_BREAK_MINUTES:
        raise InputError(
            f"policy.duty.continuous_break_minutes: {value} is not in "
            f"0-{MAX_CONTINUOUS_BREAK_MINUTES} minutes"
        )
    return value
