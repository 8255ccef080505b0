"""Why a block has no schedule, in words a chief resident understands.

The engine names a (normally minimal) set of hard rules that cannot hold together
(`Solution.conflicting`, from CP-SAT assumptions and a deletion filter). This module looks at
the block's data for the concrete reason behind each rule: the service, the day, the people and
the absences involved. When the data shows nothing simpler, it says which rules conflict and why
each exists, rather than guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from residency.scheduling.block.data import BlockData
from residency.scheduling.engine.constraints.registry import by_name
from residency.scheduling.engine.constraints.staffing import running_slots
from residency.scheduling.engine.items import fmit_week_days, fmit_week_starts
from residency.scheduling.engine.problem import Activity, ActivityKind, Problem, Resident

STAFFING_RULES = {"RotationStaffing", "ResidentInpatientHeadcount", "ClinicCapacity"}


def explain(context: BlockData, conflicting: tuple[str, ...]) -> list[str]:
    header = f"Block {context.number} ({context.start} to {context.end}) has no schedule"
    if not conflicting:
        return [f"{header}; the solver could not name the conflicting rules in time."]
    names = ", ".join(conflicting)
    sentences = [f"{header}: these rules cannot all hold together: {names}."]
    explainers: list[Callable[[BlockData], list[str]]] = []
    if STAFFING_RULES & set(conflicting):
        explainers.append(_short_staffed)
    if "NightCallCoverage" in conflicting:
        explainers.append(_uncovered_calls)
    if "FMITCoverage" in conflicting:
        explainers.append(_uncovered_fmit)
    if "LockedAssignments" in conflicting:
        explainers.append(_impossible_locks)
    for find in explainers:
        sentences += find(context)
    if len(sentences) == 1:
        sentences += [f"{n}: {by_name(n).reason}" for n in conflicting]
    return sentences


def away_because(context: BlockData, person_id: str, day: date) -> str | None:
    for a in context.absences:
        if a.person_key == person_id and a.blocks_scheduling and a.start <= day <= a.end:
            kind = "TDY" if a.kind == "tdy" else a.kind
            note = f", {a.note}" if a.note else ""
            return f"the {kind} of {context.who(person_id)} ({a.start} to {a.end}{note})"
    return None


def _on_activity(resident: Resident, activity: Activity, day: date) -> bool:
    pgy_ok = not activity.eligible_pgys or resident.pgy in activity.eligible_pgys
    return pgy_ok and (not activity.rotation_only or resident.rotation_on(day) == activity.id)


def _needs(problem: Problem, activity: Activity) -> Iterator[tuple[date, int]]:
    """(day, residents needed that day) for a staffed activity."""
    seen: set[date] = set()
    for day, _session in running_slots(problem, activity):
        if day in seen:
            continue
        seen.add(day)
        need = activity.min_residents
        if activity.kind == ActivityKind.INPATIENT:
            need = max(need, problem.policy.inpatient_min_residents)
        if need:
            yield day, need


def _short_staffed(context: BlockData) -> list[str]:
    problem, found = context.problem, []
    number = context.number
    for activity in problem.activities:
        short_days = []
        for day, need in _needs(problem, activity):
            eligible = [r for r in problem.residents if _on_activity(r, activity, day)]
            free = [r for r in eligible if not problem.blocked(r.id, day)]
            if len(free) < need:
                short_days.append((day, need, eligible, free))
        if not short_days:
            continue
        day, need, eligible, free = short_days[0]
        reasons = [why for r in eligible if (why := away_because(context, r.id, day))]
        count = f"{len(free)} eligible resident{'s' if len(free) != 1 else ''}"
        sentence = (
            f"Block {number} needs {need} resident{'s' if need != 1 else ''} on {activity.id} "
            f"({activity.name}) each day, "
            f"but only {count} {'is' if len(free) == 1 else 'are'} available on {day}"
        )
        sentence += f" because of {', '.join(reasons)}" if reasons else ""
        if len(short_days) > 1:
            sentence += f" (and on {len(short_days) - 1} more days)"
        found.append(sentence + ".")
    return found


def _uncovered_calls(context: BlockData) -> list[str]:
    problem, found = context.problem, []
    for service in problem.call_services:
        takers = [
            r
            for r in problem.residents
            if not service.eligible_pgys or r.pgy in service.eligible_pgys
        ]
        for day in problem.days:
            if not service.pattern.shifts_on(day.weekday()):
                continue
            free = [r for r in takers if not problem.blocked(r.id, day)]
            if len(free) < service.per_night:
                found.append(
                    f"{service.name} needs {service.per_night} resident(s) on {day}, but only "
                    f"{len(free)} eligible resident(s) are not away that night."
                )
                break
        else:
            found.append(
                f"{service.name} needs {service.per_night} resident(s) every night, and the "
                "residents whose rotation leaves the evening free cannot cover all nights within "
                "the rest-after-call, one-in-three-nights and hour limits."
            )
    return found


def _uncovered_fmit(context: BlockData) -> list[str]:
    problem, found = context.problem, []
    eligible = [f for f in problem.faculty if f.fmit_eligible]
    if not eligible:
        return ["No faculty member may attend FMIT (policy.block_schedule.fmit_attending_roles)."]
    for week in fmit_week_starts(problem):
        days = fmit_week_days(problem, week)
        free = [f for f in eligible if not any(problem.blocked(f.id, d) for d in days)]
        if not free:
            reasons = [why for f in eligible if (why := away_bits(context, f.id, days))]
            found.append(
                f"The FMIT week from {week} has no attending: every FMIT-eligible faculty member "
                f"is away for part of it ({'; '.join(reasons)})."
            )
    return found


def away_bits(context: BlockData, person_id: str, days: tuple[date, ...]) -> str | None:
    return next((why for d in days if (why := away_because(context, person_id, d))), None)


def _impossible_locks(context: BlockData) -> list[str]:
    found = []
    for lock in context.problem.locks:
        why = away_because(context, lock.person_id, lock.day)
        if why:
            found.append(
                f"{context.who(lock.person_id)} is locked on {lock.activity_id} on {lock.day}, "
                f"but cannot work then because of {why}."
            )
    return found
