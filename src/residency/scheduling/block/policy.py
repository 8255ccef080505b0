"""Program policy (`app_settings.policy`, a JSON document) -> the engine's `Policy`.

Keys read (all optional; the engine's defaults apply when absent):

    supervision_residents_per_faculty: {pgy1: 2, pgy2_plus: 4}
    inpatient_residents_per_day: {min: 2, max: 4}
    faculty_clinic_half_days_per_week: {program_director: 0, department_chief: 1, ...}
    max_consecutive_night_float_nights: 6
    wednesday_rules: {am_intern_only, pm_single_faculty, inverted_fourth_wednesday}
    duty: {continuous_break_minutes: 60}  # breaks up to this long join one duty period
                                          # (checker and engine; 0-240)
    block_schedule:
      continuity_clinic: CC          # the clinic template every resident belongs to
      open_activities: [DID]         # templates any resident may do, whatever the rotation
      inpatient_services: [FMIT]     # inpatient templates with the daily 2-4 headcount
                                     # (absent: every inpatient template)
      clinic_half_days_per_week: {"1": 1, "2": 2, "3": 2}
      clinic_max_physicians: {CC: 8} # rooms: residents plus preceptors per session
      fmit_service: FMIT             # the inpatient service whose attending weeks are scheduled
      fmit_attending_roles: [core]
      fmit_attendings_per_week: 1
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from residency.compliance.policy import continuous_break_minutes
from residency.errors import InputError
from residency.scheduling.engine.problem import (
    FacultyRole,
    FmitPolicy,
    Policy,
    WednesdayRules,
    default_clinic_halfdays,
    default_faculty_clinic_limits,
)


@dataclass(frozen=True)
class BlockSettings:
    raw: Mapping[str, Any] = field(default_factory=dict)
    continuity_clinic: str | None = None
    open_activities: tuple[str, ...] = ()
    inpatient_services: tuple[str, ...] | None = None
    clinic_max_physicians: Mapping[str, int] = field(default_factory=dict)
    fmit_service: str | None = None
    fmit_attending_roles: tuple[str, ...] = ()

    @classmethod
    def from_policy(cls, policy: Mapping[str, Any]) -> BlockSettings:
        block = _section(policy, "block_schedule")
        return cls(
            raw=policy,
            continuity_clinic=block.get("continuity_clinic"),
            open_activities=tuple(block.get("open_activities", ())),
            inpatient_services=(
                tuple(block["inpatient_services"]) if "inpatient_services" in block else None
            ),
            clinic_max_physicians={
                str(k): int(v) for k, v in _section(block, "clinic_max_physicians").items()
            },
            fmit_service=block.get("fmit_service"),
            fmit_attending_roles=tuple(block.get("fmit_attending_roles", ())),
        )

    def naming(self, abbreviation: str) -> str | None:
        """The policy key that names this template (a template the schedules are built
        around, so it may not be deactivated), or None."""
        named = {
            "block_schedule.continuity_clinic": (self.continuity_clinic,),
            "block_schedule.fmit_service": (self.fmit_service,),
            "block_schedule.inpatient_services": self.inpatient_services or (),
            "block_schedule.open_activities": self.open_activities,
            "block_schedule.clinic_max_physicians": tuple(self.clinic_max_physicians),
        }
        return next((key for key, names in named.items() if abbreviation in names), None)


def _section(policy: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = policy.get(key, {})
    if not isinstance(value, Mapping):
        raise InputError(f"policy.{key}: expected a mapping, got {value!r}")
    return value


def engine_policy(settings: BlockSettings) -> Policy:
    raw = settings.raw
    supervision = _section(raw, "supervision_residents_per_faculty")
    inpatient = _section(raw, "inpatient_residents_per_day")
    block = _section(raw, "block_schedule")
    wednesday = _section(raw, "wednesday_rules")
    try:
        return Policy(
            pgy1_per_faculty=int(supervision.get("pgy1", 2)),
            senior_per_faculty=int(supervision.get("pgy2_plus", 4)),
            inpatient_min_residents=int(inpatient.get("min", 2)),
            inpatient_max_residents=int(inpatient.get("max", 4)),
            faculty_weekly_clinic_limits=_clinic_limits(raw),
            clinic_halfdays_per_week=_clinic_targets(block),
            max_consecutive_nights=int(raw.get("max_consecutive_night_float_nights", 6)),
            continuous_break_minutes=continuous_break_minutes(raw),
            wednesday=_wednesday(wednesday) if wednesday else None,
            fmit=(
                FmitPolicy(int(block.get("fmit_attendings_per_week", 1)))
                if settings.fmit_service
                else None
            ),
        )
    except (TypeError, ValueError) as exc:
        raise InputError(f"policy: {exc}") from None


def _clinic_limits(raw: Mapping[str, Any]) -> dict[FacultyRole, int]:
    limits = default_faculty_clinic_limits()
    names = {
        "program_director": FacultyRole.PROGRAM_DIRECTOR,
        "department_chief": FacultyRole.DEPARTMENT_CHIEF,
        "associate_program_director": FacultyRole.ASSOCIATE_PROGRAM_DIRECTOR,
        "officer_in_charge": FacultyRole.OFFICER_IN_CHARGE,
        "core": FacultyRole.CORE,  # sports medicine faculty are scheduled with core limits
    }
    for name, value in _section(raw, "faculty_clinic_half_days_per_week").items():
        if name in names:
            limits[names[name]] = int(value)
    return limits


def _clinic_targets(block: Mapping[str, Any]) -> dict[int, int]:
    given = _section(block, "clinic_half_days_per_week")
    return {int(k): int(v) for k, v in given.items()} if given else default_clinic_halfdays()


def _wednesday(rules: Mapping[str, Any]) -> WednesdayRules:
    return WednesdayRules(
        am_intern_only=bool(rules.get("am_intern_only", False)),
        pm_single_faculty=bool(rules.get("pm_single_faculty", False)),
        inverted_fourth=bool(rules.get("inverted_fourth_wednesday", False)),
    )
