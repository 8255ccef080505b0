"""One settings object, read from RESIDENCY_* environment variables and an optional .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
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
