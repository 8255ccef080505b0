"""What page routes depend on: `who: Principal = Depends(page_user(Permission.X))`, the pages'
`allow`. Where the API answers 401 or 403 in JSON, a page sends the browser to sign in (and
back afterwards), to the first-login password change, or shows a 403 page.

Also the session cookie's attributes, a public form's page with its CSRF cookie, and
`safe_next`, the one check of where a page may send the browser after signing in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, Request, Response
from fastapi.responses import RedirectResponse

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.config import Settings
from residency.errors import Forbidden, Unauthenticated
from residency.web import csrf
from residency.web.deps import COOKIE_NAME, signed_in
from residency.web.templating import render

LOGIN_PATH = "/login"
PASSWORD_PATH = "/account/password"
# Before a first-login password change only these pages open: change it, or leave.
OPEN_BEFORE_PASSWORD_CHANGE = frozenset({PASSWORD_PATH, "/logout"})


class PageRedirect(Exception):
    """Send the browser elsewhere (303 See Other: the next request is a GET)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class PageForbidden(Forbidden):
    """Signed in, but the role may not open the page: a 403 page that still shows who is
    signed in and their navigation."""

    def __init__(self, who: Principal, message: str) -> None:
        super().__init__(message)
        self.who = who


def page_user(permission: Permission) -> Callable[..., Principal]:
    """The dependency a page route declares: the signed-in user whose role grants `permission`,
    from the session cookie; a form POST must carry its CSRF token (csrf.checked_form)."""

    def dependency(request: Request, csrf_checked: bool = Depends(csrf.checked_form)) -> Principal:
        try:
            principal = signed_in(request, None, csrf_checked)
        except Unauthenticated:  # no cookie, or an expired, revoked or forged one
            raise PageRedirect(with_next(LOGIN_PATH, here(request))) from None
        if principal.must_change_password and request.url.path not in OPEN_BEFORE_PASSWORD_CHANGE:
            raise PageRedirect(with_next(PASSWORD_PATH, here(request)))
        if not allows(principal.role, permission):
            words = permission.value.replace("_", " ")
            raise PageForbidden(principal, f"a {principal.role.value} may not {words}")
        return principal

    return dependency


def here(request: Request) -> str:
    """The page asked for, to come back to after signing in."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def with_next(path: str, next_path: str) -> str:
    return path if next_path in ("", "/") else f"{path}?{urlencode({'next': next_path})}"


def safe_next(value: str | None) -> str:
    """A local path to go to after signing in; '/' for anything else. An absolute or
    scheme-relative address (https://evil.example, //evil.example, /\\evil.example) would let a
    link to our sign-in page send a person to another site (an open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/"
    if "\\" in value or any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path.startswith((LOGIN_PATH, "/logout")):
        return "/"
    return value


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303)


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    """HttpOnly (no script reads it), SameSite=Lax (no other site's form or script sends it),
    Secure except in development (served over plain HTTP on one's own machine). It lives as
    long as the session it opens (RESIDENCY_REFRESH_TOKEN_DAYS)."""
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=settings.refresh_token_days * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure_cookies(settings),
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        COOKIE_NAME, path="/", httponly=True, samesite="lax", secure=secure_cookies(settings)
    )


def secure_cookies(settings: Settings) -> bool:
    return settings.environment != "development"


def public_form_page(
    request: Request, form: csrf.PublicForm, template: str, *, status: int = 200, **context: Any
) -> Response:
    """A page whose form is sent before any session (csrf.PublicForm): the token in the form is
    the HMAC of the form's own cookie, set here when the browser has none yet."""
    sent = request.cookies.get(form.cookie)
    cookie = sent or csrf.new_public_cookie()
    token = csrf.public_token(request, form, cookie)
    response = render(request, template, None, status=status, csrf_token=token, **context)
    if sent != cookie:
        secure = secure_cookies(request.app.state.settings)
        response.set_cookie(
            form.cookie, cookie, path=form.path, httponly=True, samesite="lax", secure=secure
        )
    return response


def clear_public_cookie(response: Response, form: csrf.PublicForm) -> None:
    """After the form did its work: the next use gets a new cookie."""
    response.delete_cookie(form.cookie, path=form.path)
