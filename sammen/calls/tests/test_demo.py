"""The open call's demo part: an open call in the museum, a finished one at the festival."""

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from sammen.accounts.models import User
from sammen.activities.models import Phase
from sammen.activities.queries import measure_outcomes
from sammen.comments.models import Comment

from ..models import Call, Support


class DemoCallTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)

    def test_the_museum_runs_an_open_call_with_ideas_in_several_stages(self):
        call = Call.objects.get(activity__space__slug="stadsmuseum-zuiderlicht")
        self.assertEqual(call.activity.phase, Phase.OPEN)
        statuses = set(call.ideas.values_list("status", flat=True))
        self.assertTrue({"published", "under_review", "selected"} <= statuses)
        self.assertTrue(Support.objects.filter(idea__call=call).exists())
        self.assertTrue(Comment.objects.filter(thread__idea__call=call).exists())
        for idea in call.ideas.all():
            self.assertEqual(idea.support_count, idea.supports.count())

    def test_the_festival_call_is_finished_with_a_closing_report(self):
        call = Call.objects.get(activity__space__slug="northern-lights-festival")
        self.assertEqual(call.activity.phase, Phase.ANSWERED)
        self.assertFalse(call.ideas.filter(answered_at__isnull=True).exists())
        outcomes = measure_outcomes(call.activity)
        self.assertTrue(all(outcome.actual is not None for outcome in outcomes))
        self.client.force_login(User.objects.get(email="member@demo.example"))
        response = self.client.get(
            reverse("calls:report", args=["northern-lights-festival", call.activity.slug])
        )
        self.assertContains(response, "Closing report")
