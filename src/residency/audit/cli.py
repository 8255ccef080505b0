"""`residency audit list`: who changed what, and when, newest first."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, time
from typing import Any

import typer
from rich.table import Table

from residency import clock
from residency.audit.service import DEFAULT_LIMIT, MAX_LIMIT, AuditFilter, event_json, list_events
from residency.console import console
from residency.db import unit_of_work
from residency.errors import InputError

app = typer.Typer(help="The audit log: every change, who made it and when.", no_args_is_help=True)
CHANGE_WIDTH = 60  # characters of the change's JSON shown in the table; --json shows it whole


def parse_moment(option: str, text: str | None, *, end_of_day: bool = False) -> datetime | None:
    """An ISO date (the whole day: --since from its start, --until to its end) or date-time;
    without an offset it is UTC."""
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=UTC)
    try:
        return clock.aware(datetime.fromisoformat(text))
    except ValueError:
        raise InputError(
            f"{option}: {text!r} is not an ISO date or date-time "
            "(e.g. 2026-03-10, 2026-03-10T14:30 or 2026-03-10T14:30+02:00)"
        ) from None


@app.command("list")
def list_command(
    entity: str | None = typer.Option(None, help="Only this kind of thing, e.g. schedule_run."),
    entity_id: str | None = typer.Option(None, "--entity-id", help="Only this one (its id)."),
    person: str | None = typer.Option(None, "--person", help="Only changes about this person."),
    user: str | None = typer.Option(
        None, "--user", help="Only changes by this user's e-mail or OS login."
    ),
    action: str | None = typer.Option(None, help="Only this action, e.g. run.publish."),
    since: str | None = typer.Option(None, help="From this ISO date or date-time (UTC)."),
    until: str | None = typer.Option(None, help="Up to this ISO date or date-time (UTC)."),
    limit: int = typer.Option(DEFAULT_LIMIT, min=1, max=MAX_LIMIT, help="At most this many."),
    before_id: int | None = typer.Option(
        None, "--before-id", help="Only events older than this one (the next page)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """Audit events, newest first; every option narrows the list."""
    wanted = AuditFilter(
        entity=entity,
        entity_id=entity_id,
        person_key=person,
        actor_name=user,
        action=action,
        since=parse_moment("--since", since),
        until=parse_moment("--until", until, end_of_day=True),
        limit=limit,
        before_id=before_id,
    )
    with unit_of_work() as session:
        found = [event_json(event) for event in list_events(session, wanted)]
    if as_json:
        sys.stdout.write(json.dumps(found, indent=2) + "\n")
        return
    console.print(events_table(found))


def events_table(events: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{len(events)} audit events, newest first", show_edge=False)
    for column in ("#", "when (UTC)", "who", "action", "entity", "person"):
        # The moment and the action stay whole on a narrow terminal; the change wraps.
        table.add_column(column, no_wrap=column in ("when (UTC)", "action"))
    table.add_column("change", max_width=CHANGE_WIDTH // 2, overflow="fold")
    for e in events:
        entity = e["entity"] if e["entity_id"] is None else f"{e['entity']} {e['entity_id']}"
        table.add_row(
            str(e["id"]),
            e["occurred_at"][:19].replace("T", " "),
            f"{e['actor_name']} ({e['actor_kind']})",
            e["action"],
            entity,
            e["person_key"] or "",
            _change(e),
        )
    return table


def _change(event: dict[str, Any]) -> str:
    change = event["after"] if event["after"] is not None else event["before"]
    shown = json.dumps(change, separators=(",", ":"))
    return shown if len(shown) <= CHANGE_WIDTH else shown[: CHANGE_WIDTH - 1] + "…"
