"""What the program-data forms share: the form's text as a body for the API's own model (so a
bad value gets the API's message), and a domain error placed next to the form field it names."""

from __future__ import annotations

from collections.abc import Collection

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from residency.errors import InputError, ResidencyError
from residency.web.errors import validation_message


def body_error(invalid: ValidationError) -> InputError:
    """The API's message for a body its model refuses (web/errors.py validation_message), with
    the value that was typed."""
    first = invalid.errors()[0]
    field, message = validation_message(RequestValidationError([first]))
    if "input" in first and isinstance(first["input"], str | int | float):
        message = f"{message} (got {first['input']!r})"
    return InputError(message, field=field)


def number_or_text(text: str) -> int | str:
    """A whole number as a number; anything else as typed, for the model to refuse by name."""
    cleaned = text.strip()
    try:
        return int(cleaned)
    except ValueError:
        return cleaned


def placed(error: ResidencyError, fields: Collection[str]) -> tuple[dict[str, str], str]:
    """(errors by form field, problem for the top of the form): the error goes next to the field
    it names or the nearest one enclosing it (`eligible_pgy.2` -> `eligible_pgy`), else on top."""
    name = error.field or ""
    while name:
        if name in fields:
            return {name: str(error)}, ""
        name = name.rpartition(".")[0]
    return {}, str(error)


async def posted_form(request: Request) -> dict[str, str]:
    """The POSTed form's text fields by name (a dependency: the routes are sync, and forms with
    a field per academic year or weekday have names no Form() parameter can declare). Starlette
    keeps the form parsed by the CSRF check, so it is read once."""
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


def typed(form: dict[str, str], fields: Collection[str]) -> dict[str, str]:
    """Each field's text as typed ("" when absent), to show again."""
    return {name: form.get(name, "") for name in fields}
