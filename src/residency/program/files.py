"""Reading and writing program files (YAML)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from residency.errors import InputError
from residency.files import writable_output
from residency.program.schema import ProgramDocument
from residency.program.validation import parse_document


def read_program_file(path: Path) -> ProgramDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    return parse_document(load_yaml(text, str(path)), str(path))


def load_yaml(text: str, source: str) -> Any:
    """The file's data, before any check of what it holds."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise InputError(
            f"{source}:{where} is not valid YAML: {getattr(exc, 'problem', exc)}"
        ) from None


def dump_program(document: ProgramDocument) -> str:
    data = document.model_dump(mode="json")
    for rotation in data["rotations"]:  # written only when the program chose one
        if rotation["color"] is None:
            del rotation["color"]
        if rotation["active"]:  # written only for a deactivated template
            del rotation["active"]
    for resident in data["residents"]:  # JSON mode made the academic-year keys strings
        resident["pgy"] = {int(year): pgy for year, pgy in resident["pgy"].items()}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_program_file(path: Path, document: ProgramDocument, *, option: str = "PATH") -> None:
    """A path that cannot be written (a missing folder, no permission) is bad input."""
    text = dump_program(document)
    with writable_output(path, option):
        path.write_text(text, encoding="utf-8")
