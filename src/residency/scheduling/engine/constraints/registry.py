"""Every constraint the engine uses, listed explicitly in one place."""

from __future__ import annotations

from residency.scheduling.engine.constraints.availability import Availability, LockedAssignments
from residency.scheduling.engine.constraints.base import Constraint
from residency.scheduling.engine.constraints.call import CallFrequency, NightCallCoverage
from residency.scheduling.engine.constraints.call_equity import (
    CallSpacing,
    SundayCallEquity,
    TuesdayCallPreference,
    WeekdayCallEquity,
)
from residency.scheduling.engine.constraints.duty_hours import EightyHourAverage, OneDayOffInSeven
from residency.scheduling.engine.constraints.duty_runs import (
    MaxConsecutiveNights,
    NightFloatPostCall,
    RestAfterCall,
    TwentyFourPlusFour,
)
from residency.scheduling.engine.constraints.eight_hours import EightHoursOff
from residency.scheduling.engine.constraints.faculty import (
    FacultyClinicLimits,
    FMITCoverage,
    PostFMITRecovery,
    PostFMITSundayBlocking,
)
from residency.scheduling.engine.constraints.requests import MinimalChange, Requests
from residency.scheduling.engine.constraints.slots import Eligibility, OneActivityPerSlot
from residency.scheduling.engine.constraints.staffing import (
    ClinicCapacity,
    ResidentInpatientHeadcount,
    RotationStaffing,
)
from residency.scheduling.engine.constraints.supervision import (
    MaxPhysiciansInClinic,
    SupervisionRatio,
)
from residency.scheduling.engine.constraints.wednesday import (
    InvertedWednesday,
    WednesdayAMInternOnly,
    WednesdayPMSingleFaculty,
)
from residency.scheduling.engine.constraints.workload import (
    Continuity,
    ContinuityClinic,
    WorkloadEquity,
)

REGISTRY: tuple[Constraint, ...] = (
    # hard: who may be where
    Availability(),
    OneActivityPerSlot(),
    Eligibility(),
    LockedAssignments(),
    # hard: staffing and supervision
    RotationStaffing(),
    ResidentInpatientHeadcount(),
    ClinicCapacity(),
    MaxPhysiciansInClinic(),
    SupervisionRatio(),
    # hard: ACGME duty hours (VI.F)
    EightyHourAverage(),
    OneDayOffInSeven(),
    TwentyFourPlusFour(),
    RestAfterCall(),
    CallFrequency(),
    # hard: call and nights
    NightCallCoverage(),
    NightFloatPostCall(),
    MaxConsecutiveNights(),
    # hard: faculty and FMIT
    FacultyClinicLimits(),
    FMITCoverage(),
    PostFMITRecovery(),
    PostFMITSundayBlocking(),
    # hard: optional program rules (policy.wednesday)
    WednesdayAMInternOnly(),
    WednesdayPMSingleFaculty(),
    InvertedWednesday(),
    # soft: ACGME "should" (VI.F.2.a), weighted above every preference
    EightHoursOff(),
    # soft
    ContinuityClinic(),
    WorkloadEquity(),
    Continuity(),
    SundayCallEquity(),
    CallSpacing(),
    WeekdayCallEquity(),
    TuesdayCallPreference(),
    Requests(),
    MinimalChange(),
)


def by_name(name: str) -> Constraint:
    found = [c for c in REGISTRY if c.name == name]
    if not found:
        raise KeyError(f"no constraint named {name!r}")
    return found[0]
