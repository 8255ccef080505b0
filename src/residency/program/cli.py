"""`residency program import|export`: the program description as one YAML file."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from residency.console import console
from residency.db import unit_of_work
from residency.program.export import export_program
from residency.program.files import read_program_file, write_program_file
from residency.program.service import ImportReport, import_program

app = typer.Typer(
    help="Import or export the whole program description (YAML).", no_args_is_help=True
)


def print_import_report(report: ImportReport, what: str) -> None:
    table = Table(title=what, show_edge=False)
    for column in ("", "created", "updated", "unchanged"):
        table.add_column(column, justify="left" if not column else "right")
    for name, counts in report.counts.items():
        table.add_row(name, str(counts.created), str(counts.updated), str(counts.unchanged))
    console.print(table)
    if not report.changed:
        console.print("Nothing new: the database already holds all of it; nothing was changed.")


@app.command("import")
def import_command(path: Path = typer.Argument(..., help="Program file (YAML).")) -> None:
    """Validate the whole file, then create or update every entry (nothing is written on error)."""
    document = read_program_file(path)
    with unit_of_work() as session:
        report = import_program(session, document)
    print_import_report(report, f"Imported {path}")


@app.command("export")
def export_command(path: Path = typer.Argument(..., help="Where to write the YAML file.")) -> None:
    """Write people, rotation templates, absences, fixed rotations and policy to one file."""
    with unit_of_work() as session:
        document = export_program(session)
    write_program_file(path, document)
    console.print(
        f"Wrote {path}: {len(document.residents)} residents, {len(document.faculty)} faculty, "
        f"{len(document.rotations)} rotation templates, {len(document.absences)} absences"
    )
