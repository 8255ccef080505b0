"""`residency generate`, `residency constraints list|verify` and `residency schedule duty`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
import typer
from rich.console import Console
from rich.table import Table

from residency.calendar.service import default_academic_year
from residency.console import console
from residency.db import unit_of_work
from residency.scheduling import preflight
from residency.scheduling.models import RunStatus
from residency.scheduling.service import GenerateRequest, GenerateResult

constraints_app = typer.Typer(
    help="The solver's constraint registry: list it, verify it (pre-flight).",
    no_args_is_help=True,
)
schedule_app = typer.Typer(help="Read the stored block schedule.", no_args_is_help=True)


def _year(academic_year: int | None) -> int:
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
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Generate a block's schedule, save it in one transaction and re-check it (ACGME)."""
    from residency.scheduling.service import generate_block

    request = GenerateRequest(
        _year(academic_year), block, time_limit, workers, seed, minimal_change
    )
    result = generate_block(request)
    if as_json:
        sys.stdout.write(json.dumps(result.as_json(), indent=2, default=str) + "\n")
    else:
        print_summary(result, request.academic_year, request.block, console)
    if result.run_status != RunStatus.SUCCEEDED:
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


LEVEL_OPTION = typer.Option(
    None,
    "--level",
    click_type=click.Choice(preflight.LEVELS),
    help="Only the annual-plan rules or only the block rules (default: both).",
)


def _levels(level: str | None) -> tuple[preflight.Level, ...]:
    return tuple(lv for lv in preflight.LEVELS if level in (None, lv))


@constraints_app.command("list")
def list_constraints(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    level: str | None = LEVEL_OPTION,
) -> None:
    """Every registered constraint of both levels: level, name, hard or soft, weight, reason."""
    described = [
        {"level": lv, **c.describe()} for lv in _levels(level) for c in preflight.registry(lv)
    ]
    if as_json:
        sys.stdout.write(json.dumps(described, indent=2) + "\n")
        return
    counts = ", ".join(f"{sum(c['level'] == lv for c in described)} {lv}" for lv in _levels(level))
    table = Table(title=f"{len(described)} constraints ({counts})", show_edge=False)
    for column in ("level", "name", "kind", "weight", "reason"):
        table.add_column(column)
    for c in described:
        weight = "" if c["weight"] is None else str(c["weight"])
        kind = "hard" if c["hard"] else "soft"
        table.add_row(str(c["level"]), str(c["name"]), kind, weight, str(c["reason"]))
    console.print(table)


@constraints_app.command("verify")
def verify_constraints(
    deep: bool = typer.Option(
        False, "--deep", help="Also solve each rule's micro-problem: it must change the answer."
    ),
    level: str | None = LEVEL_OPTION,
) -> None:
    """Compare each level's registry with its manifest; exit 1 naming anything missing or
    inert, and the level."""
    reports = [preflight.registry_report(lv, deep=deep) for lv in _levels(level)]
    for report in reports:
        console.print(report.line, markup=False)
    if not all(report.ok for report in reports):
        raise typer.Exit(1)


@schedule_app.command("duty")
def duty(
    block: int = typer.Option(..., min=1, max=13, help="Block number (1-13)."),
    csv: Path = typer.Option(..., "--csv", help="Where to write the duty periods CSV."),
    academic_year: int | None = typer.Option(None, help="Academic year (default: current)."),
) -> None:
    """Write the stored block's duty periods (person_id,pgy,start,end,kind) for the checker."""
    from residency.compliance.csv_io import write_duty_csv
    from residency.compliance.service import duty_periods_for_block

    year = _year(academic_year)
    with unit_of_work() as session:
        periods = duty_periods_for_block(session, year, block)
    write_duty_csv(periods, csv)
    console.print(f"Wrote {csv}: {len(periods)} duty periods of block {block} ({year})")


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)
    app.add_typer(constraints_app, name="constraints")
    app.add_typer(schedule_app, name="schedule")
