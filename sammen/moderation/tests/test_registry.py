"""Moderation serves whatever a kind registers: the test-only sample kind registers its
activities, and nothing in the shared apps names it."""

from django.core.cache import cache
from django.urls import reverse

from sammen.activities.tests.sample_kind.reportables import HIDDEN
from sammen.core.errors import ActionRefused
from sammen.moderation.actions import do_report
from sammen.moderation.models import Report, Resolution
from sammen.testing import BaseTestCase, make_activity


class SampleKindModerationTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()  # the report rate limit counts in the cache
        HIDDEN.clear()
        self.addCleanup(HIDDEN.clear)
        self.sample = make_activity(self.museum, self.alice, "Storylines", open_it=True)
        self.queue = reverse("moderation:queue", args=[self.museum.slug])

    def report_url(self) -> str:
        return reverse(
            "moderation:report_sample", args=[self.museum.slug, self.sample.slug, self.sample.pk]
        )

    def test_a_registered_kind_is_reported_queued_hidden_and_restored(self):
        self.login(self.bob)
        page = self.client.get(self.report_url())
        self.assertContains(page, "Report this sample")
        response = self.client.post(self.report_url(), {"reason": "spam", "note": "Ads"})
        self.assertRedirects(
            response, self.sample.get_absolute_url(), fetch_redirect_response=False
        )
        report = Report.objects.get()
        self.assertEqual((report.target, report.space), (self.sample, self.museum))

        self.login(self.alice)
        queue = self.client.get(self.queue)
        hide_url = reverse("moderation:hide_sample", args=[self.museum.slug, self.sample.pk])
        self.assertContains(queue, f'id="reported-sample-{self.sample.pk}"')
        self.assertContains(queue, '<span class="badge">Sample</span>', html=True)
        self.assertContains(queue, hide_url)
        self.assertContains(queue, 'maxlength="200"')  # the one hide-reason rule

        self.client.post(hide_url, {"reason": "Advertising"})
        self.assertEqual(HIDDEN[self.sample.pk].reason, "Advertising")
        report.refresh_from_db()
        self.assertEqual(report.resolution, Resolution.HIDDEN)
        queue = self.client.get(self.queue)
        self.assertContains(queue, f'id="hidden-sample-{self.sample.pk}"')
        self.assertContains(queue, "Hidden by Alice")
        with self.assertRaisesMessage(ActionRefused, "no longer shown"):
            do_report(self.charlie, self.museum, self.sample, "spam")

        restore_url = reverse("moderation:restore_sample", args=[self.museum.slug, self.sample.pk])
        self.client.post(restore_url)
        self.assertNotIn(self.sample.pk, HIDDEN)
        self.assertNotContains(self.client.get(self.queue), f"sample-{self.sample.pk}")

    def test_the_hide_reason_follows_the_one_rule(self):
        self.login(self.alice)
        hide_url = reverse("moderation:hide_sample", args=[self.museum.slug, self.sample.pk])
        for reason in ["", "   ", "x" * 201]:
            with self.subTest(reason=reason):
                self.client.post(hide_url, {"reason": reason})
                self.assertNotIn(self.sample.pk, HIDDEN)

    def test_moderators_of_another_space_cannot_hide_it(self):
        self.login(self.charlie)
        hide_url = reverse("moderation:hide_sample", args=[self.museum.slug, self.sample.pk])
        self.assertEqual(self.client.post(hide_url, {"reason": "Spam"}).status_code, 403)
        self.assertNotIn(self.sample.pk, HIDDEN)
