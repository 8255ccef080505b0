"""One JSON error shape for every failure of the API, mapped from the domain errors in one place:
{"error": {"code", "message", "field"}}. No response ever carries a stack trace."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException

from residency.errors import (
    EnvironmentProblem,
    Forbidden,
    InputError,
    NotFoundError,
    RefusedError,
    ResidencyError,
    SchemaMismatchError,
    TooManyAttempts,
    Unauthenticated,
)

log = logging.getLogger("residency.web")

# Most specific first: the first class an error is an instance of gives its status and code.
DOMAIN_ERRORS: tuple[tuple[type[ResidencyError], int, str], ...] = (
    (TooManyAttempts, 429, "too_many_attempts"),
    (SchemaMismatchError, 503, "schema_mismatch"),
    (Unauthenticated, 401, "unauthenticated"),
    (Forbidden, 403, "forbidden"),
    (NotFoundError, 404, "not_found"),
    (InputError, 422, "invalid_input"),
    (RefusedError, 409, "refused"),
    (EnvironmentProblem, 503, "unavailable"),
    (ResidencyError, 400, "error"),
)

LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})
HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}


def error_body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field, **extra}}


def error_response(
    status: int, code: str, message: str, field: str | None = None, **extra: Any
) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(code, message, field, **extra), status, headers=headers)


def _domain(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ResidencyError)
    status, code = status_of(exc)
    reasons = getattr(exc, "reasons", None)  # e.g. the rules a refused edit breaks
    extra = {"reasons": [str(reason) for reason in reasons]} if reasons else {}
    message = " ".join(str(exc).split())
    response = error_response(status, code, message, exc.field, **extra)
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after_s)
    return response


def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    field, message = validation_message(exc)
    return error_response(422, "invalid_input", message, field)


def validation_message(exc: RequestValidationError) -> tuple[str | None, str]:
    """The field the caller sent wrong and a sentence naming it (the first problem found)."""
    first = exc.errors()[0]
    # ("body", "email") is `email`, ("query", "kind") is `kind`: the name the caller sent.
    location = [str(part) for part in first.get("loc", ()) if part not in LOCATIONS]
    field = ".".join(location) or ("body" if tuple(first.get("loc", ())) == ("body",) else None)
    message = first.get("msg", "invalid input")
    if first.get("type") == "json_invalid":
        field, message = "body", "the request body is not valid JSON"
    elif first.get("type") == "extra_forbidden":
        message = "is not a field of this request"
    return field, f"{field}: {message}" if field else message


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    response = error_response(exc.status_code, code, str(exc.detail))
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(allowed_methods(request))
    return response


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (the router names only the first route's)."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        pattern = getattr(route.original_route, "path_regex", None)
        if pattern is not None and pattern.match(request.url.path):
            methods |= set(route.methods or ())
    return sorted(methods)


def log_incident(exc: Exception) -> str:
    """Logs a bug with its traceback under a new incident id, for the answer to name."""
    incident = uuid.uuid4().hex[:12]
    log.error("internal error %s: %s", incident, type(exc).__name__, exc_info=exc)
    return incident


def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    incident = log_incident(exc)
    return error_response(
        500, "internal", f"internal error (incident {incident}); the server log has the details"
    )


def status_of(exc: ResidencyError) -> tuple[int, str]:
    return next((s, c) for cls, s, c in DOMAIN_ERRORS if isinstance(exc, cls))


# Installed by residency/web/page_errors.py, which answers the web pages' failures with HTML.
HANDLERS: tuple[tuple[type[Exception], Callable[[Request, Exception], Response]], ...] = (
    (ResidencyError, _domain),
    (RequestValidationError, _validation),
    (HTTPException, _http),
    (Exception, _unexpected),
)
