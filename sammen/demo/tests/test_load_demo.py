from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse

from sammen.activities.models import Activity, Phase
from sammen.activities.queries import measure_outcomes
from sammen.calls.models import Call, Support
from sammen.comments.models import Comment
from sammen.demo.data import DEMO_PASSWORD
from sammen.spaces.models import Membership, Space


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)

    def test_it_builds_two_spaces_with_every_role(self):
        self.assertEqual(
            set(Space.objects.values_list("slug", "default_language")),
            {("stadsmuseum-zuiderlicht", "nl"), ("northern-lights-festival", "en")},
        )
        for space in Space.objects.all():
            roles = set(Membership.objects.filter(space=space).values_list("role", flat=True))
            self.assertEqual(roles, {"owner", "moderator", "member"})

    def test_every_brief_is_complete(self):
        for activity in Activity.objects.select_related("brief"):
            missing = activity.brief.missing_parts(activity.brief.measures.count())
            self.assertEqual(missing, [], activity.title)
        self.assertEqual(Activity.objects.count(), 4)

    def test_the_sign_in_page_lists_the_demo_accounts(self):
        response = self.client.get(reverse("account_login"))
        for email in ["owner@demo.example", "moderator@demo.example", "member@demo.example"]:
            self.assertContains(response, email)
        self.assertContains(response, DEMO_PASSWORD)

    def test_the_demo_accounts_sign_in_with_the_shared_password(self):
        response = self.client.post(
            reverse("account_login"), {"login": "member@demo.example", "password": DEMO_PASSWORD}
        )
        self.assertEqual(response.status_code, 302)

    def test_loading_twice_is_refused(self):
        with self.assertRaises(CommandError):
            call_command("load_demo", verbosity=0)

    def test_without_demo_data_the_sign_in_page_shows_no_accounts(self):
        from sammen.accounts.models import User

        User.objects.filter(email__endswith="@demo.example").delete()
        response = self.client.get(reverse("account_login"))
        self.assertNotContains(response, "demo account")

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
        self.login_member()
        response = self.client.get(
            reverse("calls:report", args=["northern-lights-festival", call.activity.slug])
        )
        self.assertContains(response, "Closing report")

    def login_member(self) -> None:
        from sammen.accounts.models import User

        self.client.force_login(User.objects.get(email="member@demo.example"))
