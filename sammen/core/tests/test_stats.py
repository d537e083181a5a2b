"""The shared 95% intervals, worked out by hand. Plain pytest, no database."""

import pytest

from sammen.core.stats import t_95, wilson


def test_wilson_for_seven_in_twenty() -> None:
    """7 of 20, p = 0.35: centre 0.374170, half 0.192978 (see the meetings' analysis test)."""
    low, high = wilson(7, 20)
    assert low == pytest.approx(0.181192, abs=1e-5)
    assert high == pytest.approx(0.567148, abs=1e-5)


def test_wilson_is_exact_at_the_ends_and_open_without_answers() -> None:
    assert wilson(0, 5)[0] == 0.0
    assert wilson(5, 5)[1] == 1.0
    assert wilson(0, 0) == (0.0, 1.0)


def test_wilson_refuses_more_successes_than_answers() -> None:
    with pytest.raises(ValueError, match="successes"):
        wilson(4, 3)


def test_t_95_for_nine_degrees_of_freedom() -> None:
    assert t_95(9) == pytest.approx(2.262157, abs=1e-6)
