import json

from allauth.account.models import EmailAddress
from django.urls import reverse

from sammen.accounts.actions import do_delete_account
from sammen.accounts.models import Participant, User
from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.spaces.actions import do_change_role
from sammen.spaces.models import Membership, Role
from sammen.testing import PASSWORD, BaseTestCase, make_activity


class DownloadMyDataTests(BaseTestCase):
    def test_it_returns_the_account_and_memberships_as_json(self):
        self.login(self.maja)
        response = self.client.get(reverse("accounts:download_data"))
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        data = json.loads(response.content)
        self.assertEqual(data["account"]["email"], "maja@example.org")
        self.assertEqual(data["account"]["display_name"], "Maja")
        self.assertIn("reading_language", data["account"])
        self.assertEqual(
            data["spaces"],
            [
                {
                    "space": "Harbour Museum",
                    "slug": "harbour-museum",
                    "role": "moderator",
                    "joined_at": data["spaces"][0]["joined_at"],
                }
            ],
        )
        self.assertEqual(data["email_addresses"][0]["email"], "maja@example.org")
        self.assertIsNotNone(data["participant"])

    def test_it_includes_what_the_person_did_as_organiser(self):
        make_activity(self.museum, self.maja, "Maja's activity")
        self.login(self.maja)
        data = json.loads(self.client.get(reverse("accounts:download_data")).content)
        self.assertIn("Maja's activity", [item["title"] for item in data["activities_created"]])

    def test_it_never_contains_other_peoples_data(self):
        self.login(self.bob)
        body = self.client.get(reverse("accounts:download_data")).content.decode()
        self.assertNotIn("alice@example.org", body)
        self.assertNotIn("maja@example.org", body)


class DeleteAccountTests(BaseTestCase):
    url = reverse("accounts:delete")

    def test_it_deletes_the_account_and_personal_data_but_keeps_the_participant(self):
        participant = Participant.objects.get(user=self.bob)
        self.login(self.bob)
        response = self.client.post(self.url, {"password": PASSWORD})
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertFalse(User.objects.filter(pk=self.bob.pk).exists())
        self.assertFalse(EmailAddress.objects.filter(email="bob@example.org").exists())
        self.assertFalse(Membership.objects.filter(user_id=self.bob.pk).exists())
        participant.refresh_from_db()
        self.assertIsNone(participant.user)
        self.assertIsNotNone(participant.erased_at)
        self.assertEqual(participant.public_name, "deleted participant")

    def test_it_asks_for_the_password_and_changes_nothing_when_wrong(self):
        self.login(self.bob)
        response = self.client.post(self.url, {"password": "wrong password"})
        self.assertContains(response, "That is not your password.")
        self.assertTrue(User.objects.filter(pk=self.bob.pk).exists())

    def test_the_only_owner_of_a_space_must_hand_it_over_first(self):
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "You are the only owner of “Harbour Museum”")
        self.client.post(self.url, {"password": PASSWORD})
        self.assertTrue(User.objects.filter(pk=self.alice.pk).exists())
        with self.assertRaises(ActionRefused):
            do_delete_account(self.alice)

    def test_an_owner_who_is_not_the_only_one_can_leave_for_good(self):
        maja = Membership.objects.get(space=self.museum, user=self.maja)
        do_change_role(self.alice, maja, Role.OWNER)
        do_delete_account(self.maja)
        self.assertFalse(User.objects.filter(pk=self.maja.pk).exists())

    def test_the_audit_log_keeps_the_act_but_not_the_person(self):
        activity = make_activity(self.museum, self.maja, "Maja's activity")
        do_delete_account(self.maja)
        entry = AuditEntry.objects.get(action="activity.created", target_id=str(activity.pk))
        self.assertIsNone(entry.actor)
        self.assertEqual(entry.target_label, "Maja's activity")
