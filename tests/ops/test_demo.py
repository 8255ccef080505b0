"""The main job, `residency demo`, on the embedded default database and on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from residency.cli import main

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
