"""The block grid page and its cell edit, through the TestClient as a browser uses them, on
both engines: each person's cells with their abbreviation and colour, calls and post-call
days, absences (their type for staff, "absent" for others), the filters, the published
version for residents, and a coordinator's edit checked by the service the API uses."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from fixtures.api import Api
from fixtures.block_program import BLOCK, YEAR, generate_args
from fixtures.pages import cookie_of, csrf_in, field_error
from residency.absences.models import Absence, AbsenceType
from residency.audit.models import AuditEvent
from residency.auth.models import Role
from residency.cli import main
from residency.db import unit_of_work
from residency.people.models import Person
from residency.rotations.models import RotationTemplate
from residency.scheduling import repository as repo
from residency.scheduling.models import RunKind
from residency.scheduling.repository import PUBLISHED
from residency.scheduling.runs.versions import published, scope_of

GRID = f"/blocks/{BLOCK}?year={YEAR}"
START, END = date(2026, 3, 10), date(2026, 4, 6)
EMPTY = "\N{EN DASH}"  # what an empty half-day shows
REASON = "covering a colleague's ward morning; approved by the PD"
_ROW = re.compile(r'<tr data-person="([^"]+)">(.*?)</tr>', re.S)
_CELL = re.compile(
    r'<td class="cell([^"]*)" data-day="([^"]+)" data-session="(AM|PM)"[^>]*>(.*?)</td>', re.S
)
Cells = dict[tuple[str, str], tuple[set[str], str]]  # (day, AM/PM) -> (classes, inner HTML)


def rows_of(page: str) -> dict[str, Cells]:
    return {
        key: {
            (day, half): (set(classes.split()), inner)
            for classes, day, half, inner in _CELL.findall(body)
        }
        for key, body in _ROW.findall(page)
    }


def abbreviation(inner: str) -> str:
    found = re.search(r'<span class="abbr">([^<]*)</span>', inner)
    assert found is not None, inner
    return html.unescape(found.group(1))


@pytest.fixture
def block_10(api: Api, cli_db: str, capsys: pytest.CaptureFixture[str]) -> Api:
    """Block 10 published (the suite's one quick solve of the mini block), r2 away one day."""
    assert main(generate_args()) == 0
    capsys.readouterr()
    with unit_of_work(api.engine) as session:
        r2 = session.scalar(select(Person.id).where(Person.key == "r2"))
        session.add(
            Absence(
                person_id=r2,
                absence_type=AbsenceType.MEDICAL,
                start_date=date(2026, 3, 20),
                end_date=date(2026, 3, 20),
            )
        )
    return api


def _get(api: Api, role: Role | dict[str, str], path: str) -> str:
    """The page as the role's fresh session sees it, or as the session of the Cookie given."""
    cookie = role if isinstance(role, dict) else cookie_of(api, role)
    answer = api.client.get(path, headers=cookie, follow_redirects=False)
    assert answer.status_code == 200, answer.text
    return answer.text


def _calls(api: Api) -> list[tuple[str, date]]:
    with unit_of_work(api.engine) as session:
        return [
            (key, night)
            for _, key, _, night in repo.call_nights_between(session, START, END, PUBLISHED)
        ]


def test_the_grid_shows_cells_in_their_colours_calls_post_call_and_absences(
    block_10: Api,
) -> None:
    page = _get(block_10, Role.COORDINATOR, GRID)
    rows = rows_of(page)
    assert list(rows)[:4] == ["r1", "r2", "r3", "r4"]  # by PGY (r2, r3 are PGY-2), then faculty
    assert '<th scope="rowgroup" colspan="57">PGY-1</th>' in page
    assert len(rows["r1"]) == 56  # 28 days, AM and PM
    # The fixture's plan puts r1 on the ward; the empty half-days show a dash.
    shown = {abbreviation(inner) for _, inner in rows["r1"].values()}
    assert "WARD" in shown and shown <= {"WARD", "CLIN", "CALL", EMPTY}, shown
    (ward_day, _), (classes, inner) = next(
        (cell, value) for cell, value in rows["r1"].items() if abbreviation(value[1]) == "WARD"
    )
    with unit_of_work(block_10.engine) as session:
        ward = session.scalar(
            select(RotationTemplate.id).where(RotationTemplate.abbreviation == "WARD")
        )
    assert f"rot-{ward}" in classes
    colours = re.search(r'href="(/blocks/colors\.css\?v=[0-9a-f]+)"', page)
    assert colours is not None
    css = block_10.client.get(colours.group(1), headers=cookie_of(block_10, Role.RESIDENT))
    assert css.headers["content-type"].startswith("text/css")
    # Inpatient's default fill, with black text (rotations/colors.py).
    assert f".rot-{ward} {{ background-color: #F4A6A6; color: #000000; }}" in css.text
    assert '<span class="swatch rot-' in page and "Ward rotation" in page  # the legend

    calls = _calls(block_10)
    assert calls, "the mini block has weekend calls"
    key, night = calls[0]
    assert 'class="mark call"' in rows[key][(night.isoformat(), "PM")][1]
    assert 'class="mark call"' not in rows[key][(night.isoformat(), "AM")][1]
    after = night + timedelta(days=1)
    if after <= END:
        assert 'class="mark post-call"' in rows[key][(after.isoformat(), "AM")][1]
    assert sum(
        inner.count('class="mark call"') for cells in rows.values() for _, inner in cells.values()
    ) == len(calls)

    away_classes, away = rows["r2"][("2026-03-20", "AM")]
    assert "away" in away_classes and 'title="medical"' in away
    assert "away" not in rows["r2"][("2026-03-19", "AM")][0]
    assert "off" in rows["r1"][("2026-03-14", "AM")][0]  # a Saturday is shaded
    assert "off" not in rows["r1"][("2026-03-13", "AM")][0]
    # A coordinator's cells are links to their edit form.
    edit = f"/blocks/{BLOCK}/edit?year={YEAR}&amp;person=r1&amp;day={ward_day}&amp;session=AM"
    assert f'<a href="{edit}"><span class="abbr">WARD</span>' in inner


# The filters and the access rules are the page's own logic over what the grid test reads on
# both engines: one engine is enough for them (the suite's time budget).
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_filters_keep_the_rows_asked_for(block_10: Api) -> None:
    def shown(query: str) -> list[str]:
        return [k for k in rows_of(_get(block_10, Role.COORDINATOR, GRID + query)) if k[0] == "r"]

    assert shown("") == ["r1", "r2", "r3", "r4"]
    assert shown("&pgy=2") == ["r2", "r3"]
    assert shown("&service=ELEC") == ["r3", "r4"]  # r4 is on ELEC the first half
    assert shown("&person=r4") == ["r4"]
    assert shown("&pgy=1&service=ELEC") == []
    assert "No one matches the filters" in _get(block_10, Role.COORDINATOR, GRID + "&pgy=9")


@SQLITE_ONLY
def test_residents_see_the_published_version_others_absences_only_as_absent(
    block_10: Api,
) -> None:
    page = _get(block_10, Role.RESIDENT, GRID)  # the resident is r1
    assert "Published schedule, revision 1." in page and "/runs/" not in page
    assert "/edit?" not in page  # no edit links
    rows = rows_of(page)
    assert 'title="absent"' in rows["r2"][("2026-03-20", "AM")][1]
    assert "medical" not in page
    assert re.search(r'data-day="2026-03-10" data-session="AM" tabindex="0">', page)  # focusable
    with unit_of_work(block_10.engine) as session:
        pointer = published(session, scope_of(RunKind.BLOCK_SCHEDULE, YEAR, BLOCK))
        assert pointer is not None
        run_id = pointer.run_id
    refused = block_10.client.get(
        f"{GRID}&run={run_id}", headers=cookie_of(block_10, Role.RESIDENT)
    )
    assert refused.status_code == 403 and "not a run&#39;s draft" in refused.text
    assert 'href="/blocks">Schedule</a>' in refused.text  # the 403 page keeps the navigation
    draft = _get(block_10, Role.COORDINATOR, f"{GRID}&run={run_id}")
    assert f'Draft of <a href="/runs/{run_id}">run {run_id}</a>' in draft
    # /blocks, the navigation's "Schedule", goes to a block.
    moved = block_10.client.get(
        "/blocks", headers=cookie_of(block_10, Role.RESIDENT), follow_redirects=False
    )
    assert moved.status_code == 303 and re.fullmatch(r"/blocks/\d+", moved.headers["location"])


def _elective_morning(api: Api) -> str:
    rows = rows_of(_get(api, Role.COORDINATOR, GRID))
    return min(
        day
        for (day, half), (_, inner) in rows["r3"].items()
        if half == "AM" and abbreviation(inner) == "ELEC"
    )


def _edits(api: Api) -> list[dict[str, object]]:
    with unit_of_work(api.engine) as session:
        query = select(AuditEvent).where(AuditEvent.action == "schedule.edit")
        return [dict(event.after or {}) for event in session.scalars(query)]


def test_a_coordinator_edits_a_cell_a_rule_break_is_refused_then_saved_with_a_reason(
    block_10: Api,
) -> None:
    api, coordinator = block_10, cookie_of(block_10, Role.COORDINATOR)
    day = _elective_morning(api)
    form_url = f"/blocks/{BLOCK}/edit?year={YEAR}&person=r3&day={day}&session=AM"
    form = _get(api, coordinator, form_url)
    assert '<option value="ELEC" selected>' in form
    token = csrf_in(form)
    cell = {"csrf_token": token, "person": "r3", "day": day, "session": "AM", "year": str(YEAR)}
    post = f"/blocks/{BLOCK}/edit"

    no_token = api.client.post(post, data=cell | {"csrf_token": ""}, headers=coordinator)
    assert no_token.status_code == 403 and _edits(api) == []

    refused = api.client.post(post, data=cell | {"rotation": "WARD"}, headers=coordinator)
    assert refused.status_code == 409, refused.text
    shown = refused.text.split('id="rotation-error"')[1].split("</div>")[0]
    assert '<strong class="rule">Eligibility</strong>' in shown
    assert '<option value="WARD" selected>' in refused.text  # what was typed is kept
    assert _edits(api) == []
    assert abbreviation(rows_of(_get(api, Role.COORDINATOR, GRID))["r3"][(day, "AM")][1]) == "ELEC"

    blank = api.client.post(
        post, data=cell | {"rotation": "WARD", "override_reason": "   "}, headers=coordinator
    )
    assert blank.status_code == 422 and _edits(api) == []
    assert field_error(blank.text, "override_reason") == (
        "override_reason: empty; say why the rule may be broken, or give none"
    )

    kept = api.client.post(
        post,
        data=cell | {"rotation": "WARD", "override_reason": REASON},
        headers=coordinator,
        follow_redirects=False,
    )
    assert kept.status_code == 303 and kept.headers["location"] == f"/blocks/{BLOCK}?year={YEAR}"
    after = api.client.get(
        kept.headers["location"],
        headers=coordinator
        | {"Cookie": coordinator["Cookie"] + "; " + kept.headers["set-cookie"].split(";")[0]},
    )
    assert "saved against the rules, with your override reason" in after.text
    assert abbreviation(rows_of(after.text)["r3"][(day, "AM")][1]) == "WARD"
    [audited] = _edits(api)
    assert (audited["rotation"], audited["override_reason"], audited["overridden"]) == (
        "WARD",
        REASON,
        True,
    )
    # The dashboard's "since the publish" reads the edit from this audit row (block 10 is the
    # latest published block; the test suite's today is outside the mini program's year).
    board = _get(api, coordinator, "/")
    edited = f'person=r3">r3, {day} AM</a>: ELEC to WARD, by coordinator@example.org at '
    assert edited in board.split('id="since-publish"')[1].split("</section>")[0]

    cleared = api.client.post(
        post, data=cell | {"rotation": ""}, headers=coordinator, follow_redirects=False
    )
    assert cleared.status_code == 303, cleared.text
    assert abbreviation(rows_of(_get(api, Role.COORDINATOR, GRID))["r3"][(day, "AM")][1]) == EMPTY
    assert len(_edits(api)) == 2

    for role in (Role.RESIDENT, Role.FACULTY):
        assert api.client.get(form_url, headers=cookie_of(api, role)).status_code == 403


_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def test_saving_a_cell_returns_to_the_grid_with_the_filters_it_was_opened_from(
    block_10: Api,
) -> None:
    api, coordinator = block_10, cookie_of(block_10, Role.COORDINATOR)
    day = _elective_morning(api)
    filtered = f"/blocks/{BLOCK}?year={YEAR}&pgy=2&service=ELEC&person=r3"
    link = re.search(
        r'<a href="([^"]+)">', rows_of(_get(api, coordinator, filtered))["r3"][(day, "AM")][1]
    )
    assert link is not None
    opened = html.unescape(link.group(1))
    assert opened == (
        f"/blocks/{BLOCK}/edit?year={YEAR}&grid_pgy=2&grid_service=ELEC&grid_person=r3"
        f"&person=r3&day={day}&session=AM"
    )
    form = _get(api, coordinator, opened)
    assert f'<a href="{html.escape(filtered)}">Back to the grid</a>' in form
    fields = dict(_HIDDEN.findall(form))
    assert {k: fields[k] for k in ("grid_pgy", "grid_service", "grid_person")} == {
        "grid_pgy": "2",
        "grid_service": "ELEC",
        "grid_person": "r3",
    }
    post = f"/blocks/{BLOCK}/edit"
    refused = api.client.post(post, data=fields | {"rotation": "WARD"}, headers=coordinator)
    assert refused.status_code == 409 and dict(_HIDDEN.findall(refused.text)) == fields
    saved = api.client.post(
        post, data=fields | {"rotation": ""}, headers=coordinator, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == filtered
    back = _get(api, coordinator, saved.headers["location"])
    assert [key for key in rows_of(back) if key[0] == "r"] == ["r3"]
    assert abbreviation(rows_of(back)["r3"][(day, "AM")][1]) == EMPTY


def test_an_edit_form_left_open_while_its_cell_changed_says_so_and_writes_nothing(
    block_10: Api,
) -> None:
    api, coordinator = block_10, cookie_of(block_10, Role.COORDINATOR)
    day = _elective_morning(api)
    form_url = f"/blocks/{BLOCK}/edit?year={YEAR}&person=r3&day={day}&session=AM"
    left_open = dict(_HIDDEN.findall(_get(api, coordinator, form_url)))
    assert left_open["was"] == "ELEC"
    post = f"/blocks/{BLOCK}/edit"
    other = dict(_HIDDEN.findall(_get(api, coordinator, form_url)))  # a second tab
    cleared = api.client.post(post, data=other | {"rotation": ""}, headers=coordinator)
    assert cleared.status_code == 200 and len(_edits(api)) == 1  # followed back to the grid

    stale = api.client.post(post, data=left_open | {"rotation": "CLIN"}, headers=coordinator)
    assert stale.status_code == 409, stale.text
    assert (
        f"r3 {day} AM changed since you opened this form: it held ELEC then and holds nothing "
        "now; choose again and save"
    ) in html.unescape(stale.text)
    assert len(_edits(api)) == 1
    assert abbreviation(rows_of(_get(api, Role.COORDINATOR, GRID))["r3"][(day, "AM")][1]) == EMPTY
    assert dict(_HIDDEN.findall(stale.text))["was"] == ""  # the form now shows the cell as it is
