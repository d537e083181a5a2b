"""The organisers' map editor: every URL, every persona, bad input, reordering without
JavaScript, the htmx partial, proposed touchpoints and waves."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.audit.models import AuditEntry
from sammen.notifications.kinds import render_notification
from sammen.notifications.models import Notification
from sammen.recognition.models import Recognition
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.journeys import make_journey, rate_all, touchpoints_of

from ..actions.mapping import TouchpointInput, do_add_touchpoint
from ..models import MAX_STAGES, Stage, Touchpoint, TouchpointState, Wave

HTMX = {"HX-Request": "true"}
TOUCHPOINT = {
    "name": "The guided tour",
    "description": "An hour with a guide.",
    "channel": "in_person",
    "performer": "staff",
    "monthly_volume": "1200",
    "risk": "medium",
}


def url(journey, name: str, *args) -> str:
    activity = journey.activity
    return reverse(f"journeys:{name}", args=[activity.space.slug, activity.slug, *args])


def names(journey) -> list[str]:
    return [touchpoint.name for touchpoint in touchpoints_of(journey)]


def stage_names(journey) -> list[str]:
    return list(Stage.objects.filter(journey=journey).values_list("name", flat=True))


class MapEditorTestCase(BaseTestCase):
    def setUp(self):
        self.journey = make_journey(self.museum, self.alice)
        self.stages = list(Stage.objects.filter(journey=self.journey))
        self.before, self.arrival, self.visit, self.leaving = self.stages
        self.ticket, self.entrance, self.welcome, self.exhibition, self.shop = touchpoints_of(
            self.journey
        )
        self.page = url(self.journey, "map")
        self.client.force_login(self.alice)

    def propose(self, participant=None, name="The lockers"):
        return do_add_touchpoint(
            None,
            self.arrival,
            TouchpointInput(name=name),
            state=TouchpointState.PROPOSED,
            after=self.entrance,
            proposed_by=participant or participant_of(self.bob),
        )

    def change(self, touchpoint, step, *, headers=None, follow=False, **data):
        return self.client.post(
            url(self.journey, "change_touchpoint", touchpoint.pk),
            {"step": step, **data},
            headers=headers,
            follow=follow,
        )


class WhoMayUseTheEditorTests(MapEditorTestCase):
    def every_request(self):
        """Every URL of the editor, with a harmless request each."""
        tp, stage = self.shop.pk, self.leaving.pk
        return [
            ("GET", url(self.journey, "map"), {}),
            ("POST", url(self.journey, "add_stage"), {"name": "Outside"}),
            ("POST", url(self.journey, "change_stage", stage), {"step": "up"}),
            ("POST", url(self.journey, "add_touchpoint", stage), TOUCHPOINT),
            ("GET", url(self.journey, "edit_touchpoint", tp), {}),
            ("POST", url(self.journey, "edit_touchpoint", tp), TOUCHPOINT),
            ("POST", url(self.journey, "change_touchpoint", tp), {"step": "up"}),
            ("POST", url(self.journey, "apply_starter"), {"starter": "museum"}),
            ("GET", url(self.journey, "import_map"), {}),
            ("POST", url(self.journey, "import_map"), {"text": "stage,touchpoint\nA,B\n"}),
            ("GET", url(self.journey, "export_map"), {}),
            ("POST", url(self.journey, "start_wave"), {"label": "After"}),
        ]

    def test_owners_and_moderators_open_the_editor(self):
        for user in (self.alice, self.maja):
            self.client.force_login(user)
            response = self.client.get(self.page)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "Stages and touchpoints")
            self.assertContains(response, "The welcome at the desk")

    def test_members_outsiders_and_anonymous_visitors_change_nothing(self):
        before = (names(self.journey), stage_names(self.journey), Wave.objects.count())
        for user, status in ((self.bob, 403), (self.charlie, 403), (None, 302)):
            self.login(user)
            for method, address, data in self.every_request():
                with self.subTest(user=user, url=address, method=method):
                    if method == "GET":
                        response = self.client.get(address)
                    else:
                        response = self.client.post(address, data)
                    self.assertEqual(response.status_code, status)
                    if status == 302:
                        self.assertIn("/accounts/login/", response["Location"])
        self.assertEqual(
            (names(self.journey), stage_names(self.journey), Wave.objects.count()), before
        )

    def test_a_journey_in_a_private_space_is_not_found_for_outsiders(self):
        journey = make_journey(self.quiet_room, self.alice, "Quiet")
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(url(journey, "map")).status_code, 404)

    def test_a_stage_or_touchpoint_of_another_journey_is_not_found(self):
        other = make_journey(self.museum, self.alice, "Festival")
        stranger = touchpoints_of(other)[0]
        for address in (
            url(self.journey, "change_stage", stranger.stage_id),
            url(self.journey, "add_touchpoint", stranger.stage_id),
            url(self.journey, "change_touchpoint", stranger.pk),
        ):
            with self.subTest(url=address):
                self.assertEqual(self.client.post(address, {"step": "up"}).status_code, 404)
        self.assertEqual(
            self.client.get(url(self.journey, "edit_touchpoint", stranger.pk)).status_code, 404
        )

    def test_the_settings_tabs_lead_to_the_editor(self):
        response = self.client.get(url(self.journey, "settings"))
        self.assertContains(response, f'href="{self.page}"')
        response = self.client.get(self.page)
        self.assertContains(response, 'aria-current="page">Stages and touchpoints')


class StageTests(MapEditorTestCase):
    def test_a_stage_is_added_at_the_end_without_javascript(self):
        response = self.client.post(url(self.journey, "add_stage"), {"name": "  Afterwards "})
        stage = Stage.objects.get(name="Afterwards")
        self.assertRedirects(
            response, f"{self.page}#stage-{stage.pk}", fetch_redirect_response=False
        )
        self.assertEqual(stage_names(self.journey)[-1], "Afterwards")

    def test_with_htmx_the_editor_comes_back_saying_what_happened(self):
        response = self.client.post(
            url(self.journey, "add_stage"), {"name": "Afterwards"}, headers=HTMX
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="map-editor"')
        self.assertContains(response, "Afterwards")
        self.assertContains(response, 'hx-swap-oob="true">The stage “Afterwards” is added.')
        self.assertNotContains(response, "<html")
        self.assertIn("HX-Request", response["Vary"])

    def test_bad_stage_names_are_refused_with_a_message(self):
        for name, message in (
            ("", "This field is required."),
            ("x" * 81, "Ensure this value has at most 80 characters"),
            ("Arrival\x1b[31m", "Remove the invisible control characters"),
            ("Two\nlines", "Keep this on one line."),
        ):
            with self.subTest(name=name):
                response = self.client.post(
                    url(self.journey, "add_stage"), {"name": name}, headers=HTMX
                )
                self.assertContains(response, message)
                response = self.client.post(
                    url(self.journey, "add_stage"), {"name": name}, follow=True
                )
                self.assertContains(response, message)
        self.assertEqual(len(stage_names(self.journey)), 4)

    def test_a_journey_holds_at_most_twenty_stages(self):
        for number in range(MAX_STAGES - 4):
            self.client.post(url(self.journey, "add_stage"), {"name": f"Stage {number}"})
        response = self.client.post(
            url(self.journey, "add_stage"), {"name": "One too many"}, follow=True
        )
        self.assertContains(response, "A journey holds at most 20 stages.")
        self.assertEqual(len(stage_names(self.journey)), MAX_STAGES)

    def test_a_stage_is_renamed_and_a_bad_name_changes_nothing(self):
        address = url(self.journey, "change_stage", self.visit.pk)
        self.client.post(address, {"step": "rename", "name": "In the rooms"})
        self.assertEqual(stage_names(self.journey)[2], "In the rooms")
        response = self.client.post(address, {"step": "rename", "name": " "}, headers=HTMX)
        self.assertContains(response, "This field is required.")
        self.assertContains(response, 'class="map-stage__rename" open')
        self.assertEqual(stage_names(self.journey)[2], "In the rooms")

    def test_stages_move_up_and_down_without_javascript(self):
        address = url(self.journey, "change_stage", self.visit.pk)
        response = self.client.post(address, {"step": "up"})
        self.assertRedirects(
            response, f"{self.page}#stage-{self.visit.pk}", fetch_redirect_response=False
        )
        self.assertEqual(stage_names(self.journey), ["Before", "The visit", "Arrival", "Leaving"])
        self.client.post(url(self.journey, "change_stage", self.before.pk), {"step": "down"})
        self.assertEqual(stage_names(self.journey), ["The visit", "Before", "Arrival", "Leaving"])
        self.assertEqual(names(self.journey)[0], "The main exhibition")
        # At an end nothing moves, and nothing breaks.
        self.client.post(url(self.journey, "change_stage", self.leaving.pk), {"step": "down"})
        self.assertEqual(stage_names(self.journey)[-1], "Leaving")

    def test_the_page_offers_arrows_only_where_a_stage_can_move(self):
        response = self.client.get(self.page)
        self.assertNotContains(response, f'id="stage-{self.before.pk}-up"')
        self.assertContains(response, f'id="stage-{self.before.pk}-down"')
        self.assertContains(response, f'id="stage-{self.leaving.pk}-up"')
        self.assertNotContains(response, f'id="stage-{self.leaving.pk}-down"')

    def test_an_empty_stage_is_deleted_and_one_with_touchpoints_stays(self):
        response = self.client.post(
            url(self.journey, "change_stage", self.visit.pk), {"step": "delete"}, follow=True
        )
        self.assertContains(response, "touchpoints first: a stage with touchpoints stays")
        empty = Stage.objects.create(journey=self.journey, name="Empty", position=9)
        response = self.client.post(
            url(self.journey, "change_stage", empty.pk), {"step": "delete"}, follow=True
        )
        self.assertContains(response, "The stage “Empty” is deleted.")
        self.assertEqual(stage_names(self.journey), ["Before", "Arrival", "The visit", "Leaving"])

    def test_an_unknown_step_is_refused(self):
        response = self.client.post(
            url(self.journey, "change_stage", self.visit.pk), {"step": "explode"}, follow=True
        )
        self.assertContains(response, "Choose what to do with the stage.")


class TouchpointTests(MapEditorTestCase):
    def test_a_touchpoint_is_added_at_the_end_of_its_stage_with_every_field(self):
        response = self.client.post(
            url(self.journey, "add_touchpoint", self.arrival.pk), TOUCHPOINT
        )
        touchpoint = Touchpoint.objects.get(name="The guided tour")
        self.assertRedirects(
            response, f"{self.page}#touchpoint-{touchpoint.pk}", fetch_redirect_response=False
        )
        self.assertEqual(
            names(self.journey)[1:4],
            ["Finding the entrance", "The welcome at the desk", "The guided tour"],
        )
        self.assertEqual(
            (
                touchpoint.description,
                touchpoint.monthly_volume,
                touchpoint.risk,
                touchpoint.performer,
            ),
            ("An hour with a guide.", 1200, "medium", "staff"),
        )
        response = self.client.get(self.page)
        self.assertContains(response, "1,200 a month")
        self.assertContains(response, "Risk: Medium")

    def test_bad_touchpoints_are_refused_field_by_field_and_nothing_is_added(self):
        cases = [
            ({"name": ""}, "This field is required."),
            ({"name": "x" * 121}, "Ensure this value has at most 120 characters"),
            ({"description": "x" * 501}, "Ensure this value has at most 500 characters"),
            ({"channel": "pigeon"}, "Select a valid choice."),
            ({"performer": "robot"}, "Select a valid choice."),
            ({"risk": "extreme"}, "Select a valid choice."),
            ({"monthly_volume": "-1"}, "Ensure this value is greater than or equal to 0."),
            ({"monthly_volume": "12abc"}, "Enter a whole number."),
            ({"monthly_volume": "1000000001"}, "less than or equal to 1000000000"),
            ({"name": "Bell\x07"}, "Remove the invisible control characters"),
        ]
        address = url(self.journey, "add_touchpoint", self.arrival.pk)
        for change, message in cases:
            with self.subTest(change=change):
                response = self.client.post(address, {**TOUCHPOINT, **change})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
                self.assertContains(response, 'class="map-add" open')
                response = self.client.post(address, {**TOUCHPOINT, **change}, headers=HTMX)
                self.assertContains(response, message)
                self.assertNotContains(response, "<html")
        self.assertEqual(len(names(self.journey)), 5)

    def test_the_edit_page_shows_and_saves_the_touchpoint(self):
        address = url(self.journey, "edit_touchpoint", self.welcome.pk)
        response = self.client.get(address)
        self.assertContains(response, 'value="The welcome at the desk"')
        self.assertContains(response, "Delete the touchpoint")
        response = self.client.post(
            address, {**TOUCHPOINT, "name": "The welcome", "monthly_volume": ""}
        )
        self.assertRedirects(
            response, f"{self.page}#touchpoint-{self.welcome.pk}", fetch_redirect_response=False
        )
        self.welcome.refresh_from_db()
        self.assertEqual((self.welcome.name, self.welcome.monthly_volume), ("The welcome", None))
        response = self.client.post(address, {**TOUCHPOINT, "name": "", "risk": "huge"})
        self.assertContains(response, "This field is required.")
        self.assertContains(response, "Select a valid choice.")
        self.welcome.refresh_from_db()
        self.assertEqual(self.welcome.name, "The welcome")

    def test_touchpoints_move_within_and_across_stages_without_javascript(self):
        response = self.change(self.welcome, "up")
        self.assertRedirects(
            response, f"{self.page}#touchpoint-{self.welcome.pk}", fetch_redirect_response=False
        )
        self.assertEqual(
            names(self.journey)[1:3], ["The welcome at the desk", "Finding the entrance"]
        )
        self.change(self.welcome, "up")  # past the first of its stage: into the stage before
        self.welcome.refresh_from_db()
        self.assertEqual(self.welcome.stage, self.before)
        self.assertEqual(
            names(self.journey)[:2], ["Buying a ticket online", "The welcome at the desk"]
        )
        self.change(self.shop, "down")  # the last of the journey stays where it is
        self.assertEqual(names(self.journey)[-1], "The museum shop")

    def test_with_htmx_a_move_swaps_the_editor_and_keeps_the_buttons_ids(self):
        response = self.change(self.exhibition, "down", headers=HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'id="touchpoint-{self.exhibition.pk}-down"')
        self.assertContains(response, "“The main exhibition” moved down.")
        self.assertEqual(names(self.journey)[-2:], ["The main exhibition", "The museum shop"])
        self.exhibition.refresh_from_db()
        self.assertEqual(self.exhibition.stage, self.leaving)

    def test_the_first_and_last_touchpoints_have_one_arrow(self):
        response = self.client.get(self.page)
        self.assertNotContains(response, f'id="touchpoint-{self.ticket.pk}-up"')
        self.assertContains(response, f'id="touchpoint-{self.ticket.pk}-down"')
        self.assertNotContains(response, f'id="touchpoint-{self.shop.pk}-down"')
        self.assertContains(response, f'id="touchpoint-{self.entrance.pk}-up"')

    def test_an_unrated_touchpoint_is_deleted(self):
        response = self.change(self.shop, "delete", follow=True)
        self.assertContains(response, "“The museum shop” is deleted.")
        self.assertNotIn("The museum shop", names(self.journey))

    def test_deleting_a_rated_touchpoint_is_refused_and_hiding_is_offered(self):
        rate_all(self.journey, [3])
        response = self.change(self.ticket, "delete", follow=True)
        self.assertContains(
            response, "This touchpoint has ratings, so it stays. Hide it if it no longer applies."
        )
        self.assertIn("Buying a ticket online", names(self.journey))
        response = self.client.get(url(self.journey, "edit_touchpoint", self.ticket.pk))
        self.assertContains(response, "Hide the touchpoint")
        self.assertNotContains(response, "Delete the touchpoint")
        self.assertContains(response, "It has 1 rating.")
        response = self.change(self.ticket, "hide", reason="", back="edit", follow=True)
        self.assertContains(response, "This field is required.")
        self.assertRedirects(response, url(self.journey, "edit_touchpoint", self.ticket.pk))
        response = self.change(
            self.ticket, "hide", reason="Tickets are sold at the door now", follow=True
        )
        self.assertContains(response, "“Buying a ticket online” is hidden. Its ratings stay.")
        self.assertContains(response, "Hidden because: Tickets are sold at the door now")
        self.ticket.refresh_from_db()
        self.assertEqual(self.ticket.state, TouchpointState.HIDDEN)
        self.change(self.ticket, "restore")
        self.ticket.refresh_from_db()
        self.assertEqual(self.ticket.state, TouchpointState.SHOWN)
        self.assertEqual(
            list(
                AuditEntry.objects.filter(action__startswith="touchpoint.")
                .values_list("action", flat=True)
                .order_by("pk")
            ),
            ["touchpoint.hidden", "touchpoint.restored"],
        )

    def test_a_hide_reason_over_200_characters_is_refused(self):
        response = self.change(self.shop, "hide", reason="x" * 201, headers=HTMX)
        self.assertContains(response, "at most 200 characters")
        self.assertContains(response, 'role="alert"')
        self.shop.refresh_from_db()
        self.assertEqual(self.shop.state, TouchpointState.SHOWN)

    def test_an_unknown_step_or_restoring_what_is_shown_is_refused(self):
        for step, message in (
            ("fly", "Choose what to do with the touchpoint."),
            ("restore", "not hidden"),
        ):
            with self.subTest(step=step):
                self.assertContains(self.change(self.shop, step, follow=True), message)


class ProposedTouchpointTests(MapEditorTestCase):
    def test_the_editor_lists_proposals_in_place_with_approve_and_hide(self):
        proposal = self.propose()
        response = self.client.get(self.page)
        self.assertContains(response, "A participant proposed a touchpoint you missed.")
        self.assertContains(response, f'href="#touchpoint-{proposal.pk}"')
        self.assertContains(response, "Proposed by Bob")
        self.assertContains(response, f'id="touchpoint-{proposal.pk}-approve"')
        self.assertEqual(names(self.journey)[2], "The lockers")

    def test_approving_shows_it_and_tells_a_proposer_with_an_account(self):
        proposal = self.propose()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.change(proposal, "approve", headers=HTMX)
        self.assertContains(response, "“The lockers” is approved: participants see it now.")
        proposal.refresh_from_db()
        self.assertEqual(
            (proposal.state, proposal.reviewed_by), (TouchpointState.SHOWN, self.alice)
        )
        notification = Notification.objects.get(user=self.bob, kind="touchpoint_approved")
        self.assertEqual(
            render_notification(notification.kind, notification.params),
            "The touchpoint you proposed, “The lockers”, is now part of “A museum visit”",
        )
        self.assertEqual(notification.url, self.journey.activity.get_absolute_url())
        self.assertTrue(AuditEntry.objects.filter(action="touchpoint.approved").exists())
        self.assertTrue(
            Recognition.objects.filter(
                participant=proposal.proposed_by, deed="touchpoint_added"
            ).exists()
        )
        self.assertContains(
            self.change(proposal, "approve", follow=True), "Only a proposed touchpoint"
        )

    def test_an_anonymous_proposer_is_not_notified(self):
        proposal = self.propose(do_create_anonymous_participant(), "A bench")
        with self.captureOnCommitCallbacks(execute=True):
            self.change(proposal, "approve")
        self.assertFalse(Notification.objects.exists())

    def test_hiding_a_proposal_needs_a_reason_which_is_kept(self):
        proposal = self.propose()
        response = self.change(proposal, "hide", reason="   ", headers=HTMX)
        self.assertContains(response, "This field is required.")
        self.assertContains(response, 'class="map-hide" open')
        response = self.change(proposal, "hide", reason="We have no lockers", headers=HTMX)
        self.assertContains(response, "Hidden because: We have no lockers")
        proposal.refresh_from_db()
        self.assertEqual(
            (proposal.state, proposal.hidden_reason), (TouchpointState.HIDDEN, "We have no lockers")
        )
        self.assertFalse(Notification.objects.exists())


class WaveTests(MapEditorTestCase):
    def test_the_settings_page_lists_waves_with_their_counts(self):
        rate_all(self.journey, [3, 4, None])
        response = self.client.get(url(self.journey, "settings"))
        self.assertContains(response, "Waves")
        self.assertContains(response, "Open now")
        self.assertContains(response, '<td class="journey-waves__number">2</td>')

    def test_a_new_wave_starts_once_ratings_are_in(self):
        response = self.client.post(
            url(self.journey, "start_wave"), {"label": "After"}, follow=True
        )
        self.assertContains(response, "The current wave has no ratings yet")
        self.assertEqual(Wave.objects.filter(journey=self.journey).count(), 1)
        rate_all(self.journey, [3])
        response = self.client.post(
            url(self.journey, "start_wave"), {"label": "After the new desk"}, follow=True
        )
        self.assertRedirects(response, url(self.journey, "settings") + "#waves")
        self.assertContains(response, "Wave 2 has started.")
        self.assertContains(response, "2 · After the new desk")
        self.assertEqual(
            Wave.objects.filter(journey=self.journey, closed_at__isnull=True).get().number, 2
        )

    def test_a_bad_wave_name_is_refused(self):
        rate_all(self.journey, [3])
        for label, message in (("x" * 81, "at most 80 characters"), ("A\x00B", "Null characters")):
            with self.subTest(label=label):
                response = self.client.post(
                    url(self.journey, "start_wave"), {"label": label}, follow=True
                )
                self.assertContains(response, message)
        self.assertEqual(Wave.objects.filter(journey=self.journey).count(), 1)


class QueryCountTests(MapEditorTestCase):
    def test_the_editor_makes_a_constant_number_of_queries(self):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.page).status_code, 200)
            return len(queries)

        self.propose()
        rate_all(self.journey, [3, 4])
        before = count()
        for number in range(4):
            stage = Stage.objects.create(journey=self.journey, name=f"More {number}", position=9)
            for name in ("One", "Two", "Three"):
                do_add_touchpoint(self.alice, stage, TouchpointInput(name=name))
        self.propose(do_create_anonymous_participant(), "A bench")
        self.propose(participant_of(self.charlie), "A map")
        rate_all(self.journey, [5, 6])
        self.assertEqual(count(), before)
