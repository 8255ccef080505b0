"""Account pages: sign in, the first-login password change, change password, sign out. The
same accounts, throttling, lockout and password policy as the API (auth/service.py); the
session is a cookie (web/page_deps.py) and every form carries a CSRF token (web/csrf.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request, Response

from residency.auth import passwords, service, tokens
from residency.auth.api import WRONG_CREDENTIALS
from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.errors import InputError, TooManyAttempts
from residency.web import csrf
from residency.web.deps import client_address, transaction
from residency.web.page_deps import (
    PASSWORD_PATH,
    clear_public_cookie,
    clear_session_cookie,
    page_user,
    public_form_page,
    safe_next,
    see_other,
    set_session_cookie,
    with_next,
)
from residency.web.templating import flash, render

router = APIRouter(include_in_schema=False)
PASSWORD_FIELDS = ("current_password", "new_password", "new_password_again")
POLICY_HINT = (
    f"At least {passwords.MIN_LENGTH} characters, with {passwords.MIN_CLASSES} of lower-case, "
    "upper-case, digits and symbols; not your name or e-mail, and not easy to guess."
)


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, {"email": "", "next": safe_next(next)})


@router.post("/login", dependencies=[Depends(csrf.checked_login_form)])
def login(
    request: Request, email: str = Form(""), password: str = Form(""), next: str = Form("/")
) -> Response:
    """Anonymous. Five failures in 15 minutes lock the account (and the address) for 15."""
    typed = {"email": email, "next": safe_next(next)}
    missing = _missing({"email": email, "password": password})
    if missing:
        return _login_page(request, typed, errors=missing, status=422)
    try:
        address = client_address(request)
        with transaction(request, None) as session:
            user = service.attempt_login(session, email, password, address)
            cookie = tokens.open_cookie_session(session, user, address) if user else None
            changing = bool(user and user.must_change_password)
    except TooManyAttempts as refused:
        return _login_page(request, typed, problem=str(refused), status=429)
    if cookie is None:  # the failure is committed: it counts toward the lockout
        return _login_page(request, typed, problem=WRONG_CREDENTIALS, status=401)
    target = with_next(PASSWORD_PATH, typed["next"]) if changing else typed["next"]
    response = see_other(target)
    set_session_cookie(response, cookie, request.app.state.settings)
    clear_public_cookie(response, csrf.LOGIN_FORM)  # a new one for the next sign-in
    return response


def _login_page(
    request: Request,
    typed: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    context = {"typed": typed, "errors": errors or {}, "problem": problem}
    return public_form_page(request, csrf.LOGIN_FORM, "auth/login.html", status=status, **context)


@router.post("/logout")
def logout(request: Request, who: Principal = Depends(page_user(Permission.READ_OWN))) -> Response:
    """Ends this session: the cookie stops working at once, in every server process."""
    with transaction(request, who) as session:
        tokens.revoke_session(session, who.session_id, "logout")
    response = see_other("/login")
    clear_session_cookie(response, request.app.state.settings)
    flash(response, "signed_out")
    return response


@router.get(PASSWORD_PATH)
def password_form(
    request: Request, next: str = "/", who: Principal = Depends(page_user(Permission.READ_OWN))
) -> Response:
    return _password_page(request, who, safe_next(next), {})


@router.post(PASSWORD_PATH)
def change_password(
    request: Request,
    current_password: str = Form(""),
    new_password: str = Form(""),
    new_password_again: str = Form(""),
    next: str = Form("/"),
    who: Principal = Depends(page_user(Permission.READ_OWN)),
) -> Response:
    """The policy's messages next to the field; ends every other session of the account."""
    sent = (current_password, new_password, new_password_again)
    typed = dict(zip(PASSWORD_FIELDS, sent, strict=True))
    problems = _missing(typed)
    if not problems and new_password != new_password_again:
        problems = {"new_password_again": "new_password_again: differs from the new password"}
    if not problems:
        try:
            with transaction(request, who) as session:
                service.change_password(session, who, current_password, new_password)
        except InputError as refused:
            problems = {_password_field(refused): _as_field(refused)}
    if problems:
        return _password_page(request, who, safe_next(next), problems, status=422)
    response = see_other(safe_next(next))
    flash(response, "password_changed")
    return response


def _password_page(
    request: Request, who: Principal, next_path: str, errors: dict[str, str], status: int = 200
) -> Response:
    return render(
        request,
        "auth/password.html",
        who,
        status=status,
        errors=errors,
        next=next_path,
        first_login=who.must_change_password,
        policy=POLICY_HINT,
    )


def _missing(values: dict[str, str]) -> dict[str, str]:
    return {name: f"{name}: is required" for name, value in values.items() if not value}


def _password_field(refused: InputError) -> str:
    """The service names the policy's field `password`; on this form it is the new one."""
    if refused.field is None or refused.field == "password":
        return "new_password"
    return refused.field


def _as_field(refused: InputError) -> str:
    message = " ".join(str(refused).split())
    if refused.field == "password":
        return "new_password" + message.removeprefix("password")
    return message
