"""Every rule is registered, cited, and reached by the default check."""

import pytest
from compliance_helpers import BLOCK_1, daily, duty, lasting

from residency.compliance.rules.base import DutyKind, DutyPeriod, Severity
from residency.compliance.rules.registry import ALL_RULES
from residency.compliance.validator import check_duty

CALL = duty("2025-07-01T07:00", "2025-07-02T07:00", "in_house_call")
BREAKING_LOGS: dict[str, list[DutyPeriod]] = {
    "ACGME-80H": daily(BLOCK_1, 21, start_hour=6, hours=16),
    "ACGME-1IN7": daily(BLOCK_1, 28, start_hour=7, hours=8),
    "ACGME-24PLUS4": [lasting("2025-07-01T07:00", 25, "in_house_call")],
    "ACGME-14H-AFTER-24": [CALL, lasting("2025-07-02T12:00", 5)],
    "ACGME-Q3-CALL": daily(BLOCK_1, 10, start_hour=20, hours=10, kind=DutyKind.IN_HOUSE_CALL),
    "ACGME-PGY1-MOONLIGHTING": [lasting("2025-07-05T08:00", 6, "moonlighting", pgy=1)],
    "ACGME-8H-BETWEEN": [lasting("2025-07-01T07:00", 10), lasting("2025-07-01T20:00", 4)],
}


def test_the_registry_lists_all_seven_rules_with_citations() -> None:
    assert [rule.RULE_ID for rule in ALL_RULES] == [
        "ACGME-80H",
        "ACGME-1IN7",
        "ACGME-24PLUS4",
        "ACGME-14H-AFTER-24",
        "ACGME-Q3-CALL",
        "ACGME-PGY1-MOONLIGHTING",
        "ACGME-8H-BETWEEN",
    ]
    assert all(rule.CITATION.startswith("ACGME CPR VI.F.") for rule in ALL_RULES)
    assert [r.RULE_ID for r in ALL_RULES if r.SEVERITY is Severity.WARNING] == ["ACGME-8H-BETWEEN"]


@pytest.mark.parametrize("rule_id", list(BREAKING_LOGS))
def test_the_default_check_reports_each_rule(rule_id: str) -> None:
    assert rule_id in {f.rule for f in check_duty(BREAKING_LOGS[rule_id]).findings}
