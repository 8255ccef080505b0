"""The demo's accounts, so `make demo` ends with a web app to sign in to: an administrator, a
coordinator and a resident, made through the auth service (no HTTP) only when missing, each
with a one-time password printed once, to be changed at first sign-in."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.auth import service
from residency.auth.models import Role, User

DEMO_RESIDENT = "res-pgy2-01"  # a person of the demo program (program/demo.py)
DEMO_ACCOUNTS: tuple[tuple[str, Role, str, str | None], ...] = (
    ("demo-admin@example.org", Role.ADMIN, "Demo Administrator", None),
    ("demo-coordinator@example.org", Role.COORDINATOR, "Demo Coordinator", None),
    ("demo-resident@example.org", Role.RESIDENT, "", DEMO_RESIDENT),
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    one_time_password: str | None  # None: made by an earlier run (its password was shown then)


def ensure_demo_accounts(session: Session) -> list[DemoAccount]:
    accounts = []
    for email, role, name, person_key in DEMO_ACCOUNTS:
        if session.scalar(select(User.id).where(User.email == email)) is not None:
            accounts.append(DemoAccount(email, role, None))
            continue
        password = service.one_time_password()
        new = service.NewUser(email, role, name, person_key, password, must_change_password=True)
        service.create_user(session, new)
        accounts.append(DemoAccount(email, role, password))
    return accounts


def print_sign_in(accounts: list[DemoAccount], address: str, console: Console) -> None:
    console.print(
        f"\nWeb app: start it with `residency serve` (in this checkout: .venv/bin/residency "
        f"serve), then open {address} and sign in as",
        markup=False,
    )
    width = max(len(account.email) for account in accounts)
    for account in accounts:
        said = (
            f"one-time password {account.one_time_password}"
            if account.one_time_password
            else "made by an earlier demo run, with the password printed then"
        )
        console.print(f"  {account.role.value:<12} {account.email:<{width}}  {said}", markup=False)
    if any(account.one_time_password for account in accounts):
        console.print(
            "Each one-time password is printed only this once and is changed at first sign-in.",
            markup=False,
        )
    else:
        console.print(
            "To start the demo over with new accounts, delete var/ and run `make demo` again.",
            markup=False,
        )
