"""The header's navigation: each page a role may open, in order. A page is listed here when it
exists, with the permission its route declares (tests/web/test_page_matrix.py holds each link
to the role matrix of its page), so a person never sees a link that answers 403."""

from __future__ import annotations

from dataclasses import dataclass

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    permission: Permission


NAV: tuple[NavLink, ...] = (
    NavLink("Dashboard", "/", Permission.READ_OWN),
    NavLink("Schedule", "/blocks", Permission.READ_PUBLISHED),  # goes to the current block
    NavLink("On call", "/on-call", Permission.READ_PUBLISHED),
    NavLink("Fairness", "/fairness", Permission.READ_PUBLISHED),
    NavLink("Generate", "/generate", Permission.RUN_SCHEDULES),
    NavLink("Plan", "/plan", Permission.READ_PROGRAM),
    NavLink("Compliance", "/compliance", Permission.READ_PROGRAM),  # the current block's check
    NavLink("Program", "/program", Permission.READ_PROGRAM),
    NavLink("Audit log", "/admin/audit", Permission.READ_AUDIT),
    NavLink("Admin", "/admin/users", Permission.MANAGE_USERS),
)


def nav_for(who: Principal) -> list[NavLink]:
    return [link for link in NAV if allows(who.role, link.permission)]
