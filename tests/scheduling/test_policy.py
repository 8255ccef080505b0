"""The program policy's duty.continuous_break_minutes, read once for the engine and the checker."""

import re

import pytest

from residency.errors import InputError
from residency.scheduling.block.policy import BlockSettings, continuous_break_minutes, engine_policy


def test_the_continuous_break_defaults_to_60_minutes() -> None:
    assert continuous_break_minutes({}) == 60
    assert continuous_break_minutes({"duty": {}}) == 60


def test_the_engine_policy_carries_the_program_setting() -> None:
    policy = {"duty": {"continuous_break_minutes": 30}}

    assert engine_policy(BlockSettings.from_policy(policy)).continuous_break_minutes == 30


@pytest.mark.parametrize(
    ("duty", "message"),
    [
        ({"continuous_break_minutes": 241}, "241 is not in 0-240 minutes"),
        ({"continuous_break_minutes": -1}, "-1 is not in 0-240 minutes"),
        ({"continuous_break_minutes": "60"}, "'60' is not a whole number of minutes"),
        ({"continuous_break_minutes": 1.5}, "1.5 is not a whole number of minutes"),
        ({"continuous_break_minutes": True}, "True is not a whole number of minutes"),
    ],
)
def test_a_bad_setting_names_the_field_and_the_value(duty: dict, message: str) -> None:
    with pytest.raises(
        InputError, match=re.escape(f"policy.duty.continuous_break_minutes: {message}")
    ):
        continuous_break_minutes({"duty": duty})


def test_a_duty_section_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(InputError, match=re.escape("policy.duty: expected a mapping")):
        continuous_break_minutes({"duty": 60})
