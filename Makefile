# Two commands for a fresh machine with Python 3.11+ and make:
#   make demo   installs everything into .venv/ and runs the main job on the embedded SQLite database
#   make test   installs everything into .venv/ and runs lint, type checks and the whole test suite
PYTHON ?= python3
VENV   := .venv
UV     := $(VENV)/bin/uv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.synced
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
# Python caches compiled modules (.pyc, and pytest's rewritten test modules) unless this is set;
# with it set, every process of the suite (two pytest workers, each CLI and server it starts)
# compiles each module it imports again: seconds per process (docs/development.md, "Keeping the suite within 5 minutes").
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install demo test lint pytest lock clean

# uv is bootstrapped with pip from a hash-pinned file, then installs the locked set (uv.lock).
$(UV): requirements-bootstrap.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-bootstrap.txt

$(STAMP): $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python $(BIN)/python
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/residency demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Two processes, one per core; --dist loadscope keeps a module's tests (the SQLite and the
# PostgreSQL half of each) in one process, which solves their shared problem once.
PYTEST_WORKERS ?= 2

pytest: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

# Lint beside the tests: mypy's first run in a fresh clone takes most of a minute on one core.
# --output-sync keeps each one's output together.
test: install
	$(MAKE) --no-print-directory -j2 --output-sync=target lint pytest

# After editing dependencies in pyproject.toml: re-lock and re-pin the bootstrap uv.
lock: $(UV)
	$(UV) lock
	$(BIN)/python tools/pin_bootstrap.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
