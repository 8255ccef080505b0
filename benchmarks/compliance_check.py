"""Benchmark: ACGME check of one academic year for 1,000 residents (~400,000 duty periods).

    .venv/bin/python benchmarks/compliance_check.py [--residents 1000] [--runs 5] [--seed 2025]
        [--mode block|rolling] [--csv]

Builds a seeded synthetic year (rotations by block: clinic half-days, wards with in-house
call and transitions, night float, ICU 24 h calls, electives with home call and call-ins,
moonlighting for PGY-2+, two leave weeks), then times `check_duty` on it --runs times and
prints the median. The generation is not timed. With --csv it also times writing and reading
the duty CSV once. Python runs the check on one core.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from residency.compliance.csv_io import read_duty_csv, write_duty_csv
from residency.compliance.rules.averaging import AveragingMode
from residency.compliance.rules.base import DutyKind, DutyPeriod
from residency.compliance.validator import CheckOptions, check_duty

YEAR_START = date(2025, 7, 1)
DAYS = 365
ROTATIONS = ("clinic", "wards", "nights", "icu", "elective")
Shift = tuple[float, float, DutyKind]  # (start hour, length in hours, kind)


def _day_plan(rotation: str, day: int, weekday: int, rng: random.Random) -> list[Shift]:
    if rotation == "clinic":
        return [(8, 4, DutyKind.SHIFT), (12, 5, DutyKind.SHIFT)] if weekday < 5 else []
    if rotation == "wards":
        if day % 4 == 0:  # in-house call: day shift, the call night, then hand-off
            return [
                (7, 11, DutyKind.SHIFT),
                (18, 13, DutyKind.IN_HOUSE_CALL),
                (31, 3, DutyKind.TRANSITION),
            ]
        return [(7, 11, DutyKind.SHIFT)] if weekday < 6 and day % 4 != 1 else []
    if rotation == "nights":
        return [(19, 12, DutyKind.SHIFT)] if weekday in (6, 0, 1, 2, 3) else []
    if rotation == "icu":
        if day % 4 == 0:
            return [
                (7, 24, DutyKind.IN_HOUSE_CALL),
                (31, rng.choice((2, 3, 4)), DutyKind.TRANSITION),
            ]
        return [(7, 10, DutyKind.SHIFT)] if day % 4 in (2, 3) and weekday != 6 else []
    plan: list[Shift] = [(8, 8, DutyKind.SHIFT)] if weekday < 5 else []
    if weekday == 2:
        plan += [
            (17, 14, DutyKind.HOME_CALL),
            (21 + rng.random() * 4, 1.5, DutyKind.HOME_CALL_WORK),
        ]
    return plan


def synthetic_year(residents: int, seed: int) -> list[DutyPeriod]:
    rng = random.Random(seed)
    periods: list[DutyPeriod] = []
    for n in range(residents):
        person, pgy = f"R{n:04d}", rng.randint(1, 4)
        rotations = [rng.choice(ROTATIONS) for _ in range(14)]
        leave_starts = {rng.randrange(0, DAYS - 7) for _ in range(2)}
        leave_days = {s + k for s in leave_starts for k in range(7)}
        for day in range(DAYS):
            midnight = datetime.combine(YEAR_START + timedelta(days=day), datetime.min.time())
            if day in leave_days:
                periods.append(
                    DutyPeriod(person, pgy, midnight, midnight + timedelta(days=1), DutyKind.LEAVE)
                )
                continue
            plan = _day_plan(rotations[day // 28], day, midnight.weekday(), rng)
            if pgy > 1 and midnight.weekday() == 5 and rng.random() < 0.15:
                plan.append((9, 6, DutyKind.MOONLIGHTING))
            for hour, hours, kind in plan:
                start = midnight + timedelta(minutes=round(hour * 60))
                periods.append(
                    DutyPeriod(
                        person, pgy, start, start + timedelta(minutes=round(hours * 60)), kind
                    )
                )
    return periods


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--residents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--mode", choices=[m.value for m in AveragingMode], default="block")
    parser.add_argument("--csv", action="store_true", help="also time writing and reading the CSV")
    args = parser.parse_args()

    duty = synthetic_year(args.residents, args.seed)
    options = CheckOptions(mode=AveragingMode(args.mode))
    print(f"{args.residents} residents, {len(duty)} duty periods, mode {args.mode}")
    timings = []
    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        result = check_duty(duty, options)
        timings.append(time.perf_counter() - started)
        print(
            f"run {run}: {timings[-1]:.2f} s  ({len(result.violations)} violations, "
            f"{len(result.warnings)} warnings, {result.checked_periods} periods)"
        )
    print(f"median check time: {statistics.median(timings):.2f} s over {args.runs} runs")
    if args.csv:
        _time_csv(duty)


def _time_csv(duty: list[DutyPeriod]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "duty.csv"
        started = time.perf_counter()
        write_duty_csv(duty, path)
        written = time.perf_counter()
        read_duty_csv(path)
        read = time.perf_counter() - written
        print(f"CSV write {written - started:.2f} s, read+validate {read:.2f} s")


if __name__ == "__main__":
    main()
