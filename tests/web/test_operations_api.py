"""What an administrator reads of the service's operations: its settings (never a secret) and
the backups' status."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fixtures.api import Api
from residency.auth.models import Role
from residency.config import Settings
from residency.ops.backup import take_backup
from residency.web import create_app


def test_the_settings_show_no_secret(api: Api) -> None:
    secret = "vault-secret-value-1234"
    settings = Settings(database_url="sqlite:///x.db", secret_key=secret, login_max_failures=7)
    with TestClient(create_app(api.engine, settings)) as client:
        answer = client.get("/api/v1/operations/settings", headers=api.headers(Role.ADMIN))
    shown = answer.json()
    assert shown["login_max_failures"] == 7 and shown["secret_key_set"] is True
    assert shown["access_token_minutes"] == 15 and shown["cors_origins"] == []
    assert secret not in answer.text


def test_the_backups_status_lists_the_backups(api: Api, db_engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    take_backup(db_engine, folder)
    settings = Settings(backup_dir=folder)
    with TestClient(create_app(api.engine, settings)) as client:
        status = client.get("/api/v1/operations/backups", headers=api.headers(Role.ADMIN)).json()
    assert status["folder"] == str(folder) and status["problems"] == []
    assert len(status["backups"]) == 1 and status["backups"][0]["engine"] == db_engine.dialect.name
