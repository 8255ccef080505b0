"""The public holidays of the program's country and state, from the maintained `holidays`
package (python-holidays) rather than a list of our own. Pure: no database.

The package's observed-day rules apply: in the US a holiday on a Saturday is also observed on
the Friday before, on a Sunday on the Monday after ("Independence Day (observed)"), and the
actual day stays a holiday too. A state adds its own days (Hawaii: Prince Jonah Kuhio
Kalanianaole Day, Kamehameha Day, Statehood Day) and may drop some (Hawaii keeps no Columbus
Day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

DEFAULT_COUNTRY = "US"
# half_days.holiday_name is String(64); a few countries name a day at greater length.
NAME_LENGTH = 64


@dataclass(frozen=True)
class HolidayRegion:
    country: str = DEFAULT_COUNTRY  # ISO 3166-1 alpha-2, as the package knows it
    state: str | None = None  # the package's subdivision code, e.g. HI


# The package is imported inside the functions, and a country's module only when it is asked
# for: loading all of them takes seconds, which no command should pay.


@cache
def _country_codes() -> frozenset[str]:
    # The registry lists every country (module, class, alpha-2, alpha-3...) without importing
    # them, unlike holidays.list_supported_countries().
    from holidays.registry import COUNTRIES

    return frozenset(entry[1] for entry in COUNTRIES.values())


def is_known_country(country: str) -> bool:
    return country in _country_codes()


@cache
def states_of(country: str) -> tuple[str, ...]:
    """The subdivision codes the package has for a country (none for an unknown country)."""
    if not is_known_country(country):
        return ()
    import holidays as holiday_data

    return tuple(holiday_data.country_holidays(country).subdivisions)


def public_holidays(region: HolidayRegion, first: date, last: date) -> dict[date, str]:
    """The region's holidays between two dates, inclusive, by name ("; " between two names
    that fall on one day)."""
    import holidays as holiday_data

    table = holiday_data.country_holidays(
        region.country, subdiv=region.state, years=range(first.year, last.year + 1)
    )
    return {day: name[:NAME_LENGTH] for day, name in sorted(table.items()) if first <= day <= last}
