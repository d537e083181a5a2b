"""Actions of a live session: joining, questions, polls, quiz, moderation, reactions, presence."""

from datetime import timedelta
from unittest.mock import patch

from django.utils import timezone

from sammen.accounts.actions import do_create_anonymous_participant, do_merge_participants
from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.live.audit_actions import AuditAction
from sammen.spaces.actions import do_block_member
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.live import join_anonymously, join_as, make_poll, make_session

from ..actions import (
    LiveSettings,
    Moderate,
    OptionInput,
    do_answer_poll,
    do_ask_question,
    do_close_poll,
    do_join_session,
    do_moderate_answer,
    do_moderate_questions,
    do_open_poll,
    do_react,
    do_record_presence,
    do_rename_attendee,
    do_reply_to_question,
    do_reset_poll,
    do_save_poll,
    do_set_crew_role,
    do_set_questions_open,
    do_update_live_settings,
    do_upvote_question,
)
from ..analysis import quiz_points
from ..models import CODE_ALPHABET, Attendee, PollState, Question, QuestionStatus, Response
from ..permissions import normalise_code
from ..queries import leaderboard, poll_result


class JoiningTests(BaseTestCase):
    def setUp(self) -> None:
        self.session = make_session(self.museum, self.alice)

    def test_a_session_gets_a_short_code_without_look_alike_characters(self):
        self.assertEqual(len(self.session.code), 6)
        self.assertTrue(set(self.session.code) <= set(CODE_ALPHABET))
        self.assertFalse(set("0O1IL2Z5S8B") & set(CODE_ALPHABET))
        self.assertEqual(
            normalise_code(f" {self.session.code[:3].lower()}-{self.session.code[3:]} "),
            self.session.code,
        )

    def test_anyone_joins_anonymously_under_a_friendly_name_and_joining_twice_changes_nothing(self):
        participant = do_create_anonymous_participant()
        attendee = do_join_session(self.session, participant)
        self.assertRegex(attendee.name, r"^\w+ \w+ \d\d$")
        self.assertEqual(do_join_session(self.session, participant, name="Other"), attendee)
        self.assertEqual(Attendee.objects.filter(session=self.session).count(), 1)

    def test_the_organiser_can_ask_for_a_name_an_account_or_an_email_domain(self):
        do_update_live_settings(self.alice, self.session, LiveSettings(admission="named"))
        with self.assertRaisesMessage(ActionRefused, "asks everyone for a name"):
            join_anonymously(self.session)
        self.assertEqual(join_anonymously(self.session, "Nora").name, "Nora")
        do_update_live_settings(self.alice, self.session, LiveSettings(admission="accounts"))
        with self.assertRaisesMessage(ActionRefused, "Sign in to join"):
            join_anonymously(self.session, "Nora")
        self.assertEqual(join_as(self.session, self.bob).name, "Bob")
        do_update_live_settings(
            self.alice, self.session, LiveSettings(admission="domain", email_domain="@Museum.org")
        )
        self.session.refresh_from_db()
        self.assertEqual(self.session.email_domain, "museum.org")
        with self.assertRaisesMessage(ActionRefused, "museum.org"):
            join_as(self.session, self.charlie)

    def test_a_domain_admission_needs_a_domain(self):
        with self.assertRaises(ActionRefused):
            do_update_live_settings(self.alice, self.session, LiveSettings(admission="domain"))

    def test_blocked_members_and_sessions_that_are_not_live_refuse_joining(self):
        do_block_member(self.alice, self.museum, self.bob, "Spam")
        with self.assertRaisesMessage(ActionRefused, "blocked"):
            join_as(self.session, self.bob)
        draft = make_session(self.museum, self.alice, "Later", open_it=False)
        with self.assertRaisesMessage(ActionRefused, "not live"):
            join_anonymously(draft)

    def test_names_are_checked_like_any_text(self):
        attendee = join_anonymously(self.session)
        for bad in ["", "x" * 41, "bad\x00name", "two\nlines"]:
            with self.subTest(bad=bad), self.assertRaises(ActionRefused):
                do_rename_attendee(attendee, bad)
        do_rename_attendee(attendee, "  Kim  ")
        self.assertEqual(attendee.name, "Kim")


class QuestionTests(BaseTestCase):
    def setUp(self) -> None:
        self.session = make_session(self.museum, self.alice)
        self.asker = join_anonymously(self.session, "Asker")
        self.voter = join_anonymously(self.session, "Voter")

    def test_a_question_shows_at_once_and_gets_one_vote_per_person(self):
        question = do_ask_question(self.asker, "Will the museum open on Sundays?")
        self.assertEqual(question.status, QuestionStatus.VISIBLE)
        self.assertTrue(do_upvote_question(self.voter, question))
        self.assertFalse(do_upvote_question(self.voter, question))
        question.refresh_from_db()
        self.assertEqual(question.upvote_count, 1)
        self.assertEqual(question.upvotes.count(), 1)
        self.assertTrue(do_upvote_question(self.voter, question, up=False))
        question.refresh_from_db()
        self.assertEqual(question.upvote_count, 0)

    def test_nobody_votes_for_their_own_question(self):
        question = do_ask_question(self.asker, "Mine?")
        with self.assertRaisesMessage(ActionRefused, "your own question"):
            do_upvote_question(self.asker, question)

    def test_bad_questions_are_refused_with_a_reason(self):
        for text, message in [
            ("   ", "Write your question first"),
            ("x" * 301, "300 characters"),
            ("a\x1b[31mred", "control characters"),
        ]:
            with self.subTest(text=text[:10]), self.assertRaisesMessage(ActionRefused, message):
                do_ask_question(self.asker, text)
        self.assertFalse(Question.objects.exists())

    def test_script_in_a_question_is_kept_as_text(self):
        question = do_ask_question(self.asker, "<script>alert(1)</script>")
        self.assertEqual(question.text, "<script>alert(1)</script>")
        response = self.client.get(f"/live/{self.session.code}/")
        self.assertNotContains(response, "<script>alert(1)</script>")

    def test_locked_questions_and_anonymous_asking_are_the_organisers_choice(self):
        do_set_questions_open(self.alice, self.session, False)
        with self.assertRaisesMessage(ActionRefused, "closed for now"):
            do_ask_question(self.asker, "Hello?")
        do_set_questions_open(self.alice, self.session, True)
        do_update_live_settings(self.alice, self.session, LiveSettings(anonymous_questions=False))
        self.asker.session.refresh_from_db()
        with self.assertRaises(ActionRefused):
            do_ask_question(self.asker, "Hello?", anonymous=True)

    def test_before_approval_or_with_a_listed_word_a_question_waits_for_a_moderator(self):
        flagged = do_ask_question(self.asker, "What the fuck is this?")
        self.assertEqual(flagged.status, QuestionStatus.PENDING)
        self.assertTrue(flagged.flagged)
        do_update_live_settings(self.alice, self.session, LiveSettings(moderation="pre"))
        self.asker.session.refresh_from_db()
        self.assertEqual(do_ask_question(self.asker, "Polite?").status, QuestionStatus.PENDING)

    def test_moderators_approve_hide_with_a_reason_pin_and_answer_in_bulk_and_every_act_is_logged(
        self,
    ):
        first = do_ask_question(self.asker, "First")
        second = do_ask_question(self.asker, "Second")
        with self.assertRaisesMessage(ActionRefused, "the author sees the reason"):
            do_moderate_questions(self.maja, self.session, [first], Moderate.HIDE, "")
        do_moderate_questions(self.maja, self.session, [first, second], Moderate.HIDE, "Off topic")
        first.refresh_from_db()
        self.assertEqual((first.status, first.hidden_reason), (QuestionStatus.HIDDEN, "Off topic"))
        do_moderate_questions(self.maja, self.session, [first, second], Moderate.RESTORE)
        do_moderate_questions(self.maja, self.session, [first], Moderate.PIN)
        do_moderate_questions(self.maja, self.session, [second], Moderate.ANSWERED)
        do_reply_to_question(self.alice, second, "Yes, from May.")
        second.refresh_from_db()
        self.assertTrue(second.is_answered)
        self.assertEqual(second.reply, "Yes, from May.")
        self.assertEqual(
            AuditEntry.objects.filter(action=AuditAction.LIVE_QUESTION_MODERATED).count(), 7
        )

    def test_questions_of_another_session_cannot_be_moderated_here(self):
        other = make_session(self.museum, self.alice, "Other")
        question = do_ask_question(join_anonymously(other), "Elsewhere")
        with self.assertRaises(ActionRefused):
            do_moderate_questions(self.alice, self.session, [question], Moderate.HIDE, "No")


class PollTests(BaseTestCase):
    def setUp(self) -> None:
        self.session = make_session(self.museum, self.alice)
        self.people = [join_anonymously(self.session, f"P{n}") for n in range(3)]

    def test_a_poll_needs_a_question_and_distinct_options(self):
        for kwargs in [
            {"title": " ", "options": [OptionInput("A"), OptionInput("B")]},
            {"title": "Q", "options": [OptionInput("A")]},
            {"title": "Q", "options": [OptionInput("A"), OptionInput("a")]},
            {"title": "Q", "options": [OptionInput(str(n)) for n in range(11)]},
        ]:
            with self.subTest(kwargs=kwargs), self.assertRaises(ActionRefused):
                do_save_poll(self.alice, self.session, kind="single", **kwargs)  # type: ignore[arg-type]

    def test_one_answer_per_person_changeable_until_the_poll_closes(self):
        poll = make_poll(self.session, self.alice)
        first, second = poll.options.all()[:2]
        with self.assertRaisesMessage(ActionRefused, "closed"):
            do_answer_poll(self.people[0], poll, option_ids=[first.pk])
        do_open_poll(self.alice, poll)
        do_answer_poll(self.people[0], poll, option_ids=[first.pk])
        do_answer_poll(self.people[0], poll, option_ids=[second.pk])
        self.assertEqual(Response.objects.filter(poll=poll).count(), 1)
        result = poll_result(poll)
        self.assertEqual([row.count for row in result.rows], [0, 1, 0])
        do_close_poll(self.alice, poll)
        with self.assertRaisesMessage(ActionRefused, "closed"):
            do_answer_poll(self.people[0], poll, option_ids=[first.pk])

    def test_answers_must_fit_the_kind_of_poll(self):
        single = make_poll(self.session, self.alice)
        rating = make_poll(self.session, self.alice, "rating", scale_max=5)
        ranking = make_poll(self.session, self.alice, "ranking")
        text = make_poll(self.session, self.alice, "text")
        for poll in [single, rating, ranking, text]:
            do_open_poll(self.alice, poll)
        other_option = make_poll(self.session, self.alice).options.first()
        assert other_option is not None
        bad = [
            (single, {"option_ids": []}),
            (single, {"option_ids": [other_option.pk]}),
            (rating, {"value": 6}),
            (rating, {"value": None}),
            (ranking, {"ranking": [ranking.options.first().pk]}),  # type: ignore[union-attr]
            (text, {"text": " "}),
            (text, {"text": "y" * 121}),
        ]
        for poll, answer in bad:
            with self.subTest(kind=poll.kind, answer=answer), self.assertRaises(ActionRefused):
                do_answer_poll(self.people[0], poll, **answer)  # type: ignore[arg-type]
        self.assertFalse(Response.objects.exists())

    def test_ratings_rankings_and_word_clouds_are_counted(self):
        rating = make_poll(self.session, self.alice, "rating", scale_max=5)
        ranking = make_poll(self.session, self.alice, "ranking")
        text = make_poll(self.session, self.alice, "text")
        for poll in [rating, ranking, text]:
            do_open_poll(self.alice, poll)
        options = [option.pk for option in ranking.options.all()]
        for person, value in zip(self.people, [4, 5, 3], strict=True):
            do_answer_poll(person, rating, value=value)
        do_answer_poll(self.people[0], ranking, ranking=options)
        do_answer_poll(self.people[1], ranking, ranking=[options[1], options[0], options[2]])
        do_answer_poll(self.people[0], text, text="The harbour and the ships")
        do_answer_poll(self.people[1], text, text="Ships! Ships at the HARBOUR")
        self.assertEqual(poll_result(rating).mean, 4.0)
        self.assertEqual(
            [row.label for row in poll_result(ranking).rows][:2], ["Harbour", "Station"]
        )
        words = dict(poll_result(text).words)
        self.assertEqual(words["harbour"], 2)
        self.assertEqual(words["ships"], 2)
        self.assertNotIn("the", words)

    def test_a_listed_word_flags_an_open_answer_for_review_and_moderators_hide_it(self):
        poll = make_poll(self.session, self.alice, "text")
        do_open_poll(self.alice, poll)
        response = do_answer_poll(self.people[0], poll, text="shit happens")
        self.assertTrue(response.flagged)
        do_moderate_answer(self.maja, response, hidden=True)
        self.assertNotIn("shit", dict(poll_result(poll).words))

    def test_resetting_deletes_the_answers_and_is_logged(self):
        poll = make_poll(self.session, self.alice)
        do_open_poll(self.alice, poll)
        do_answer_poll(self.people[0], poll, option_ids=[poll.options.first().pk])  # type: ignore[union-attr]
        self.assertEqual(do_reset_poll(self.alice, poll), 1)
        poll.refresh_from_db()
        self.assertEqual(poll.state, PollState.DRAFT)
        self.assertFalse(poll.responses.exists())
        entry = AuditEntry.objects.filter(action=AuditAction.LIVE_POLL_CHANGED).first()
        assert entry is not None
        self.assertEqual(entry.details, {"act": "reset", "removed": 1})

    def test_options_cannot_change_once_people_answered(self):
        poll = make_poll(self.session, self.alice)
        do_open_poll(self.alice, poll)
        do_answer_poll(self.people[0], poll, option_ids=[poll.options.first().pk])  # type: ignore[union-attr]
        with self.assertRaisesMessage(ActionRefused, "reset it"):
            do_save_poll(
                self.alice,
                self.session,
                poll=poll,
                kind="single",
                title="New",
                options=[OptionInput("X"), OptionInput("Y")],
            )
        do_save_poll(
            self.alice,
            self.session,
            poll=poll,
            kind="single",
            title="Better wording",
            options=[OptionInput(o.label) for o in poll.options.all()],
        )


class QuizTests(BaseTestCase):
    def test_right_and_fast_answers_score_most_and_the_first_answer_counts(self):
        session = make_session(self.museum, self.alice)
        poll = make_poll(session, self.alice, correct=1)
        self.assertTrue(poll.is_quiz)
        do_open_poll(self.alice, poll)
        right = poll.options.get(position=1).pk
        wrong = poll.options.get(position=0).pk
        fast, slow, mistaken = (
            join_anonymously(session, name) for name in ["Fast", "Slow", "Wrong"]
        )
        do_answer_poll(fast, poll, option_ids=[right])
        with patch(
            "sammen.live.actions.answers.timezone.now",
            return_value=timezone.now() + timedelta(seconds=15),
        ):
            do_answer_poll(slow, poll, option_ids=[right])
        do_answer_poll(mistaken, poll, option_ids=[wrong])
        with self.assertRaisesMessage(ActionRefused, "first answer counts"):
            do_answer_poll(mistaken, poll, option_ids=[right])
        self.assertEqual(leaderboard(session), [])  # points count once the question closes
        do_close_poll(self.alice, poll)
        board = leaderboard(session)
        self.assertEqual([standing.name for standing in board], ["Fast", "Slow"])
        self.assertGreater(board[0].points, board[1].points)
        self.assertEqual(quiz_points(False, 1, 20), 0)
        self.assertEqual(quiz_points(True, 0, 20), 1000)
        self.assertEqual(quiz_points(True, 30, 20), 500)


class CrewPresenceAndReactionTests(BaseTestCase):
    def setUp(self) -> None:
        self.session = make_session(self.museum, self.alice)

    def test_helpers_must_be_members_of_the_space(self):
        with self.assertRaisesMessage(ActionRefused, "members of the space"):
            do_set_crew_role(self.alice, self.session, self.charlie, "moderator")
        do_set_crew_role(self.alice, self.session, self.bob, "presenter")
        self.assertEqual(self.session.crew.get().role, "presenter")
        do_set_crew_role(self.alice, self.session, self.bob, "")
        self.assertFalse(self.session.crew.exists())

    def test_reactions_are_stored_and_only_from_the_fixed_set(self):
        attendee = join_anonymously(self.session)
        do_react(attendee, "heart")
        with self.assertRaises(ActionRefused):
            do_react(attendee, "poo")
        do_update_live_settings(self.alice, self.session, LiveSettings(reactions_enabled=False))
        attendee.session.refresh_from_db()
        with self.assertRaisesMessage(ActionRefused, "off"):
            do_react(attendee, "heart")
        self.assertEqual(self.session.reactions.count(), 1)

    def test_presence_from_several_processes_adds_up_and_keeps_the_peak(self):
        self.assertEqual(do_record_presence(self.session.pk, "a", 30), 30)
        self.assertEqual(do_record_presence(self.session.pk, "b", 20), 50)
        self.assertEqual(do_record_presence(self.session.pk, "a", 5), 25)
        self.session.refresh_from_db()
        self.assertEqual(self.session.peak_audience, 50)

    def test_deleting_an_account_forgets_the_name_the_room_saw(self):
        from sammen.accounts.actions import do_delete_account

        attendee = join_as(self.session, self.charlie)
        question = do_ask_question(attendee, "Mine, with my name")
        do_delete_account(self.charlie)
        attendee.refresh_from_db()
        question.refresh_from_db()
        self.assertEqual(attendee.name, "")
        self.assertTrue(question.anonymous)
        self.assertEqual(question.asked_by, "")

    def test_signing_up_keeps_what_an_anonymous_attendee_did(self):
        anonymous = join_anonymously(self.session, "Guest")
        do_ask_question(anonymous, "Before I signed in")
        mine = join_as(self.session, self.bob)
        do_merge_participants(anonymous.participant, participant_of(self.bob))
        self.assertEqual(Question.objects.get().author, mine)
        self.assertFalse(Attendee.objects.filter(pk=anonymous.pk).exists())
