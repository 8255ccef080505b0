"""`residency schedule edit|edit-call`: change one half-day cell or one call night by hand,
checked before it is saved (`block/edits.py`)."""

from __future__ import annotations

import json
import sys
from datetime import date

import typer

from residency.console import console
from residency.db import unit_of_work
from residency.errors import InputError
from residency.scheduling.block.cli import academic_year_or_default
from residency.scheduling.block.edits import CallEdit, EditResult, SlotEdit, edit_call, edit_slot

BLOCK = typer.Option(..., min=1, max=13, help="Block number (1-13).")
YEAR = typer.Option(None, help="Academic year (default: current).")
RUN = typer.Option(None, "--run", help="Edit this run's draft instead of the published version.")
DAY = typer.Option(..., "--day", help="The day (YYYY-MM-DD).")
CLEAR = typer.Option(False, "--clear", help="Empty it instead.")
REASON = typer.Option(
    None,
    "--override-reason",
    help="Keep the edit even if it breaks hard rules, as a recorded exception (why).",
)
AS_JSON = typer.Option(False, "--json", help="Print the result as JSON.")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--day: {text!r} is not a date (YYYY-MM-DD)") from None


def _one_of(value: str | None, clear: bool, option: str) -> str | None:
    if (value is not None) != clear:
        return value
    raise InputError(f"{option}: give either {option} or --clear, not both or neither")


def edit(
    block: int = BLOCK,
    academic_year: int | None = YEAR,
    run: int | None = RUN,
    person: str = typer.Option(..., "--person", help="The person's key."),
    day: str = DAY,
    session: str = typer.Option(..., "--session", help="AM or PM."),
    rotation: str | None = typer.Option(None, "--rotation", help="Rotation abbreviation."),
    clear: bool = CLEAR,
    override_reason: str | None = REASON,
    as_json: bool = AS_JSON,
) -> None:
    """Put a person on a rotation for one half-day (or clear it), if no hard rule breaks."""
    wanted = _one_of(rotation, clear, "--rotation")
    year = academic_year_or_default(academic_year)
    request = SlotEdit(
        year, block, person, _day(day), session.upper(), wanted, run, override_reason
    )
    with unit_of_work() as db:
        result = edit_slot(db, request)
    _print(result, as_json)


def edit_night(
    block: int = BLOCK,
    academic_year: int | None = YEAR,
    run: int | None = RUN,
    day: str = DAY,
    call_type: str = typer.Option(..., "--call-type", help="in_house, weekend, home or backup."),
    person: str | None = typer.Option(None, "--person", help="Who takes the call (key)."),
    clear: bool = CLEAR,
    replacing: str | None = typer.Option(
        None, "--replacing", help="Whose call changes, when several are on call that night."
    ),
    override_reason: str | None = REASON,
    as_json: bool = AS_JSON,
) -> None:
    """Put a person on one night's call (or remove it), if no hard rule breaks."""
    wanted = _one_of(person, clear, "--person")
    year = academic_year_or_default(academic_year)
    night = _day(day)
    request = CallEdit(year, block, night, call_type, wanted, run, override_reason, replacing)
    with unit_of_work() as db:
        result = edit_call(db, request)
    _print(result, as_json)


def _print(result: EditResult, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(result.as_json(), indent=2) + "\n")
        return
    which = "published version" if result.published else f"draft of run {result.run_id}"
    console.print(f"Saved in the {which}: {_cell(result)}", markup=False)
    for finding in result.findings:
        still = " (still listed as broken)" if finding in result.still_broken else ""
        console.print(f"- override of {finding}{still}", markup=False)
    if result.revision is not None:
        console.print(f"The published version is now revision {result.revision}.")


def _cell(result: EditResult) -> str:
    before, after = result.change.before, result.change.after
    return f"{_values(before)} -> {_values(after)}"


def _values(row: dict[str, object] | None) -> str:
    if row is None:
        return "-"
    what = row.get("rotation") or f"{row.get('call_type')} call"
    return f"{row['person_key']} {row['day']} {row.get('session', 'night')} {what}"


def register(schedule_app: typer.Typer) -> None:
    schedule_app.command("edit")(edit)
    schedule_app.command("edit-call")(edit_night)
