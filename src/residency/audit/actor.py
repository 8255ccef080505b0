"""Who acts: the signed-in user of a request, the operating-system user of a command, or the
system's own background work. Imports nothing of the project, so db.py can use it."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Actor:
    kind: Literal["user", "os", "system"]
    name: str
    user_id: int | None = None
    client_address: str | None = None


def os_actor() -> Actor:
    try:
        return Actor("os", getpass.getuser())
    except Exception:  # no login name in this environment (e.g. a container's bare uid)
        return Actor("os", "unknown")


SYSTEM = Actor("system", "system")
