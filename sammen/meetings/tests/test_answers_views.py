"""The attendees' pages during and at the end of a meeting, for every persona: with the
ticket's token (no account or cookie), with an account, and for those who may not."""

from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.actions import do_create_account
from sammen.activities.actions import do_close_activity, do_open_activity, do_update_brief
from sammen.meetings.actions import ObjectiveInput, do_add_objective, do_plan_action
from sammen.meetings.attendees import ticket_token
from sammen.meetings.forms import SessionRatingForm
from sammen.meetings.models import (
    FollowUp,
    LearningAnswer,
    Level,
    Meeting,
    Objective,
    PlannedAction,
    Registration,
    Session,
    SessionRating,
)
from sammen.testing import (
    COMPLETE_BRIEF,
    MEASURES,
    BaseTestCase,
    make_member,
    make_space,
    make_user,
    participant_of,
)
from sammen.testing.meetings import begin_meeting, make_meeting, register

HTMX = {"HX-Request": "true"}


def url(meeting: Meeting, name: str, *args: object) -> str:
    activity = meeting.activity
    return reverse(f"meetings:{name}", args=[activity.space.slug, activity.slug, *args])


def token_url(registration: Registration, name: str, *args: object) -> str:
    return url(registration.meeting, name, ticket_token(registration), *args)


class AnswerPagesWorld(BaseTestCase):
    """A meeting under way: Rosa registered without an account (her phone has only the
    link), Bob with his account; Erik is a member who did not register."""

    def setUp(self) -> None:
        self.meeting = begin_meeting(make_meeting(self.museum, self.alice), self.alice)
        self.session = self.meeting.sessions.get()
        self.learning = Objective.objects.get(meeting=self.meeting, level=Level.LEARNING)
        self.rosa = register(self.meeting, "Rosa")
        self.bobs = register(self.meeting, "Bob", participant_of(self.bob))
        self.erik = make_user("Erik")
        make_member(self.museum, self.erik)
        self.phone = Client()  # Rosa's phone: no account, no cookie, only her link

    def rate(self, registration: Registration, score: str, *, client=None, **extra):
        return (client or self.phone).post(
            token_url(registration, "rate_session", self.session.pk),
            {"score": score, "comment": "Lively"},
            **extra,
        )


class YourAnswersTests(AnswerPagesWorld):
    def test_an_attendee_with_an_account_is_led_to_their_answers(self):
        self.login(self.bob)
        response = self.client.get(url(self.meeting, "your_answers"))
        self.assertRedirects(response, token_url(self.bobs, "answers"))

    def test_others_are_sent_back_to_the_meeting_with_a_word(self):
        for persona in [None, self.alice, self.erik, self.charlie]:
            self.login(persona)
            with self.subTest(persona=str(persona)):
                response = self.client.get(url(self.meeting, "your_answers"), follow=True)
                self.assertRedirects(response, self.meeting.activity.get_absolute_url())
                self.assertContains(response, "Registered attendees rate the sessions")


class AnswersPageTests(AnswerPagesWorld):
    def test_the_ticket_token_opens_the_page_on_a_phone_without_a_cookie(self):
        response = self.phone.get(token_url(self.rosa, "answers"))
        self.assertContains(response, "Your answers")
        self.assertContains(response, "One session to rate.")
        self.assertContains(response, 'name="score"', count=5)  # five faces, one session
        self.assertContains(response, token_url(self.rosa, "rate_session", self.session.pk))
        self.assertContains(response, token_url(self.rosa, "answer_learning", self.learning.pk))
        self.assertContains(response, token_url(self.rosa, "plan_action"))
        self.assertContains(response, self.learning.text)

    def test_a_forged_token_or_another_meetings_token_is_not_found(self):
        other = make_meeting(self.museum, self.alice, "Winter day")
        wim = register(other, "Wim")
        for token in ["forged", f"{self.rosa.pk}:forged", ticket_token(wim), "9" * 500]:
            with self.subTest(token=token[:20]):
                response = self.phone.get(url(self.meeting, "answers", token))
                self.assertEqual(response.status_code, 404)

    def test_the_owner_and_members_without_a_token_reach_nobodys_answers(self):
        for persona in [self.alice, self.erik]:
            self.login(persona)
            response = self.client.get(url(self.meeting, "answers", "not-a-token"))
            self.assertEqual(response.status_code, 404)

    def test_rated_sessions_show_the_rating_and_a_way_to_change_it(self):
        self.rate(self.rosa, "4")
        response = self.phone.get(token_url(self.rosa, "answers"))
        self.assertContains(response, "Your rating: Good (4 of 5)")
        self.assertNotContains(response, 'name="score"')
        self.assertContains(response, "You have rated every session that has begun.")

    def test_before_the_meeting_the_page_waits_and_invites_the_questions_before(self):
        later = make_meeting(self.museum, self.alice, "Winter day")
        wim = register(later, "Wim")
        response = self.phone.get(token_url(wim, "answers"))
        self.assertContains(response, "Come back once the meeting has begun")
        self.assertContains(response, token_url(wim, "learning"))
        self.assertContains(response, "You can rate it once it has begun.")
        self.assertNotContains(response, 'name="score"')

    def test_a_closed_meeting_shows_the_answers_without_forms(self):
        self.rate(self.rosa, "5")
        do_close_activity(self.alice, self.meeting.activity)
        response = self.phone.get(token_url(self.rosa, "answers"))
        self.assertContains(response, "This meeting takes no more answers.")
        self.assertContains(response, "Your rating: Excellent")
        self.assertNotContains(response, '<form class="answer-form"')

    def test_a_place_on_the_waiting_list_answers_nothing(self):
        full = make_meeting(self.museum, self.alice, "Small room", capacity=1)
        register(full, "Ana")
        waiting = register(full, "Wim")
        begin_meeting(full, self.alice)
        response = self.phone.get(token_url(waiting, "answers"))
        self.assertContains(response, "Only attendees with a place at the meeting can answer.")
        response = self.phone.post(
            token_url(waiting, "rate_session", full.sessions.get().pk), {"score": "5"}
        )
        self.assertContains(response, "Only attendees with a place")
        self.assertFalse(SessionRating.objects.exists())


class RateSessionViewTests(AnswerPagesWorld):
    def test_an_attendee_rates_by_the_token_and_comes_back_to_the_page(self):
        response = self.rate(self.rosa, "4")
        self.assertRedirects(
            response, token_url(self.rosa, "answers") + f"#session-{self.session.pk}"
        )
        rating = SessionRating.objects.get()
        self.assertEqual(
            (rating.registration, rating.score, rating.comment), (self.rosa, 4, "Lively")
        )

    def test_an_attendee_with_an_account_rates_too(self):
        self.login(self.bob)
        self.rate(self.bobs, "3", client=self.client)
        self.assertEqual(SessionRating.objects.get().registration, self.bobs)

    def test_htmx_gets_the_session_card_back(self):
        response = self.rate(self.rosa, "5", headers=HTMX)
        self.assertTemplateUsed(response, "meetings/_answer_session.html")
        self.assertNotContains(response, "<html")
        self.assertContains(response, "Thank you: your rating is saved.")
        self.assertContains(response, "Your rating: Excellent (5 of 5)")

    def test_the_rating_page_shows_the_form_filled_in_to_change_it(self):
        self.rate(self.rosa, "2")
        response = self.phone.get(token_url(self.rosa, "rate_session", self.session.pk))
        form = response.context["card"].form
        self.assertEqual(form.initial["score"], 2)
        self.rate(self.rosa, "4")
        self.assertEqual(SessionRating.objects.get().score, 4)

    def test_odd_scores_are_refused_in_words_and_change_nothing(self):
        for score in ["0", "6", "abc", "", " 4", "4.0", "٤", "-1", "9" * 40]:
            with self.subTest(score=score):
                response = self.rate(self.rosa, score)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Choose an answer from 1 to 5.")
        self.assertFalse(SessionRating.objects.exists())

    def test_a_long_comment_is_refused(self):
        response = self.phone.post(
            token_url(self.rosa, "rate_session", self.session.pk),
            {"score": "4", "comment": "x" * 1001},
        )
        self.assertContains(response, "at most 1000 characters")
        self.assertFalse(SessionRating.objects.exists())

    def test_a_session_of_another_meeting_is_not_found(self):
        other = begin_meeting(make_meeting(self.museum, self.alice, "Winter day"), self.alice)
        response = self.phone.post(
            token_url(self.rosa, "rate_session", other.sessions.get().pk), {"score": "4"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(SessionRating.objects.exists())

    def test_a_forged_token_rates_nothing(self):
        response = self.phone.post(
            url(self.meeting, "rate_session", "forged", self.session.pk), {"score": "4"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(SessionRating.objects.exists())

    def test_a_closed_meeting_takes_no_rating(self):
        do_close_activity(self.alice, self.meeting.activity)
        response = self.rate(self.rosa, "4")
        self.assertContains(response, "This meeting takes no more answers.")
        self.assertFalse(SessionRating.objects.exists())


class PlanActionViewTests(AnswerPagesWorld):
    def plan(self, confidence: str, text: str = "Ask partners first", **extra):
        return self.phone.post(
            token_url(self.rosa, "plan_action"), {"text": text, "confidence": confidence}, **extra
        )

    def test_the_plan_is_saved_from_the_phone(self):
        response = self.plan("70")
        self.assertRedirects(response, token_url(self.rosa, "answers") + "#plan")
        planned = PlannedAction.objects.get()
        self.assertEqual((planned.registration, planned.confidence), (self.rosa, 70))
        page = self.phone.get(token_url(self.rosa, "answers"))
        self.assertContains(page, "Ask partners first")

    def test_htmx_gets_the_plan_card_back(self):
        response = self.plan("80", headers=HTMX)
        self.assertTemplateUsed(response, "meetings/_answer_plan.html")
        self.assertContains(response, "your plan is saved")

    def test_odd_confidences_and_empty_plans_are_refused_and_change_nothing(self):
        for confidence in ["101", "-1", "50.5", "55", "abc", ""]:
            with self.subTest(confidence=confidence):
                response = self.plan(confidence)
                self.assertContains(response, "Choose a percentage from 0 to 100")
        response = self.plan("50", text="   ")
        self.assertContains(response, "Write what you will do differently")
        self.assertFalse(PlannedAction.objects.exists())

    def test_a_sent_follow_up_keeps_the_plan(self):
        do_plan_action(self.rosa, text="Ask visitors", confidence=60)
        FollowUp.objects.create(registration=self.rosa, days=30, sent_at=self.meeting.ends_at)
        response = self.plan("90", headers=HTMX)
        self.assertContains(response, "stays as it was")
        self.assertEqual(PlannedAction.objects.get().text, "Ask visitors")
        page = self.phone.get(token_url(self.rosa, "answers"))
        self.assertNotContains(page, token_url(self.rosa, "plan_action"))

    def test_the_plan_page_takes_only_a_post(self):
        self.assertEqual(self.phone.get(token_url(self.rosa, "plan_action")).status_code, 405)


class LearningViewTests(AnswerPagesWorld):
    def test_at_the_end_each_learning_objective_is_saved_on_its_own(self):
        response = self.phone.post(
            token_url(self.rosa, "answer_learning", self.learning.pk), {"value": "4"}
        )
        self.assertRedirects(
            response, token_url(self.rosa, "answers") + f"#objective-{self.learning.pk}"
        )
        answer = LearningAnswer.objects.get()
        self.assertEqual((answer.moment, answer.value), ("after", 4))
        response = self.phone.post(
            token_url(self.rosa, "answer_learning", self.learning.pk), {"value": "5"}, headers=HTMX
        )
        self.assertTemplateUsed(response, "meetings/_answer_learning.html")
        self.assertContains(response, "Saved.")
        self.assertEqual(LearningAnswer.objects.get().value, 5)

    def test_odd_values_and_objectives_are_refused(self):
        for value in ["0", "6", "abc", ""]:
            with self.subTest(value=value):
                response = self.phone.post(
                    token_url(self.rosa, "answer_learning", self.learning.pk),
                    {"value": value},
                    headers=HTMX,
                )
                self.assertContains(response, "Choose an answer from 1 to 5.")
        reaction = do_add_objective(
            self.alice, self.meeting, ObjectiveInput(level=Level.REACTION, text="They enjoy it")
        )
        other = make_meeting(self.museum, self.alice, "Winter day").objectives.get()
        for objective in [reaction, other]:
            response = self.phone.post(
                token_url(self.rosa, "answer_learning", objective.pk), {"value": "3"}
            )
            self.assertEqual(response.status_code, 404)
        self.assertFalse(LearningAnswer.objects.exists())

    def test_before_the_meeting_the_questions_are_one_page_from_the_ticket(self):
        later = make_meeting(self.museum, self.alice, "Winter day")
        second = do_add_objective(
            self.alice, later, ObjectiveInput(level=Level.LEARNING, text="Partners can run a café")
        )
        first = later.objectives.order_by("pk")[0]
        wim = register(later, "Wim")
        ticket = self.phone.get(url(later, "ticket", ticket_token(wim)))
        self.assertContains(ticket, "2 questions on what you can do today.")
        self.assertContains(ticket, token_url(wim, "learning"))
        page = self.phone.get(token_url(wim, "learning"))
        self.assertContains(page, "How well can you do this today?", count=2)
        response = self.phone.post(
            token_url(wim, "learning"), {f"objective_{first.pk}": "2"}, follow=True
        )
        self.assertRedirects(response, url(later, "ticket", ticket_token(wim)))
        self.assertContains(response, "One question on what you can do today.")
        self.assertEqual(
            list(LearningAnswer.objects.values_list("objective", "moment", "value")),
            [(first.pk, "before", 2)],
        )
        response = self.phone.post(token_url(wim, "learning"), {f"objective_{second.pk}": "7"})
        self.assertContains(response, "Choose an answer from 1 to 5.")
        self.assertEqual(LearningAnswer.objects.count(), 1)

    def test_once_begun_the_questions_before_are_closed(self):
        response = self.phone.get(token_url(self.rosa, "learning"))
        self.assertContains(response, "the questions before it are closed")
        response = self.phone.post(
            token_url(self.rosa, "learning"), {f"objective_{self.learning.pk}": "2"}
        )
        self.assertContains(response, "the questions before it are closed")
        self.assertFalse(LearningAnswer.objects.exists())


class InvitationTests(AnswerPagesWorld):
    def test_the_ticket_and_the_meeting_page_lead_attendees_to_their_answers(self):
        ticket = self.phone.get(url(self.meeting, "ticket", ticket_token(self.rosa)))
        self.assertContains(ticket, "Rate and answer")
        self.assertContains(ticket, token_url(self.rosa, "answers"))
        self.login(self.bob)
        page = self.client.get(self.meeting.activity.get_absolute_url())
        self.assertContains(page, token_url(self.bobs, "answers"))
        self.login(self.erik)
        page = self.client.get(self.meeting.activity.get_absolute_url())
        self.assertNotContains(page, "Rate and answer")


class LiveSessionViewTests(AnswerPagesWorld):
    def add(self):
        return self.client.post(url(self.meeting, "add_live_session", self.session.pk))

    def test_a_planner_adds_a_live_session_from_the_programme(self):
        self.login(self.alice)
        programme = self.client.get(url(self.meeting, "programme"))
        self.assertContains(programme, "Add a live session")
        response = self.add()
        live = self.meeting.activity.links_out.get().target
        self.assertRedirects(
            response, reverse("activities:brief", args=[self.museum.slug, live.slug])
        )
        self.assertEqual(live.kind, "live")
        programme = self.client.get(url(self.meeting, "programme"))
        self.assertContains(programme, live.get_absolute_url())
        self.assertNotContains(programme, "Add a live session")
        response = self.add()
        self.assertRedirects(
            response,
            url(self.meeting, "programme") + f"#session-{self.session.pk}",
            fetch_redirect_response=False,
        )
        self.assertEqual(self.meeting.activity.links_out.count(), 1)

    def test_attendees_join_an_open_live_session_from_their_page(self):
        self.login(self.alice)
        self.add()
        live = self.meeting.activity.links_out.get().target
        page = self.phone.get(token_url(self.rosa, "answers"))
        self.assertNotContains(page, "Join the live session")  # a draft is the planners'
        do_update_brief(self.alice, live, texts=COMPLETE_BRIEF, measures=MEASURES, self_check={})
        do_open_activity(self.alice, live)
        page = self.phone.get(token_url(self.rosa, "answers"))
        self.assertContains(page, "Join the live session")
        self.assertContains(page, live.get_absolute_url())
        ticket = self.phone.get(url(self.meeting, "ticket", ticket_token(self.rosa)))
        self.assertContains(ticket, live.get_absolute_url())

    def test_only_planners_add_one(self):
        for persona, status in [(self.bob, 403), (self.erik, 403), (None, 302)]:
            self.login(persona)
            with self.subTest(persona=str(persona)):
                self.assertEqual(self.add().status_code, status)
        self.login(self.alice)
        self.assertEqual(
            self.client.get(url(self.meeting, "add_live_session", self.session.pk)).status_code, 405
        )
        other = make_meeting(self.museum, self.alice, "Winter day")
        response = self.client.post(url(self.meeting, "add_live_session", other.sessions.get().pk))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.meeting.activity.links_out.exists())


class RatingFormTests(HypothesisTestCase):
    @settings(max_examples=150, deadline=None)
    @given(score=st.text(max_size=12), comment=st.text(max_size=1100))
    def test_any_score_and_comment_is_read_or_refused_in_words(self, score, comment):
        session = Session(pk=1)
        form = SessionRatingForm({"score": score, "comment": comment}, session=session)
        if form.is_valid():
            self.assertIn(score, {"1", "2", "3", "4", "5"})
            self.assertIn(form.cleaned_data["score"], range(1, 6))
            self.assertLessEqual(len(form.cleaned_data["comment"]), 1000)
        else:
            self.assertTrue(all(form.errors.values()))

    @settings(max_examples=30, deadline=None)
    @given(score=st.one_of(st.text(max_size=8), st.integers().map(str)))
    def test_the_page_never_fails_and_keeps_only_real_scores(self, score):
        owner = do_create_account("olga@example.org", "x" * 12, "Olga")
        meeting = begin_meeting(make_meeting(make_space(owner, "Hall"), owner), owner)
        rosa = register(meeting, "Rosa")
        response = Client().post(
            token_url(rosa, "rate_session", meeting.sessions.get().pk), {"score": score}
        )
        self.assertIn(response.status_code, {200, 302})
        kept = list(SessionRating.objects.values_list("score", flat=True))
        self.assertEqual(kept, [int(score)] if score in {"1", "2", "3", "4", "5"} else [])
