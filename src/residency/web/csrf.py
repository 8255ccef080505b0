"""CSRF protection of the web pages' forms (docs/web.md, "Cookies and CSRF").

A browser attaches the session cookie to any request for this site, a forged one from another
site included, so every form POST must also carry a token that only a page of ours could have
put in it. The token is an HMAC with RESIDENCY_SECRET_KEY, so nothing is stored:

- signed in: the HMAC of the session cookie's value. The cookie is HttpOnly, so a page on
  another site can neither read it nor compute the token; it changes with every sign-in and
  dies with the session.
- a public form, before any session (sign in, set a password with a one-time token): a random
  value in a cookie of the form's own (HttpOnly, the form's path only) and, in the form, its
  HMAC for that form (a signed double-submit cookie). One form's token is no other's.

A POST without the token, with a wrong one, or that the browser says came from another site
(Sec-Fetch-Site: cross-site) is refused with 403 before the route runs, so nothing changes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request

from residency.errors import Forbidden
from residency.web.deps import COOKIE_NAME, SAFE_METHODS

FIELD = "csrf_token"  # the hidden field every form carries (templating.csrf_field)


@dataclass(frozen=True)
class PublicForm:
    """A form sent before any session: its cookie's name, the path the cookie is sent to (the
    form's page and its POST), and the purpose its token is signed for."""

    cookie: str
    path: str
    purpose: str


LOGIN_FORM = PublicForm("residency_login_csrf", "/login", "login")
SET_PASSWORD_FORM = PublicForm(
    "residency_set_password_csrf", "/account/set-password", "set-password"
)
LOGIN_COOKIE = LOGIN_FORM.cookie
REFUSAL = (
    "csrf_token: the form is out of date or was not sent from this site's page "
    "(reload the page and send the form again)"
)


def _sign(request: Request, purpose: str, value: str) -> str:
    key = request.app.state.settings.secret_key.get_secret_value().encode()
    return hmac.new(key, f"{purpose}\0{value}".encode(), hashlib.sha256).hexdigest()


def session_token(request: Request) -> str | None:
    """The token of the request's session cookie; None without one."""
    cookie = request.cookies.get(COOKIE_NAME)
    return _sign(request, "session", cookie) if cookie else None


def session_signature(request: Request, purpose: str, value: str) -> str | None:
    """An HMAC of `value` for this session only: a page hands data to the browser in a hidden
    field and, when it comes back with this, knows it is unchanged. None without a session."""
    cookie = request.cookies.get(COOKIE_NAME)
    return _sign(request, purpose, f"{cookie}\0{value}") if cookie else None


def signature_matches(request: Request, purpose: str, value: str, sent: str) -> bool:
    expected = session_signature(request, purpose, value)
    return expected is not None and hmac.compare_digest(sent.encode(), expected.encode())


def new_public_cookie() -> str:
    return secrets.token_urlsafe(32)


def public_token(request: Request, form: PublicForm, cookie: str) -> str:
    return _sign(request, form.purpose, cookie)


async def checked_form(request: Request) -> bool:
    """The dependency of every page route: True when an unsafe request's form carried the
    token of its session cookie (which deps.signed_in then accepts); refuses it otherwise.
    Reading the form here is free for the route: Starlette keeps the parsed form."""
    if request.method in SAFE_METHODS:
        return False
    await _require(request, session_token(request))
    return True


def checked_public_form(form: PublicForm) -> Callable[[Request], Awaitable[None]]:
    """The dependency of a public form's POST: its token must be the HMAC of its own cookie."""

    async def dependency(request: Request) -> None:
        cookie = request.cookies.get(form.cookie)
        await _require(request, public_token(request, form, cookie) if cookie else None)

    return dependency


checked_login_form = checked_public_form(LOGIN_FORM)


async def _require(request: Request, expected: str | None) -> None:
    sent = (await request.form()).get(FIELD)
    cross_site = request.headers.get("sec-fetch-site") == "cross-site"
    if (
        cross_site
        or expected is None
        or not isinstance(sent, str)
        or not hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise Forbidden(REFUSAL, field=FIELD)
