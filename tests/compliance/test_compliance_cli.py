"""`residency compliance check FILE.csv`: readable table, JSON, exit codes 0 / 1 / 2."""

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from compliance_helpers import BLOCK_1, daily, lasting, leave

from residency.cli import main
from residency.compliance.csv_io import write_duty_csv
from residency.compliance.rules.base import DutyPeriod

RESIDENCY = Path(sys.executable).parent / "residency"


def csv_of(tmp_path: Path, periods: list[DutyPeriod], name: str = "duty.csv") -> str:
    path = tmp_path / name
    write_duty_csv(periods, path)
    return str(path)


def heavy_fortnight() -> list[DutyPeriod]:
    # 14 days x 12.5 h = 175 h: 87.5 h/week over the first two weeks, 43.75 over the block.
    return [*daily(BLOCK_1, 14, start_hour=7, hours=12.5)]


def test_a_clean_log_exits_0_and_still_shows_the_margins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = daily(BLOCK_1, 20, start_hour=7, hours=15.3)  # 306 h: 76.5 h/week

    assert main(["compliance", "check", csv_of(tmp_path, log)]) == 0

    out = capsys.readouterr().out
    assert "No violations" in out
    assert "76.5 h/week, 3.5 under the limit of 80" in out
    assert "ACGME-1IN7" in out and "ACGME-Q3-CALL" in out


def test_a_violation_exits_1_and_names_rule_person_and_citation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = [lasting("2025-07-01T07:00", 26, "in_house_call")]

    assert main(["compliance", "check", csv_of(tmp_path, log)]) == 1

    out = capsys.readouterr().out
    assert "Violations (1)" in out
    assert "ACGME-24PLUS4" in out and "VI.F.3.a" in out and "R1" in out


def test_json_output_has_violations_warnings_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = [lasting("2025-07-01T07:00", 10), lasting("2025-07-01T23:00", 8)]  # 6 h gap: warning

    assert main(["compliance", "check", csv_of(tmp_path, log), "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"violations", "warnings", "summary"}
    [warning] = report["warnings"]
    assert {
        k: warning[k]
        for k in (
            "rule",
            "person_id",
            "period_start",
            "period_end",
            "value",
            "limit",
            "severity",
            "citation",
        )
    } == {
        "rule": "ACGME-8H-BETWEEN",
        "person_id": "R1",
        "period_start": "2025-07-01T17:00",
        "period_end": "2025-07-01T23:00",
        "value": 6.0,
        "limit": 8.0,
        "severity": "warning",
        "citation": "ACGME CPR VI.F.2.a",
    }
    summary = report["summary"]
    assert (summary["mode"], summary["violations"], summary["warnings"], summary["people"]) == (
        "block",
        0,
        1,
        1,
    )
    assert summary["rules"]["ACGME-80H"]["closest"]["margin"] == 75.5


def test_rotation_periods_average_over_the_rotation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    duty = csv_of(tmp_path, heavy_fortnight())
    periods = tmp_path / "periods.csv"
    periods.write_text(
        f"person_id,start_date,end_date\nR1,{BLOCK_1},{BLOCK_1 + timedelta(days=13)}\n"
    )

    assert main(["compliance", "check", duty, "--json"]) == 0
    capsys.readouterr()
    assert main(["compliance", "check", duty, "--periods", str(periods), "--json"]) == 1

    violations = json.loads(capsys.readouterr().out)["violations"]
    assert {v["rule"] for v in violations} == {"ACGME-80H", "ACGME-1IN7"}  # 14 days, no day off
    [violation] = [v for v in violations if v["rule"] == "ACGME-80H"]
    assert violation["value"] == 87.5
    assert (violation["period_start"], violation["period_end"]) == (
        "2025-07-01T00:00",
        "2025-07-15T00:00",
    )


def test_rolling_mode_is_labelled_stricter_and_finds_a_heavy_stretch_across_blocks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 24 days of 14 h straddling the block 1/2 boundary: 336 h in 28 days, 168 h in each block.
    log = daily(BLOCK_1 + timedelta(days=16), 24, start_hour=6, hours=14) + daily(BLOCK_1, 1, 6, 1)
    path = csv_of(tmp_path, log)

    assert main(["compliance", "check", path]) == 0
    capsys.readouterr()
    assert main(["compliance", "check", path, "--mode", "rolling"]) == 1

    out = capsys.readouterr().out
    assert "stricter than the ACGME rule" in out
    assert "overlapping 28-day windows" in out


def test_academic_year_start_moves_block_boundaries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = daily(date(2025, 7, 15), 21, start_hour=6, hours=16)  # 336 h from mid-block 1
    path = csv_of(tmp_path, log)

    assert main(["compliance", "check", path]) == 0
    assert main(["compliance", "check", path, "--academic-year-start", "2025-07-15"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--academic-year-start", "2025-13-01"],
            "--academic-year-start '2025-13-01' is not a date",
        ),
        (["--academic-year-start", "2024-02-29"], "cannot be February 29"),
        (["--mode", "weekly"], "weekly"),
        (["--academic-year", "2025"], "--academic-year goes with --block"),
        (["--continuous-break-minutes", "241"], "--continuous-break-minutes"),
    ],
)
def test_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    path = csv_of(tmp_path, daily(BLOCK_1, 1, 7, 8))

    assert main(["compliance", "check", path, *args]) == 2

    assert message in capsys.readouterr().err


def test_the_continuous_break_option_decides_whether_a_lunch_break_splits_the_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = csv_of(tmp_path, [lasting("2025-07-01T08:00", 4), lasting("2025-07-01T12:30", 4.5)])

    assert main(["compliance", "check", path, "--json"]) == 0
    joined = json.loads(capsys.readouterr().out)
    assert main(["compliance", "check", path, "--json", "--continuous-break-minutes", "0"]) == 0
    split = json.loads(capsys.readouterr().out)

    assert (joined["warnings"], joined["summary"]["continuous_break_minutes"]) == ([], 60)
    assert [w["rule"] for w in split["warnings"]] == ["ACGME-8H-BETWEEN"]
    assert split["summary"]["continuous_break_minutes"] == 0


def test_neither_file_nor_block_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compliance", "check"]) == 2
    assert "give either a duty CSV FILE or --block N" in capsys.readouterr().err


def test_bad_row_exits_2_with_file_row_and_reason_and_prints_no_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "person_id,pgy,start,end,kind\n"
        "R1,2,2026-03-10T07:00,2026-03-10T17:00,shift\n"
        "R1,2,2026-03-10T07:00,2026-03-10T06:00,shift\n"
    )

    assert main(["compliance", "check", str(path)]) == 2

    captured = capsys.readouterr()
    assert captured.err.strip() == (
        f"error: {path} row 3: end 2026-03-10T06:00 is before start 2026-03-10T07:00"
    )
    assert captured.out == ""


def test_the_installed_command_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("person_id,pgy,start,end,kind\nR1,12,2026-03-10T07:00,2026-03-10T17:00,shift\n")

    done = subprocess.run(
        [str(RESIDENCY), "compliance", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {path} row 2: pgy 12 is outside 1-10"
    assert "Traceback" not in done.stderr + done.stdout


def test_a_file_of_leave_only_is_skipped_not_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compliance", "check", csv_of(tmp_path, [leave(BLOCK_1, 28)]), "--json"]) == 0

    summary = json.loads(capsys.readouterr().out)["summary"]
    assert (summary["periods_checked"], summary["periods_skipped_all_leave"]) == (0, 1)
