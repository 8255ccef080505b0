"""Domain errors. Each carries the CLI exit code it maps to; messages are written for people:
they name the field, the value and the rule, in one line."""

from __future__ import annotations


class ResidencyError(Exception):
    exit_code = 1


class InputError(ResidencyError):
    """Bad input from a file or an argument: nothing was written."""

    exit_code = 2


class RefusedError(ResidencyError):
    """The request is valid but unsafe in the current state (wrong schema, run in progress)."""

    exit_code = 3


class SchemaMismatchError(RefusedError):
    """The database is at another schema revision than this code expects (migrate first)."""


class EnvironmentProblem(ResidencyError):
    """Something outside the program is wrong: database unreachable, disk, permissions."""

    exit_code = 4


class NotFoundError(ResidencyError):
    exit_code = 5


# Exit code for a bug: the message says how to see the traceback.
INTERNAL_ERROR_EXIT = 70
