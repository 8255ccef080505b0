"""`residency plan year`: the annual rotation plan (Level 1)."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from residency.console import console
from residency.db import unit_of_work
from residency.scheduling.annual.service import (
    AnnualPlanResult,
    claim_annual,
    no_plan_in_time,
    optimality,
)
from residency.scheduling.engine.results import SolveParams
from residency.scheduling.runs.bar import solve_bar
from residency.scheduling.runs.cli import (
    first_feasible_option,
    publish_hint,
    publish_option,
    publish_run,
)
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.modes import solve_mode

app = typer.Typer(help="Plan the year: one rotation per resident per block.", no_args_is_help=True)


@app.command("year")
def plan_year(
    academic_year: int = typer.Option(..., help="Academic year by its first calendar year."),
    time_limit: float = typer.Option(30.0, min=1, help="Solver time limit in seconds."),
    workers: int = typer.Option(8, min=1, help="CP-SAT search workers."),
    seed: int = typer.Option(0, help="Random seed, for reproducible plans."),
    minimal_change: bool = typer.Option(
        False,
        "--minimal-change",
        help="Repair the saved plan after a change (a new absence, a lock), moving as few "
        "half-blocks as possible, and list every move.",
    ),
    first_feasible: bool = first_feasible_option("plan"),
    publish: bool = publish_option("plan"),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Solve the year's rotation plan as a draft (people-made entries are kept)."""
    mode = solve_mode(minimal_change, first_feasible)
    params = SolveParams(time_limit_s=time_limit, workers=workers, seed=seed, mode=mode)
    result = plan_year_run(academic_year, params)
    has_plan = result.solution.has_plan
    assert result.run_id is not None
    published = has_plan and publish
    if published:
        publish_run(result.run_id)
    if as_json:
        print(json.dumps(result.as_json() | {"published": published}, indent=2))
    else:
        print_result(result, time_limit)
        if has_plan:
            console.print(publish_hint(result.run_id, published), markup=False)
    if not has_plan:
        raise typer.Exit(1)


def plan_year_run(academic_year: int, params: SolveParams) -> AnnualPlanResult:
    """Claim (committed), then execute the run: what every door does to plan a year."""
    with unit_of_work() as session:
        run_id = claim_annual(session, academic_year, params)
    with solve_bar(params.time_limit_s) as moved:
        result: AnnualPlanResult = execute_run(run_id, listener=moved).result
    return result


def print_result(result: AnnualPlanResult, time_limit_s: float) -> None:
    solution = result.solution
    if not solution.has_plan and solution.status != "INFEASIBLE":
        console.print(
            f"No plan for {result.academic_year}: {no_plan_in_time(solution, time_limit_s)} "
            "(--time-limit)."
        )
        return
    if not solution.has_plan:
        console.print(f"No plan for {result.academic_year}: the rules cannot all hold together.")
        for detail in solution.conflict_details or solution.conflicting:
            console.print(f"  - {detail}")
        return
    console.print(
        f"Plan for {result.academic_year}-{result.academic_year + 1} (run {result.run_id}): "
        f"objective {solution.objective:g}, {optimality(solution)}, "
        f"{solution.wall_s:.1f} s; {result.entries_saved} entries saved, "
        f"{result.kept_entries} people-made entries kept."
    )
    if solution.search:
        console.print("Search: " + "; ".join(solution.search) + ".")
    console.print(
        "Penalties: " + ", ".join(f"{name} {cost}" for name, cost in solution.penalties.items())
    )
    if result.changes is not None:
        console.print(f"{len(result.changes)} half-blocks moved:")
        for change in result.changes:
            console.print(f"  - {change}")
    # A year is 13 columns wide: give it room when the output goes to a file or a pipe.
    wide = console if console.is_terminal else Console(width=200, highlight=False)
    wide.print(plan_table(result.grid))


def plan_table(grid: dict[str, list[str]]) -> Table:
    table = Table(show_edge=False, pad_edge=False, padding=(0, 1))
    table.add_column("resident")
    for block in range(1, 14):
        table.add_column(str(block))
    for resident, halves in sorted(grid.items()):
        cells = [
            a if a == b else f"{a}/{b}" for a, b in zip(halves[0::2], halves[1::2], strict=True)
        ]
        table.add_row(resident, *cells)
    return table
