"""A kind's own warnings in the brief's self-check (ActivityKind.brief_warnings), with
the test-only sample kind: it warns while its title says WARN."""

from dataclasses import replace

from django.urls import reverse

from sammen.activities import kinds
from sammen.activities.kinds import get_kind
from sammen.activities.views import kind_brief_warnings
from sammen.testing import BaseTestCase, make_activity

WARNING = "The sample title says WARN: look at it."


class BriefWarningsTests(BaseTestCase):
    def setUp(self):
        self.activity = make_activity(self.museum, self.alice, "WARN about samples")
        self.brief_url = reverse("activities:brief", args=[self.museum.slug, self.activity.slug])
        self.check_url = reverse(
            "activities:check_brief", args=[self.museum.slug, self.activity.slug]
        )
        self.login(self.alice)

    def test_the_brief_page_shows_the_kinds_warnings_beside_the_self_check(self):
        response = self.client.get(self.brief_url)
        self.assertContains(response, WARNING)
        self.assertContains(response, f'<p class="advice advice--warning">{WARNING}</p>', html=True)

    def test_the_live_self_check_shows_them_too_even_before_any_answer(self):
        response = self.client.post(self.check_url, {"kind": "sample"}, HTTP_HX_REQUEST="true")
        self.assertContains(response, 'id="self-check-result"')
        self.assertContains(response, WARNING)

    def test_a_draft_switching_to_another_kind_leaves_them_out(self):
        response = self.client.post(self.check_url, {"kind": "call"}, HTTP_HX_REQUEST="true")
        self.assertNotContains(response, WARNING)
        self.assertEqual(kind_brief_warnings(self.activity, "call"), [])

    def test_no_warning_when_the_kind_has_nothing_to_say(self):
        quiet = make_activity(self.museum, self.alice, "Calm samples")
        response = self.client.get(reverse("activities:brief", args=[self.museum.slug, quiet.slug]))
        self.assertNotContains(response, "WARN")

    def test_a_kind_without_the_hook_warns_of_nothing(self):
        sample = get_kind("sample")
        assert sample is not None
        original = kinds._kinds["sample"]
        kinds._kinds["sample"] = replace(sample, brief_warnings=None)
        try:
            self.assertEqual(kind_brief_warnings(self.activity, "sample"), [])
            self.assertNotContains(self.client.get(self.brief_url), WARNING)
        finally:
            kinds._kinds["sample"] = original
