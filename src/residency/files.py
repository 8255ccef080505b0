"""Files and folders the user names for output. A path the system will not let us write is a
mistake in the input (exit 2), told in one line naming the path, never an internal error."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from residency.errors import EnvironmentProblem, InputError, ResidencyError

_DENIED = (errno.EACCES, errno.EPERM)


@contextmanager
def writable_output(path: Path, option: str) -> Iterator[Path]:
    """Wrap the writing of `path` (named by the user through `option`): the system's refusal
    becomes one line such as `--csv: cannot write out/d.csv: folder out does not exist`."""
    try:
        yield path
    except OSError as exc:
        raise output_problem(path, option, exc) from None


def writable_folder(folder: Path, option: str) -> None:
    """Create `folder` if needed and prove that files can be made in it, before any work."""
    with writable_output(folder, option):
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".residency-write-test-")
        os.close(handle)
        os.unlink(probe)


def output_problem(path: Path, option: str, exc: OSError) -> ResidencyError:
    where = f"{option}: cannot write {path}"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EEXIST):
        blocker = _first_existing_ancestor(path)
        if blocker is not None and not blocker.is_dir():
            return InputError(f"{where}: {blocker} is a file, not a folder")
        if exc.errno != errno.EEXIST and not path.parent.exists():
            return InputError(f"{where}: folder {path.parent} does not exist")
    if exc.errno in _DENIED:
        return InputError(f"{where}: permission denied")
    if exc.errno == errno.EROFS:
        return InputError(f"{where}: the file system is read-only")
    if exc.errno == errno.EISDIR:
        return InputError(f"{where}: it is a folder")
    # A full disk or a broken device is the machine's problem, not the input's.
    return EnvironmentProblem(f"{where}: {exc.strerror or type(exc).__name__}")


def _first_existing_ancestor(path: Path) -> Path | None:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return None
