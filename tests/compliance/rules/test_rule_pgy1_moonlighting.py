"""ACGME-PGY1-MOONLIGHTING (VI.F.5.c): PGY-1 residents may not moonlight."""

from compliance_helpers import findings, lasting

from residency.compliance.rules import pgy1_moonlighting


def test_a_pgy1_moonlighting_is_a_violation() -> None:
    [finding] = findings([lasting("2025-07-05T08:00", 6, "moonlighting", pgy=1)], pgy1_moonlighting)

    assert (finding.rule, finding.value, finding.limit) == ("ACGME-PGY1-MOONLIGHTING", 6.0, 0)


def test_a_pgy2_may_moonlight_and_a_pgy1_may_work_shifts() -> None:
    assert (
        findings([lasting("2025-07-05T08:00", 6, "moonlighting", pgy=2)], pgy1_moonlighting) == []
    )
    assert findings([lasting("2025-07-05T08:00", 6, "shift", pgy=1)], pgy1_moonlighting) == []
