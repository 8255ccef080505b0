"""One settings object, read from RESIDENCY_* environment variables and an optional .env file."""

from __future__ import annotations

import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from residency.errors import InputError

# Only for local development: a deployment must set RESIDENCY_SECRET_KEY (checked below).
DEVELOPMENT_SECRET = "development-only-secret-do-not-deploy"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RESIDENCY_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    backup_dir: Path | None = None
    redis_url: str | None = None
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    debug: bool = False

    # The service API (docs/api.md). Durations in minutes unless the name says otherwise.
    access_token_minutes: int = Field(15, ge=1)
    refresh_token_days: int = Field(7, ge=1)
    set_password_token_hours: int = Field(72, ge=1)
    login_max_failures: int = Field(5, ge=1)
    login_window_minutes: int = Field(15, ge=1)
    login_lockout_minutes: int = Field(15, ge=1)
    # Argon2id cost (RFC 9106's second recommendation); tests lower it, never a deployment.
    password_hash_time_cost: int = Field(3, ge=1)
    password_hash_memory_kib: int = Field(65536, ge=8192)
    cors_origins: list[str] = Field(default_factory=list)  # closed unless listed
    max_body_bytes: int = Field(2_000_000, ge=1024)
    run_threads: int = Field(1, ge=1, le=8)  # the in-process executor, without Redis
    # Every key the task queue writes in Redis starts with this: deployments (and test runs)
    # can share one Redis without taking each other's tasks.
    redis_key_prefix: str = Field("residency:", max_length=64)

    # The nightly jobs `residency beat` schedules (docs/operations.md, "Nightly jobs"): the
    # backup starts at this UTC time of day, the compliance scan and the cleanup after it.
    nightly_at: str = "02:30"
    # Where beat keeps when each job last ran. Losing it costs nothing but a job missed while
    # beat was stopped, so a temporary folder will do (a read-only container has one).
    beat_state_dir: Path = Path(tempfile.gettempdir()) / "residency-beat"
    # The nightly prune keeps the newest backup of each of the last N days, weeks, months.
    backup_keep_daily: int = Field(7, ge=0)
    backup_keep_weekly: int = Field(4, ge=0)
    backup_keep_monthly: int = Field(6, ge=0)
    # The nightly cleanup deletes the progress curves of runs that ended this long ago, and
    # sessions and login attempts that ended this long ago (expired tokens go at once).
    progress_retention_days: int = Field(30, ge=1)
    auth_history_days: int = Field(30, ge=1)

    @field_validator("nightly_at")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value):
            raise ValueError(f"{value!r} is not a time of day HH:MM (00:00 to 23:59, UTC)")
        return value

    @property
    def nightly_minute(self) -> int:
        """The nightly start as minutes after midnight UTC."""
        hours, minutes = self.nightly_at.split(":")
        return int(hours) * 60 + int(minutes)

    @model_validator(mode="after")
    def _fill_defaults_and_check_secrets(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'residency.db'}"
        if self.backup_dir is None:
            # Beside the data folder, never inside it: deleting the data must not take the backups.
            self.backup_dir = self.data_dir.parent / "backups"
        if self.environment != "development" and (
            self.secret_key.get_secret_value() in ("", DEVELOPMENT_SECRET)
        ):
            raise ValueError(
                f"RESIDENCY_SECRET_KEY must be set when RESIDENCY_ENVIRONMENT={self.environment}"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "settings"
        raise InputError(f"configuration: {field}: {first['msg']}") from None
