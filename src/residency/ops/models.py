"""The singleton application-settings row: program-wide policy and the schema version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from residency.orm import Base

SETTINGS_ROW_ID = 1


class AppSettings(Base):
    __tablename__ = "app_settings"
    __table_args__ = (CheckConstraint("id = 1", name="singleton"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=SETTINGS_ROW_ID)
    program_name: Mapped[str] = mapped_column(String(200), default="")
    academic_year_start_month: Mapped[int] = mapped_column(default=7)
    academic_year_start_day: Mapped[int] = mapped_column(default=1)
    policy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Written by every migration run (migrations/env.py), so a backup or a support request
    # always knows which schema it came from.
    schema_revision: Mapped[str | None] = mapped_column(String(64))
    schema_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
