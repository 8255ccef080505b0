"""`residency doctor`: passes on a healthy setup, fails on each broken condition with its fix."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from residency.cli import main
from residency.config import get_settings
from residency.db import build_engine
from residency.ops.backup import take_backup
from residency.ops.backup_store import store_for
from residency.ops.doctor import Check, Limits, run_checks
from residency.scheduling import preflight
from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.preflight import LEVELS

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def healthy(demo_db: str, backup_dir: Path, cli_env: pytest.MonkeyPatch) -> str:
    take_backup(build_engine(demo_db), backup_dir)
    cli_env.setenv("RESIDENCY_REDIS_URL", REDIS_URL)
    return demo_db


def checks_now(**kwargs: object) -> dict[str, Check]:
    get_settings.cache_clear()
    return {check.name: check for check in run_checks(get_settings(), **kwargs)}  # type: ignore[arg-type]


def only_failure(checks: dict[str, Check]) -> Check:
    failures = [check for check in checks.values() if check.status == "fail"]
    assert len(failures) == 1, failures
    assert failures[0].fix, failures[0]
    return failures[0]


def test_a_healthy_setup_passes(healthy: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(line.startswith(("OK", "SKIP", "WARN")) for line in lines), lines
    names = " ".join(lines)
    for name in ("database reachable", "schema at head", "annual constraint registry complete",
                 "block constraint registry complete",
                 "backup folder writable", "outside the database's storage", "newest backup",
                 "redis reachable", "free disk"):  # fmt: skip
        assert name in names
    assert "OK    redis reachable" in names


def test_json_lists_every_check(healthy: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert {"name", "status", "detail", "fix"} <= set(report["checks"][0])


def test_an_unreachable_database_fails(
    healthy: str, backend: str, cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if backend == "sqlite":
        broken = f"sqlite:///{Path(make_url(healthy).database or '').parent / 'gone' / 'x.db'}"
    else:
        broken = make_url(healthy).set(port=1).render_as_string(hide_password=False)
    cli_env.setenv("RESIDENCY_DATABASE_URL", broken)
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  database reachable" in out and "(fix:" in out
    assert "SKIP  schema at head" in out
    if backend == "sqlite":
        assert not Path(make_url(broken).database or "").parent.exists()  # the doctor only looks


def test_a_schema_behind_the_code_fails(healthy: str) -> None:
    with build_engine(healthy).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    failure = only_failure(checks_now())
    assert failure.name == "schema at head" and "0042" in failure.detail


def test_both_constraint_registries_are_checked(healthy: str) -> None:
    checks = checks_now()
    assert checks["annual constraint registry complete"].detail.startswith("12 constraints")
    assert checks["block constraint registry complete"].detail.startswith("34 constraints")
    assert {checks[f"{lv} constraint registry complete"].status for lv in LEVELS} == {"ok"}


def test_an_incomplete_block_registry_fails_naming_the_level(
    healthy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preflight, "REGISTRY", REGISTRY[1:])
    failure = only_failure(checks_now())
    assert failure.name == "block constraint registry complete"
    assert failure.detail == f"missing: {REGISTRY[0].name}"
    assert "scheduling/engine/constraints/registry.py" in (failure.fix or "")


def test_an_incomplete_annual_registry_fails_naming_the_level(
    healthy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preflight, "ANNUAL_REGISTRY", (*ANNUAL_REGISTRY, ANNUAL_REGISTRY[0]))
    failure = only_failure(checks_now())
    assert failure.name == "annual constraint registry complete"
    assert failure.detail == f"duplicated: {ANNUAL_REGISTRY[0].name}"
    assert "scheduling/engine/annual/constraints/registry.py" in (failure.fix or "")


def test_a_missing_backup_folder_fails(
    healthy: str, tmp_path: Path, cli_env: pytest.MonkeyPatch
) -> None:
    cli_env.setenv("RESIDENCY_BACKUP_DIR", str(tmp_path.parent / "no-such-folder"))
    checks = checks_now()
    assert checks["backup folder exists"].status == "fail"
    assert "mkdir -p" in (checks["backup folder exists"].fix or "")
    assert checks["newest backup"].status == "fail"


def test_an_unwritable_backup_folder_fails(healthy: str, cli_env: pytest.MonkeyPatch) -> None:
    # Even root cannot create files in /proc; chmod would not stop root.
    cli_env.setenv("RESIDENCY_BACKUP_DIR", "/proc/self")
    checks = checks_now()
    assert checks["backup folder writable"].status == "fail"


def test_a_backup_folder_inside_the_database_storage_fails(
    healthy: str, cli_env: pytest.MonkeyPatch
) -> None:
    storage = store_for(build_engine(healthy)).storage_folder()
    assert storage is not None
    cli_env.setenv("RESIDENCY_BACKUP_DIR", str(storage / "backups"))
    check = checks_now()["backup folder outside the database's storage"]
    assert check.status == "fail" and "RESIDENCY_BACKUP_DIR" in (check.fix or "")


def test_an_old_newest_backup_fails(healthy: str, backup_dir: Path) -> None:
    later = datetime.now(UTC) + timedelta(days=3)
    failure = only_failure(checks_now(now=later))
    assert failure.name == "newest backup" and "limit 26.0 h" in failure.detail
    assert failure.fix == "residency backup"


def test_an_unreachable_redis_fails(healthy: str, cli_env: pytest.MonkeyPatch) -> None:
    cli_env.setenv("RESIDENCY_REDIS_URL", "redis://127.0.0.1:1/0")
    failure = only_failure(checks_now())
    assert failure.name == "redis reachable"


def test_too_little_free_disk_fails(healthy: str) -> None:
    checks = checks_now(limits=Limits(min_free_bytes=1 << 60))
    assert checks["free disk (backup folder)"].status == "fail"
