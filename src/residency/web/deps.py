"""What routes depend on: the signed-in principal with a permission, declared next to each
route as `who: Principal = Depends(allow(Permission.X))`, and the request's transaction.

A route owns its transaction (`with transaction(request, who) as session:`), committed before
it answers, so a client never hears "done" about something that was rolled back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import Depends, Request, params
from fastapi.dependencies.utils import get_flat_params
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from residency.audit.actor import Actor
from residency.auth import tokens
from residency.auth.models import TokenPurpose
from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.db import unit_of_work
from residency.errors import Forbidden, InputError, Unauthenticated
from residency.web.paths import is_api

COOKIE_NAME = "residency_session"
SAFE_METHODS = frozenset({"GET", "HEAD"})
bearer = HTTPBearer(auto_error=False, description="An access token from /api/v1/auth/login")

# Before a first-login password change only these are open: say who you are, change it, leave.
OPEN_BEFORE_PASSWORD_CHANGE = frozenset(
    {"/api/v1/me", "/api/v1/auth/password", "/api/v1/auth/logout"}
)


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def signed_in(
    request: Request, credentials: HTTPAuthorizationCredentials | None, csrf_checked: bool = False
) -> Principal:
    """`csrf_checked`: a web page's form whose CSRF token was verified (web/csrf.py)."""
    if credentials is not None and credentials.scheme.lower() == "bearer":
        token, purpose = credentials.credentials, TokenPurpose.ACCESS
    elif COOKIE_NAME in request.cookies and cookie_may_act(request, csrf_checked):
        token, purpose = request.cookies[COOKIE_NAME], TokenPurpose.COOKIE
    else:
        raise Unauthenticated("not signed in: send an access token (Authorization: Bearer ...)")
    with unit_of_work(engine_of(request)) as session:
        principal = tokens.authenticate(session, token, purpose)
    return principal


def cookie_may_act(request: Request, csrf_checked: bool) -> bool:
    """A browser sends cookies on its own, so a cookie session may read anything its role may,
    but change something only through a page's form that carried its CSRF token; never through
    the API, whose writes take an access token (docs/web.md, "Cookies and CSRF")."""
    if request.method in SAFE_METHODS:
        return True
    return csrf_checked and not is_api(request.url.path)


def allow(permission: Permission) -> Callable[..., Principal]:
    """The dependency a route declares: a signed-in user whose role grants `permission`."""

    def dependency(
        request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
    ) -> Principal:
        principal = signed_in(request, credentials)
        if principal.must_change_password and request.url.path not in OPEN_BEFORE_PASSWORD_CHANGE:
            raise Forbidden("change your one-time password first (POST /api/v1/auth/password)")
        if not allows(principal.role, permission):
            raise Forbidden(f"forbidden: a {principal.role.value} may not {_words(permission)}")
        return principal

    return dependency


def _words(permission: Permission) -> str:
    return permission.value.replace("_", " ")


def actor(request: Request, principal: Principal | None) -> Actor:
    if principal is None:
        return Actor("user", "anonymous", None, client_address(request))
    return Actor("user", principal.email, principal.user_id, client_address(request))


@contextmanager
def transaction(request: Request, principal: Principal | None) -> Iterator[Session]:
    """The route's unit of work, audited as the signed-in user from the client's address."""
    with unit_of_work(engine_of(request), actor=actor(request, principal)) as session:
        yield session


def refuse_unknown_query(request: Request) -> None:
    """A query parameter the route does not take is a typo the caller should hear about,
    not a filter silently ignored."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not request.query_params:
        return
    known = {
        field.alias
        for field in get_flat_params(dependant)
        if isinstance(field.field_info, params.Query)
    }
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "none"
        raise InputError(
            f"{unknown[0]}: not a query parameter of this route (it takes: {takes})",
            field=unknown[0],
        )
