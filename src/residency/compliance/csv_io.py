"""Duty periods and rotation periods as CSV, with errors that name the file, row and reason.

Row numbers count the header as row 1, as a spreadsheet shows them. Reading stops at the
first bad row; nothing is written on bad input.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from itertools import pairwise
from pathlib import Path
from typing import TextIO, TypeVar

from residency.compliance.rules.averaging import RotationPeriod
from residency.compliance.rules.base import DutyPeriod
from residency.errors import InputError
from residency.files import writable_output
from residency.rotations.duty_pattern import DutyKind

DUTY_COLUMNS = ("person_id", "pgy", "start", "end", "kind")
PERIOD_COLUMNS = ("person_id", "start_date", "end_date")
PGY_RANGE = range(1, 11)
_KINDS = {kind.value: kind for kind in DutyKind}
_KIND_LIST = ", ".join(_KINDS)
T = TypeVar("T")


class _BadRow(Exception):
    """One CSV row breaks a rule; the reader adds the file and row number to the message."""


def read_duty_csv(path: Path) -> list[DutyPeriod]:
    with _opened(path) as handle:
        return read_duty_rows(handle, str(path))


def read_periods_csv(path: Path) -> dict[str, list[RotationPeriod]]:
    with _opened(path) as handle:
        return read_period_rows(handle, str(path))


def read_duty_upload(data: bytes, source: str) -> list[DutyPeriod]:
    """An uploaded duty CSV; errors name it as `source` (the request field)."""
    return read_duty_rows(io.StringIO(_decoded(data, source), newline=""), source)


def read_periods_upload(data: bytes, source: str) -> dict[str, list[RotationPeriod]]:
    return read_period_rows(io.StringIO(_decoded(data, source), newline=""), source)


def _decoded(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{source}: not UTF-8 text (save the sheet as CSV UTF-8)") from None


def read_duty_rows(handle: TextIO, source: str) -> list[DutyPeriod]:
    """Duty periods from an open CSV; errors start with `source` (a path, a request field)."""
    periods: list[DutyPeriod] = []
    rows: list[int] = []
    for row_number, row in _rows(handle, source, DUTY_COLUMNS):
        periods.append(_parse(source, row_number, _duty_period, row))
        rows.append(row_number)
    _reject_overlapping_leave(source, periods, rows)
    return periods


def read_period_rows(handle: TextIO, source: str) -> dict[str, list[RotationPeriod]]:
    by_person: defaultdict[str, list[tuple[RotationPeriod, int]]] = defaultdict(list)
    for row_number, row in _rows(handle, source, PERIOD_COLUMNS):
        rotation = _parse(source, row_number, _rotation_period, row)
        by_person[rotation.person_id].append((rotation, row_number))
    for rotations in by_person.values():
        rotations.sort()
        for (earlier, earlier_row), (later, row_number) in pairwise(rotations):
            if later.start <= earlier.end:
                raise InputError(
                    f"{source} row {row_number}: period {later.start}..{later.end} for "
                    f"{later.person_id} overlaps the period on row {earlier_row}"
                )
    return {person: [r for r, _ in rotations] for person, rotations in by_person.items()}


def write_duty_csv(periods: Iterable[DutyPeriod], path: Path, *, option: str = "--csv") -> None:
    """Write atomically: a reader never sees half a file, a failure leaves none. A path that
    cannot be written is bad input naming `option`."""
    directory = path.parent if str(path.parent) else Path(".")
    with writable_output(path, option):
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
                write_duty_rows(periods, out)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def write_duty_rows(periods: Iterable[DutyPeriod], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DUTY_COLUMNS)
    for p in periods:
        writer.writerow([p.person_id, p.pgy, format_moment(p.start), format_moment(p.end), p.kind])


def format_moment(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds" if moment.second else "minutes")


@contextmanager
def _opened(path: Path) -> Iterator[TextIO]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            yield handle
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a CSV file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None


def _rows(
    handle: TextIO, path: str, columns: Sequence[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        _check_header(path, header, columns)
        for row_number, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue
            yield row_number, _named(path, row_number, header, values)
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text (save the sheet as CSV UTF-8)") from None
    except csv.Error as exc:
        raise InputError(f"{path} row {reader.line_num}: unreadable CSV: {exc}") from None


def _check_header(path: str, header: list[str], columns: Sequence[str]) -> None:
    expected = ",".join(columns)
    if not any(header):
        raise InputError(f"{path}: empty file; expected the header {expected}")
    missing = [name for name in columns if name not in header]
    if missing:
        raise InputError(f"{path} row 1: missing column {', '.join(missing)}; expected {expected}")


def _named(path: str, row_number: int, header: list[str], values: list[str]) -> dict[str, str]:
    if len(values) != len(header):
        raise InputError(
            f"{path} row {row_number}: {len(values)} fields, the header has {len(header)}"
        )
    return dict(zip(header, values, strict=True))


def _parse(
    path: str, row_number: int, parse: Callable[[dict[str, str]], T], row: dict[str, str]
) -> T:
    try:
        return parse(row)
    except _BadRow as exc:
        raise InputError(f"{path} row {row_number}: {exc}") from None


def _duty_period(row: dict[str, str]) -> DutyPeriod:
    person_id = _required(row, "person_id")
    pgy = _pgy(_required(row, "pgy"))
    start, end = _moment(row, "start"), _moment(row, "end")
    kind = _kind(_required(row, "kind"))
    if end < start:
        raise _BadRow(f"end {format_moment(end)} is before start {format_moment(start)}")
    if end == start:
        raise _BadRow(f"end {format_moment(end)} equals start: a duty period must have a length")
    if kind is DutyKind.LEAVE and (start.time() != time() or end.time() != time()):
        raise _BadRow(
            f"leave {format_moment(start)}..{format_moment(end)} must be whole days "
            "(start and end at 00:00)"
        )
    return DutyPeriod(person_id, pgy, start, end, kind)


def _rotation_period(row: dict[str, str]) -> RotationPeriod:
    person_id = _required(row, "person_id")
    start, end = _day(row, "start_date"), _day(row, "end_date")
    if end < start:
        raise _BadRow(f"end_date {end} is before start_date {start}")
    return RotationPeriod(person_id, start, end)


def _required(row: dict[str, str], column: str) -> str:
    value = row[column].strip()
    if not value:
        raise _BadRow(f"{column} is empty")
    return value


def _pgy(text: str) -> int:
    try:
        pgy = int(text)
    except ValueError:
        raise _BadRow(f"pgy {text!r} is not a whole number") from None
    if pgy not in PGY_RANGE:
        raise _BadRow(f"pgy {pgy} is outside 1-10")
    return pgy


def _kind(text: str) -> DutyKind:
    kind = _KINDS.get(text)
    if kind is None:
        raise _BadRow(f"kind {text!r} is not one of {_KIND_LIST}")
    return kind


def _moment(row: dict[str, str], column: str) -> datetime:
    text = _required(row, column)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _BadRow(f"{column} {text!r} is not a date-time like 2026-03-10T07:00") from None
    if moment.tzinfo is not None:
        raise _BadRow(f"{column} {text!r} has a time zone; give local wall-clock time without one")
    if moment.microsecond:
        raise _BadRow(f"{column} {text!r} has fractions of a second")
    return moment


def _day(row: dict[str, str], column: str) -> date:
    text = _required(row, column)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _BadRow(f"{column} {text!r} is not a date like 2025-07-01") from None


def _reject_overlapping_leave(path: str, periods: list[DutyPeriod], rows: list[int]) -> None:
    leave = sorted(
        (p.person_id, p.start, p.end, row)
        for p, row in zip(periods, rows, strict=True)
        if p.kind is DutyKind.LEAVE
    )
    for earlier, later in pairwise(leave):
        if later[0] == earlier[0] and later[1] < earlier[2]:
            first_row, second_row = sorted((earlier[3], later[3]))
            raise InputError(
                f"{path} row {second_row}: leave for {later[0]} overlaps the leave on row "
                f"{first_row} ({format_moment(later[1])} is before {format_moment(earlier[2])})"
            )
