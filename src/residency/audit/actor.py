"""Who is making a change. Stdlib only: residency.db imports it, so it must not import back."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Literal

ActorKind = Literal["user", "os", "system"]


@dataclass(frozen=True)
class Actor:
    """A signed-in user (kind "user", named by e-mail), the operating-system user running a
    command (kind "os", named by login), or background work (kind "system", e.g. "executor")."""

    kind: ActorKind
    name: str
    user_id: int | None = None
    client_address: str | None = None


def os_actor() -> Actor:
    try:
        login = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login variable and no password-file entry
        login = ""
    return Actor("os", login or "unknown")


SYSTEM = Actor("system", "system")
