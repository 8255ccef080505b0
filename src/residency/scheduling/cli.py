"""`residency constraints list|verify`, and the scheduling commands of every level mounted."""

from __future__ import annotations

import json
import sys

import typer
from rich.table import Table

from residency.console import console
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.verify import deep_verify, verify

constraints_app = typer.Typer(
    help="The solver's constraint registry: list it, verify it (pre-flight).",
    no_args_is_help=True,
)


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


def register(app: typer.Typer) -> None:
    from residency.scheduling.annual import cli as annual_cli
    from residency.scheduling.block import cli as block_cli
    from residency.scheduling.runs import cli as runs_cli

    app.command("generate")(block_cli.generate)
    app.add_typer(annual_cli.app, name="plan")
    app.add_typer(runs_cli.app, name="runs")
    app.add_typer(constraints_app, name="constraints")
    app.add_typer(block_cli.schedule_app, name="schedule")
