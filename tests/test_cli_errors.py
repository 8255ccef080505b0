"""Errors for people: an output path we cannot write is bad input (exit 2, one line naming the
path) for every command that writes a file or folder the user names, and RESIDENCY_DEBUG is
read through the settings, so a .env file turns on tracebacks."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from residency.cli import main
from residency.ops import backup_cli, migrations

BAD_INPUT = 2
Command = Callable[[Path], list[str]]
INTERNAL_ERROR = 70


@pytest.fixture
def seeded(cli_db: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["seed", "demo"]) == 0
    capsys.readouterr()
    return cli_db


@pytest.fixture
def unwritable_folder(tmp_path: Path) -> Path:
    """A folder that exists and refuses new files."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o500)
        return folder
    # chmod does not stop root; sysfs refuses new files even to root.
    try:
        (Path("/sys") / "residency-probe").touch()
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM):
            return Path("/sys")
    pytest.skip("running as root, where chmod does not stop writes, and /sys is not there")


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert captured.err.count("\n") == 1, captured.err
    return captured.err.strip()


def duty_to(path: Path) -> list[str]:
    return ["schedule", "duty", "--block", "10", "--csv", str(path)]


def export_to(path: Path) -> list[str]:
    return ["program", "export", str(path)]


@pytest.mark.parametrize(("command", "label"), [(duty_to, "--csv"), (export_to, "PATH")])
def test_an_output_file_in_a_missing_folder_is_bad_input(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: Command, label: str
) -> None:
    target = tmp_path / "no-such-folder" / "out.file"
    assert main(command(target)) == BAD_INPUT
    assert one_error_line(capsys) == (
        f"error: {label}: cannot write {target}: folder {target.parent} does not exist"
    )
    assert not target.parent.exists()


@pytest.mark.parametrize(("command", "label"), [(duty_to, "--csv"), (export_to, "PATH")])
def test_an_output_file_under_a_file_is_bad_input(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: Command, label: str
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(command(blocker / "out.file")) == BAD_INPUT
    assert one_error_line(capsys) == (
        f"error: {label}: cannot write {blocker / 'out.file'}: {blocker} is a file, not a folder"
    )


@pytest.mark.parametrize(("command", "label"), [(duty_to, "--csv"), (export_to, "PATH")])
def test_an_output_file_without_permission_is_bad_input(
    seeded: str,
    unwritable_folder: Path,
    capsys: pytest.CaptureFixture[str],
    command: Command,
    label: str,
) -> None:
    target = unwritable_folder / "out.file"
    assert main(command(target)) == BAD_INPUT
    assert one_error_line(capsys) == f"error: {label}: cannot write {target}: permission denied"
    assert not target.exists()


BACKUP_LABEL = "backup folder (--dir or RESIDENCY_BACKUP_DIR)"


def test_a_missing_backup_folder_is_created(
    cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "new" / "backups"
    assert main(["backup", "--dir", str(folder)]) == 0
    assert len(list(folder.glob("*.json"))) == 1


def test_a_backup_folder_under_a_file_is_bad_input(
    cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(["backup", "--dir", str(blocker / "backups")]) == BAD_INPUT
    assert one_error_line(capsys) == (
        f"error: {BACKUP_LABEL}: cannot write {blocker / 'backups'}: "
        f"{blocker} is a file, not a folder"
    )


def test_a_backup_folder_without_permission_is_bad_input(
    cli_db: str, unwritable_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--dir", str(unwritable_folder)]) == BAD_INPUT
    assert one_error_line(capsys) == (
        f"error: {BACKUP_LABEL}: cannot write {unwritable_folder}: permission denied"
    )


def _broken(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("a bug")


@pytest.fixture
def internal_error(cli_env: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """`residency db status` hits a bug."""
    cli_env.delenv("RESIDENCY_DEBUG", raising=False)
    cli_env.setattr(migrations, "schema_status", _broken)
    return cli_env


def test_an_internal_error_is_one_line_without_debug(
    internal_error: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "status"]) == INTERNAL_ERROR
    line = one_error_line(capsys)
    assert line.startswith("internal error: RuntimeError: a bug")


def test_debug_in_a_dot_env_file_prints_the_traceback(
    internal_error: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Path(".env").write_text("RESIDENCY_DEBUG=1\n")  # cli_env works in tmp_path
    assert main(["db", "status"]) == INTERNAL_ERROR
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "RuntimeError: a bug" in err


def test_debug_still_works_when_the_settings_themselves_are_broken(
    cli_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # production without a secret key: reading the settings fails inside the error handler
    cli_env.setenv("RESIDENCY_ENVIRONMENT", "production")
    cli_env.setenv("RESIDENCY_DEBUG", "1")
    cli_env.setattr(backup_cli, "list_backups", _broken)
    assert main(["backup", "list", "--dir", str(tmp_path)]) == INTERNAL_ERROR
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert err.strip().endswith("(set RESIDENCY_DEBUG=1 to see the traceback)")


def test_exporting_an_empty_database_says_there_is_no_program(
    cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(export_to(tmp_path / "out.yaml")) == 5
    assert "there is no program to export" in one_error_line(capsys)
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # argument checks, no query
@pytest.mark.parametrize(
    ("argv", "code", "expected"),
    [
        (["compliance", "alerts", "--block", "14"], 2, "'--block': 14 is not in the range"),
        (["compliance", "alerts", "--status", "late"], 2, "'--status': 'late' is not one of"),
        (["runs", "cancel", "999"], 5, "run: 999 is not a schedule run"),
    ],
)
def test_the_commands_of_runs_and_alerts_refuse_bad_input_in_one_line(
    cli_db: str, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, expected: str
) -> None:
    assert main(argv) == code
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1, err
