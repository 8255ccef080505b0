"""Program-wide settings as stored in the singleton settings row."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from residency.ops.models import SETTINGS_ROW_ID, AppSettings


def program_policy(session: Session) -> dict[str, Any]:
    """The program policy (`app_settings.policy`); empty when there is no settings row yet."""
    row = session.get(AppSettings, SETTINGS_ROW_ID)
    return dict(row.policy) if row is not None and row.policy else {}
