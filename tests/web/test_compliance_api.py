"""The compliance check of an uploaded duty CSV (multipart field `file`), as
`residency compliance check FILE` does it: the report, or a bad row named by row and column."""

from __future__ import annotations

from fixtures.api import Api
from residency.auth.models import Role

URL = "/api/v1/compliance/check"
HEADER = "person_id,pgy,start,end,kind\n"
WEEK = "".join(
    f"r1,1,2026-03-{day:02d}T07:00,2026-03-{day:02d}T19:00,shift\n" for day in range(9, 14)
)


def _check(api: Api, text: str, **form: str) -> dict[str, object]:
    answer = api.client.post(
        URL,
        files={"file": ("duty.csv", text.encode(), "text/csv")},
        data=form,
        headers=api.headers(Role.RESIDENT),
    )
    assert answer.status_code in (200, 422), answer.text
    return dict(answer.json())


def test_an_uploaded_duty_file_gets_the_report(api: Api) -> None:
    clean = _check(api, HEADER + WEEK)
    assert clean["violations"] == []
    summary = clean["summary"]
    assert isinstance(summary, dict)
    assert (summary["people"], summary["duty_periods"], summary["mode"]) == (1, 5, "block")

    # 30 hours in one stretch: beyond 24 + 4 (ACGME VI.F.3.a).
    long = _check(api, HEADER + "r2,2,2026-03-09T07:00,2026-03-10T13:00,in_house_call\n")
    assert isinstance(long["violations"], list)
    assert "ACGME-24PLUS4" in {v["rule"] for v in long["violations"]}
    rolling = _check(api, HEADER + WEEK, mode="rolling")["summary"]
    assert isinstance(rolling, dict) and rolling["mode"] == "rolling"


def test_a_bad_row_is_refused_naming_its_row_and_column(api: Api) -> None:
    error = _check(api, HEADER + WEEK + "r1,one,2026-03-14T07:00,2026-03-14T19:00,shift\n")
    assert error == {
        "error": {
            "code": "invalid_input",
            "message": "file row 7: pgy 'one' is not a whole number",
            "field": "file",
        }
    }
    assert _check(api, "name,hours\n")["error"] == {
        "code": "invalid_input",
        "message": "file row 1: missing column person_id, pgy, start, end, kind; expected "
        "person_id,pgy,start,end,kind",
        "field": "file",
    }
    bad_start = _check(api, HEADER + WEEK, academic_year_start="2024-02-29")["error"]
    assert isinstance(bad_start, dict) and bad_start["field"] == "academic_year_start"
    missing = api.client.post(URL, data={"mode": "block"}, headers=api.headers(Role.RESIDENT))
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "file"
