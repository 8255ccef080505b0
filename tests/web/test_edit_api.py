"""Manual edits through the API: bad input names the request's field and writes nothing; a
rule break is refused with the rules as `reasons`, and kept with an override reason."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from fixtures.api import Api
from fixtures.block_program import BLOCK, YEAR, generate_args
from residency.audit.models import AuditEvent
from residency.auth.models import Role
from residency.cli import main
from residency.db import unit_of_work
from residency.scheduling.models import Assignment

SLOT = f"/api/v1/blocks/{YEAR}/{BLOCK}/edits/slot"
REASON = "covering a colleague's ward morning; approved by the PD"


def _rows(api: Api) -> tuple[int, int]:
    with unit_of_work(api.engine) as session:
        return (
            session.scalar(select(func.count()).select_from(Assignment)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


@pytest.fixture
def published(api: Api, cli_db: str, capsys: pytest.CaptureFixture[str]) -> Api:
    assert main(generate_args()) == 0  # the suite's one solve of the mini block
    capsys.readouterr()
    return api


def _edit(api: Api, **body: Any) -> Any:
    cell = {"person_key": "r3", "day": "2026-03-11", "session": "AM", "rotation": "ELEC"}
    return api.client.post(SLOT, json=cell | body, headers=api.headers(Role.COORDINATOR))


BAD_EDITS: list[tuple[dict[str, Any], str]] = [
    ({"day": "2026-05-01"}, "day"),
    ({"person_key": "nobody"}, "person_key"),
    ({"rotation": "NOPE"}, "rotation"),
    ({"run_id": 999_999}, "run_id"),
    ({"override_reason": "   "}, "override_reason"),
]


def test_bad_edits_name_the_request_field_and_write_nothing(published: Api) -> None:
    # One published block for every bad edit: a refused edit writes nothing, so each one
    # finds the block as the first did (a solve and publish per case would cost seconds).
    before = _rows(published)
    wrong = []
    for change, field in BAD_EDITS:
        answer = _edit(published, **change)
        named = answer.json().get("error", {}).get("field")
        if not 400 <= answer.status_code < 500 or named != field:
            wrong.append((change, answer.status_code, answer.text))
        if _rows(published) != before:
            wrong.append((change, "wrote rows"))
    assert wrong == []


def test_a_rule_break_is_refused_with_its_rules_and_kept_with_a_reason(published: Api) -> None:
    before = _rows(published)
    refused = _edit(published, rotation="WARD")  # r3 is on ELEC: another rotation's work
    assert refused.status_code == 409, refused.text
    assert any("Eligibility" in reason for reason in refused.json()["error"]["reasons"])
    assert _rows(published) == before
    kept = _edit(published, rotation="WARD", override_reason=REASON)
    assert kept.status_code == 200, kept.text
    assert kept.json()["overridden"] is True
    assert "Eligibility" in {finding["rule"] for finding in kept.json()["findings"]}
