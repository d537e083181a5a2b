"""Odd numbers in form fields and query strings: never a server error, nothing changed."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from .table import TARGETS
from .values import BLANK, MORE_ODD_NUMBERS, ODDLY_WRITTEN, UNREADABLE
from .world import OddNumberWorld


class OddNumberTests(OddNumberWorld):
    def test_odd_numbers_in_forms_and_query_strings_change_nothing(self):
        for key, target in TARGETS.items():
            for field_name in self.fields_of(target):
                with self.subTest(url=key, field=field_name):
                    self.assert_odd_numbers_refused(key, field_name)


class OddNumberFuzzTests(HypothesisTestCase, OddNumberWorld):
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
    )
    @given(data=st.data())
    def test_any_number_like_text_never_gives_a_server_error(self, data):
        """Hypothesis writes numbers in every script, size and sign, in every number field."""
        key, field_name = data.draw(
            st.sampled_from([(k, f) for k, t in TARGETS.items() for f in self.fields_of(t)])
        )
        value = data.draw(
            st.one_of(
                st.sampled_from(UNREADABLE + ODDLY_WRITTEN + BLANK + MORE_ODD_NUMBERS),
                st.integers().map(str),
                st.integers(min_value=2**63 - 5, max_value=2**70).map(str),
                st.text(st.characters(categories=["Nd", "No", "Nl", "Zs"]), max_size=30),
                st.floats().map(str),
                st.text(max_size=20),
                st.integers(min_value=4000, max_value=12_000).map(lambda n: "7" * n),
            )
        )
        self.assert_no_server_error(key, field_name, value)
