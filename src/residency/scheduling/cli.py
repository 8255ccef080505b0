"""`residency generate`, `residency constraints list|verify` and `residency schedule duty`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from residency.calendar.service import default_academic_year
from residency.console import console
from residency.db import unit_of_work
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.verify import deep_verify, verify
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


@constraints_app.command("list")
def list_constraints(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Every registered constraint: name, hard or soft, weight, reason."""
    described = [c.describe() for c in REGISTRY]
    if as_json:
        sys.stdout.write(json.dumps(described, indent=2) + "\n")
        return
    table = Table(title=f"{len(described)} constraints", show_edge=False)
    for column in ("name", "kind", "weight", "reason"):
        table.add_column(column)
    for c in described:
        weight = "" if c["weight"] is None else str(c["weight"])
        table.add_row(str(c["name"]), "hard" if c["hard"] else "soft", weight, str(c["reason"]))
    console.print(table)


@constraints_app.command("verify")
def verify_constraints(
    deep: bool = typer.Option(
        False, "--deep", help="Also solve each rule's micro-problem: it must change the answer."
    ),
) -> None:
    """Compare the registry with the manifest; exit 1 naming anything missing or inert."""
    report = verify(REGISTRY)
    problems = [
        f"{what}: {', '.join(names)}"
        for what, names in (
            ("missing", report.missing),
            ("duplicated", report.duplicated),
            ("unexpected", report.unexpected),
            ("wrong kind", report.wrong_kind),
        )
        if names
    ]
    if deep:
        inert = [f"{r.name} ({r.detail})" for r in deep_verify(REGISTRY) if not r.binds]
        if inert:
            problems.append(f"inert: {', '.join(inert)}")
    if problems:
        for line in problems:
            console.print(f"FAIL {line}", markup=False)
        raise typer.Exit(1)
    checked = "each binds on its micro-problem" if deep else "names and kinds match the manifest"
    console.print(f"OK: {len(REGISTRY)} constraints, {checked}")


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
