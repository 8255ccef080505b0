"""The stale-form check (web/stale.py) on its own: a fingerprint follows the values, not their
order, and a form whose fingerprint is not the record's current one is refused (409)."""

from __future__ import annotations

from datetime import date

import pytest

from residency.absences.models import AbsenceType
from residency.web import errors, stale

RECORD = {"start": date(2026, 3, 16), "kind": AbsenceType.VACATION, "pgy": {2025: 1}, "note": ""}


def test_a_fingerprint_follows_the_values_not_their_order() -> None:
    same = dict(reversed(list(RECORD.items())))
    assert stale.fingerprint(same) == stale.fingerprint(RECORD)
    for changed in ({"start": date(2026, 3, 17)}, {"pgy": {2025: 2}}, {"note": " "}):
        assert stale.fingerprint(RECORD | changed) != stale.fingerprint(RECORD), changed


def test_a_form_of_the_current_values_passes_and_a_stale_one_is_refused() -> None:
    loaded = stale.fingerprint(RECORD)
    stale.check_fresh("absence 1", loaded, dict(RECORD))  # unchanged: no error
    with pytest.raises(stale.StaleForm) as refused:
        stale.check_fresh("absence 1", loaded, RECORD | {"note": "moved"})
    assert str(refused.value).startswith("absence 1 changed since you opened this form")
    assert refused.value.field == stale.FIELD
    assert errors.status_of(refused.value) == (409, "refused")
    with pytest.raises(stale.StaleForm):
        stale.check_fresh("absence 1", "", RECORD)  # a form without its version
