"""Operations commands: schema migrations and status, seeding, and the demo job."""

from __future__ import annotations

import json

import typer

from residency.console import console
from residency.db import check_reachable, get_engine, unit_of_work
from residency.ops import migrations
from residency.ops.demo_accounts import ensure_demo_accounts, print_sign_in
from residency.ops.summary import program_summary
from residency.program.cli import print_import_report
from residency.program.demo import DEMO_YEAR, demo_program
from residency.program.service import import_program
from residency.web.cli import SERVE_ADDRESS

db_app = typer.Typer(help="Database schema: migrate and check the version.", no_args_is_help=True)
seed_app = typer.Typer(help="Write data straight to the database (no HTTP).", no_args_is_help=True)
DEMO_BLOCK = 10


@db_app.command("upgrade")
def upgrade(revision: str = typer.Option("head", help="Target revision.")) -> None:
    """Migrate the database to the code's schema (records the revision and the time)."""
    engine = get_engine()
    check_reachable(engine)
    before = migrations.database_revision(engine)
    migrations.upgrade(engine, revision)
    after = migrations.database_revision(engine)
    console.print(f"database schema: {before or 'empty'} -> {after}")


@db_app.command("downgrade")
def downgrade(revision: str = typer.Argument(..., help="Target revision, or 'base'.")) -> None:
    """Migrate the database back to an older revision."""
    engine = get_engine()
    check_reachable(engine)
    before = migrations.database_revision(engine)
    migrations.downgrade(engine, revision)
    console.print(f"database schema: {before} -> {migrations.database_revision(engine) or 'empty'}")


@db_app.command("status")
def status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Current revision, code head and schema timestamp; exits 3 unless they match."""
    engine = get_engine()
    check_reachable(engine)
    found = migrations.schema_status(engine)
    if as_json:
        print(json.dumps(found.as_json(), indent=2))
    else:
        stamp = found.schema_updated_at.isoformat() if found.schema_updated_at else "never"
        console.print(f"database:          {found.database_url}")
        console.print(f"current revision:  {found.current_revision or '(empty database)'}")
        console.print(f"code head:         {found.code_head}")
        console.print(f"schema updated at: {stamp}")
        console.print(f"up to date:        {'yes' if found.up_to_date else 'no'}")
        if not found.up_to_date:
            console.print(migrations.mismatch_message(found))
    if not found.up_to_date:
        raise typer.Exit(3)


@seed_app.command("demo")
def seed_demo() -> None:
    """Create the demo family-medicine program (running it again creates nothing new)."""
    with unit_of_work() as session:
        report = import_program(session, demo_program())
    print_import_report(report, "Demo program")


def demo() -> None:
    """The main job: migrate, seed the demo program, summarise it, generate Block 10,
    re-check it with the ACGME checker, and make the web app's demo accounts."""
    engine = get_engine()
    check_reachable(engine)
    migrations.upgrade(engine)
    with unit_of_work(engine) as session:
        report = import_program(session, demo_program())
        summary = program_summary(session, DEMO_YEAR, DEMO_BLOCK)
    print_import_report(report, "Demo program")
    console.print(
        f"\n[bold]{summary.people} people[/bold] ({summary.residents} residents, "
        f"{summary.faculty} faculty), "
        f"[bold]{summary.rotation_templates} rotation templates[/bold], "
        f"[bold]{summary.half_days} half-days[/bold] in academic year "
        f"{summary.academic_year}-{summary.academic_year + 1}, {summary.absences} absences."
    )
    console.print(
        f"Block {summary.block_number}: {summary.block_start.isoformat()} to "
        f"{summary.block_end.isoformat()}"
    )
    from residency.ops.demo import demo_block  # the solver is imported only when needed

    demo_block(engine, DEMO_YEAR, DEMO_BLOCK, console)
    with unit_of_work(engine) as session:
        accounts = ensure_demo_accounts(session)
    print_sign_in(accounts, SERVE_ADDRESS, console)


def register(app: typer.Typer) -> None:
    from residency.ops import backup_cli

    app.add_typer(db_app, name="db")
    app.add_typer(seed_app, name="seed")
    app.command("demo")(demo)
    backup_cli.register(app)
