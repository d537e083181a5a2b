"""Journey touchpoints and the comments of ratings in moderation: a proposed touchpoint
turned down, reported once shown, hidden and restored from the space's queue."""

from django.core.cache import cache
from django.urls import reverse

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.journeys.actions import do_rate
from sammen.journeys.actions.mapping import TouchpointInput, do_add_touchpoint
from sammen.journeys.actions.review import do_approve_touchpoint, do_hide_touchpoint
from sammen.journeys.models import Journey, Rating, Touchpoint, TouchpointState
from sammen.journeys.queries import journey_map, rateable_touchpoints
from sammen.moderation.actions import do_hide, do_report, do_restore
from sammen.moderation.models import Report, Resolution
from sammen.testing import BaseTestCase, moderation_url, participant_of
from sammen.testing.journeys import make_journey, touchpoints_of


class TouchpointModerationTestCase(BaseTestCase):
    journey: Journey
    proposal: Touchpoint

    def setUp(self) -> None:
        cache.clear()
        self.journey = make_journey(self.museum, self.alice)
        entrance = touchpoints_of(self.journey)[1]
        self.proposal = do_add_touchpoint(
            None,
            entrance.stage,
            TouchpointInput(name="Free coffee at bobscafe.example"),
            state=TouchpointState.PROPOSED,
            after=entrance,
            proposed_by=participant_of(self.bob),
        )
        self.queue = moderation_url("queue", self.museum.slug)

    def report_url(self, target_id: int, kind: str = "touchpoint") -> str:
        activity = self.journey.activity
        return reverse(
            f"moderation:report_{kind}", args=[self.museum.slug, activity.slug, target_id]
        )


class ProposedTouchpointModerationTests(TouchpointModerationTestCase):
    def test_a_proposal_nobody_saw_cannot_be_reported_but_is_turned_down_from_the_queue(self):
        with self.assertRaisesMessage(ActionRefused, "no longer shown"):
            do_report(self.charlie, self.museum, self.proposal, "spam")
        self.login(self.maja)
        hide = moderation_url("hide_touchpoint", self.museum.slug, self.proposal.pk)
        response = self.client.post(hide, {"reason": ""}, follow=True)
        self.assertContains(response, "This field is required")
        response = self.client.post(hide, {"reason": "Advertising"}, follow=True)
        self.assertRedirects(response, f"{self.queue}#hidden")
        self.proposal.refresh_from_db()
        self.assertEqual(
            (self.proposal.state, self.proposal.hidden_reason, self.proposal.reviewed_by),
            (TouchpointState.HIDDEN, "Advertising", self.maja),
        )
        # The queue lists it among the hidden, with a link to it on the map editor.
        self.assertContains(response, "Free coffee at bobscafe.example")
        map_url = reverse("journeys:map", args=[self.museum.slug, self.journey.activity.slug])
        self.assertContains(response, f"{map_url}#touchpoint-{self.proposal.pk}")
        self.assertContains(response, ">Touchpoint</span>")
        entry = AuditEntry.objects.get(action="touchpoint.hidden")
        self.assertEqual((entry.actor, entry.details["reason"]), (self.maja, "Advertising"))

    def test_an_approved_touchpoint_is_reported_hidden_and_restored_through_the_queue(self):
        do_approve_touchpoint(self.alice, self.proposal)
        self.login(self.charlie)
        response = self.client.post(
            self.report_url(self.proposal.pk), {"reason": "spam", "note": "An advert"}, follow=True
        )
        self.assertContains(response, "The moderators of this space will look at it.")
        with self.assertRaisesMessage(ActionRefused, "cannot report what you wrote yourself"):
            do_report(self.bob, self.museum, self.proposal, "spam")
        self.login(self.maja)
        queue = self.client.get(self.queue)
        self.assertContains(queue, f'id="reported-touchpoint-{self.proposal.pk}"')
        self.assertContains(queue, "An advert")
        self.client.post(
            moderation_url("hide_touchpoint", self.museum.slug, self.proposal.pk),
            {"reason": "Advertising"},
        )
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, TouchpointState.HIDDEN)
        self.assertEqual(Report.objects.get().resolution, Resolution.HIDDEN)
        shown = rateable_touchpoints(journey_map(self.journey))
        self.assertNotIn(self.proposal.pk, [touchpoint.pk for touchpoint in shown])
        self.client.post(moderation_url("restore_touchpoint", self.museum.slug, self.proposal.pk))
        self.proposal.refresh_from_db()
        self.assertEqual((self.proposal.state, self.proposal.hidden_reason), ("shown", ""))
        with self.assertRaisesMessage(ActionRefused, "This is not hidden."):
            do_restore(self.maja, self.proposal)

    def test_a_touchpoint_hidden_in_the_editor_is_restored_from_the_queue(self):
        shop = touchpoints_of(self.journey)[-1]
        do_hide_touchpoint(self.alice, shop, "The shop is closed for good")
        self.login(self.alice)
        queue = self.client.get(self.queue)
        self.assertContains(queue, "The shop is closed for good")
        with self.assertRaisesMessage(ActionRefused, "hidden this already"):
            do_hide(self.maja, shop, "Again")
        self.client.post(moderation_url("restore_touchpoint", self.museum.slug, shop.pk))
        shop.refresh_from_db()
        self.assertEqual(shop.state, TouchpointState.SHOWN)

    def test_members_and_other_spaces_cannot_moderate_touchpoints(self):
        other = make_journey(self.quiet_room, self.alice, "Quiet")
        foreign = touchpoints_of(other)[0]
        self.login(self.bob)
        hide = moderation_url("hide_touchpoint", self.museum.slug, self.proposal.pk)
        self.assertEqual(self.client.post(hide, {"reason": "No"}).status_code, 403)
        self.login(self.alice)
        through_museum = moderation_url("hide_touchpoint", self.museum.slug, foreign.pk)
        self.assertEqual(self.client.post(through_museum, {"reason": "No"}).status_code, 404)
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.report_url(foreign.pk)).status_code, 404)
        self.assertEqual(Touchpoint.objects.filter(state=TouchpointState.HIDDEN).count(), 0)


class RatingCommentModerationTests(TouchpointModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        first = touchpoints_of(self.journey)[0]
        self.rating = do_rate(
            self.journey,
            do_create_anonymous_participant(),
            first,
            score=2,
            comment="The staff member was rude, call 555-0100",
        )

    def test_organisers_hide_a_comment_from_the_report_page_and_the_rating_still_counts(self):
        address = self.report_url(self.rating.pk, "touchpoint_comment")
        self.login(self.charlie)  # the comments are the organisers' to read
        self.assertEqual(self.client.get(address).status_code, 404)
        self.login(self.maja)
        page = self.client.get(address)
        self.assertContains(page, "The staff member was rude")
        hide = moderation_url("hide_touchpoint_comment", self.museum.slug, self.rating.pk)
        self.assertContains(page, f'action="{hide}"')
        self.client.post(hide, {"reason": "A phone number"})
        rating = Rating.objects.get(pk=self.rating.pk)
        self.assertEqual((rating.comment_hidden_reason, rating.score), ("A phone number", 2))
        queue = self.client.get(self.queue)
        self.assertContains(queue, "A phone number")
        self.assertContains(queue, "Ratings are anonymous.")  # never who wrote it
        self.client.post(
            moderation_url("restore_touchpoint_comment", self.museum.slug, self.rating.pk)
        )
        rating.refresh_from_db()
        self.assertIsNone(rating.comment_hidden_at)
        self.assertEqual(
            list(
                AuditEntry.objects.filter(action__startswith="journey.comment")
                .order_by("pk")
                .values_list("action", flat=True)
            ),
            ["journey.comment_hidden", "journey.comment_restored"],
        )

    def test_a_rating_without_a_comment_is_nothing_to_moderate(self):
        plain = do_rate(
            self.journey,
            do_create_anonymous_participant(),
            touchpoints_of(self.journey)[0],
            score=5,
        )
        self.login(self.alice)
        address = self.report_url(plain.pk, "touchpoint_comment")
        self.assertEqual(self.client.get(address).status_code, 404)
        hide = moderation_url("hide_touchpoint_comment", self.museum.slug, plain.pk)
        self.assertEqual(self.client.post(hide, {"reason": "Nothing"}).status_code, 404)
