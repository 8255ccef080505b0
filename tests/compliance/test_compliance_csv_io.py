"""Duty and rotation-period CSVs: parsed exactly, and every bad row named with its reason."""

from datetime import date, datetime
from pathlib import Path

import pytest

from residency.compliance.csv_io import read_duty_csv, read_periods_csv, write_duty_csv
from residency.compliance.rules.averaging import RotationPeriod
from residency.compliance.rules.base import DutyKind, DutyPeriod
from residency.errors import InputError

HEADER = "person_id,pgy,start,end,kind\n"


def write(tmp_path: Path, text: str, name: str = "duty.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_rows_and_round_trips_through_the_writer(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + "R1,2,2026-03-10T07:00,2026-03-10T17:00,shift\nR1,2,2026-03-11,2026-03-12,leave\n",
    )
    periods = read_duty_csv(path)

    assert periods == [
        DutyPeriod("R1", 2, datetime(2026, 3, 10, 7), datetime(2026, 3, 10, 17), DutyKind.SHIFT),
        DutyPeriod("R1", 2, datetime(2026, 3, 11), datetime(2026, 3, 12), DutyKind.LEAVE),
    ]
    out = tmp_path / "out.csv"
    write_duty_csv(periods, out)
    assert read_duty_csv(out) == periods
    assert out.read_text().splitlines()[1] == "R1,2,2026-03-10T07:00,2026-03-10T17:00,shift"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["duty.csv", "out.csv"]


def test_columns_may_come_in_any_order_with_extras(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "kind,end,start,pgy,person_id,note\nshift,2026-03-10T17:00,2026-03-10T07:00,1,R9,x\n",
    )

    [period] = read_duty_csv(path)

    assert (period.person_id, period.pgy, period.kind) == ("R9", 1, DutyKind.SHIFT)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("person_id,pgy,start,kind\nR1,2,2026-03-10T07:00,shift\n", "row 1: missing column end"),
        (
            HEADER
            + "R1,2,2026-03-10T07:00,2026-03-10T17:00,shift\n"
            + "R1,2,2026-03-10T07:00,2026-03-10T06:00,shift\n",
            "row 3: end 2026-03-10T06:00 is before start 2026-03-10T07:00",
        ),
        (
            HEADER + "R1,2,2026-03-10T07:00,2026-03-10T07:00,shift\n",
            "row 2: end 2026-03-10T07:00 equals start",
        ),
        (
            HEADER + "R1,2,2026-03-10T07:00,2026-03-10T17:00,nap\n",
            "row 2: kind 'nap' is not one of shift,",
        ),
        (
            HEADER + "R1,2,2026-03-32T07:00,2026-03-10T17:00,shift\n",
            "row 2: start '2026-03-32T07:00' is not a date-time",
        ),
        (
            HEADER + "R1,11,2026-03-10T07:00,2026-03-10T17:00,shift\n",
            "row 2: pgy 11 is outside 1-10",
        ),
        (HEADER + "R1,0,2026-03-10T07:00,2026-03-10T17:00,shift\n", "row 2: pgy 0 is outside 1-10"),
        (
            HEADER + "R1,two,2026-03-10T07:00,2026-03-10T17:00,shift\n",
            "row 2: pgy 'two' is not a whole number",
        ),
        (HEADER + ",2,2026-03-10T07:00,2026-03-10T17:00,shift\n", "row 2: person_id is empty"),
        (HEADER + "R1,2,2026-03-10T07:00,2026-03-10T17:00\n", "row 2: 4 fields, the header has 5"),
        (
            HEADER + "R1,2,2026-03-10T07:00+01:00,2026-03-10T17:00,shift\n",
            "row 2: start '2026-03-10T07:00+01:00' has a time zone",
        ),
        (
            HEADER + "R1,2,2026-03-10T08:00,2026-03-11T00:00,leave\n",
            "row 2: leave 2026-03-10T08:00..2026-03-11T00:00 must be whole days",
        ),
        (
            HEADER
            + "R1,2,2026-03-10,2026-03-15,leave\n"
            + "R2,2,2026-03-10,2026-03-15,leave\n"
            + "R1,2,2026-03-14,2026-03-16,leave\n",
            "row 4: leave for R1 overlaps the leave on row 2",
        ),
        ("", "empty file; expected the header person_id,pgy,start,end,kind"),
    ],
)
def test_bad_input_names_the_file_row_and_reason(tmp_path: Path, body: str, expected: str) -> None:
    path = write(tmp_path, body)

    with pytest.raises(InputError) as error:
        read_duty_csv(path)

    assert str(error.value).startswith(str(path))
    assert expected in str(error.value)


def test_touching_leave_is_fine(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEADER + "R1,2,2026-03-10,2026-03-15,leave\nR1,2,2026-03-15,2026-03-16,leave\n"
    )

    assert len(read_duty_csv(path)) == 2


def test_a_missing_file_and_a_binary_file_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_duty_csv(tmp_path / "absent.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    with pytest.raises(InputError, match="not UTF-8"):
        read_duty_csv(binary)


def test_reads_rotation_periods_with_inclusive_end_dates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "person_id,start_date,end_date\nR1,2025-07-01,2025-07-14\nR1,2025-07-15,2025-08-11\n",
        "periods.csv",
    )

    assert read_periods_csv(path) == {
        "R1": [
            RotationPeriod("R1", date(2025, 7, 1), date(2025, 7, 14)),
            RotationPeriod("R1", date(2025, 7, 15), date(2025, 8, 11)),
        ]
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("person_id,start_date\nR1,2025-07-01\n", "row 1: missing column end_date"),
        (
            "person_id,start_date,end_date\nR1,2025-07-10,2025-07-01\n",
            "row 2: end_date 2025-07-01 is before start_date 2025-07-10",
        ),
        (
            "person_id,start_date,end_date\nR1,2025-07-01,2025-07-14\nR1,2025-07-14,2025-07-20\n",
            "row 3: period 2025-07-14..2025-07-20 for R1 overlaps the period on row 2",
        ),
        (
            "person_id,start_date,end_date\nR1,July 1,2025-07-14\n",
            "row 2: start_date 'July 1' is not a date",
        ),
    ],
)
def test_bad_rotation_periods_are_named(tmp_path: Path, body: str, expected: str) -> None:
    with pytest.raises(InputError) as error:
        read_periods_csv(write(tmp_path, body, "periods.csv"))

    assert expected in str(error.value)
