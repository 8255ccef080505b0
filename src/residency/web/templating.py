"""Rendering pages: the Jinja2 environment over templates/, `render()` with what every page
needs (who is signed in, their navigation, the CSRF token, a flash message), and the static
assets under static/, served at /static with content-hashed addresses cached for a year.

Templates get `csrf_field()` (the hidden field every form carries) and `static_url(name)`;
forms.html has the macros for labelled fields with their error next to them."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.staticfiles import StaticFiles

from residency.auth.tokens import Principal
from residency.web import csrf
from residency.web.navigation import nav_for

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/static"
YEAR_S = 365 * 24 * 3600

FLASH_COOKIE = "residency_flash"
# A flash cookie names one of these, never carries text: a forged cookie can show nothing else.
FLASHES = {
    "signed_out": "You are signed out.",
    "password_changed": "Your password is changed. Every other session of the account ended.",
    "password_set": "Your password is set; sign in.",
    "cell_saved": "The cell is saved.",
    "cell_overridden": "The cell is saved against the rules, with your override reason.",
    "run_cancel_requested": "Cancel requested: the run stops at the solver's next check.",
    "run_published": "The run's version is published.",
    "account_saved": "The account is saved.",
    "program_imported": "The program file is imported.",
    "program_unchanged": "The database already held all of the program file: nothing changed.",
    # program data (people/pages.py, absences/pages.py, rotations/pages.py)
    "person_saved": "The person is saved.",
    "person_deactivated": "The person is deactivated: left out of scheduling from now on.",
    "person_reactivated": "The person is active again.",
    "absence_saved": "The absence is saved.",
    "absence_deleted": "The absence is deleted.",
    "rotation_saved": "The rotation template is saved.",
    "rotation_deactivated": "The rotation template is deactivated: left out of new schedules.",
    "rotation_reactivated": "The rotation template is active again.",
    # curriculum and staffing rules (program/rules_pages.py)
    "requirement_saved": "The curriculum requirement is saved.",
    "requirement_deleted": "The curriculum requirement is deleted.",
    "staffing_saved": "The staffing rule is saved.",
    "staffing_deleted": "The staffing rule is deleted.",
}


@pass_context
def csrf_field(context: Context) -> Markup:
    token = context.get("csrf_token") or ""
    return Markup(f'<input type="hidden" name="{csrf.FIELD}" value="{escape(token)}">')


@lru_cache(maxsize=64)
def static_url(name: str) -> str:
    """The asset's address with its content's hash, so a year's caching never serves an old
    copy after an upgrade."""
    content = (STATIC_DIR / name).read_bytes()  # a missing asset fails the page's test
    return f"{STATIC_PREFIX}/{name}?v={hashlib.sha256(content).hexdigest()[:12]}"


environment = Environment(
    loader=PackageLoader("residency.web", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a misspelt variable fails the page's test, not silently
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals.update(csrf_field=csrf_field, static_url=static_url)


def render(
    request: Request,
    template: str,
    who: Principal | None,
    *,
    status: int = 200,
    csrf_token: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """The page, with `who` (None: nobody signed in) and the form token: the session's unless
    the page passes its own (the sign-in form)."""
    flash_key = request.cookies.get(FLASH_COOKIE)
    page = environment.get_template(template).render(
        who=who,
        nav=nav_for(who) if who and not who.must_change_password else [],
        current_path=request.url.path,
        csrf_token=csrf_token or csrf.session_token(request) or "",
        flash=FLASHES.get(flash_key or ""),
        **context,
    )
    response = HTMLResponse(page, status_code=status)
    if flash_key is not None:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def render_refusal(path: str, status: int, message: str) -> bytes:
    """The error page for a request refused before it reached a route (a body too large, a
    query parameter given twice): nobody is known yet, so no navigation and no form."""
    return (
        environment.get_template("error.html")
        .render(
            who=None,
            nav=[],
            current_path=path,
            csrf_token="",
            flash=None,
            title=HTTPStatus(status).phrase,
            message=message,
        )
        .encode()
    )


def flash(response: Response, key: str) -> None:
    """Show FLASHES[key] on the next page rendered (after a redirect)."""
    assert key in FLASHES, key
    response.set_cookie(FLASH_COOKIE, key, max_age=60, path="/", httponly=True, samesite="lax")


class LongCachedStatic(StaticFiles):
    """Our own CSS, icons and scripts; addresses from static_url() change with the content."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["cache-control"] = f"public, max-age={YEAR_S}, immutable"
        return response


def static_files() -> LongCachedStatic:
    return LongCachedStatic(directory=STATIC_DIR)
