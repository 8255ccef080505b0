"""Which academic year a command works on when it is given no --academic-year."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from residency.calendar.service import default_academic_year, ensure_academic_year
from residency.errors import RefusedError


def test_the_year_holding_today_else_the_latest_stored(session: Session) -> None:
    ensure_academic_year(session, 2024)  # on the settings row's start: July 1 by default
    ensure_academic_year(session, 2025)

    assert default_academic_year(session, date(2024, 12, 1)) == 2024
    assert default_academic_year(session, date(2025, 7, 1)) == 2025
    # After the demo's year has ended (or before it begins): the latest year stored.
    assert default_academic_year(session, date(2026, 11, 29)) == 2025
    assert default_academic_year(session, date(2020, 1, 1)) == 2025


def test_an_empty_database_is_refused_with_the_fix(session: Session) -> None:
    with pytest.raises(RefusedError, match="residency seed demo"):
        default_academic_year(session, date(2025, 9, 1))
