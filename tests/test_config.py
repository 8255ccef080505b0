from pathlib import Path

import pytest

from residency.cli import main
from residency.config import Settings, get_settings
from residency.errors import InputError


def test_defaults_to_an_embedded_sqlite_file_in_the_data_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RESIDENCY_DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite:///var/residency.db"
    assert settings.backup_dir == Path("backups")


def test_reads_residency_variables_from_the_environment_and_dotenv(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RESIDENCY_DATABASE_URL", raising=False)
    (tmp_path / ".env").write_text("RESIDENCY_DATA_DIR=/srv/residency/data\n")
    monkeypatch.setenv("RESIDENCY_REDIS_URL", "redis://127.0.0.1:6379/0")
    settings = Settings()
    assert settings.database_url == "sqlite:////srv/residency/data/residency.db"
    assert settings.redis_url == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize("environment", ["production", "test"])
def test_the_development_secret_is_refused_outside_development(
    monkeypatch: pytest.MonkeyPatch, environment: str
) -> None:
    monkeypatch.setenv("RESIDENCY_ENVIRONMENT", environment)
    monkeypatch.delenv("RESIDENCY_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    with pytest.raises(InputError, match="RESIDENCY_SECRET_KEY must be set"):
        get_settings()
    monkeypatch.setenv("RESIDENCY_SECRET_KEY", "a-real-secret-from-the-vault")
    get_settings.cache_clear()
    assert get_settings().environment == environment
    get_settings.cache_clear()


def test_a_bad_setting_is_one_line_on_the_command_line(
    cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.setenv("RESIDENCY_ENVIRONMENT", "staging")
    assert main(["db", "status"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: configuration: environment:") and err.count("\n") == 1
