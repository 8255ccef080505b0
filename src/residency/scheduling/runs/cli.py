"""`residency runs list|show|diff|publish|cancel`: the runs, their draft versions, publishing,
and stopping a run."""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from typing import Any

import typer
from rich.table import Table

from residency.console import console
from residency.db import unit_of_work
from residency.errors import InputError
from residency.scheduling.engine.progress import Progress as SolveProgress
from residency.scheduling.models import LIVE_STATUSES, RunKind, RunStatus
from residency.scheduling.runs.bar import describe
from residency.scheduling.runs.diff import diff_run
from residency.scheduling.runs.lifecycle import cancel_run
from residency.scheduling.runs.report import run_detail, runs_listing
from residency.scheduling.runs.versions import describe_run, describe_scope, get_run, publish

app = typer.Typer(help="Schedule runs: list, inspect, compare and publish.", no_args_is_help=True)


class KindChoice(StrEnum):
    block = "block"
    annual = "annual"


KINDS = {KindChoice.block: RunKind.BLOCK_SCHEDULE, KindChoice.annual: RunKind.ANNUAL_PLAN}


def first_feasible_option(what: str) -> Any:
    """`--first-feasible` of `generate` and `plan year`: `what` is the plan or the schedule."""
    return typer.Option(
        False,
        "--first-feasible",
        help=f"Stop at the first {what} that keeps every hard rule (a quick draft; the soft "
        "rules are not optimised).",
    )


def publish_option(what: str) -> Any:
    return typer.Option(
        False, "--publish", help=f"Publish the new {what} at once (else it stays a draft)."
    )


def publish_run(run_id: int) -> None:
    with unit_of_work() as session:
        publish(session, run_id)


def publish_hint(run_id: int, published: bool) -> str:
    if published:
        return f"Published run {run_id}: it is now the schedule everyone sees."
    return f"Saved as a draft (run {run_id}); publish it with `residency runs publish {run_id}`."


@app.command("list")
def list_runs(
    kind: KindChoice | None = typer.Option(None, help="Only block or annual runs."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Every run, newest first, with its status and whether it is published."""
    with unit_of_work() as session:
        found = runs_listing(session, None if kind is None else KINDS[kind])
    if as_json:
        sys.stdout.write(json.dumps(found, indent=2) + "\n")
        return
    table = Table(title=f"{len(found)} runs", show_edge=False)
    for column in ("run", "scope", "status", "published", "started (UTC)", "result"):
        table.add_column(column)
    for r in found:
        scope = describe_scope(r["kind"], r["academic_year"], r["block_number"])
        table.add_row(
            str(r["id"]),
            scope,
            r["status"],
            "yes" if r["published"] else "",
            r["started_at"][:16].replace("T", " "),
            r["summary"],
        )
    console.print(table)


@app.command("show")
def show_run(
    run_id: int = typer.Argument(..., metavar="RUN", help="Run id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One run: scope, status, parameters, and the result it recorded."""
    with unit_of_work() as session:
        found = run_detail(session, run_id)
    if as_json:
        sys.stdout.write(json.dumps(found, indent=2, default=str) + "\n")
        return
    scope = describe_scope(found["kind"], found["academic_year"], found["block_number"])
    console.print(
        f"Run {run_id}: {scope}, {found['status']}"
        + (" (published)" if found["published"] else " (draft)" if _has(found) else ""),
        markup=False,
    )
    for key in ("started_at", "finished_at", "heartbeat_at", "base_run_id", "parameters"):
        console.print(f"  {key}: {found[key]}", markup=False)
    metrics = found["metrics"]
    for key in ("solver_status", "objective", "best_bound", "gap", "wall_s", "penalties"):
        if key in metrics:
            console.print(f"  {key}: {metrics[key]}", markup=False)
    if found["solver"]:
        latest = {k: v for k, v in found["solver"].items() if k != "found_at"}
        console.print(f"  progress: {describe(SolveProgress(**latest))}", markup=False)
    if found["cancel_requested_at"]:
        console.print(f"  cancel requested at: {found['cancel_requested_at']}", markup=False)
    if found["message"]:
        console.print(f"  message: {found['message']}", markup=False)


def _has(found: dict[str, Any]) -> bool:
    return bool(found["metrics"].get("has_schedule"))


@app.command("diff")
def diff(
    run_id: int = typer.Argument(..., metavar="RUN", help="Run id."),
    against: str = typer.Option(
        "published", help="'published' (default) or another run of the same block or year."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """What publishing the run would change: one line per change, counts per person."""
    other = None if against == "published" else _run_id(against)
    with unit_of_work() as session:
        found = diff_run(session, run_id, other)
    if as_json:
        sys.stdout.write(json.dumps(found.as_json(), indent=2) + "\n")
        return
    console.print(
        f"{found.new_label} against {found.old_label}: {len(found.changes)} changes", markup=False
    )
    for c in found.changes:
        console.print(f"  {c.person} {c.when}: {c.old} -> {c.new}", markup=False)
    for person, count in found.per_person().items():
        console.print(f"  {person}: {count} change{'s' if count != 1 else ''}", markup=False)


@app.command("cancel")
def cancel_command(
    run_id: int = typer.Argument(..., metavar="RUN", help="Run id."),
    wait: bool = typer.Option(False, "--wait", help="Wait until the run has stopped."),
) -> None:
    """Stop a queued or running run, wherever it is solved. A schedule found by then is kept
    as a draft; a run that has ended is refused."""
    with unit_of_work() as session:
        status = cancel_run(session, run_id).status
    if status == RunStatus.RUNNING:
        console.print(f"Run {run_id}: cancel requested; its solver stops within a second.")
    if wait:
        status = _wait_for_end(run_id)
    if status != RunStatus.RUNNING:
        with unit_of_work() as session:
            run = get_run(session, run_id)
            console.print(f"Run {run_id}: {run.status.value}; {run.message}", markup=False)


def _wait_for_end(run_id: int, poll_s: float = 0.5) -> RunStatus:
    while True:
        with unit_of_work() as session:
            status = get_run(session, run_id).status
        if status not in LIVE_STATUSES:
            return status
        time.sleep(poll_s)


def _run_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InputError(f"--against: {text!r} is neither 'published' nor a run id") from None


@app.command("publish")
def publish_command(
    run_id: int = typer.Argument(..., metavar="RUN", help="Run id."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
    force: bool = typer.Option(
        False, "--force", help="Publish even though the published version changed since."
    ),
) -> None:
    """Make the run's version the published schedule of its block or year (kept history)."""
    if not yes:
        with unit_of_work() as session:
            scope = describe_run(get_run(session, run_id))
        typer.confirm(f"Publish run {run_id} as {scope}?", abort=True)
    with unit_of_work() as session:
        result = publish(session, run_id, force=force)
        scope = describe_run(get_run(session, run_id))
    replaced = f"run {result.previous_run_id}" if result.previous_run_id else "nothing"
    console.print(
        f"Published run {run_id} as {scope} (revision {result.revision}; it replaces "
        f"{replaced}{', forced' if result.forced else ''}).",
        markup=False,
    )
