"""The demo program: a synthetic family-medicine residency for academic year 2025-2026.

18 residents (6 per PGY), 10 faculty, 32 rotation templates, a handful of absences. Names are
synthetic. `residency seed demo` imports it through the same path as a program file."""

from __future__ import annotations

from datetime import date
from typing import Any

from residency.program.schema import ProgramDocument

DEMO_YEAR = 2025
WEEKDAYS_MON_FRI = ("mon", "tue", "wed", "thu", "fri")

_RESIDENT_NAMES = (
    "Avery Alder",
    "Blake Birch",
    "Casey Cedar",
    "Devon Dogwood",
    "Emery Elm",
    "Finley Fir",
    "Gray Hawthorn",
    "Harper Hazel",
    "Indigo Ivy",
    "Jordan Juniper",
    "Kai Larch",
    "Logan Linden",
    "Morgan Maple",
    "Noel Nutmeg",
    "Oakley Olive",
    "Parker Pine",
    "Quinn Quince",
    "Reese Rowan",
)
_FACULTY = (
    ("Dr. Sage Sterling", "program_director"),
    ("Dr. Tatum Thorne", "associate_program_director"),
    ("Dr. Umber Vale", "officer_in_charge"),
    ("Dr. Wren Whitaker", "department_chief"),
    ("Dr. Xan Yarrow", "sports_medicine"),
    ("Dr. Yael Zephyr", "core"),
    ("Dr. Zion Ashby", "core"),
    ("Dr. Arden Brook", "core"),
    ("Dr. Briar Cole", "core"),
    ("Dr. Cody Dale", "core"),
)


def _days(days: tuple[str, ...], *shifts: str) -> dict[str, list[str]]:
    return {day: list(shifts) for day in days}


# The PM session starts at noon: the lunch hour inside a clinic day is part of the working day,
# so a day of AM and PM sessions is one duty run, not two runs with a one-hour "rest" between
# (which ACGME-8H-BETWEEN would flag every clinic day; docs/compliance.md, note 3).
_CLINIC_DAY = ("08:00-12:00", "12:00-17:00")
_OUTPATIENT = _days(WEEKDAYS_MON_FRI, *_CLINIC_DAY)
_WARD = _days(("mon", "tue", "wed", "thu", "fri", "sat"), "06:00-18:00")
_NIGHTS = _days(("sun", "mon", "tue", "wed", "thu"), "19:00-07:00")
# In-house call: the night after a day of work, 17:00 to 07:00 plus the hand-off.
_CALL = _days(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "17:00-07:00 in_house_call")

ALL = [1, 2, 3]
SENIORS = [2, 3]

# abbreviation, name, activity type, eligible PGY, per block (min, max),
# per half-day (min, max), supervised, half block, duty pattern
# fmt: off
_ROTATIONS: tuple[tuple[Any, ...], ...] = (
    ("FMIT", "Family Medicine Inpatient Teaching Service", "inpatient", ALL, (3, 4), (2, 4), True, False, _WARD),
    ("FMIT-NF", "FMIT Night Float", "night_float", ALL, (1, 1), (0, 1), True, True, _NIGHTS),
    ("NF", "Night Float", "night_float", SENIORS, (0, 1), (0, 1), True, True, _NIGHTS),
    ("PC", "Post-Call Recovery", "off", ALL, (0, 18), (0, 18), False, False, {}),
    ("CC", "Continuity Clinic", "clinic", ALL, (0, 18), (0, 6), True, False, _OUTPATIENT),
    ("FMC", "Family Medicine Clinic", "outpatient", ALL, (0, 4), (0, 4), True, False, _OUTPATIENT),
    ("LD", "Labor and Delivery", "inpatient", ALL, (1, 2), (0, 2), True, False, _days(("mon", "tue", "wed", "thu", "fri", "sat"), "07:00-19:00")),
    ("LD-NF", "Labor and Delivery Night Float", "night_float", SENIORS, (0, 1), (0, 1), True, True, _NIGHTS),
    ("PEDW", "Pediatrics Ward", "inpatient", ALL, (1, 2), (0, 2), True, False, _days(("mon", "tue", "wed", "thu", "fri", "sat"), "06:30-18:00")),
    ("NBN", "Newborn Nursery", "inpatient", [1, 2], (0, 1), (0, 1), True, False, {**_days(WEEKDAYS_MON_FRI, "07:00-16:00"), "sat": ["07:00-12:00"]}),
    ("PEDC", "Pediatrics Clinic", "outpatient", ALL, (0, 2), (0, 2), True, False, _OUTPATIENT),
    ("ICU", "Intensive Care Unit", "inpatient", ALL, (0, 2), (0, 2), True, False, _WARD),
    ("EM", "Emergency Medicine", "outpatient", ALL, (0, 2), (0, 2), True, False, _days(("mon", "wed", "thu", "sat", "sun"), "07:00-19:00")),
    ("IM", "Internal Medicine Ward", "inpatient", [1, 2], (0, 2), (0, 2), True, False, _WARD),
    ("SURG", "General Surgery", "inpatient", [1, 2], (0, 1), (0, 1), True, False, {**_days(WEEKDAYS_MON_FRI, "05:30-17:30"), "sat": ["06:00-12:00"]}),
    ("SM", "Sports Medicine", "outpatient", ALL, (0, 2), (0, 2), True, False, _OUTPATIENT),
    ("GERI", "Geriatrics", "outpatient", SENIORS, (0, 2), (0, 2), True, False, _OUTPATIENT),
    ("BH", "Behavioral Health", "outpatient", ALL, (0, 2), (0, 2), True, False, _OUTPATIENT),
    ("PROC", "Procedures", "procedure", ALL, (0, 2), (0, 2), True, False, _OUTPATIENT),
    ("RES", "Research", "education", SENIORS, (0, 2), (0, 2), False, False, _OUTPATIENT),
    ("ELEC", "Elective", "outpatient", SENIORS, (0, 4), (0, 4), True, False, _OUTPATIENT),
    ("DID", "Didactics", "education", ALL, (0, 18), (0, 18), False, False, {"wed": ["12:00-17:00"]}),
    ("ORI", "Orientation", "orientation", [1], (0, 6), (0, 6), True, True, _days(WEEKDAYS_MON_FRI, "08:00-17:00")),
    ("VAC", "Vacation", "leave", ALL, (0, 18), (0, 18), False, False, {}),
    ("GYN", "Gynecology", "outpatient", ALL, (0, 2), (0, 2), True, False, _OUTPATIENT),
    ("DERM", "Dermatology", "outpatient", SENIORS, (0, 1), (0, 1), True, False, _OUTPATIENT),
    ("CARD", "Cardiology", "outpatient", SENIORS, (0, 1), (0, 1), True, False, _OUTPATIENT),
    ("ENT", "Otolaryngology", "outpatient", SENIORS, (0, 1), (0, 1), True, False, _OUTPATIENT),
    ("COMM", "Community Medicine", "outpatient", ALL, (0, 2), (0, 2), True, False, _OUTPATIENT),
    ("PALL", "Hospice and Palliative Care", "outpatient", SENIORS, (0, 1), (0, 1), True, False, _OUTPATIENT),
    ("CALL", "In-House Overnight Call", "call", ALL, (0, 18), (0, 1), True, False, _CALL),
    ("OFF", "Day Off", "off", ALL, (0, 18), (0, 18), False, False, {}),
)
# fmt: on

POLICY: dict[str, Any] = {
    # Program policy, not ACGME (shared/ACGME.md, "Program policy defaults").
    "supervision_residents_per_faculty": {"pgy1": 2, "pgy2_plus": 4},
    "inpatient_residents_per_day": {"min": 2, "max": 4},
    "faculty_clinic_half_days_per_week": {
        "program_director": 0,
        "department_chief": 1,
        "associate_program_director": 2,
        "officer_in_charge": 2,
        "sports_medicine": 4,
        "core": 4,
    },
    "max_consecutive_night_float_nights": 6,
    "fmit_attending_week_starts": "fri",
    "wednesday_rules": {
        "am_intern_only": True,
        "pm_single_faculty": True,
        "inverted_fourth_wednesday": True,
    },
    # Level 2 (block schedule): which templates play which part (docs/scheduling.md).
    "block_schedule": {
        "continuity_clinic": "CC",
        "open_activities": ["DID"],
        # The program's own teaching service has the 2-4 daily headcount; other inpatient
        # rotations are another department's wards, staffed by their own bounds only.
        "inpatient_services": ["FMIT"],
        "clinic_half_days_per_week": {"1": 1, "2": 2, "3": 2},
        "clinic_max_physicians": {"CC": 8},
        "fmit_service": "FMIT",
        "fmit_attending_roles": ["core"],
        "fmit_attendings_per_week": 1,
    },
}


# Blocks of each rotation per PGY level over the year: (min, max); 0.5 is a two-week half.
# Rotations a level has no entry for are not planned for it. Minimums leave room for leave:
# PGY-2 minimums add up to 8 blocks, so a resident deployed for three and a half still fits.
# fmt: off
CURRICULUM: dict[int, dict[str, tuple[float, float]]] = {
    1: {"ORI": (0.5, 0.5), "FMIT": (3, 4), "FMIT-NF": (0.5, 1), "LD": (1, 1), "PEDW": (1, 1),
        "NBN": (1, 1), "IM": (1, 1), "SURG": (1, 1), "EM": (1, 1), "ICU": (0, 1), "FMC": (1, 2),
        "BH": (0, 1), "PEDC": (0, 1)},
    2: {"FMIT": (2, 3), "FMIT-NF": (0.5, 1), "NF": (0.5, 1), "LD": (1, 1), "LD-NF": (0, 1),
        "PEDW": (1, 1), "PEDC": (1, 1), "ICU": (1, 1), "EM": (1, 1), "SM": (0, 1), "GERI": (0, 1),
        "GYN": (0, 1), "CARD": (0, 1), "DERM": (0, 1), "ELEC": (0, 2), "COMM": (0, 1)},
    3: {"FMIT": (2, 3), "FMIT-NF": (0.5, 1), "NF": (0.5, 1), "FMC": (1, 2), "SM": (0, 1),
        "GERI": (0, 1), "BH": (1, 1), "PROC": (1, 1), "RES": (0, 1), "ELEC": (2, 4),
        "ENT": (0, 1), "DERM": (0, 1), "PALL": (1, 1), "COMM": (1, 1), "GYN": (0, 1),
        "LD": (0, 1), "PEDW": (0, 1), "CARD": (0, 1)},
}
# fmt: on

# The teaching service needs an intern and a senior every block (beyond its 2-4 headcount).
STAFFING_RULES = (
    {"rotation": "FMIT", "min_pgy": 1, "max_pgy": 1, "min_residents": 1},
    {"rotation": "FMIT", "min_pgy": 2, "max_pgy": 10, "min_residents": 1},
)


def _curriculum() -> list[dict[str, Any]]:
    return [
        {"pgy": pgy, "rotation": rotation, "min_blocks": low, "max_blocks": high}
        for pgy, rotations in CURRICULUM.items()
        for rotation, (low, high) in rotations.items()
    ]


def _resident_key(pgy: int, number: int) -> str:
    return f"res-pgy{pgy}-{number:02d}"


def _residents() -> list[dict[str, Any]]:
    residents = []
    for index, name in enumerate(_RESIDENT_NAMES):
        pgy, number = index // 6 + 1, index % 6 + 1
        email = name.lower().replace(" ", ".") + "@example.org"
        residents.append(
            {
                "key": _resident_key(pgy, number),
                "name": name,
                "email": email,
                "pgy": {DEMO_YEAR: pgy},
            }
        )
    return residents


def _faculty() -> list[dict[str, Any]]:
    faculty = []
    for index, (name, role) in enumerate(_FACULTY):
        email = name.removeprefix("Dr. ").lower().replace(" ", ".") + "@example.org"
        faculty.append({"key": f"fac-{index + 1:02d}", "name": name, "email": email, "role": role})
    return faculty


def _rotations() -> list[dict[str, Any]]:
    return [
        {
            "abbreviation": abbr,
            "name": name,
            "activity_type": kind,
            "eligible_pgy": pgys,
            "residents_per_block": {"min": block[0], "max": block[1]},
            "residents_per_half_day": {"min": half[0], "max": half[1]},
            "requires_supervision": supervised,
            "half_block": half_block,
            "duty_pattern": pattern,
        }
        for abbr, name, kind, pgys, block, half, supervised, half_block, pattern in _ROTATIONS
    ]


def _absences() -> list[dict[str, Any]]:
    def leave(person: str, kind: str, start: date, end: date, note: str) -> dict[str, Any]:
        return {"person": person, "type": kind, "start": start, "end": end, "note": note}

    return [
        leave("res-pgy1-02", "vacation", date(2025, 12, 22), date(2025, 12, 28), "winter break"),
        leave("res-pgy2-03", "vacation", date(2026, 3, 16), date(2026, 3, 22), "block 10 week 2"),
        leave("res-pgy3-01", "vacation", date(2026, 3, 30), date(2026, 4, 5), "block 10 week 4"),
        leave("res-pgy3-04", "conference", date(2026, 3, 12), date(2026, 3, 14), "AAFP FMX"),
        leave(
            "res-pgy2-05", "deployment", date(2026, 2, 1), date(2026, 4, 30), "reserve deployment"
        ),
        leave("fac-07", "tdy", date(2026, 3, 23), date(2026, 3, 27), "temporary duty"),
        leave("fac-02", "conference", date(2026, 4, 1), date(2026, 4, 3), "STFM spring conference"),
    ]


def _fixed_rotations() -> list[dict[str, Any]]:
    # Every intern starts the year in orientation; the solver may not move it.
    return [
        {
            "person": _resident_key(1, n),
            "academic_year": DEMO_YEAR,
            "block": 1,
            "half": 1,
            "rotation": "ORI",
            "locked": True,
        }
        for n in range(1, 7)
    ]


def demo_program() -> ProgramDocument:
    return ProgramDocument.model_validate(
        {
            "program": {
                "name": "Synthetic Family Medicine Residency",
                "academic_year_start": "07-01",
                "academic_years": [DEMO_YEAR],
                "policy": POLICY,
            },
            "residents": _residents(),
            "faculty": _faculty(),
            "rotations": _rotations(),
            "absences": _absences(),
            "fixed_rotations": _fixed_rotations(),
            "curriculum": _curriculum(),
            "staffing_rules": list(STAFFING_RULES),
        }
    )
