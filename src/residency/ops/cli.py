"""Operations commands: database migrations and status, seeding, the demo job."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
