"""The `residency` command: mounts each domain's commands and turns errors into one line."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

import click
import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from residency.config import get_settings
from residency.console import err_console
from residency.errors import INTERNAL_ERROR_EXIT, EnvironmentProblem, ResidencyError

app = typer.Typer(
    name="residency",
    help="Build and check ACGME-compliant schedules for a residency program.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _mount_domains() -> None:
    # Imported here so that `residency --help` stays fast and each domain owns its commands.
    from residency.audit import cli as audit_cli
    from residency.auth import cli as auth_cli
    from residency.compliance import cli as compliance_cli
    from residency.ops import cli as ops_cli
    from residency.program import cli as program_cli
    from residency.scheduling import cli as scheduling_cli
    from residency.web import cli as web_cli

    ops_cli.register(app)
    app.add_typer(program_cli.app, name="program")
    app.add_typer(compliance_cli.app, name="compliance")
    scheduling_cli.register(app)
    auth_cli.register(app)
    web_cli.register(app)
    app.add_typer(audit_cli.app, name="audit")


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def _debug_requested() -> bool:
    """RESIDENCY_DEBUG through the settings, so a .env file counts as the README says."""
    try:
        return get_settings().debug
    except Exception:  # the broken configuration may be the error being reported
        return os.environ.get("RESIDENCY_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: returns the exit code instead of raising, so tests call it directly."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=args, prog_name="residency", standalone_mode=False)
    except ResidencyError as exc:
        err_console.print(f"error: {_one_line(str(exc))}", markup=False)
        return exc.exit_code
    except OperationalError as exc:
        problem = EnvironmentProblem(f"database unavailable: {_one_line(str(exc.orig))}")
        err_console.print(f"error: {problem}", markup=False)
        return problem.exit_code
    except click.exceptions.ClickException as exc:
        err_console.print(f"error: {_one_line(exc.format_message())}", markup=False)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        err_console.print("aborted", markup=False)
        return 1
    except (SQLAlchemyError, Exception) as exc:  # a bug: one line, traceback only on request
        if _debug_requested():
            traceback.print_exc()
        err_console.print(
            f"internal error: {type(exc).__name__}: {_one_line(str(exc))} "
            "(set RESIDENCY_DEBUG=1 to see the traceback)",
            markup=False,
        )
        return INTERNAL_ERROR_EXIT
    return result if isinstance(result, int) else 0


def run() -> None:
    sys.exit(main())


_mount_domains()
