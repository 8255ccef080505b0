"""Domain errors. Each carries the CLI exit code it maps to; messages are written for people:
they name the field, the value and the rule, in one line."""

from __future__ import annotations


class ResidencyError(Exception):
    exit_code = 1

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # the input field at fault, when there is one (the API names it)


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


class Unauthenticated(ResidencyError):
    """No valid credentials: a missing, expired, revoked or forged token, or a wrong password."""

    exit_code = 6


class Forbidden(ResidencyError):
    """Signed in, but the role does not allow this."""

    exit_code = 6


class TooManyAttempts(RefusedError):
    """Throttled: the account or the client address refuses logins for a while."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


# Exit code for a bug: the message says how to see the traceback.
INTERNAL_ERROR_EXIT = 70
