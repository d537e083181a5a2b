from django.core.cache import cache
from django.urls import reverse

from sammen.audit.models import AuditEntry
from sammen.comments.actions import do_add_comment
from sammen.moderation.actions import do_report
from sammen.spaces.models import Block, Membership
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.calls import make_call, make_idea


class ModerationAuditTests(BaseTestCase):
    def test_every_moderator_act_is_in_the_audit_log_that_owners_read(self):
        cache.clear()
        call = make_call(self.museum, self.alice)
        idea = make_idea(call, self.bob, "Cheap boats for sale")
        comment = do_add_comment(participant_of(self.bob), idea.thread, "Buy my boats!")
        report = do_report(self.charlie, self.museum, idea, "spam")
        slug = self.museum.slug

        def url(name: str, *args: int) -> str:
            return reverse(f"moderation:{name}", args=[slug, *args])

        self.login(self.maja)
        bob = Membership.objects.get(space=self.museum, user=self.bob)
        acts = [
            (url("dismiss_report", report.pk), {}),
            (url("hide_idea", idea.pk), {"reason": "Advertising"}),
            (url("restore_idea", idea.pk), {}),
            (url("hide_comment", comment.pk), {"reason": "Advertising"}),
            (url("restore_comment", comment.pk), {}),
            (url("block_member", bob.pk), {"reason": "Spam"}),
        ]
        for target, data in acts:
            self.assertEqual(self.client.post(target, data).status_code, 302)
        self.client.post(url("unblock", Block.objects.get().pk))

        entries = AuditEntry.objects.filter(space=self.museum, actor=self.maja)
        self.assertEqual(
            sorted(entries.values_list("action", flat=True)),
            sorted(
                [
                    "report.dismissed",
                    "idea.hidden",
                    "idea.restored",
                    "comment.hidden",
                    "comment.restored",
                    "member.blocked",
                    "member.unblocked",
                ]
            ),
        )
        self.login(self.alice)
        log = self.client.get(reverse("audit:log", args=[slug]))
        for words in [
            "dismissed a report",
            "hid an idea",
            "restored a hidden idea",
            "hid a comment",
            "restored a hidden comment",
            "blocked a member",
            "lifted a block",
        ]:
            self.assertContains(log, words)
        self.assertContains(log, "Cheap boats for sale")
        self.login(self.maja)
        self.assertEqual(self.client.get(reverse("audit:log", args=[slug])).status_code, 403)
