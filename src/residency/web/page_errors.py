"""The web pages' answers to failures: an HTML page with the status and a sentence, where the
API answers its JSON error shape (residency/web/errors.py, unchanged for /api). The same
exceptions map to the same statuses; a bug shows its incident id, never a traceback.

A page that needs sign-in raises PageRedirect (web/page_deps.py), answered here with 303."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from residency.errors import ResidencyError
from residency.web import errors
from residency.web.page_deps import PageForbidden, PageRedirect, see_other
from residency.web.paths import is_page
from residency.web.templating import render

Handler = Callable[[Request, Exception], Response]
HTTP_SENTENCES = {
    404: "There is no page at this address.",
    405: "This page does not take that kind of request.",
}


def error_page(request: Request, exc: Exception) -> Response:
    """The HTML answer to whatever a page route raised."""
    who = exc.who if isinstance(exc, PageForbidden) else None
    if isinstance(exc, ResidencyError):
        status = errors.status_of(exc)[0]
        message = " ".join(str(exc).split())
    elif isinstance(exc, HTTPException):
        status = exc.status_code
        message = HTTP_SENTENCES.get(status, str(exc.detail))
    elif isinstance(exc, RequestValidationError):
        status, message = 422, errors.validation_message(exc)[1]  # e.g. ?year=abc
    else:
        status = 500
        incident = errors.log_incident(exc)
        message = f"Something went wrong on our side (incident {incident}); it is in the log."
    title = HTTPStatus(status).phrase
    return render(request, "error.html", who, status=status, title=title, message=message)


def _page_or_api(api_handler: Handler) -> Handler:
    def handler(request: Request, exc: Exception) -> Response:
        if is_page(request.url.path):
            return error_page(request, exc)
        return api_handler(request, exc)

    return handler


def _redirect(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageRedirect)
    return see_other(exc.location)


def install(app: FastAPI) -> None:
    """Every failure's handler: the API's JSON (errors.HANDLERS) for /api, HTML for pages."""
    for kind, api_handler in errors.HANDLERS:
        app.add_exception_handler(kind, _page_or_api(api_handler))
    app.add_exception_handler(PageRedirect, _redirect)
