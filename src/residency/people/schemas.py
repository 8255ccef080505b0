"""Bodies and answers of the people routes. Bodies refuse unknown fields."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from residency.input_types import StrictBool, StrictInt
from residency.people.models import KEY_LENGTH, KEY_PATTERN, FacultyRole, PersonKind
from residency.web.schemas import Body

NAME_LENGTH = 128
EMAIL_LENGTH = 254


class PersonOut(BaseModel):
    key: str
    kind: PersonKind
    name: str
    # Shown to the program staff and to the person themself; null for everyone else.
    email: str | None
    faculty_role: FacultyRole | None
    active: bool
    pgy: dict[int, int] = Field(description="Academic year -> the resident's PGY level that year")
    pgy_in_year: int | None = Field(
        None, description="The PGY level in ?academic_year= (null without it, and for faculty)"
    )


class NewPersonBody(Body):
    key: str = Field(min_length=1, max_length=KEY_LENGTH, pattern=KEY_PATTERN)
    kind: PersonKind
    name: str = Field(min_length=1, max_length=NAME_LENGTH)
    email: str | None = Field(None, max_length=EMAIL_LENGTH)
    faculty_role: FacultyRole | None = None
    pgy: dict[int, StrictInt] = Field(
        default_factory=dict, description="Academic year -> PGY level (residents only)"
    )


class PersonChangeBody(Body):
    """Leave a field out to keep it; `email: null` removes the e-mail; `pgy` sets the levels of
    the years it names and keeps the others."""

    name: str | None = Field(None, min_length=1, max_length=NAME_LENGTH)
    email: str | None = Field(None, max_length=EMAIL_LENGTH)
    active: StrictBool | None = None
    faculty_role: FacultyRole | None = None
    pgy: dict[int, StrictInt] = Field(default_factory=dict)

    @field_validator("name", "active", "faculty_role")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Only a value given as null gets here (defaults are not validated): say so plainly.
        if value is None:
            raise PydanticCustomError(
                "not_null", "may not be null (leave it out to keep its value)"
            )
        return value
