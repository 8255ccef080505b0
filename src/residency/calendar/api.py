"""Academic-year routes: the years in the database, each with its 13 blocks; coordinators add
a year (its blocks and half-days follow from the program's calendar)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.calendar import service
from residency.calendar.academic_year import EARLIEST_ACADEMIC_YEAR, LATEST_ACADEMIC_YEAR
from residency.calendar.models import AcademicYear
from residency.calendar.schemas import (
    AcademicYearDetailOut,
    AcademicYearOut,
    BlockOut,
    NewAcademicYearBody,
)
from residency.web.deps import allow, transaction

router = APIRouter(prefix="/api/v1/academic-years", tags=["academic years"])
YearParameter = Annotated[int, Path(ge=EARLIEST_ACADEMIC_YEAR, le=LATEST_ACADEMIC_YEAR)]


@router.get("", response_model=list[AcademicYearOut])
def list_academic_years(
    request: Request, who: Principal = Depends(allow(Permission.READ_PUBLISHED))
) -> list[AcademicYearOut]:
    with transaction(request, who) as session:
        return [_year_out(row) for row in service.academic_years(session)]


@router.get("/{year}", response_model=AcademicYearDetailOut)
def read_academic_year(
    year: YearParameter,
    request: Request,
    who: Principal = Depends(allow(Permission.READ_PUBLISHED)),
) -> AcademicYearDetailOut:
    with transaction(request, who) as session:
        return _detail_out(service.academic_year_with_blocks(session, year))


@router.post(
    "",
    response_model=AcademicYearDetailOut,
    status_code=201,
    responses={200: {"model": AcademicYearDetailOut, "description": "It was there already"}},
)
def create_academic_year(
    body: NewAcademicYearBody,
    request: Request,
    response: Response,
    who: Principal = Depends(allow(Permission.EDIT_PROGRAM)),
) -> AcademicYearDetailOut:
    """Creates the year, its blocks and half-days on the program's calendar (start day,
    holidays): 201. A year already complete is left as it is: 200."""
    with transaction(request, who) as session:
        created = service.create_academic_year(session, body.year)
        out = _detail_out(service.academic_year_with_blocks(session, body.year))
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/api/v1/academic-years/{body.year}"
    return out


def _year_out(row: AcademicYear) -> AcademicYearOut:
    return AcademicYearOut(year=row.year, label=row.label, start=row.start_date, end=row.end_date)


def _detail_out(row: AcademicYear) -> AcademicYearDetailOut:
    return AcademicYearDetailOut(
        **_year_out(row).model_dump(),
        blocks=[BlockOut(number=b.number, start=b.start_date, end=b.end_date) for b in row.blocks],
    )
