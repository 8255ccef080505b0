"""Every ACGME rule the checker runs, listed in one place (order = report order)."""

from __future__ import annotations

from residency.compliance.rules import (
    call_frequency,
    eight_hours_between,
    eighty_hours,
    one_day_off_in_seven,
    pgy1_moonlighting,
    rest_after_call,
    twenty_four_plus_four,
)
from residency.compliance.rules.context import Rule

ALL_RULES: tuple[Rule, ...] = (
    eighty_hours,
    one_day_off_in_seven,
    twenty_four_plus_four,
    rest_after_call,
    call_frequency,
    pgy1_moonlighting,
    eight_hours_between,
)

RULES_BY_ID: dict[str, Rule] = {rule.RULE_ID: rule for rule in ALL_RULES}
