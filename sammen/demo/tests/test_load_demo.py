from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse

from sammen.activities.kinds import installed_kinds
from sammen.activities.models import Activity
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
        # Every installed kind shows itself in the demo (the test-only sample kind aside).
        kinds = {kind.key for kind in installed_kinds()} - {"sample"}
        self.assertLessEqual(kinds, set(Activity.objects.values_list("kind", flat=True)))

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
