"""The program file on the web: `/program/file` offers the export (`GET /program/file/export`,
the YAML file `residency program export` writes) and an upload that is previewed before it is
applied. The preview validates the file as `residency program import` does (program/files.py,
validation.py), lists every problem with its path in the file, or every entry the import would
create or update (program/changes.py preview_import, in a savepoint that is rolled back).

"Apply" must import exactly the previewed file. Nothing is stored between the two requests:
the preview page carries the file's bytes (compressed, base64) in a hidden field with an HMAC
of them bound to the session (web/csrf.py session_signature), so the apply request proves it
sends the very file this session previewed, unchanged, without asking the coordinator to
upload it again (a second upload could be another file). The signature also covers a
fingerprint of the changes shown: when the database changed in between, so that the file would
now change other entries, apply writes nothing and shows the new preview (409), a stale form
that says so instead of overwriting. Otherwise apply validates and imports the file for real,
which writes the import's one audit row."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zlib
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.errors import InputError
from residency.program.changes import ImportChanges, apply_import, preview_import
from residency.program.export import export_program
from residency.program.files import dump_program, load_yaml
from residency.program.schema import ProgramDocument
from residency.program.validation import Problem, checked_document
from residency.web import csrf
from residency.web.deps import transaction
from residency.web.page_deps import page_user, see_other
from residency.web.templating import flash, render

router = APIRouter(include_in_schema=False)
SIGNED = "program-file"  # the signature's purpose: it signs nothing else
EXPORT_NAME = "program.yaml"
NAME_LENGTH = 128  # of the uploaded file's name, which the messages repeat
EDITOR = Depends(page_user(Permission.EDIT_PROGRAM))


@dataclass(frozen=True)
class Upload:
    name: str  # as the browser named the file: the messages start with it
    content: bytes
    expected: str = ""  # at apply, the fingerprint of the changes its preview showed


class ChangedSincePreview(Exception):
    """The file would now change other entries than its preview showed."""

    def __init__(self, changes: ImportChanges) -> None:
        super().__init__("the database changed since the preview")
        self.changes = changes


@router.get("/program/file")
def file_page(request: Request, who: Principal = EDITOR) -> Response:
    return _file_page(request, who, [])


@router.get("/program/file/export")
def export_file(
    request: Request, who: Principal = Depends(page_user(Permission.READ_PROGRAM))
) -> Response:
    """The program file, as a download (the API's GET /api/v1/program/export, as YAML)."""
    with transaction(request, who) as session:
        text = dump_program(export_program(session))
    disposition = f'attachment; filename="{EXPORT_NAME}"'
    return Response(
        text, media_type="application/yaml", headers={"Content-Disposition": disposition}
    )


@router.post("/program/file/preview")
def preview(
    request: Request, file: UploadFile | None = File(None), who: Principal = EDITOR
) -> Response:
    """Nothing is written: the import runs in a savepoint that is rolled back."""
    content = file.file.read() if file is not None else b""
    if not content:
        missing = Problem("file", "file: choose a program file (YAML) to upload")
        return _file_page(request, who, [missing], status=422)
    named = (file.filename if file is not None else None) or "file"
    upload = Upload(named[:NAME_LENGTH], content)
    document, problems = _checked(upload)
    if document is None:
        return _file_page(request, who, problems, status=422)
    try:
        with transaction(request, who) as session:
            changes = preview_import(session, document)
    except InputError as clash:  # valid in itself, but it clashes with stored entries
        return _file_page(request, who, [_problem(clash)], status=422)
    return _preview_page(request, who, upload, changes)


@router.post("/program/file/apply")
def apply(
    request: Request,
    name: str = Form("", max_length=NAME_LENGTH),
    content: str = Form(""),
    expected: str = Form("", max_length=64),
    signature: str = Form("", max_length=128),
    who: Principal = EDITOR,
) -> Response:
    """Imports the previewed file: the same validation, then the import for real, unless the
    database changed since the preview so that the file would now change other entries."""
    upload = _previewed(request, name, content, expected, signature)
    if upload is None:
        stale = Problem(
            "file",
            "file: this is not the file previewed in this session (the preview is from "
            "another sign-in, or was changed); upload the file and preview it again",
        )
        return _file_page(request, who, [stale], status=422)
    document, problems = _checked(upload)
    if document is None:
        return _file_page(request, who, problems, status=422)
    try:
        with transaction(request, who) as session:
            changes = apply_import(session, document)
            if fingerprint(changes) != upload.expected:
                raise ChangedSincePreview(changes)  # rolls the import back
    except InputError as clash:
        return _file_page(request, who, [_problem(clash)], status=422)
    except ChangedSincePreview as stale:
        return _preview_page(request, who, upload, stale.changes, status=409)
    response = see_other("/program/file")
    flash(response, "program_imported" if changes.changed else "program_unchanged")
    return response


def _previewed(
    request: Request, name: str, content: str, expected: str, signature: str
) -> Upload | None:
    if not csrf.signature_matches(request, SIGNED, _signed(name, content, expected), signature):
        return None
    try:  # only after the signature matched: these are bytes this server compressed
        raw = zlib.decompress(base64.b64decode(content, validate=True))
    except (binascii.Error, ValueError, zlib.error):
        return None
    return Upload(name, raw, expected)


def _signed(name: str, encoded: str, expected: str) -> str:
    return f"{name}\0{expected}\0{encoded}"


def fingerprint(changes: ImportChanges) -> str:
    """What an import creates and updates, in short: the preview's and the apply's match
    unless the database changed in between."""
    listed = [(kind.kind, kind.created, kind.updated) for kind in changes.kinds]
    return hashlib.sha256(json.dumps(listed).encode()).hexdigest()


def _preview_page(
    request: Request, who: Principal, upload: Upload, changes: ImportChanges, status: int = 200
) -> Response:
    encoded = base64.b64encode(zlib.compress(upload.content)).decode("ascii")
    expected = fingerprint(changes)
    signed = _signed(upload.name, encoded, expected)
    context: dict[str, Any] = {
        "title": f"Preview of {upload.name}",
        "name": upload.name,
        "changes": changes,
        "content": encoded,
        "expected": expected,
        "signature": csrf.session_signature(request, SIGNED, signed),
        "stale": status == 409,
    }
    return render(request, "program/file_preview.html", who, status=status, **context)


def _checked(upload: Upload) -> tuple[ProgramDocument | None, list[Problem]]:
    """The checks of `residency program import`, every problem at once."""
    try:
        text = upload.content.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem("file", f"{upload.name}: is not UTF-8 text (a YAML file is)")]
    try:
        raw = load_yaml(text, upload.name)
    except InputError as bad:
        return None, [_problem(bad)]
    return checked_document(raw, upload.name)


def _problem(bad: InputError) -> Problem:
    return Problem(bad.field or "file", str(bad))


def _file_page(
    request: Request, who: Principal, problems: list[Problem], status: int = 200
) -> Response:
    return render(
        request,
        "program/file.html",
        who,
        status=status,
        title="Program file",
        problems=problems,
    )
