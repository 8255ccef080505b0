"""The operations page, `/admin/operations` (ops/pages.py): the backups the API's
/api/v1/operations/backups lists, and the doctor's checks over the server's own database, each
with its name, status, detail and fix. Read-only: SQLite only."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fixtures.api import Api
from fixtures.pages import cookie_of
from residency.auth.models import Role
from residency.config import Settings
from residency.ops.backup import take_backup
from residency.ops.doctor import installation_checks
from residency.web import create_app

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
_CHECK = re.compile(r'<tr data-check="([^"]+)" data-status="([^"]+)">')
_BACKUP = re.compile(r'<tr data-backup="([^"]+)">(.*?)</tr>', re.S)


def _page(api: Api, folder: Path) -> str:
    with TestClient(create_app(api.engine, Settings(backup_dir=folder))) as client:
        answer = client.get("/admin/operations", headers=cookie_of(api, Role.ADMIN))
    assert answer.status_code == 200, answer.text
    return answer.text


def _checks(page: str) -> dict[str, str]:
    return {html.unescape(name): status for name, status in _CHECK.findall(page)}


def test_the_page_lists_the_backups_and_every_check(
    api: Api, db_engine: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    taken = take_backup(db_engine, folder)
    page = _page(api, folder)
    rows = _BACKUP.findall(page)
    assert [name for name, _ in rows] == [taken.dump.name]
    cells = [html.unescape(c) for c in re.findall(r"<td>([^<]*)</td>", rows[0][1])]
    manifest = taken.manifest
    assert cells[1:4] == [manifest.created_at, "sqlite", manifest.alembic_revision]
    assert cells[5] == manifest.reason
    expected = installation_checks(Settings(backup_dir=folder), api.engine)
    assert _checks(page) == {c.name: c.status for c in expected}
    for name in ("database reachable", "schema at head", "backup folder exists", "newest backup"):
        assert _checks(page)[name] == "ok", name
    # The backups sit beside the test's database file: the doctor fails that, and says so.
    assert _checks(page)["backup folder outside the database's storage"] == "fail"
    assert "a check fails" in page


def test_no_backup_is_a_failed_check_with_its_fix(api: Api, tmp_path: Path) -> None:
    folder = tmp_path / "none-yet"
    folder.mkdir()
    (folder / "broken.manifest.json").write_text("{not json", encoding="utf-8")
    page = _page(api, folder)
    assert _checks(page)["newest backup"] == "fail" and "a check fails" in page
    row = page.split('data-check="newest backup"')[1].split("</tr>")[0]
    assert f"no backup in {folder}" in html.unescape(row) and "residency backup" in row
    assert f"No backup in {folder}." in html.unescape(page)
    assert "broken.manifest.json" in html.unescape(page)  # the listing's problem is shown
