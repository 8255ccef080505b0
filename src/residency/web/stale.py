"""Stale forms: an edit form must not silently overwrite a record that changed after the form
was loaded (another coordinator's edit, a program-file import).

The records carry no version column, so a form carries a fingerprint of the record's values as
it showed them, in the hidden field `version`: a short SHA-256 of their canonical JSON (the
same values the service audits). The POST compares it, in the transaction that writes, with
the fingerprint of the record as it is now; a difference raises StaleForm (409) before
anything is written, and the page shows the record's current values with the message.

Two POSTs racing in the same instant may both pass (there is no row lock): this guards the
common case, a form left open while the record changed."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from residency.errors import RefusedError

FIELD = "version"  # the hidden form field holding the fingerprint
CHANGED = "changed since you opened this form"


class StaleForm(RefusedError):
    """The record changed after its form was loaded: nothing was written."""


def fingerprint(values: Mapping[str, Any]) -> str:
    """The same values give the same fingerprint, whatever their order; dates and enums by
    their text."""
    canonical = json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:20]


def check_fresh(what: str, submitted: str, current: Mapping[str, Any]) -> None:
    """Refuse the write when the form's fingerprint is not the record's current one."""
    if not hmac.compare_digest(submitted.encode(), fingerprint(current).encode()):
        raise StaleForm(
            f"{what} {CHANGED}: the form now shows its current values; "
            "make your change again and save",
            field=FIELD,
        )
