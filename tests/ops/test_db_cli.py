"""`residency db ...` and the schema guard as a user meets them: exit codes and one-line errors."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from residency.cli import main
from residency.db import build_engine
from residency.ops.migrations import code_head


def test_status_json_after_upgrade(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["current_revision"] == status["code_head"] == code_head()
    assert status["up_to_date"] is True
    assert status["schema_updated_at"]


def test_status_after_downgrade_exits_non_zero(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "downgrade", "base"]) == 0
    capsys.readouterr()
    assert main(["db", "status", "--json"]) == 3
    status = json.loads(capsys.readouterr().out)
    assert status["current_revision"] is None and status["up_to_date"] is False
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "status"]) == 0


def test_status_on_a_database_from_a_future_revision(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with build_engine(cli_db).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    assert main(["db", "status"]) == 3
    out = capsys.readouterr().out
    assert "current revision:  0042" in out and "up to date:        no" in out


@pytest.mark.parametrize("command", [["seed", "demo"], ["program", "export", "out.yaml"]])
def test_data_commands_refuse_a_database_at_another_revision(
    cli_db: str, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    with build_engine(cli_db).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    assert main(command) == 3
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1, captured.err
    assert "0042" in captured.err and code_head() in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_data_commands_refuse_an_empty_database_and_name_the_fix(
    cli_env: pytest.MonkeyPatch, empty_db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.setenv("RESIDENCY_DATABASE_URL", empty_db_url)
    assert main(["seed", "demo"]) == 3
    err = capsys.readouterr().err
    assert "run `residency db upgrade`" in err


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "is not a database URL"),
        ("postgresql://postgres@127.0.0.1:1/nowhere", "cannot connect to the database"),
        ("mysql+nosuchdriver://x/y", "RESIDENCY_DATABASE_URL"),
    ],
)
def test_a_wrong_database_url_is_one_line_and_non_zero(
    cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, expected: str
) -> None:
    cli_env.setenv("RESIDENCY_DATABASE_URL", url)
    assert main(["seed", "demo"]) != 0
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1
