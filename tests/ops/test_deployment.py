"""The deployment files (Dockerfile, docker-compose.yml, .env.example), checked without Docker:
no Docker engine runs on the development machines, so the topology docs/deployment.md
describes is read from the files themselves. The commands the stack runs are checked against
the real `residency` command and the worker's real routing table."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from celery import Celery
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from residency.cli import main
from residency.config import Settings
from residency.web import create_app
from residency.worker import ROUTES, celery_app

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
APP_SERVICES = ("web", "worker", "beat")
IMAGE_SERVICES = ("migrate", *APP_SERVICES)
SERVICES = {"db", "redis", "migrate", *APP_SERVICES}
# Commands that change the schema: only `migrate` may run one, so no container migrates on start.
SCHEMA_CHANGES = (("db", "upgrade"), ("db", "downgrade"), ("demo",), ("restore",))
POSTGRES_DATA = "/var/lib/postgresql/data"
ASSIGNMENT = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")
# ${NAME}, ${NAME:-default}, ${NAME:?error} and $NAME, but not $$ (the container's own $).
COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$(?:\{(\w+)(?:(:?[-?])([^}]*))?\}|([A-Za-z_]\w*))")
COMPILERS = re.compile(r"\b(gcc|g\+\+|cc|clang|make|cmake|build-essential)\b|\b[\w.+]+-dev\b")


@cache
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def services() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose()["services"]
    return found


def command(name: str) -> list[str]:
    """What the service runs: its own command, else its image's (ours: the Dockerfile's CMD)."""
    given = services()[name].get("command")
    if given is None:
        return final_stage().cmd if "build" in services()[name] else []
    return shlex.split(given) if isinstance(given, str) else [str(part) for part in given]


def env_example() -> dict[str, tuple[str, bool]]:
    """NAME -> (value, set): `NAME=value` is set, `# NAME=value` documents an optional one."""
    entries = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if found := ASSIGNMENT.match(line.strip()):
            entries[found[2]] = (found[3], found[1] is None)
    return entries


def interpolate(value: str) -> str:
    """As compose fills a value from a fresh copy of .env.example."""
    values = {name: value for name, (value, is_set) in env_example().items() if is_set}

    def fill(match: re.Match[str]) -> str:
        name, operator, default, bare = match.groups()
        return values.get(name or bare) or (default if operator in (":-", "-") else "")

    return COMPOSE_VARIABLE.sub(fill, value).replace("$$", "$")


class Stage:
    def __init__(self, base: str, name: str | None) -> None:
        self.base, self.name = base, name
        self.instructions: list[tuple[str, str]] = []

    def args(self, keyword: str) -> list[str]:
        return [rest for found, rest in self.instructions if found == keyword]

    @property
    def cmd(self) -> list[str]:
        cmds = self.args("CMD")
        return [str(part) for part in yaml.safe_load(cmds[-1])] if cmds else []


def dockerfile_stages() -> list[Stage]:
    lines, current = [], ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        lines.append(current + line)
        current = ""
    defaults: dict[str, str] = {}
    stages: list[Stage] = []
    for line in lines:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "ARG" and not stages and "=" in rest:
            name, _, value = rest.partition("=")
            defaults[name.strip()] = value.strip()
        elif keyword == "FROM":
            words = re.sub(r"\$\{(\w+)\}", lambda m: defaults.get(m[1], ""), rest).split()
            stages.append(Stage(words[0], words[2] if len(words) > 2 else None))
        elif stages:
            stages[-1].instructions.append((keyword, rest))
    return stages


def final_stage() -> Stage:
    return dockerfile_stages()[-1]


def test_the_stack_has_its_six_services() -> None:
    assert set(services()) == SERVICES


def test_the_database_is_checked_with_pg_isready_and_keeps_its_data_in_a_named_volume() -> None:
    db = services()["db"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    named = set(compose().get("volumes") or {})
    mounted = [volume.split(":") for volume in db.get("volumes", [])]
    sources = [parts[0] for parts in mounted if parts[1:2] == [POSTGRES_DATA]]
    assert sources and sources[0] in named


def test_redis_is_health_checked() -> None:
    assert "redis-cli ping" in " ".join(services()["redis"]["healthcheck"]["test"])


def test_migrate_upgrades_the_schema_once_when_the_database_is_healthy() -> None:
    migrate = services()["migrate"]
    assert command("migrate") == ["residency", "db", "upgrade"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_each_process_waits_for_the_migration_to_succeed(name: str) -> None:
    conditions = {
        dependency: rule["condition"] for dependency, rule in services()[name]["depends_on"].items()
    }
    assert conditions == {
        "db": "service_healthy",
        "redis": "service_healthy",
        "migrate": "service_completed_successfully",
    }


def test_only_migrate_changes_the_schema() -> None:
    assert not [name for name, service in services().items() if "entrypoint" in service]
    for name in SERVICES - {"migrate"}:
        argv = command(name)
        changes = [
            change for change in SCHEMA_CHANGES if tuple(argv[1 : 1 + len(change)]) == change
        ]
        assert not changes, name
    assert final_stage().cmd[:2] == ["residency", "serve"]  # the image alone does not migrate


def test_web_listens_on_every_interface_and_publishes_its_port() -> None:
    argv = command("web")
    assert argv[:2] == ["residency", "serve"]
    assert argv[argv.index("--host") + 1] == "0.0.0.0"
    port = argv[argv.index("--port") + 1]
    published = [interpolate(str(entry)).rsplit(":", 1)[-1] for entry in services()["web"]["ports"]]
    assert port in published


def _bind_mounts(service: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(host path, container path) of each bind mount; a named volume is not one."""
    named = set(compose().get("volumes") or {})
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            source, target = volume.get("source", ""), volume["target"]
            is_bind = volume.get("type") == "bind"
        else:
            source, target = interpolate(volume).split(":")[:2]
            is_bind = source.startswith(("/", ".", "~"))
        if is_bind and source not in named:
            yield source, target


def test_backups_go_to_a_host_folder_in_every_service_that_writes_them() -> None:
    writers = {
        name: service["environment"]["RESIDENCY_BACKUP_DIR"]
        for name, service in services().items()
        if "RESIDENCY_BACKUP_DIR" in service.get("environment", {})
    }
    assert set(APP_SERVICES) <= set(writers)
    for name, folder in writers.items():
        assert folder in {target for _, target in _bind_mounts(services()[name])}, name


# Celery's worker loop is replaced by a recorder: what is tested is which queues the compose
# file's command hands Celery (tests/worker runs a real worker). SQLite only: the database is
# not what is tested, only needed by the worker's schema check.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_worker_consumes_every_routed_queue(cli_db: str, cli_env: pytest.MonkeyPatch) -> None:
    handed: list[list[str]] = []
    cli_env.setattr(Celery, "worker_main", lambda app, argv: handed.append(argv))
    cli_env.setenv("RESIDENCY_REDIS_URL", "redis://127.0.0.1:6379/0")  # never connected to
    argv = command("worker")
    assert argv[:2] == ["residency", "worker"]
    celery_app.cache_clear()
    try:
        assert main(argv[1:]) == 0
    finally:
        celery_app.cache_clear()
    (celery_argv,) = handed
    consumed = set(celery_argv[celery_argv.index("--queues") + 1].split(","))
    assert {route["queue"] for route in ROUTES.values()} <= consumed


@pytest.mark.parametrize("name", ["migrate", "web", "worker", "beat"])
def test_each_command_is_one_residency_accepts(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The arguments parse (an unknown command or option is exit 2); --help runs nothing."""
    argv = command(name)
    assert argv[0] == "residency"
    assert main([*argv[1:], "--help"]) == 0, capsys.readouterr().err


def test_every_variable_the_stack_uses_is_in_env_example() -> None:
    documented = env_example()
    text = ENV_EXAMPLE.read_text()
    used = COMPOSE_VARIABLE.findall(COMPOSE.read_text())
    for name, operator, _, bare in used:
        assert (name or bare) in documented, name or bare
        if operator in (":?", "?"):  # required: set in the copy, not only described
            assert documented[name][1], name
    for name in IMAGE_SERVICES:
        for variable in services()[name].get("environment", {}):
            assert re.search(rf"\b{variable}\b", text), (name, variable)


def test_env_example_names_only_real_settings() -> None:
    known = {f"RESIDENCY_{field.upper()}" for field in Settings.model_fields}
    assert [name for name in env_example() if name.startswith("RESIDENCY_")]
    assert {name for name in env_example() if name.startswith("RESIDENCY_")} <= known


def test_secrets_come_from_an_env_file_that_git_ignores() -> None:
    for name in IMAGE_SERVICES:
        assert services()[name]["env_file"] == ".env", name
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_the_image_is_built_in_stages_from_the_lock_file() -> None:
    stages = dockerfile_stages()
    assert len(stages) >= 2
    builders = [stage for stage in stages[:-1] if stage.name]
    locked = [
        stage
        for stage in builders
        if any("uv.lock" in copied for copied in stage.args("COPY"))
        and any("uv sync" in run and "--frozen" in run for run in stage.args("RUN"))
    ]
    assert locked
    copied = " ".join(final_stage().args("COPY"))
    assert set(re.findall(r"--from=(\S+)", copied)) == {locked[0].name}  # the venv, built there


def test_the_image_runs_as_a_non_root_user() -> None:
    users = final_stage().args("USER")
    assert users and users[-1].split(":")[0] not in ("root", "0")


def test_the_final_image_has_no_compiler() -> None:
    final = final_stage()
    assert "slim" in final.base  # the full python images ship gcc
    assert not [run for run in final.args("RUN") if COMPILERS.search(run)]


def test_the_image_has_pg_dump_of_the_database_major_version() -> None:
    client = re.findall(r"postgresql-client-(\d+)", " ".join(final_stage().args("RUN")))
    server = re.match(r"postgres:(\d+)", services()["db"]["image"])
    assert server and client == [server[1]]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # as above: the route, not SQL
def test_the_image_health_check_asks_a_route_that_answers(db_engine: Engine) -> None:
    (check,) = final_stage().args("HEALTHCHECK")
    path = re.findall(r"http://127\.0\.0\.1:8000(/[\w/]*)", check)
    with TestClient(create_app(db_engine, Settings(redis_url=None))) as client:
        assert path and client.get(path[0]).status_code == 200
