"""Who is on call, `/on-call`: tonight first and large, then the week starting that day as a
table (nights as rows, call services as columns, the backup beside them), from the published
schedule only, for every signed-in role; `?day=YYYY-MM-DD` looks at another day. Printable
(app.css, `@media print`). docs/web.md, "Who is on call"."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query, Request, Response

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.calendar import service as calendar
from residency.scheduling.block.on_call import on_call_week
from residency.web.deps import transaction
from residency.web.page_deps import page_user
from residency.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/on-call")
def on_call_page(
    request: Request,
    day: str = Query("", max_length=32),
    who: Principal = Depends(page_user(Permission.READ_PUBLISHED)),
) -> Response:
    first, problem = parse_day(day)
    if problem:
        # A bad address is the reader's to fix: say which part is wrong, show nothing else.
        return render(
            request,
            "on_call.html",
            who,
            status=422,
            title="Who is on call",
            problem=problem,
            week=None,
            typed=day,
        )
    with transaction(request, who) as session:
        week = on_call_week(session, first or calendar.local_today())
    return render(
        request, "on_call.html", who, title="Who is on call", problem="", week=week, typed=day
    )


def parse_day(text: str) -> tuple[date | None, str]:
    """(the day, "") or (None, the message naming the field, the value and the rule)."""
    text = text.strip()
    if not text:
        return None, ""
    try:
        return date.fromisoformat(text), ""
    except ValueError:
        return None, f"day: {text!r} is not a date of the form YYYY-MM-DD (2026-03-13, say)"
