from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils import translation

from sammen.activities.tests.sample_kind.recognition import do_thank_sample_helper
from sammen.audit.actions import UnknownAuditAction, do_log_audit_entry
from sammen.audit.models import AuditEntry
from sammen.audit.registry import audit_action_label, register_audit_actions
from sammen.testing import BaseTestCase, make_activity, participant_of


class AuditRegistryTests(BaseTestCase):
    def log(self):
        self.login(self.alice)
        return self.client.get(reverse("audit:log", args=[self.museum.slug]))

    def test_a_kind_s_action_shows_its_label_in_the_log(self):
        activity = make_activity(self.museum, self.alice, "Sample storylines", open_it=True)
        do_thank_sample_helper(self.alice, activity, participant_of(self.bob))
        entry = AuditEntry.objects.get(action="sample.thanked")
        self.assertEqual(entry.action_label, "thanked a helper of a sample")
        response = self.log()
        self.assertContains(response, "thanked a helper of a sample")
        self.assertContains(response, "Sample storylines")

    def test_writing_an_action_no_app_registers_is_refused(self):
        with self.assertRaises(UnknownAuditAction):
            do_log_audit_entry(self.alice, self.museum, "sample.unregistered")
        self.assertFalse(AuditEntry.objects.filter(action="sample.unregistered").exists())

    def test_an_action_whose_app_is_gone_shows_its_key(self):
        # A row a kind wrote before it was uninstalled.
        AuditEntry.objects.create(space=self.museum, actor=self.alice, action="retired.act")
        self.assertContains(self.log(), "retired.act")

    def test_labels_are_translated(self):
        with translation.override("nl"):
            self.assertNotEqual(audit_action_label("space.created"), "created the space")
        self.assertEqual(audit_action_label("space.created"), "created the space")

    def test_two_apps_cannot_register_one_action(self):
        class Clash(models.TextChoices):
            CREATED = "space.created", "made the space"

        with self.assertRaises(ImproperlyConfigured):
            register_audit_actions(Clash)
        self.assertEqual(audit_action_label("space.created"), "created the space")
