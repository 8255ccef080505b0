"""The CLI's view of a solve while it runs: a Rich progress bar over the time limit, with the
stage, the objective and the gap of the latest improving solution. Drawn on stderr, and only
on a terminal: `--json` output and logs stay clean."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from residency.console import err_console
from residency.scheduling.engine.progress import Progress as SolveProgress


def describe(progress: SolveProgress) -> str:
    if progress.objective is None:
        found = "no schedule yet"
        if progress.bound is not None:
            found += f", bound {progress.bound:g}"
    else:
        found = f"objective {progress.objective:g}"
        if progress.gap is not None:
            found += f", gap {100 * progress.gap:.1f} %"
    return f"{progress.stage}: {found}"


@contextmanager
def solve_bar(
    time_limit_s: float, console: Console = err_console
) -> Iterator[Callable[[SolveProgress], None]]:
    """A listener for `execute_run` that moves the bar; the bar goes when the solve ends."""
    if not console.is_terminal:
        yield lambda progress: None
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = bar.add_task("solving: starting", total=time_limit_s)

    def moved(progress: SolveProgress) -> None:
        bar.update(
            task, completed=min(progress.elapsed_s, time_limit_s), description=describe(progress)
        )

    with bar:
        yield moved
