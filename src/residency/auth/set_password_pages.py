"""The set-password page: the holder of a one-time set-password token (an administrator's
password reset, /admin/users/{id}) chooses a password at /account/set-password?token=...
It calls the service POST /api/v1/auth/set-password calls, so the token is spent once, the
policy and its messages are the same, and an unknown, used or expired token gets the same one
answer. No session is needed: the form's CSRF token is a signed double-submit cookie of its own
(csrf.SET_PASSWORD_FORM), as the sign-in form's is.

The token is a credential: it is never logged (the server keeps no access log, docs/web.md),
never audited (service.set_password_with_token records the action only), and the page sends no
Referer (Referrer-Policy: no-referrer on every page)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from residency.auth import service
from residency.auth.pages import POLICY_HINT
from residency.auth.schemas import SetPasswordBody
from residency.errors import InputError, ResidencyError, Unauthenticated
from residency.web import csrf
from residency.web.deps import transaction
from residency.web.errors import validation_message
from residency.web.page_deps import LOGIN_PATH, clear_public_cookie, public_form_page, see_other
from residency.web.templating import flash

router = APIRouter(include_in_schema=False)
FORM = csrf.SET_PASSWORD_FORM
FIELDS = ("token", "new_password", "new_password_again")
TOKEN_LENGTH = 256  # SetPasswordBody's bound; a longer one is no token of ours


@router.get(FORM.path)
def set_password_form(
    request: Request, token: str = Query("", max_length=TOKEN_LENGTH)
) -> Response:
    """With the link's token: the form, or at once the one answer for a token that is not live.
    Without one: the form asks for it too (the CLI prints a bare token)."""
    if not token:
        return _page(request, "", {})
    with transaction(request, None) as session:
        live = service.password_token_is_live(session, token)
    if not live:
        return _page(request, "", {"token": service.INVALID_PASSWORD_TOKEN}, status=401)
    return _page(request, token, {})


@router.post(FORM.path, dependencies=[Depends(csrf.checked_public_form(FORM))])
def set_password(
    request: Request,
    token: str = Form(""),
    new_password: str = Form(""),
    new_password_again: str = Form(""),
) -> Response:
    """Anonymous (the one-time token is the credential); every session of the account ends."""
    typed = dict(zip(FIELDS, (token, new_password, new_password_again), strict=True))
    errors = {name: f"{name}: is required" for name, value in typed.items() if not value}
    if not errors and new_password != new_password_again:
        errors = {"new_password_again": "new_password_again: differs from the new password"}
    if errors:
        return _page(request, token if "token" not in errors else "", errors, status=422)
    try:
        body = SetPasswordBody(token=token, new_password=new_password)  # the API's bounds
        with transaction(request, None) as session:
            service.set_password_with_token(session, body.token, body.new_password)
    except ValidationError as invalid:  # the API's message, without the secret typed
        field, message = validation_message(RequestValidationError(invalid.errors()[:1]))
        return _refused(request, token, InputError(message, field=field), 422)
    except Unauthenticated as refused:
        return _refused(request, "", refused, 401)
    except InputError as refused:  # the policy, for the token's account
        return _refused(request, token, refused, 422)
    response = see_other(LOGIN_PATH)
    clear_public_cookie(response, FORM)
    flash(response, "password_set")
    return response


def _refused(request: Request, token: str, refused: ResidencyError, status: int) -> Response:
    """The message next to its field: the policy names `password`, which is the new one here;
    a refused token is shown at an empty token field, to paste a new one into."""
    message = " ".join(str(refused).split())
    field = refused.field if refused.field in FIELDS else "new_password"
    if refused.field == "password":
        message = "new_password" + message.removeprefix("password")
    return _page(request, "" if field == "token" else token, {field: message}, status=status)


def _page(request: Request, token: str, errors: dict[str, str], status: int = 200) -> Response:
    """`token`: the one to send back in a hidden field; empty, the form shows a field for it."""
    return public_form_page(
        request,
        FORM,
        "auth/set_password.html",
        status=status,
        title="Set your password",
        token=token,
        errors=errors,
        policy=POLICY_HINT,
    )
