"""ACGME VI.F.2.a: residents should have eight hours off between scheduled work periods, seen on
each resident's timeline like the other run rules (a break up to the program's continuous break
joins two duties into one period, so only a longer gap is a gap)."""

from __future__ import annotations

from bisect import bisect_left
from datetime import timedelta
from itertools import pairwise
from typing import Any

from residency.rotations.duty_pattern import Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.base import Activation, Constraint, Violation
from residency.scheduling.engine.constraints.duty_runs import is_in_house_call
from residency.scheduling.engine.items import Item
from residency.scheduling.engine.model import Lit, ModelVars, RuleModel, is_off
from residency.scheduling.engine.problem import Problem, Request
from residency.scheduling.engine.results import Schedule
from residency.scheduling.engine.timeline import run_span, runs

REST_ADVISED_MINUTES = 8 * 60
LONG_CALL = timedelta(hours=24)


def ends_duty_here(item: Item) -> bool:
    # A gap after in-house call is the rest rule's: RestAfterCall (hard) keeps 14 h free after
    # every in-house call, which covers the checker's exemption of gaps after a 24 h call run.
    return item.is_work and not is_in_house_call(item)


def starts_block_duty(item: Item) -> bool:
    return item.is_work and item.key is not None  # gaps before the block are not ours to fix


class EightHoursOff(Constraint):
    name = "EightHoursOff"
    hard = False
    # Heavier than any other soft rule's unit (MinimalChange 20, SundayCallEquity 10) and than
    # the usual price of avoiding a split day: giving up a rotation half-day (Continuity 5) or
    # a clinic half-day (ContinuityClinic 4), or moving a call and so widening the call spreads
    # (10 + 5) and spacing (8). The ACGME says "should", so it stays soft: when nothing else
    # can staff the night, the schedule keeps the gap and the penalty table names it.
    weight = 50
    reason = "ACGME VI.F.2.a: residents should have 8 h off between duty periods (per gap "
    reason += "shorter than 8 h; a break up to policy continuous_break_minutes is no gap)."

    def add_to(self, model: RuleModel, vars: ModelVars, problem: Problem) -> Activation:
        terms: list[Any] = []
        for resident in problem.residents:
            terms += self._short_gaps(model, vars, resident.id)
        if not terms:
            return Activation.inactive("no two duties of a resident can be less than 8 h apart")
        return Activation(f"{len(terms)} possible short gaps", penalty=sum(terms))

    def _short_gaps(self, model: RuleModel, vars: ModelVars, person_id: str) -> list[Any]:
        """One penalty per (end of a duty, start of a later one) less than 8 h apart: it must
        be 1 when a duty ends at the first, one starts at the second and nothing in between
        is worked (item literals are exact, so the solver cannot fake the time in between)."""
        timeline = vars.timelines[person_id]
        segments, joins = timeline.segments, vars.problem.policy.continuous_break_minutes
        ends = {i.end for i in timeline.items if ends_duty_here(i)}
        starts = {i.start for i in timeline.items if starts_block_duty(i)}
        boundaries = [s.start for s in segments]
        terms = []
        for before, segment in enumerate(segments):
            if segment.end not in ends:
                continue
            gap, between = 0, set[int]()
            for after in range(before + 1, bisect_left(boundaries, segment.end + _ADVISED)):
                if segments[after].start in starts and joins < gap:
                    lits = [timeline.lits[i] for i in between]
                    if any(not is_off(lit) and isinstance(lit, int) for lit in lits):
                        break  # fixed duty fills the time in between: never a gap
                    penalty = self._gap(model, vars, person_id, before, after, lits)
                    if penalty is not None:
                        terms.append(penalty)
                between.update(i for i in segments[after].covering if timeline.items[i].is_work)
                gap += segments[after].minutes
        return terms

    @staticmethod
    def _gap(
        model: RuleModel, vars: ModelVars, person_id: str, before: int, after: int, lits: list[Lit]
    ) -> Any:
        ended = vars.busy(person_id, before, ends_duty_here, "ends_duty")
        started = vars.busy(person_id, after, starts_block_duty, "block_duty")
        if is_off(ended) or is_off(started):
            return None
        short = model.new_bool(f"short_gap[{person_id},{before},{after}]")
        model.cp.add(short + sum(lits) >= ended + started - 1)
        return short

    def violations(self, schedule: Schedule) -> list[Violation]:
        found = []
        joins = schedule.problem.policy.continuous_break_minutes
        for resident in schedule.problem.residents:
            for run, next_run in pairwise(runs(schedule.items(resident.id), joins)):
                (start, end), (next_start, _) = run_span(run), run_span(next_run)
                long_call = end - start >= LONG_CALL and any(is_in_house_call(i) for i in run)
                first = [i for i in next_run if i.start == next_start]
                if next_start - end < _ADVISED and not long_call and any(i.key for i in first):
                    detail = f"{(next_start - end) / timedelta(hours=1):.1f} h off after {end}"
                    found.append(self.violation(detail, resident.id, next_start.date()))
        return found

    def micro_problem(self) -> Problem:
        # r1 must take Monday's 19:00 call and asks for the elective that morning (08:00-12:00,
        # 7 h before the call): the request (3) loses to the split day (50).
        return ex.week(
            residents=(ex.resident("r1"),),
            activities=(ex.elective(),),
            call_services=(ex.call(weekdays=(0,)),),
            requests=(Request("r1", ex.MONDAY, "elective", Session.AM),),
        )


_ADVISED = timedelta(minutes=REST_ADVISED_MINUTES)
