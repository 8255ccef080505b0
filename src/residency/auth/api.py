"""Account routes: sign in and out, tokens, passwords, and the administrators' user list."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from residency import clock
from residency.auth import service, tokens
from residency.auth.models import User
from residency.auth.permissions import GRANTS, Permission
from residency.auth.schemas import (
    CreatedUserOut,
    Done,
    LoginBody,
    MeOut,
    NewUserBody,
    PasswordChangeBody,
    PasswordTokenOut,
    RefreshBody,
    SetPasswordBody,
    TokensOut,
    UserChangeBody,
    UserOut,
)
from residency.auth.tokens import IssuedTokens, Principal
from residency.errors import Unauthenticated
from residency.web.deps import allow, client_address, transaction
from residency.web.schemas import RowId

router = APIRouter(prefix="/api/v1", tags=["accounts"])
WRONG_CREDENTIALS = "email or password is wrong"


@router.post("/auth/login", response_model=TokensOut)
def login(body: LoginBody, request: Request) -> TokensOut:
    """Anonymous. Five failures in 15 minutes lock the account (and the address) for 15."""
    with transaction(request, None) as session:
        user = service.attempt_login(session, body.email, body.password, client_address(request))
        issued = tokens.open_session(session, user, client_address(request)) if user else None
        changing = bool(user and user.must_change_password)
    if issued is None:  # the failure is committed: it counts toward the lockout
        raise Unauthenticated(WRONG_CREDENTIALS)
    return _tokens_out(issued, changing)


@router.post("/auth/refresh", response_model=TokensOut)
def refresh(body: RefreshBody, request: Request) -> TokensOut:
    """Anonymous (the refresh token is the credential). Spends it; reuse revokes the session."""
    with transaction(request, None) as session:
        problem: Unauthenticated | None = None
        try:
            issued = tokens.refresh(session, body.refresh_token)
        except Unauthenticated as refused:
            problem = refused  # a reuse revoked the family: that must be committed
        else:
            changing = service.user_by_id(session, issued.user_id).must_change_password
    if problem is not None:
        raise problem
    return _tokens_out(issued, changing)


@router.post("/auth/logout", response_model=Done)
def logout(request: Request, who: Principal = Depends(allow(Permission.READ_OWN))) -> Done:
    """Ends this session: its access and refresh tokens stop working at once."""
    with transaction(request, who) as session:
        tokens.revoke_session(session, who.session_id, "logout")
    return Done()


@router.post("/auth/password", response_model=Done)
def change_password(
    body: PasswordChangeBody, request: Request, who: Principal = Depends(allow(Permission.READ_OWN))
) -> Done:
    """Changes the password under the policy and ends every other session of the account."""
    with transaction(request, who) as session:
        service.change_password(session, who, body.current_password, body.new_password)
    return Done()


@router.post("/auth/set-password", response_model=Done)
def set_password(body: SetPasswordBody, request: Request) -> Done:
    """Anonymous (the one-time token is the credential): a first password, or a reset."""
    with transaction(request, None) as session:
        service.set_password_with_token(session, body.token, body.new_password)
    return Done()


@router.get("/me", response_model=MeOut)
def me(request: Request, who: Principal = Depends(allow(Permission.READ_OWN))) -> MeOut:
    with transaction(request, who) as session:
        user = service.user_by_id(session, who.user_id)
        return MeOut(
            **_user_out(user).model_dump(), permissions=sorted(p.value for p in GRANTS[user.role])
        )


@router.get("/users", response_model=list[UserOut])
def list_users(
    request: Request, who: Principal = Depends(allow(Permission.MANAGE_USERS))
) -> list[UserOut]:
    with transaction(request, who) as session:
        return [_user_out(user) for user in service.list_users(session)]


@router.post("/users", response_model=CreatedUserOut, status_code=201)
def create_user(
    body: NewUserBody,
    request: Request,
    response: Response,
    who: Principal = Depends(allow(Permission.MANAGE_USERS)),
) -> CreatedUserOut:
    """A new account with a role (and, for residents and faculty, the person it is). It has no
    password: the answer carries a one-time set-password token, shown only this once."""
    new = service.NewUser(body.email, body.role, body.name, body.person_key)
    with transaction(request, who) as session:
        created = service.create_user(session, new)
        user = service.user_by_id(session, created.user_id)
        out = _user_out(user)
    response.headers["Location"] = f"/api/v1/users/{created.user_id}"
    assert created.set_password_token is not None
    return CreatedUserOut(
        user=out,
        set_password_token=created.set_password_token,
        expires_in_hours=request.app.state.settings.set_password_token_hours,
    )


@router.get("/users/{user_id}", response_model=UserOut)
def read_user(
    user_id: RowId, request: Request, who: Principal = Depends(allow(Permission.MANAGE_USERS))
) -> UserOut:
    with transaction(request, who) as session:
        return _user_out(service.user_by_id(session, user_id))


@router.patch("/users/{user_id}", response_model=UserOut)
def change_user(
    user_id: RowId,
    body: UserChangeBody,
    request: Request,
    who: Principal = Depends(allow(Permission.MANAGE_USERS)),
) -> UserOut:
    with transaction(request, who) as session:
        user = service.update_user(
            session,
            user_id,
            role=body.role,
            active=body.active,
            name=body.name,
            acting_user_id=who.user_id,
        )
        return _user_out(user)


@router.post("/users/{user_id}/password-token", response_model=PasswordTokenOut, status_code=201)
def reset_password(
    user_id: RowId, request: Request, who: Principal = Depends(allow(Permission.MANAGE_USERS))
) -> PasswordTokenOut:
    """A new one-time set-password token for the account (a reset); its sessions end."""
    with transaction(request, who) as session:
        token = service.reset_password(session, user_id)
    return PasswordTokenOut(
        set_password_token=token,
        expires_in_hours=request.app.state.settings.set_password_token_hours,
    )


def _tokens_out(issued: IssuedTokens, changing: bool) -> TokensOut:
    return TokensOut(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
        must_change_password=changing,
    )


def _user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        person_key=user.person.key if user.person else None,
        active=user.active,
        must_change_password=user.must_change_password,
        password_set=user.password_hash is not None,
        created_at=clock.aware(user.created_at),
    )
