# syntax=docker/dockerfile:1
# The Residency Scheduler image: the exact dependency set of uv.lock in a virtual environment,
# built in one stage and copied alone into a clean one that has no compiler and runs as a
# non-root user. One image for every role: docker-compose.yml picks the command (serve, worker,
# beat, db upgrade). docs/deployment.md says how to build and run it.
#
# The base is pinned by tag. A digest (python:3.11.13-slim-bookworm@sha256:...) would pin it
# exactly; it could not be looked up where this file was written (no Docker engine there), so
# add it on a host that can (`docker buildx imagetools inspect python:3.11.13-slim-bookworm`).
# Both stages must use the same base: the venv's interpreter is /usr/local/bin/python3.11.
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder

# Bytecode compiled once here (the runtime user cannot write into the venv); copies rather than
# hard links, because uv's cache is a separate mount; never a downloaded interpreter.
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# uv itself, hash-checked, exactly as `make install` bootstraps it.
COPY requirements-bootstrap.txt /tmp/requirements-bootstrap.txt
RUN python -m venv /opt/bootstrap \
    && /opt/bootstrap/bin/pip install --no-cache-dir --require-hashes --no-deps \
        -r /tmp/requirements-bootstrap.txt

WORKDIR /src

# The locked dependencies first, in a layer of their own, so a code change does not reinstall
# them. --frozen: install uv.lock as it is, never re-resolve. Every locked package ships a
# manylinux wheel for CPython 3.11 (psycopg-binary bundles libpq, ortools is self-contained),
# so nothing is compiled.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    /opt/bootstrap/bin/uv sync --frozen --no-dev --no-editable --no-install-project

# Then the project, as a regular (not editable) install: the venv holds the package, its
# migrations (src/residency/migrations) included, and needs no source tree. Building it fetches
# the build backend pinned in pyproject.toml ([build-system], hatchling).
COPY README.md ./
COPY src ./src
RUN --mount=type=cache,target=/root/.cache/uv \
    /opt/bootstrap/bin/uv sync --frozen --no-dev --no-editable


FROM ${PYTHON_IMAGE} AS runtime

# `residency backup` and `restore` on PostgreSQL run pg_dump and pg_restore
# (src/residency/ops/backup_postgres.py), which must be of the server's major version:
# PostgreSQL 15 in docker-compose.yml, so Debian bookworm's postgresql-client-15. Binaries from
# Debian's packages; no compiler, no headers.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

# A fixed uid, so the host's backup folder can be given to it (docs/deployment.md). Its home is
# the working folder: the only place it may write besides /backups (Celery beat keeps its
# schedule file in the working folder); the venv stays root's and read-only.
RUN groupadd --system --gid 10001 residency \
    && useradd --system --uid 10001 --gid residency --home-dir /var/lib/residency \
        --create-home --shell /usr/sbin/nologin residency \
    && install -d -o residency -g residency -m 0750 /backups

COPY --from=builder /app/.venv /app/.venv

ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /var/lib/residency
USER residency

EXPOSE 8000

# The slim base has no curl: Python asks the liveness route (anonymous, no database touched).
# Only the web container serves HTTP; docker-compose.yml turns this off for the others.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["residency", "serve", "--host", "0.0.0.0", "--port", "8000"]
