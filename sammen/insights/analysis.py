"""The small sums of the insights page, without Django: medians from counts, staff time."""

from collections.abc import Iterable
from decimal import Decimal

# A year of a full-time member of staff, in hours of work.
HOURS_PER_STAFF_YEAR = 1650
DAYS_PER_YEAR = Decimal("365.25")
# Figures that cover fewer people than this are not shown.
PRIVACY_FLOOR = 5


def median_of_counts(counts: Iterable[tuple[int, int]]) -> float | None:
    """Return the median of values given as (value, how many times), or None for none."""
    pairs = sorted((value, count) for value, count in counts if count > 0)
    total = sum(count for _, count in pairs)
    if not total:
        return None
    # The two middle positions (the same one for an odd total), counted from 1.
    low, high = (total + 1) // 2, total // 2 + 1
    return (nth(pairs, low) + nth(pairs, high)) / 2


def nth(pairs: list[tuple[int, int]], position: int) -> int:
    """Return the value at `position` (from 1) of sorted (value, count) pairs."""
    seen = 0
    for value, count in pairs:
        seen += count
        if seen >= position:
            return value
    raise ValueError(position)


def hours_given(contributions: int, minutes: Decimal) -> Decimal:
    """Return the hours `contributions` took at `minutes` each."""
    return Decimal(contributions) * minutes / 60


def staff_equivalent(hours: Decimal, days: int) -> Decimal:
    """Return how many full-time staff give `hours` in `days` (1,650 hours a year each)."""
    if days <= 0:
        return Decimal(0)
    return hours / (HOURS_PER_STAFF_YEAR * Decimal(days) / DAYS_PER_YEAR)


def shown(value: object, people: int) -> object | None:
    """Return `value` when it covers enough people to show, else None ("fewer than 5").

    A figure that covers nobody shows: it is nought and tells nothing of anyone."""
    return value if people >= PRIVACY_FLOOR or people == 0 else None
