"""`residency compliance check`: ACGME work-hour check of a duty CSV or a stored block.
`residency compliance scan` and `alerts`: the nightly scan of the published blocks, by hand,
and the alerts it raised.

Exit 0 when nothing is violated (warnings allowed), 1 on a violation (for `scan`: an alert
is open), 2 on bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from residency.compliance.alerts import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    AlertFilter,
    AlertStatus,
)
from residency.compliance.csv_io import read_duty_csv, read_periods_csv
from residency.compliance.policy import calendar_starting, continuous_break_minutes
from residency.compliance.report import render_text, to_json
from residency.compliance.rules.averaging import AcademicCalendar, AveragingMode
from residency.compliance.rules.base import (
    DEFAULT_CONTINUOUS_BREAK_MINUTES,
    MAX_CONTINUOUS_BREAK_MINUTES,
    DutyPeriod,
)
from residency.compliance.validator import CheckOptions, check_duty
from residency.console import console, err_console
from residency.errors import InputError

app = typer.Typer(
    help="Check schedules and logged hours against the ACGME work-hour rules.",
    no_args_is_help=True,
)

REPORT_WIDTH_WHEN_PIPED = 160


@app.command("check")
def check(
    file: Path | None = typer.Argument(
        None, help="Duty periods CSV: person_id,pgy,start,end,kind (local times, no zone)."
    ),
    academic_year_start: str | None = typer.Option(
        None,
        help="With a FILE: first day of the academic year, e.g. 2025-07-01 (default July 1). "
        "With --block the program's own start is used.",
    ),
    periods: Path | None = typer.Option(
        None, help="Rotation periods CSV: person_id,start_date,end_date (end inclusive)."
    ),
    mode: AveragingMode = typer.Option(
        AveragingMode.BLOCK, help="block: by rotation/block (the rule); rolling: stricter."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print findings as JSON."),
    block: int | None = typer.Option(
        None, min=1, max=13, help="Check the schedule stored for this block instead of a file."
    ),
    academic_year: int | None = typer.Option(
        None,
        help="With --block: the academic year by its starting calendar year (default: the "
        "one holding today, else the latest in the database).",
    ),
    top: int = typer.Option(20, min=1, help="Person-period rows to show, worst first."),
    continuous_break_minutes: int | None = typer.Option(
        None,
        min=0,
        max=MAX_CONTINUOUS_BREAK_MINUTES,
        help="Two duty periods at most this many minutes apart are one continuous run "
        "(a lunch break inside a working day); 0: only touching periods join. Default: the "
        f"program's policy.duty.continuous_break_minutes with --block, else "
        f"{DEFAULT_CONTINUOUS_BREAK_MINUTES}.",
    ),
) -> None:
    """Check duty periods against the ACGME rules; exit 1 when any rule is violated."""
    duty, calendar, program_break = _load(file, block, academic_year, academic_year_start)
    rotations = read_periods_csv(periods) if periods is not None else {}
    options = CheckOptions(
        mode=mode,
        calendar=calendar,
        rotations=rotations,
        continuous_break_minutes=(
            program_break if continuous_break_minutes is None else continuous_break_minutes
        ),
    )
    result = check_duty(duty, options)
    if as_json:
        sys.stdout.write(json.dumps(to_json(result), indent=2) + "\n")
    else:
        width = None if sys.stdout.isatty() else REPORT_WIDTH_WHEN_PIPED
        render_text(result, Console(width=width, highlight=False), top=top)
    if result.violations:
        raise typer.Exit(1)


def _load(
    file: Path | None, block: int | None, academic_year: int | None, start: str | None
) -> tuple[list[DutyPeriod], AcademicCalendar, int]:
    """The duty periods, the calendar they average over, and the break that joins them."""
    if (file is None) == (block is None):
        raise InputError("give either a duty CSV FILE or --block N (not both, not neither)")
    if file is not None:
        if academic_year is not None:
            raise InputError("--academic-year goes with --block, not with a FILE")
        calendar = calendar_starting(start, "--academic-year-start")
        return read_duty_csv(file), calendar, DEFAULT_CONTINUOUS_BREAK_MINUTES
    if start is not None:
        raise InputError(
            "--academic-year-start goes with a FILE; --block averages over the program's own "
            "blocks (academic_year_start in the program file)"
        )
    assert block is not None
    return _stored_block(academic_year, block)


def _stored_block(
    academic_year: int | None, block: int
) -> tuple[list[DutyPeriod], AcademicCalendar, int]:
    # Imported here: checking a file must not need the database.
    from residency.calendar.service import academic_calendar, default_academic_year
    from residency.db import unit_of_work
    from residency.program.settings import program_policy
    from residency.scheduling.block.duty import duty_periods_for_block

    with unit_of_work() as session:
        # Without --academic-year, the same year `generate` and `schedule duty` would use.
        year = academic_year
        if year is None:
            year = default_academic_year(session)
        periods: list[DutyPeriod] = duty_periods_for_block(session, year, block)
        # The calendar generate's re-check averages over: the blocks stored for the program.
        calendar = academic_calendar(session)
        joins = continuous_break_minutes(program_policy(session))  # as generate's re-check
    return periods, calendar, joins


@app.command("scan")
def scan(as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON.")) -> None:
    """Check every published block now, as the nightly scan does, and update the alerts;
    exit 1 when an alert is open afterwards."""
    from residency.compliance.scan import scan_published_blocks
    from residency.db import unit_of_work

    with unit_of_work() as session:
        summary = scan_published_blocks(session)
    if as_json:
        sys.stdout.write(json.dumps(summary.as_json(), indent=2) + "\n")
    else:
        for opened in summary.opened:
            console.print(f"new alert: {opened}", markup=False)
        console.print(
            f"scanned {summary.blocks_scanned} published blocks: {summary.findings} findings, "
            f"{len(summary.opened)} new alerts, {summary.resolved} resolved, "
            f"{summary.open_total} open",
            markup=False,
        )
    for problem in summary.problems:
        err_console.print(f"warning: could not check {problem}", markup=False)
    if summary.open_total:
        raise typer.Exit(1)


@app.command("alerts")
def alerts(
    status: AlertStatus = typer.Option(AlertStatus.OPEN, help="open, resolved or all."),
    academic_year: int | None = typer.Option(None, help="Only this academic year's blocks."),
    block: int | None = typer.Option(None, min=1, max=13, help="Only this block."),
    limit: int = typer.Option(DEFAULT_LIMIT, min=1, max=MAX_LIMIT, help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """The alerts of the compliance scans, newest first."""
    from residency.compliance.alerts import list_alerts
    from residency.db import unit_of_work

    with unit_of_work() as session:
        found = list_alerts(session, AlertFilter(status, academic_year, block, limit))
    if as_json:
        sys.stdout.write(json.dumps(found, indent=2, default=str) + "\n")
        return
    if not found:
        console.print(f"no {'' if status is AlertStatus.ALL else status.value + ' '}alerts")
    for alert in found:
        who = f" {alert['person_key']}" if alert["person_key"] else ""
        period = f"{alert['period_start']}" + (
            f" to {alert['period_end']}" if alert["period_end"] != alert["period_start"] else ""
        )
        console.print(
            f"#{alert['id']} {alert['status']:<8} block {alert['block']} of "
            f"{alert['academic_year']}  {alert['rule']}{who}  {period}: {alert['message']}",
            markup=False,
        )
