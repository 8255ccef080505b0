"""Turning a raw program file into a ProgramDocument, or into one message that names the entry,
the field and the problem. Nothing is written unless the whole file is valid."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from pydantic import ValidationError

from residency.errors import InputError
from residency.program.schema import CurriculumEntry, Faculty, ProgramDocument, Resident

_ENTRY_NAMES = ("key", "abbreviation", "person", "rotation")


class Problem(NamedTuple):
    field: str  # the entry's path in the document, e.g. residents.3.pgy (the API names it)
    message: str


def field_path(loc: Iterable[int | str]) -> str:
    return ".".join(str(part) for part in loc) or "body"


def _entry_label(raw: Any, loc: tuple[int | str, ...]) -> str:
    """'residents[3] (r-pgy1-04).pgy.2025' from a pydantic location and the raw data."""
    parts: list[str] = []
    node = raw
    for part in loc:
        if isinstance(part, int):
            parts[-1] += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            name = next(
                (node[k] for k in _ENTRY_NAMES if isinstance(node, dict) and k in node), None
            )
            if name is not None:
                parts[-1] += f" ({name})"
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts) or "file"


def _describe(error: dict[str, Any]) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] in ("missing", "extra_forbidden") or "input" not in error:
        return message.lower() if error["type"] == "missing" else "unknown field"
    value = error["input"]
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    return f"{message} (got {shown})"


def problem_of(raw: Any, error: Any) -> Problem:
    """One pydantic error about an entry of the file (or one entry alone, as a form sends it):
    its path, and the message the program file gives, naming the field, the rule and the
    value."""
    loc = tuple(error["loc"])
    return Problem(field_path(loc), f"{_entry_label(raw, loc)}: {_describe(dict(error))}")


def parse_document(raw: Any, source: str) -> ProgramDocument:
    document, problems = checked_document(raw, source)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise InputError(f"{problems[0].message}{more}", field=problems[0].field)
    assert document is not None
    return document


def checked_document(raw: Any, source: str) -> tuple[ProgramDocument | None, list[Problem]]:
    """The document, or every problem of the file, each message naming the file, the entry and
    the field (the web page lists them all; the CLI and the API say the first)."""
    if not isinstance(raw, dict):
        expected = "expected a mapping with a 'program' entry"
        return None, [Problem("body", f"{source}: not a program file ({expected})")]
    try:
        document = ProgramDocument.model_validate(raw)
    except ValidationError as exc:
        return None, [
            Problem(
                field_path(error["loc"]),
                f"{source}: {_entry_label(raw, tuple(error['loc']))}: {_describe(dict(error))}",
            )
            for error in exc.errors()
        ]
    found = [Problem(p.field, f"{source}: {p.message}") for p in cross_entry_problems(document)]
    return (None, found) if found else (document, [])


def check_entries(document: ProgramDocument, source: str) -> None:
    """The rules that relate entries to each other, once every entry is valid by itself."""
    problems = list(cross_entry_problems(document))
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise InputError(f"{source}: {problems[0].message}{more}", field=problems[0].field)


def _repeats(entries: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Each value given more than once -> the path of the entry that repeats it first."""
    seen: set[str] = set()
    repeated: dict[str, str] = {}
    for path, value in entries:
        if value and value in seen:
            repeated.setdefault(value, path)
        if value:
            seen.add(value)
    return repeated


def _people(doc: ProgramDocument) -> list[tuple[str, Resident | Faculty]]:
    return [
        *((f"residents.{i}", r) for i, r in enumerate(doc.residents)),
        *((f"faculty.{i}", f) for i, f in enumerate(doc.faculty)),
    ]


def cross_entry_problems(doc: ProgramDocument) -> Iterable[Problem]:
    people = _people(doc)
    for key, path in _repeats((path, p.key) for path, p in people).items():
        yield Problem(
            f"{path}.key",
            f"people: key {key!r} is used by more than one person (keys must be unique)",
        )
    for email, path in _repeats((path, p.email) for path, p in people).items():
        yield Problem(f"{path}.email", f"people: email {email!r} is used by more than one person")
    rotations = [(f"rotations.{i}", r) for i, r in enumerate(doc.rotations)]
    for abbreviation, path in _repeats((path, r.abbreviation) for path, r in rotations).items():
        yield Problem(
            f"{path}.abbreviation",
            f"rotations: abbreviation {abbreviation!r} is used by more than one rotation",
        )
    for name, path in _repeats((path, r.name) for path, r in rotations).items():
        yield Problem(f"{path}.name", f"rotations: name {name!r} is used by more than one rotation")
    keys = {p.key for _, p in people}
    for index, absence in enumerate(doc.absences):
        if absence.person not in keys:
            label = f"absences[{index}] ({absence.person})"
            yield Problem(
                f"absences.{index}.person", f"{label}.person: no person has key {absence.person!r}"
            )
    yield from _fixed_rotation_problems(doc)
    yield from _curriculum_problems(doc)


def curriculum_rotation_problem(
    entry: CurriculumEntry, eligible_pgy: Collection[int], half_block: bool
) -> tuple[str, str] | None:
    """What a curriculum entry asks that its rotation does not offer, as (the entry's field,
    the sentence): the program file's check and the curriculum page's (rotations/rules.py)."""
    if entry.pgy not in eligible_pgy and entry.max_blocks > 0:
        return "pgy", f"{entry.rotation} is not open to PGY-{entry.pgy}"
    if not half_block and entry.min_blocks != int(entry.min_blocks):
        return "min_blocks", f"{entry.rotation} runs whole blocks, not halves"
    return None


def _curriculum_problems(doc: ProgramDocument) -> Iterable[Problem]:
    rotations = {r.abbreviation: r for r in doc.rotations}
    known = ", ".join(sorted(rotations)) or "none defined"
    seen: set[tuple[int, str]] = set()
    for index, entry in enumerate(doc.curriculum):
        label, path = (
            f"curriculum[{index}] (PGY-{entry.pgy} {entry.rotation})",
            f"curriculum.{index}",
        )
        rotation = rotations.get(entry.rotation)
        if rotation is None:
            yield Problem(
                f"{path}.rotation",
                f"{label}.rotation: unknown rotation abbreviation {entry.rotation!r} ({known})",
            )
        elif found := curriculum_rotation_problem(
            entry, rotation.eligible_pgy, rotation.half_block
        ):
            field, sentence = found
            shown = label if field == "pgy" else f"{label}.{field}"
            yield Problem(f"{path}.{field}", f"{shown}: {sentence}")
        if (entry.pgy, entry.rotation) in seen:
            yield Problem(path, f"{label}: a second requirement for the same level and rotation")
        seen.add((entry.pgy, entry.rotation))
    for index, rule in enumerate(doc.staffing_rules):
        if rule.rotation not in rotations:
            yield Problem(
                f"staffing_rules.{index}.rotation",
                f"staffing_rules[{index}] ({rule.rotation}).rotation: unknown rotation "
                f"abbreviation {rule.rotation!r} ({known})",
            )


def _fixed_rotation_problems(doc: ProgramDocument) -> Iterable[Problem]:
    rotations = {r.abbreviation: r for r in doc.rotations}
    residents = {r.key: r for r in doc.residents}
    taken: set[tuple[str, int, int, int]] = set()
    for index, entry in enumerate(doc.fixed_rotations):
        label, path = f"fixed_rotations[{index}] ({entry.person})", f"fixed_rotations.{index}"
        rotation = rotations.get(entry.rotation)
        resident = residents.get(entry.person)
        if resident is None:
            yield Problem(f"{path}.person", f"{label}.person: no resident has key {entry.person!r}")
        elif rotation is None:
            known = ", ".join(sorted(rotations)) or "none defined"
            yield Problem(
                f"{path}.rotation",
                f"{label}.rotation: unknown rotation abbreviation {entry.rotation!r} ({known})",
            )
        elif entry.academic_year not in doc.program.academic_years:
            yield Problem(
                f"{path}.academic_year",
                f"{label}.academic_year: {entry.academic_year} is not in program.academic_years",
            )
        elif entry.academic_year not in resident.pgy:
            yield Problem(
                f"{path}.academic_year",
                f"{label}: no PGY level for academic year {entry.academic_year}",
            )
        elif resident.pgy[entry.academic_year] not in rotation.eligible_pgy:
            yield Problem(
                f"{path}.rotation",
                f"{label}.rotation: {entry.rotation} is not open to PGY-"
                f"{resident.pgy[entry.academic_year]} (eligible: {rotation.eligible_pgy})",
            )
        slot = (entry.person, entry.academic_year, entry.block, entry.half)
        if slot in taken:
            yield Problem(
                f"{path}.block",
                f"{label}: a second rotation for block {entry.block} half {entry.half}",
            )
        taken.add(slot)
