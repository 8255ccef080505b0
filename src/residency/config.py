"""One settings object, read from RESIDENCY_* environment variables and an optional .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from residency.errors import InputError

# Only for local development: a deployment must set RESIDENCY_SECRET_KEY (checked below).
_DEVELOPMENT_SECRET = "development-only-secret-do-not-deploy"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RESIDENCY_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    backup_dir: Path | None = None
    redis_url: str | None = None
    secret_key: SecretStr = SecretStr(_DEVELOPMENT_SECRET)
    debug: bool = False

    @model_validator(mode="after")
    def _fill_defaults_and_check_secrets(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'residency.db'}"
        if self.backup_dir is None:
            # Beside the data folder, never inside it: deleting the data must not take the backups.
            self.backup_dir = self.data_dir.parent / "backups"
        if self.environment != "development" and (
            self.secret_key.get_secret_value() in ("", _DEVELOPMENT_SECRET)
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
