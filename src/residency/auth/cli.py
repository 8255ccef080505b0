"""`residency admin create` and `residency users create`: accounts straight in the database,
for the first administrator and for scripts. (There is no open registration.)"""

from __future__ import annotations

import sys

import typer

from residency.auth import service
from residency.auth.models import Role
from residency.console import console
from residency.db import unit_of_work
from residency.errors import InputError

admin_app = typer.Typer(help="Administrator accounts.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)


def _password_from_stdin() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise InputError("--password-stdin: no password on standard input", field="password")
    return password


@admin_app.command("create")
def create_admin(
    email: str = typer.Option(..., help="The administrator's e-mail (the login name)."),
    name: str = typer.Option("", help="Their name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input (one line)."
    ),
) -> None:
    """Create an administrator. Without --password-stdin, prints a one-time password that must
    be changed at first login."""
    password = _password_from_stdin() if password_stdin else None
    with unit_of_work() as session:
        temporary = service.create_admin(session, email, name, password)
    console.print(f"administrator {service.normalised_email(email)} created", markup=False)
    if temporary is not None:
        console.print(f"one-time password (change it at first login): {temporary}", markup=False)


@users_app.command("create")
def create_user(
    email: str = typer.Option(..., help="The user's e-mail (the login name)."),
    role: Role = typer.Option(..., help="admin, coordinator, faculty or resident."),
    person: str | None = typer.Option(
        None, "--person", help="The person's key (residents and faculty)."
    ),
    name: str = typer.Option("", help="Their name (default: the person's)."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input (one line)."
    ),
) -> None:
    """Create a user. Without --password-stdin, prints a one-time set-password token."""
    password = _password_from_stdin() if password_stdin else None
    new = service.NewUser(email, role, name, person, password)
    with unit_of_work() as session:
        created = service.create_user(session, new)
    console.print(f"{role.value} {service.normalised_email(email)} created", markup=False)
    if created.set_password_token is not None:
        console.print(
            f"set-password token (POST /api/v1/auth/set-password): {created.set_password_token}",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    app.add_typer(admin_app, name="admin")
    app.add_typer(users_app, name="users")
