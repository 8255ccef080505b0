"""What each role may do. Routes declare the permission they need next to themselves, and one
dependency (residency.web.deps.allow) checks it; this table is the only place roles get powers."""

from __future__ import annotations

from enum import StrEnum

from residency.auth.models import Role


class Permission(StrEnum):
    READ_PUBLISHED = "read_published"  # the program's people (no contact data) and schedule
    READ_OWN = "read_own"  # one's own account and person
    READ_PROGRAM = "read_program"  # everything about the program, contact data and drafts too
    EDIT_PROGRAM = "edit_program"  # people, absences, the program file
    RUN_SCHEDULES = "run_schedules"  # start, inspect and compare runs
    PUBLISH = "publish"
    EDIT_SCHEDULE = "edit_schedule"  # manual edits, with override reasons
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"
    READ_OPERATIONS = "read_operations"  # settings and the backups' status


_EVERYONE = {Permission.READ_PUBLISHED, Permission.READ_OWN}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        _EVERYONE
        | {
            Permission.MANAGE_USERS,
            Permission.READ_AUDIT,
            Permission.READ_OPERATIONS,
            Permission.READ_PROGRAM,
        }
    ),
    Role.COORDINATOR: frozenset(
        _EVERYONE
        | {
            Permission.READ_PROGRAM,
            Permission.EDIT_PROGRAM,
            Permission.RUN_SCHEDULES,
            Permission.PUBLISH,
            Permission.EDIT_SCHEDULE,
            Permission.READ_AUDIT,
        }
    ),
    Role.FACULTY: frozenset(_EVERYONE),
    Role.RESIDENT: frozenset(_EVERYONE),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]


# Residents and faculty sign in as a person of the program; staff accounts are nobody's.
ROLES_WITH_A_PERSON = frozenset({Role.RESIDENT, Role.FACULTY})
