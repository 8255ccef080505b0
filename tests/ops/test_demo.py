"""The main job, `residency demo`, on the embedded default database and on PostgreSQL."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from residency.auth import service
from residency.cli import main
from residency.db import unit_of_work
from residency.ops.demo_accounts import DEMO_ACCOUNTS

# Each solve of the demo (the year's plan, then Block 10) gets this many seconds in tests.
TEST_TIME_LIMIT = "10"


def test_demo_on_the_embedded_default_creates_var_residency_db(
    cli_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.delenv("RESIDENCY_DATABASE_URL", raising=False)
    cli_env.setenv("RESIDENCY_DEMO_TIME_LIMIT", TEST_TIME_LIMIT)
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "var" / "residency.db").exists()
    assert "28 people (18 residents, 10 faculty)" in out
    assert "32 rotation templates" in out
    assert "730 half-days" in out
    assert "Block 10: 2026-03-10 to 2026-04-06" in out
    assert "Block 10 rotations: annual plan run 1" in out
    assert "Block 10 of 2025-2026: run 2 succeeded" in out
    assert "ACGME re-check of the saved Block 10" in out
    sign_in = out[out.index("Web app: start it with `residency serve`") :]
    assert "open http://127.0.0.1:8000/ and sign in as" in sign_in
    passwords = re.findall(r"(demo-\w+@example.org)\s+one-time password (\S+)", sign_in)
    assert [email for email, _ in passwords] == [email for email, *_ in DEMO_ACCOUNTS]
    with unit_of_work() as session:  # each printed password signs in, and must be changed
        for email, password in passwords:
            user = service.attempt_login(session, email, password, "test")
            assert user is not None and user.must_change_password


def test_demo_twice_changes_nothing(
    cli_db: str, cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.setenv("RESIDENCY_DEMO_TIME_LIMIT", TEST_TIME_LIMIT)
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Nothing new" in out
    assert "28 people" in out
    assert "Block 10 rotations: the published annual plan" in out
    assert "Block 10 already has a published schedule (run 2); kept as it is." in out
    assert out.count("made by an earlier demo run, with the password printed then") == 3
    assert "one-time password " not in out


def test_the_installed_command_prints_no_traceback_on_bad_input(tmp_path: Path) -> None:
    residency = Path(sys.executable).parent / "residency"
    result = subprocess.run(
        [str(residency), "program", "import", str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "RESIDENCY_DATA_DIR": str(tmp_path / "var")},
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
