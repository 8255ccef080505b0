"""Bodies and answers of the absence routes. Bodies refuse unknown fields."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from residency.absences.models import NOTE_LENGTH, AbsenceType
from residency.input_types import IsoDate, StrictBool
from residency.people.models import KEY_LENGTH
from residency.web.schemas import Body


class AbsenceOut(BaseModel):
    id: int
    person_key: str
    kind: AbsenceType
    start: date
    end: date = Field(description="The last day of the absence (inclusive)")
    blocks_scheduling: bool = Field(description="The person is not scheduled on these days")
    note: str


class NewAbsenceBody(Body):
    person_key: str = Field(min_length=1, max_length=KEY_LENGTH)
    kind: AbsenceType
    start: IsoDate
    end: IsoDate = Field(description="The last day (inclusive); on or after start")
    blocks_scheduling: StrictBool = True
    note: str = Field("", max_length=NOTE_LENGTH)


class AbsenceChangeBody(Body):
    """Leave a field out to keep it; the result follows the rules of a new absence."""

    person_key: str | None = Field(None, min_length=1, max_length=KEY_LENGTH)
    kind: AbsenceType | None = None
    start: IsoDate | None = None
    end: IsoDate | None = Field(None, description="The last day (inclusive); on or after start")
    blocks_scheduling: StrictBool | None = None
    note: str | None = Field(None, max_length=NOTE_LENGTH)

    @field_validator("*")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Only a value given as null gets here (defaults are not validated): say so plainly.
        if value is None:
            raise PydanticCustomError(
                "not_null", "may not be null (leave it out to keep its value)"
            )
        return value
