"""Bodies and answers of the account routes. Bodies refuse unknown fields."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from residency.auth.models import Role
from residency.input_types import StrictBool
from residency.web.schemas import Body


class LoginBody(Body):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class RefreshBody(Body):
    refresh_token: str = Field(max_length=256)


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int
    must_change_password: bool


class PasswordChangeBody(Body):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class SetPasswordBody(Body):
    token: str = Field(max_length=256)
    new_password: str = Field(max_length=1024)


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: Role
    person_key: str | None
    active: bool
    must_change_password: bool
    password_set: bool
    created_at: datetime


class MeOut(UserOut):
    permissions: list[str]


class NewUserBody(Body):
    email: str = Field(max_length=254)
    role: Role
    name: str = Field("", max_length=128)
    person_key: str | None = Field(None, max_length=64)


class CreatedUserOut(BaseModel):
    user: UserOut
    # Shown once: hand it to the person as a link; it sets their first password.
    set_password_token: str
    expires_in_hours: int


class UserChangeBody(Body):
    role: Role | None = None
    name: str | None = Field(None, max_length=128)
    active: StrictBool | None = None


class PasswordTokenOut(BaseModel):
    set_password_token: str
    expires_in_hours: int


class Done(BaseModel):
    status: str = "ok"
