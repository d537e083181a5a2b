import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sammen.accounts.actions import do_create_anonymous_participant, do_delete_account
from sammen.calls.actions import do_answer_idea, do_respond_to_co_authorship, do_withdraw_idea
from sammen.calls.models import Call, Idea, IdeaStatus
from sammen.comments.actions import do_add_comment
from sammen.recognition.actions import do_award_badge
from sammen.testing import BaseTestCase, make_member, participant_of
from sammen.testing.calls import make_call, make_idea

REWARD = "Your name in the exhibition and two tickets."


def profile_url(user_or_participant) -> str:
    participant = getattr(user_or_participant, "participant", user_or_participant)
    return reverse("recognition:profile", args=[participant.public_id])


def hide(idea: Idea) -> None:
    # Moderators hide ideas through the moderation app; the profile only reads the mark.
    Idea.objects.filter(pk=idea.pk).update(hidden_at=timezone.now(), hidden_reason="Off topic")


class ProfilePageTests(BaseTestCase):
    call: Call
    selected: Idea

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.call = make_call(cls.museum, cls.alice)
        cls.selected = make_idea(cls.call, cls.bob, "A lighthouse museum")
        do_answer_idea(
            cls.alice, cls.selected, status=IdeaStatus.SELECTED, text="We **build** it in spring."
        )
        make_idea(cls.call, cls.bob, "Harbour choir")
        make_member(cls.quiet_room, cls.bob)
        make_idea(make_call(cls.quiet_room, cls.alice, "Quiet call"), cls.bob, "A reading nook")

    def get(self, viewer, target=None):
        self.login(viewer)
        return self.client.get(profile_url(target or self.bob))

    def test_everyone_sees_the_name_points_ideas_and_answers_from_public_spaces(self):
        for viewer in [None, self.alice, self.maja, self.bob, self.charlie]:
            with self.subTest(viewer=str(viewer)):
                response = self.get(viewer)
                self.assertContains(response, '<h1 class="profile__name">Bob</h1>', html=False)
                self.assertContains(response, "A lighthouse museum")
                self.assertContains(response, "Harbour choir")
                self.assertContains(response, "Selected")
                self.assertContains(response, "<strong>build</strong>")
                self.assertContains(response, "Harbour Museum")

    def test_private_space_contributions_are_left_out_for_outsiders(self):
        museum_points = 5 + 100 + 5
        for viewer in [None, self.maja, self.charlie]:
            with self.subTest(viewer=str(viewer)):
                response = self.get(viewer)
                self.assertNotContains(response, "A reading nook")
                self.assertNotContains(response, "Quiet Room")
                self.assertEqual(response.context["profile"].total_points, museum_points)
        for viewer in [self.alice, self.bob]:
            response = self.get(viewer)
            self.assertContains(response, "A reading nook")
            self.assertContains(response, "Quiet Room")
            self.assertEqual(response.context["profile"].total_points, museum_points + 5)

    def test_blind_ideas_waiting_for_an_answer_show_only_to_their_author(self):
        blind = make_call(self.museum, self.alice, "Blind call", blind=True)
        idea = make_idea(blind, self.bob, "A secret garden")
        for viewer in [None, self.alice, self.maja, self.charlie]:
            with self.subTest(viewer=str(viewer)):
                self.assertNotContains(self.get(viewer), "A secret garden")
        own = self.get(self.bob)
        self.assertContains(own, "A secret garden")
        self.assertContains(own, "others do not see this idea here until it is answered")
        do_answer_idea(self.alice, idea, status=IdeaStatus.NOT_SELECTED, text="Not this time.")
        self.assertContains(self.get(self.charlie), "A secret garden")

    def test_hidden_and_withdrawn_ideas_show_only_to_their_author(self):
        hide(self.selected)
        withdrawn = make_idea(self.call, self.bob, "A ferry timetable")
        do_add_comment(participant_of(self.maja), withdrawn.thread, "Every hour, please.")
        self.assertTrue(do_withdraw_idea(participant_of(self.bob), withdrawn))
        for viewer in [None, self.alice, self.charlie]:
            with self.subTest(viewer=str(viewer)):
                response = self.get(viewer)
                self.assertNotContains(response, "A lighthouse museum")
                self.assertNotContains(response, "A ferry timetable")
        own = self.get(self.bob)
        self.assertContains(own, "A lighthouse museum")
        self.assertContains(own, "A moderator hid this idea")
        self.assertContains(own, "A ferry timetable")

    def test_co_written_ideas_are_on_the_co_authors_profile(self):
        idea = make_idea(
            self.call, self.maja, "Harbour lights", co_authors=[participant_of(self.bob)]
        )
        self.assertNotContains(self.get(self.charlie), "Harbour lights")
        do_respond_to_co_authorship(participant_of(self.bob), idea, accept=True)
        response = self.get(self.charlie)
        self.assertContains(response, "Harbour lights")
        self.assertContains(response, "co-author")

    def test_unknown_and_erased_people_and_nameless_visitors_have_no_profile(self):
        self.login(self.alice)
        unknown = reverse("recognition:profile", args=[uuid.uuid4()])
        self.assertEqual(self.client.get(unknown).status_code, 404)
        nameless = do_create_anonymous_participant()
        self.assertEqual(self.client.get(profile_url(nameless)).status_code, 404)
        named = do_create_anonymous_participant("Harbour fan")
        self.assertContains(self.client.get(profile_url(named)), "Harbour fan")
        bob = participant_of(self.bob)
        do_delete_account(self.bob)
        bob.refresh_from_db()
        response = self.client.get(profile_url(bob))
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "deleted participant", status_code=404)

    def test_the_selected_author_sees_what_they_get_and_others_do_not(self):
        own = self.get(self.bob)
        self.assertContains(own, "What you get:")
        self.assertContains(own, REWARD)
        for viewer in [None, self.alice, self.maja, self.charlie]:
            with self.subTest(viewer=str(viewer)):
                self.assertNotContains(self.get(viewer), "What you get")

    def test_the_idea_page_tells_the_selected_author_what_they_get(self):
        for viewer in [None, self.alice, self.maja, self.charlie]:
            self.login(viewer)
            with self.subTest(viewer=str(viewer)):
                self.assertNotContains(
                    self.client.get(self.selected.get_absolute_url()), "What you get"
                )
        self.login(self.bob)
        response = self.client.get(self.selected.get_absolute_url())
        self.assertContains(response, "What you get:")
        self.assertContains(response, REWARD)
        unanswered = Idea.objects.get(title="Harbour choir")
        self.assertNotContains(self.client.get(unanswered.get_absolute_url()), "What you get")

    def test_an_accepted_co_author_of_a_selected_idea_sees_what_they_get(self):
        idea = make_idea(
            self.call, self.maja, "Harbour lights", co_authors=[participant_of(self.bob)]
        )
        do_respond_to_co_authorship(participant_of(self.bob), idea, accept=True)
        do_answer_idea(self.alice, idea, status=IdeaStatus.DONE, text="Shining.")
        self.login(self.bob)
        self.assertContains(self.client.get(idea.get_absolute_url()), "What you get:")

    def test_names_link_to_profiles_on_the_idea_page_and_the_member_list(self):
        link = f'href="{profile_url(self.bob)}"'
        self.assertContains(self.client.get(self.selected.get_absolute_url()), link)
        self.login(self.alice)
        self.assertContains(
            self.client.get(reverse("spaces:members", args=[self.museum.slug])), link
        )
        self.login(self.bob)
        self.assertContains(self.client.get(reverse("accounts:profile")), link)
        self.assertContains(self.client.get(reverse("accounts:profile")), "Your public profile")

    def test_points_add_up_by_deed_with_outcomes_first(self):
        deeds = [row["deed"] for row in self.get(self.charlie).context["profile"].points_by_deed]
        self.assertEqual(deeds, ["idea_selected", "idea_submitted"])

    def test_the_profile_makes_a_constant_number_of_queries(self):
        self.login(self.charlie)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(profile_url(self.bob)).status_code, 200)
            return len(queries.captured_queries)

        few = count()
        for number in range(5):
            make_idea(self.call, self.bob, f"More ideas {number}")
            do_award_badge(self.alice, self.museum, participant_of(self.bob), f"Thanks {number}")
        self.assertEqual(count(), few)
