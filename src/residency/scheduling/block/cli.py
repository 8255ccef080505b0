"""`residency generate` and `residency schedule show|duty`: a block's schedule."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from residency.calendar.service import default_academic_year
from residency.console import console
from residency.db import unit_of_work
from residency.scheduling.block.grid import FACULTY_GROUP, Grid, GridRow, block_grid
from residency.scheduling.block.service import GenerateRequest, GenerateResult, claim_block
from residency.scheduling.models import RunKind, RunStatus
from residency.scheduling.runs.bar import solve_bar
from residency.scheduling.runs.cli import (
    first_feasible_option,
    publish_hint,
    publish_option,
    publish_run,
)
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.versions import version_of

schedule_app = typer.Typer(help="Read and edit the stored block schedule.", no_args_is_help=True)


def academic_year_or_default(academic_year: int | None) -> int:
    if academic_year is not None:
        return academic_year
    with unit_of_work() as session:
        return default_academic_year(session)


def generate(
    block: int = typer.Option(..., min=1, max=13, help="Block number (1-13)."),
    academic_year: int | None = typer.Option(
        None, help="Academic year by its starting calendar year (default: the current one)."
    ),
    time_limit: float = typer.Option(60.0, min=0.1, help="Solver time limit in seconds."),
    workers: int = typer.Option(8, min=1, help="CP-SAT search workers."),
    seed: int = typer.Option(0, help="Random seed of the solver."),
    minimal_change: bool = typer.Option(
        False,
        "--minimal-change",
        help="Repair the stored schedule with as few changes as possible.",
    ),
    first_feasible: bool = first_feasible_option("schedule"),
    publish: bool = publish_option("schedule"),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Generate a block's schedule as a draft, re-checked (ACGME); publish it to show it."""
    request = GenerateRequest(
        academic_year_or_default(academic_year),
        block,
        time_limit,
        workers,
        seed,
        minimal_change,
        first_feasible,
    )
    with unit_of_work() as session:
        run_id = claim_block(session, request)
    with solve_bar(time_limit) as moved:
        result: GenerateResult = execute_run(run_id, listener=moved).result
    succeeded = result.run_status == RunStatus.SUCCEEDED
    published = succeeded and publish
    if published:
        publish_run(run_id)
    if as_json:
        found = result.as_json() | {"published": published}
        sys.stdout.write(json.dumps(found, indent=2, default=str) + "\n")
    else:
        print_summary(result, request.academic_year, request.block, console)
        if succeeded:
            console.print(publish_hint(run_id, published), markup=False)
    if not succeeded:
        raise typer.Exit(1)


def print_summary(result: GenerateResult, year: int, block: int, console: Console) -> None:
    data = result.as_json()
    title = f"Block {block} of {year}-{year + 1}"
    if result.report is None:
        console.print(
            f"{title}: run {result.run_id} {result.run_status.value} "
            f"(solver status {data['solver_status']}, {data['wall_s']:.1f} s); nothing was saved"
        )
        for sentence in result.explanation:
            console.print(f"- {sentence}", markup=False)
        return
    table = Table(title=f"{title}: run {result.run_id} {result.run_status.value}", show_edge=False)
    table.add_column("")
    table.add_column("", justify="right")
    coverage = result.report.coverage if result.report else {}
    compliance = data["compliance"]
    rows: list[tuple[str, Any]] = [
        ("solver status", data["solver_status"]),
        ("objective / best bound", f"{_num(data['objective'])} / {_num(data['best_bound'])}"),
        ("gap", "-" if data["gap"] is None else f"{100 * data['gap']:.2f} %"),
        ("wall time", f"{data['wall_s']:.1f} s"),
        ("assignments (half-days)", data["assignments"]),
        ("call assignments", data["call_assignments"]),
        (
            "coverage of required positions",
            f"{data['coverage_pct']:.1f} % ({coverage.get('filled', 0)}/"
            f"{coverage.get('required', 0)})",
        ),
        ("staffing above the minimum", coverage.get("above_minimum", 0)),
        ("conflicts", len(data["conflicts"])),
        ("manual overrides kept", len(data["acgme_overrides"])),
        ("ACGME violations", len(compliance["violations"])),
        ("ACGME warnings", len(compliance["warnings"])),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)
    if data["penalties"]:
        penalties = ", ".join(f"{k} {v}" for k, v in data["penalties"].items() if v)
        console.print(f"soft-rule costs: {penalties or 'none'}")
    for sentence in result.explanation:
        console.print(f"- {sentence}", markup=False)
    for kind, entries in data.get("changes", {}).items():
        console.print(f"{kind} ({len(entries)}):")
        for entry in entries:
            console.print(f"  {'+' if kind == 'added' else '-'} {entry}", markup=False)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


@schedule_app.command("show")
def show(
    block: int = typer.Option(..., min=1, max=13, help="Block number (1-13)."),
    academic_year: int | None = typer.Option(None, help="Academic year (default: current)."),
    run: int | None = typer.Option(None, "--run", help="A run's draft instead of the published."),
    person: str | None = typer.Option(None, "--person", help="Only this person (their key)."),
) -> None:
    """The block as a grid: people by day, AM/PM rotation, call nights marked with *."""
    year = academic_year_or_default(academic_year)
    with unit_of_work() as session:
        version = version_of(session, run, RunKind.BLOCK_SCHEDULE, year, block)
        grid = block_grid(session, year, block, version, person)
    which = f"run {run} (draft)" if run is not None else "published"
    console.print(f"Block {block} of {year}-{year + 1}, {which}: {grid.start} to {grid.end}")
    if not grid.rows:
        console.print("Nothing is scheduled in this version.")
        return
    # Four weeks do not fit one screen: one table a week.
    wide = console if console.is_terminal else Console(width=200, highlight=False)
    for week in range(0, len(grid.days), 7):
        wide.print(grid_table(grid, grid.days[week : week + 7]))
    console.print("Each cell is AM/PM; * marks a call night; - is nothing scheduled.")


def grid_table(grid: Grid, week: list[date]) -> Table:
    table = Table(show_edge=False, pad_edge=False, padding=(0, 1))
    table.add_column("person")
    for day in week:
        table.add_column(f"{day:%a %m-%d}")
    for row in grid.rows:
        label = (
            f"{row.person_key} (PGY-{row.group})" if row.group != FACULTY_GROUP else row.person_key
        )
        table.add_row(label, *(_cell(row, day) for day in week))
    return table


def _cell(row: GridRow, day: date) -> str:
    am, pm = row.cells.get(day, ("", ""))
    text = f"{am or '-'}/{pm or '-'}"
    return text + ("*" if day in row.calls else "")


@schedule_app.command("duty")
def duty(
    block: int = typer.Option(..., min=1, max=13, help="Block number (1-13)."),
    csv: Path = typer.Option(..., "--csv", help="Where to write the duty periods CSV."),
    academic_year: int | None = typer.Option(None, help="Academic year (default: current)."),
    run: int | None = typer.Option(None, "--run", help="A run's draft instead of the published."),
) -> None:
    """Write the block's duty periods (person_id,pgy,start,end,kind) for the checker."""
    from residency.compliance.csv_io import write_duty_csv
    from residency.scheduling.block.duty import duty_periods_for_block

    year = academic_year_or_default(academic_year)
    with unit_of_work() as session:
        version = version_of(session, run, RunKind.BLOCK_SCHEDULE, year, block)
        periods = duty_periods_for_block(session, year, block, version)
    write_duty_csv(periods, csv)
    console.print(f"Wrote {csv}: {len(periods)} duty periods of block {block} ({year})")
