"""Every open-call URL, for every persona: owner, moderator, member, outsider, anonymous."""

from sammen.calls.actions import do_answer_idea, do_update_jury
from sammen.calls.models import Call, Idea
from sammen.comments.actions import do_add_comment
from sammen.comments.models import Comment
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.calls import make_call, make_idea

from .test_views import call_url

EVERYONE = (200, 200, 200, 200, 200)
ORGANISERS = (200, 200, 403, 403, 302)
SIGNED_IN_MEMBERS = (200, 200, 200, 302, 302)  # outsiders are sent back to the call
NOBODY_IN_PRIVATE = (200, 404, 404, 404, 404)


class CallPermissionMatrixTests(BaseTestCase):
    call: Call
    draft: Call
    private: Call
    idea: Idea
    comment: Comment

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.call = make_call(cls.museum, cls.alice)
        cls.draft = make_call(cls.museum, cls.alice, "Draft call", open_it=False)
        cls.private = make_call(cls.quiet_room, cls.alice, "Private call")
        cls.idea = make_idea(cls.call, cls.bob)
        cls.comment = do_add_comment(participant_of(cls.maja), cls.idea.thread, "Nice")
        do_update_jury(cls.alice, cls.call, criteria=[("Moving", 1)], evaluators=[cls.maja])

    def check(self, url: str, expected: tuple[int, ...], method: str = "GET", data=None) -> None:
        for persona, status in zip(
            [self.alice, self.maja, self.bob, self.charlie, None], expected, strict=True
        ):
            self.login(persona)
            with self.subTest(url=url, persona=str(persona or "anonymous")):
                call = self.client.get if method == "GET" else self.client.post
                self.assertEqual(call(url, data or {}).status_code, status)

    def test_participant_pages(self):
        self.check(call_url(self.call, "ideas"), EVERYONE)
        self.check(call_url(self.call, "idea", self.idea.pk), EVERYONE)
        self.check(call_url(self.call, "submit"), SIGNED_IN_MEMBERS)
        self.check(call_url(self.call, "edit_idea", self.idea.pk), (403, 403, 200, 403, 302))

    def test_organiser_pages(self):
        for name in ["settings", "schedule", "jury", "answers"]:
            self.check(call_url(self.call, name), ORGANISERS)
        self.check(call_url(self.call, "answer_idea", self.idea.pk), ORGANISERS)
        # Reports become public with the call's answer, so anonymous visitors are not
        # asked to sign in before it: they are simply refused.
        self.check(call_url(self.call, "report"), (200, 200, 403, 403, 403))
        self.check(call_url(self.call, "export_csv"), (200, 200, 403, 403, 403))

    def test_scoring_is_for_evaluators_and_ideas_in_review(self):
        self.check(call_url(self.call, "score", self.idea.pk), (403, 403, 403, 403, 302))
        do_answer_idea(self.alice, self.idea, status="under_review", text="In review")
        self.check(call_url(self.call, "score", self.idea.pk), (403, 200, 403, 403, 302))

    def test_drafts_and_private_calls_stay_hidden(self):
        self.check(call_url(self.draft, "ideas"), (200, 200, 404, 404, 404))
        self.check(call_url(self.private, "ideas"), NOBODY_IN_PRIVATE)
        self.check(call_url(self.private, "settings"), (200, 404, 404, 404, 302))

    def test_comment_actions_belong_to_their_author(self):
        edit = call_url(self.call, "edit_comment", self.comment.pk)
        self.check(edit, (403, 200, 403, 403, 302))
        self.check(
            call_url(self.call, "helpful", self.comment.pk),
            (302, 302, 302, 302, 302),
            "POST",
            {"helpful": "1"},
        )
        self.comment.refresh_from_db()
        self.assertIsNotNone(self.comment.helpful_at)  # only Bob, the idea's author, could

    def test_an_activity_that_is_not_a_call_has_no_call_pages(self):
        from sammen.testing import make_activity

        sample = make_activity(self.museum, self.alice, "Not a call", open_it=True)
        response = self.client.get(f"/s/{self.museum.slug}/a/{sample.slug}/ideas/")
        self.assertEqual(response.status_code, 404)
