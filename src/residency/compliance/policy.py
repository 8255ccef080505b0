"""The program's duty settings the checker reads from the program policy (a JSON mapping, the
settings row's `policy`), validated with one message naming the key, and the academic calendar
a checked file is averaged over. Pure: the caller reads the policy
(`program.settings.program_policy`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from residency.compliance.rules.averaging import AcademicCalendar
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


def calendar_starting(text: str | None, option: str) -> AcademicCalendar:
    """The academic calendar a checked file averages over, from its first day as given in
    `option` (e.g. 2025-07-01); July 1 when not given."""
    if text is None:
        return AcademicCalendar()
    try:
        start = date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r} is not a date like 2025-07-01") from None
    if (start.month, start.day) == (2, 29):
        raise InputError(f"{option} cannot be February 29 (it must recur every year)")
    return AcademicCalendar(start.month, start.day)
