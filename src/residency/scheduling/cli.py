"""`residency constraints list|verify`, and the scheduling commands of every level mounted."""

from __future__ import annotations

import json
import sys

import click
import typer
from rich.table import Table

from residency.console import console
from residency.scheduling import preflight

constraints_app = typer.Typer(
    help="The solver's constraint registry: list it, verify it (pre-flight).",
    no_args_is_help=True,
)


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


def register(app: typer.Typer) -> None:
    from residency.scheduling.annual import cli as annual_cli
    from residency.scheduling.block import cli as block_cli
    from residency.scheduling.block import edit_cli
    from residency.scheduling.runs import cli as runs_cli

    app.command("generate")(block_cli.generate)
    app.add_typer(annual_cli.app, name="plan")
    app.add_typer(runs_cli.app, name="runs")
    app.add_typer(constraints_app, name="constraints")
    edit_cli.register(block_cli.schedule_app)
    app.add_typer(block_cli.schedule_app, name="schedule")
