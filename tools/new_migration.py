"""Autogenerate the next migration from the models.

Usage: .venv/bin/python tools/new_migration.py "what it does"


Builds a scratch SQLite database at the current head, compares it with the models and writes
src/residency/migrations/versions/NNNN_what_it_does.py with revision id NNNN. Review it."""

import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command

from residency.db import build_engine
from residency.ops.migrations import alembic_config, code_head, upgrade


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    next_id = f"{int(code_head()) + 1:04d}"
    with tempfile.TemporaryDirectory() as scratch:
        engine = build_engine(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        upgrade(engine)
        config = alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            scripts = command.revision(
                config, message=sys.argv[1], autogenerate=True, rev_id=next_id
            )
    for script in scripts if isinstance(scripts, list) else [scripts]:
        if script is not None:
            tidy(Path(script.path))


def tidy(path: Path) -> None:
    """Drop Alembic's 'please adjust' banners and format like the rest of the code."""
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if "### " not in line))
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(path)], check=True)


if __name__ == "__main__":
    main()
