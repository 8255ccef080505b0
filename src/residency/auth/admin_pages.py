"""The administrators' account pages: `/admin/users` lists the accounts and makes new ones,
`/admin/users/{id}` changes one's name, role or active state and issues a password-reset
token. The same auth.service functions (and messages) as the API's /api/v1/users routes; each
write leaves its one audit row there.

A new account gets a one-time password (as `make demo`'s accounts do), not the API's
set-password token: the web app's own sign-in then leads its holder to choose a password
(/account/password). A reset gives the link to the set-password page
(/account/set-password?token=..., auth/set_password_pages.py). Either secret is shown once, on
the answer to the POST, and is kept nowhere but as a hash."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Request, Response

from residency.auth import service, set_password_pages
from residency.auth.account_list import account_row, account_rows
from residency.auth.models import Role
from residency.auth.permissions import ROLES_WITH_A_PERSON, Permission
from residency.auth.tokens import Principal
from residency.errors import InputError, RefusedError
from residency.web.deps import transaction
from residency.web.page_deps import page_user, see_other
from residency.web.params import MAX_ID
from residency.web.templating import flash, render

router = APIRouter(include_in_schema=False)
NEW_FIELDS = ("email", "name", "role", "person_key")
CHANGE_FIELDS = ("name", "role", "active")
ROLES = tuple(role.value for role in Role)
ADMIN = Depends(page_user(Permission.MANAGE_USERS))
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/admin/users")
def users_page(request: Request, who: Principal = ADMIN) -> Response:
    typed = {"email": "", "name": "", "role": Role.COORDINATOR.value, "person_key": ""}
    return _users_page(request, who, typed, {})


@router.post("/admin/users")
def create_user(
    request: Request,
    email: str = Form("", max_length=254),
    name: str = Form("", max_length=128),
    role: str = Form("", max_length=32),
    person_key: str = Form("", max_length=64),
    who: Principal = ADMIN,
) -> Response:
    typed = {"email": email, "name": name, "role": role, "person_key": person_key}
    password = service.one_time_password()
    try:
        chosen = _role(role)
        key = person_key.strip() or None
        new = service.NewUser(email, chosen, name.strip(), key, password, must_change_password=True)
        with transaction(request, who) as session:
            created = service.create_user(session, new)
            shown = account_row(session, created.user_id)
    except InputError as bad:
        return _users_page(request, who, typed, *_placed(bad, NEW_FIELDS), status=422)
    # The answer itself shows the password (a redirect would have to carry it somewhere).
    return render(
        request,
        "admin/user_created.html",
        who,
        title=f"Account {shown.email} created",
        account=shown,
        one_time_password=password,
    )


@router.get("/admin/users/{user_id}")
def user_page(request: Request, user_id: UserId, who: Principal = ADMIN) -> Response:
    with transaction(request, who) as session:
        shown = account_row(session, user_id)
    typed = {"name": shown.name, "role": shown.role.value, "active": _yes_no(shown.active)}
    return _user_page(request, who, user_id, typed, {})


@router.post("/admin/users/{user_id}")
def change_user(
    request: Request,
    user_id: UserId,
    name: str = Form("", max_length=128),
    role: str = Form("", max_length=32),
    active: str = Form("", max_length=8),
    who: Principal = ADMIN,
) -> Response:
    """Name, role and active state at once, as PATCH /api/v1/users/{id} takes them."""
    typed = {"name": name, "role": role, "active": active}
    try:
        chosen, enabled = _role(role), _active(active)
        with transaction(request, who) as session:
            service.update_user(
                session,
                user_id,
                role=chosen,
                active=enabled,
                name=name.strip(),
                acting_user_id=who.user_id,
            )
    except InputError as bad:
        return _user_page(request, who, user_id, typed, *_placed(bad, CHANGE_FIELDS), status=422)
    except RefusedError as refused:  # one's own role or active state
        return _user_page(request, who, user_id, typed, {}, str(refused), status=409)
    response = see_other(f"/admin/users/{user_id}")
    flash(response, "account_saved")
    return response


@router.post("/admin/users/{user_id}/password-token")
def reset_password(request: Request, user_id: UserId, who: Principal = ADMIN) -> Response:
    """A one-time set-password token, as POST /api/v1/users/{id}/password-token gives."""
    with transaction(request, who) as session:
        token = service.reset_password(session, user_id)
        shown = account_row(session, user_id)
    return render(
        request,
        "admin/password_token.html",
        who,
        title=f"Password reset for {shown.email}",
        account=shown,
        token=token,
        link=set_password_link(request, token),
        hours=request.app.state.settings.set_password_token_hours,
    )


def set_password_link(request: Request, token: str) -> str:
    """The set-password page's address at this site, as the browser reached it."""
    path = set_password_pages.FORM.path.lstrip("/")
    return f"{request.base_url}{path}?{urlencode({'token': token})}"


def _role(value: str) -> Role:
    if value not in ROLES:
        raise InputError(f"role: {value!r} is not a role ({', '.join(ROLES)})", field="role")
    return Role(value)


def _active(value: str) -> bool:
    if value not in ("yes", "no"):
        raise InputError(f"active: {value!r} is not yes or no", field="active")
    return value == "yes"


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _placed(bad: InputError, fields: tuple[str, ...]) -> tuple[dict[str, str], str]:
    """The service's message next to its field, or above the form when it names none here."""
    if bad.field in fields:
        return {str(bad.field): str(bad)}, ""
    return {}, str(bad)


def _users_page(
    request: Request,
    who: Principal,
    typed: dict[str, str],
    errors: dict[str, str],
    problem: str = "",
    status: int = 200,
) -> Response:
    with transaction(request, who) as session:
        accounts = account_rows(session)
    context: dict[str, Any] = {
        "title": "Accounts",
        "accounts": accounts,
        "typed": typed,
        "errors": errors,
        "problem": problem,
        "roles": ROLES,
        "person_roles": sorted(role.value for role in ROLES_WITH_A_PERSON),
    }
    return render(request, "admin/users.html", who, status=status, **context)


def _user_page(
    request: Request,
    who: Principal,
    user_id: int,
    typed: dict[str, str],
    errors: dict[str, str],
    problem: str = "",
    status: int = 200,
) -> Response:
    with transaction(request, who) as session:
        shown = account_row(session, user_id)
    context: dict[str, Any] = {
        "title": f"Account {shown.email}",
        "account": shown,
        "typed": typed,
        "errors": errors,
        "problem": problem,
        "roles": ROLES,
        "yourself": user_id == who.user_id,
    }
    return render(request, "admin/user.html", who, status=status, **context)
