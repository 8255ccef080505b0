"""`residency serve` as its own process: it serves the same accounts as any other process on
the database (a logout in one is seen at once by the other), and refuses a wrong schema."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures.api import Api
from residency.auth.models import Role

SERVE_STARTUP_S = 60  # a bound on waiting, not a performance claim


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


RESIDENCY = str(Path(sys.executable).parent / "residency")


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "RESIDENCY_DATABASE_URL": url}


def get(url: str, token: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10):
            return 200
    except urllib.error.HTTPError as answer:
        return answer.code
    except urllib.error.URLError:  # not listening yet
        return 0


@pytest.fixture
def served(api: Api, db_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:  # a file, not a pipe nobody reads (a full pipe blocks it)
        server = subprocess.Popen(
            [RESIDENCY, "serve", "--port", str(port)],
            env=_env(db_url),
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:  # whatever fails from here on, the server is stopped
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVE_STARTUP_S
        while get(f"{base}/healthz") != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"residency serve did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def test_a_logout_in_one_process_ends_the_session_in_another(api: Api, served: str) -> None:
    token = api.token(Role.COORDINATOR)
    assert get(f"{served}/api/v1/me", token) == 200
    logout = api.client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert logout.status_code == 200
    assert get(f"{served}/api/v1/me", token) == 401
    assert get(f"{served}/readyz") == 200


# The refusal is require_current_schema's, tested on both engines in tests/ops; here, that the
# server prints it and stops (a process start costs seconds: once is enough).
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_serve_refuses_a_database_at_another_schema(empty_db_url: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [RESIDENCY, "serve", "--port", str(free_port())],
        env=_env(empty_db_url),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=SERVE_STARTUP_S,
    )
    stderr = done.stderr
    assert done.returncode == 3
    assert stderr.count("\n") == 1 and stderr.startswith("error: ")
    assert "residency db upgrade" in stderr


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the document is the app's
def test_the_openapi_document_needs_a_signed_in_user(api: Api) -> None:
    assert api.client.get("/api/v1/openapi.json").status_code == 401
    document = api.client.get("/api/v1/openapi.json", headers=api.headers(Role.RESIDENT)).json()
    assert document["info"]["title"] == "Residency Scheduler"
    assert "post" in document["paths"]["/api/v1/auth/login"]
