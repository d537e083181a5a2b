from sammen.accounts.actions import do_create_anonymous_participant, do_merge_participants
from sammen.accounts.models import Participant
from sammen.activities.actions import do_close_activity, do_open_activity
from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.notifications.models import Notification
from sammen.testing import BaseTestCase, make_activity, participant_of
from sammen.testing.conversations import (
    SEEDS,
    SETTINGS,
    make_conversation,
    statements_of,
    vote_in_camps,
)

from ..actions import (
    do_add_statement,
    do_approve_statement,
    do_hide_statement,
    do_recompute_opinion_map,
    do_restore_statement,
    do_seed_statements,
    do_set_statement_meta,
    do_update_conversation,
    do_vote,
)
from ..kind import personal_conversation_data
from ..models import Conversation, StatementState, StoredMap, Vote, Voter
from ..tasks import is_stale


class SetUpTests(BaseTestCase):
    def test_an_activity_of_the_conversation_kind_gets_its_conversation(self):
        activity = make_activity(self.museum, self.alice, "Talk", kind="conversation")
        self.assertTrue(Conversation.objects.filter(activity=activity).exists())

    def test_it_opens_only_with_a_question_and_three_statements(self):
        activity = make_activity(self.museum, self.alice, "Talk", kind="conversation")
        with self.assertRaises(ActionRefused) as refused:
            do_open_activity(self.alice, activity)
        self.assertIn("question", refused.exception.message)
        self.assertIn("at least 3 statements", refused.exception.message)
        do_update_conversation(self.alice, activity.conversation, **SETTINGS)
        do_seed_statements(self.alice, activity.conversation, SEEDS[:3])
        do_open_activity(self.alice, activity)
        self.assertTrue(activity.is_open)

    def test_the_settings_refuse_unknown_choices_and_change_nothing(self):
        conversation = make_conversation(self.museum, self.alice)
        for wrong in [{"participation": "everyone"}, {"moderation": "never"}]:
            with self.assertRaises(ActionRefused):
                do_update_conversation(self.alice, conversation, **{**SETTINGS, **wrong})
        conversation.refresh_from_db()
        self.assertEqual(conversation.participation, "anyone")
        self.assertEqual(conversation.moderation, "before")


class SeedTests(BaseTestCase):
    def test_seeds_are_shown_at_once_numbered_in_order_and_audited(self):
        conversation = make_conversation(self.museum, self.alice, open_it=False)
        statements = statements_of(conversation)
        self.assertEqual([s.number for s in statements], list(range(1, len(SEEDS) + 1)))
        self.assertTrue(all(s.is_seed and s.is_shown and s.reviewed_at for s in statements))
        self.assertTrue(
            AuditEntry.objects.filter(action="conversation.seeded", details__count=8).exists()
        )

    def test_duplicate_empty_or_oversized_seeds_are_refused_and_nothing_is_added(self):
        conversation = make_conversation(self.museum, self.alice, open_it=False)
        for lines in [
            ["A fresh idea.", SEEDS[0].upper()],
            ["A fresh idea.", "a fresh idea!"],
            ["A fresh idea.", "x" * 141],
            ["   ", ""],
        ]:
            with self.subTest(lines=lines), self.assertRaises(ActionRefused):
                do_seed_statements(self.alice, conversation, lines)
        self.assertEqual(conversation.statements.count(), len(SEEDS))

    def test_meta_seeds_are_marked(self):
        conversation = make_conversation(self.museum, self.alice, open_it=False)
        [meta] = do_seed_statements(
            self.alice, conversation, ["I want more statements about transport."], meta=True
        )
        self.assertTrue(meta.is_meta)


class VoteTests(BaseTestCase):
    def setUp(self) -> None:
        self.conversation = make_conversation(self.museum, self.alice)
        self.first, self.second, *_rest = statements_of(self.conversation)
        self.voter = do_create_anonymous_participant()

    def test_a_vote_is_stored_once_and_voting_again_changes_it(self):
        self.assertTrue(do_vote(self.voter, self.first, 1))
        self.assertFalse(do_vote(self.voter, self.first, -1))
        self.assertFalse(do_vote(self.voter, self.first, -1))
        vote = Vote.objects.get(participant=self.voter)
        self.assertEqual(vote.value, -1)
        self.assertEqual(vote.conversation, self.conversation)
        self.assertGreaterEqual(vote.updated_at, vote.created_at)

    def test_participants_get_numbers_in_the_order_they_arrive(self):
        other = do_create_anonymous_participant()
        do_vote(self.voter, self.first, 1)
        do_vote(other, self.first, 0)
        do_vote(self.voter, self.second, 1)
        numbers = dict(
            Voter.objects.filter(conversation=self.conversation).values_list(
                "participant", "number"
            )
        )
        self.assertEqual(numbers, {self.voter.pk: 0, other.pk: 1})

    def test_votes_that_are_not_agree_disagree_or_pass_are_refused(self):
        for value in [2, -2, 5]:
            with self.assertRaises(ActionRefused):
                do_vote(self.voter, self.first, value)
        self.assertFalse(Vote.objects.exists())

    def test_votes_on_hidden_or_waiting_statements_are_refused(self):
        do_hide_statement(self.alice, self.first, "Off topic")
        waiting = do_add_statement(
            participant_of(self.bob), self.conversation, "The quay needs benches."
        )
        for statement in [self.first, waiting]:
            with self.assertRaises(ActionRefused):
                do_vote(self.voter, statement, 1)
        self.assertFalse(Vote.objects.filter(participant=self.voter).exists())

    def test_votes_on_a_statement_of_another_conversation_are_refused(self):
        other = make_conversation(self.museum, self.alice, "Another talk")
        foreign = statements_of(other)[0]
        foreign.conversation = self.conversation  # as a forged form would claim
        with self.assertRaises(ActionRefused):
            do_vote(self.voter, foreign, 1)
        self.assertFalse(Vote.objects.exists())

    def test_a_closed_conversation_takes_no_votes(self):
        do_close_activity(self.alice, self.conversation.activity)
        self.conversation.activity.refresh_from_db()
        with self.assertRaises(ActionRefused):
            do_vote(self.voter, self.first, 1)
        self.assertFalse(Vote.objects.exists())

    def test_each_vote_asks_for_a_new_map_after_it_commits(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            do_vote(self.voter, self.first, 1)
        self.assertEqual(len(callbacks), 1)
        self.assertTrue(StoredMap.objects.filter(conversation=self.conversation).exists())


class StatementTests(BaseTestCase):
    def setUp(self) -> None:
        self.conversation = make_conversation(self.museum, self.alice)
        self.author = participant_of(self.bob)

    def test_a_participant_statement_waits_for_approval_and_its_author_agrees(self):
        statement = do_add_statement(self.author, self.conversation, "  The quay  needs benches. ")
        self.assertEqual(statement.text, "The quay needs benches.")
        self.assertEqual(statement.state, StatementState.PENDING)
        self.assertFalse(statement.is_seed)
        self.assertEqual(statement.number, len(SEEDS) + 1)
        self.assertEqual(Vote.objects.get(statement=statement).value, 1)

    def test_with_moderation_afterwards_a_statement_is_shown_at_once(self):
        do_update_conversation(self.alice, self.conversation, **{**SETTINGS, "moderation": "after"})
        statement = do_add_statement(self.author, self.conversation, "The quay needs benches.")
        self.assertEqual(statement.state, StatementState.SHOWN)
        self.assertIsNone(statement.reviewed_at)

    def test_empty_oversized_and_duplicate_statements_are_refused(self):
        for text in ["", "   ", "x" * 141, SEEDS[0], SEEDS[0].lower().rstrip(".") + "!"]:
            with self.subTest(text=text), self.assertRaises(ActionRefused) as refused:
                do_add_statement(self.author, self.conversation, text)
            self.assertEqual(refused.exception.field, "text")
        self.assertEqual(self.conversation.statements.count(), len(SEEDS))

    def test_a_statement_of_exactly_140_characters_is_fine(self):
        statement = do_add_statement(self.author, self.conversation, "y" * 140)
        self.assertEqual(len(statement.text), 140)

    def test_participants_cannot_add_statements_when_the_organisers_say_no(self):
        do_update_conversation(
            self.alice, self.conversation, **{**SETTINGS, "participants_add_statements": False}
        )
        with self.assertRaises(ActionRefused):
            do_add_statement(self.author, self.conversation, "The quay needs benches.")

    def test_a_participant_adds_at_most_twenty_statements_a_day(self):
        for number in range(20):
            do_add_statement(self.author, self.conversation, f"Statement number {number} here.")
        with self.assertRaises(ActionRefused):
            do_add_statement(self.author, self.conversation, "One statement too many.")

    def test_organisers_hear_when_the_queue_stops_being_empty_not_for_each_statement(self):
        with self.captureOnCommitCallbacks(execute=True):
            do_add_statement(self.author, self.conversation, "The quay needs benches.")
            do_add_statement(self.author, self.conversation, "The quay needs lights.")
        told = Notification.objects.filter(kind="statement_waiting")
        self.assertEqual(sorted(n.user.display_name for n in told), ["Alice", "Maja"])

    def test_approving_shows_it_tells_the_author_and_is_audited(self):
        statement = do_add_statement(self.author, self.conversation, "The quay needs benches.")
        with self.captureOnCommitCallbacks(execute=True):
            do_approve_statement(self.maja, statement)
        statement.refresh_from_db()
        self.assertEqual(statement.state, StatementState.SHOWN)
        self.assertEqual(statement.reviewed_by, self.maja)
        self.assertTrue(Notification.objects.filter(user=self.bob, kind="statement_approved"))
        self.assertTrue(AuditEntry.objects.filter(action="statement.approved").exists())

    def test_hiding_and_restoring_change_whether_it_counts_and_are_audited(self):
        statement = statements_of(self.conversation)[0]
        do_hide_statement(self.alice, statement, "Not about the harbour")
        self.assertEqual(statement.state, StatementState.HIDDEN)
        self.assertEqual(statement.hidden_reason, "Not about the harbour")
        with self.assertRaises(ActionRefused):
            do_hide_statement(self.alice, statement)
        with self.assertRaises(ActionRefused):
            do_approve_statement(self.alice, statement)
        do_restore_statement(self.alice, statement)
        self.assertEqual(statement.state, StatementState.SHOWN)
        self.assertEqual(statement.hidden_reason, "")
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        self.assertLessEqual({"statement.hidden", "statement.restored"}, actions)

    def test_a_too_long_reason_for_hiding_is_refused(self):
        statement = statements_of(self.conversation)[0]
        with self.assertRaises(ActionRefused):
            do_hide_statement(self.alice, statement, "x" * 201)
        statement.refresh_from_db()
        self.assertTrue(statement.is_shown)

    def test_moderation_makes_the_map_out_of_date(self):
        vote_in_camps(self.conversation, people=4)
        stored = do_recompute_opinion_map(self.conversation)
        self.conversation.refresh_from_db()
        self.assertFalse(is_stale(self.conversation, stored))
        do_set_statement_meta(self.alice, statements_of(self.conversation)[0], True)
        self.conversation.refresh_from_db()
        self.assertTrue(is_stale(self.conversation, stored))
        self.assertTrue(AuditEntry.objects.filter(action="statement.meta").exists())


class OpinionMapTests(BaseTestCase):
    def setUp(self) -> None:
        self.conversation = make_conversation(self.museum, self.alice)

    def test_two_camps_make_two_groups_with_their_representative_statements(self):
        camps = vote_in_camps(self.conversation, people=16)
        stored = do_recompute_opinion_map(self.conversation)
        assert stored is not None
        self.assertTrue(stored.ready)
        self.assertEqual(stored.revision, 1)
        self.assertEqual(stored.participant_count, 16)
        self.assertEqual(stored.vote_count, 16 * len(SEEDS))
        groups = stored.summary["groups"]
        self.assertEqual(len(groups), 2)
        self.assertEqual(sorted(group["size"] for group in groups), [8, 8])
        self.assertTrue(all(group["representative"] for group in groups))
        self.assertTrue(all(len(group["hull"]) >= 1 for group in groups))
        from .. import maps

        placed = maps.place(
            stored,
            {s.pk: 1 if n < 4 else -1 for n, s in enumerate(statements_of(self.conversation))},
        )
        assert placed is not None
        group_of = maps.read_participants(stored)
        assert group_of is not None
        self.assertEqual(placed.group_id, group_of.group_of()[camps[0].pk])
        priorities = list(self.conversation.statements.values_list("priority", flat=True))
        self.assertTrue(all(priority is not None and priority > 0 for priority in priorities))

    def test_a_second_recompute_warm_starts_and_keeps_the_groups(self):
        vote_in_camps(self.conversation, people=16)
        first = do_recompute_opinion_map(self.conversation)
        second = do_recompute_opinion_map(self.conversation)
        assert first is not None
        assert second is not None
        self.assertEqual(second.revision, 2)
        self.assertEqual(
            [g["size"] for g in first.summary["groups"]],
            [g["size"] for g in second.summary["groups"]],
        )

    def test_a_conversation_with_few_votes_is_not_ready_and_says_so(self):
        do_vote(do_create_anonymous_participant(), statements_of(self.conversation)[0], 1)
        stored = do_recompute_opinion_map(self.conversation)
        assert stored is not None
        self.assertFalse(stored.ready)
        self.assertEqual(stored.reason, "not enough votes yet")
        self.assertEqual(stored.summary["groups"], [])

    def test_a_conversation_without_votes_gets_a_map_that_is_not_ready(self):
        stored = do_recompute_opinion_map(self.conversation)
        assert stored is not None
        self.assertFalse(stored.ready)

    def test_hidden_and_meta_statements_are_left_out_of_the_math(self):
        vote_in_camps(self.conversation, people=10)
        first, second, *_rest = statements_of(self.conversation)
        do_hide_statement(self.alice, first)
        do_set_statement_meta(self.alice, second, True)
        stored = do_recompute_opinion_map(self.conversation)
        assert stored is not None
        self.assertNotIn(str(first.pk), stored.figures)
        self.assertNotIn(str(second.pk), stored.figures)

    def test_an_older_computation_never_overwrites_a_newer_map(self):
        vote_in_camps(self.conversation, people=6)
        do_recompute_opinion_map(self.conversation)
        from unittest.mock import patch

        from .. import maps

        real_compute = maps.compute

        def slow_compute(conversation, stored):
            result = real_compute(conversation, stored)
            # Another worker stores its map while this one computes.
            StoredMap.objects.filter(pk=conversation.pk).update(revision=7)
            return result

        with patch.object(maps, "compute", slow_compute):
            self.assertIsNone(do_recompute_opinion_map(self.conversation))
        self.assertEqual(StoredMap.objects.get(pk=self.conversation.pk).revision, 7)


class MergeTests(BaseTestCase):
    def test_signing_in_moves_anonymous_votes_and_statements_keeping_the_later_vote(self):
        conversation = make_conversation(self.museum, self.alice)
        first, second, third, *_rest = statements_of(conversation)
        person = participant_of(self.bob)
        anonymous = do_create_anonymous_participant()
        do_vote(person, first, 1)
        do_vote(anonymous, first, -1)  # later: wins
        do_vote(anonymous, second, 0)
        Vote.objects.filter(participant=person, statement=third).delete()
        do_vote(anonymous, third, 1)
        do_vote(person, third, -1)  # later than the anonymous vote: stays
        statement = do_add_statement(anonymous, conversation, "The quay needs benches.")
        do_merge_participants(anonymous, person)
        votes = dict(Vote.objects.filter(participant=person).values_list("statement", "value"))
        self.assertEqual(votes[first.pk], -1)
        self.assertEqual(votes[second.pk], 0)
        self.assertEqual(votes[third.pk], -1)
        self.assertEqual(votes[statement.pk], 1)
        statement.refresh_from_db()
        self.assertEqual(statement.author, person)
        self.assertFalse(Participant.objects.filter(pk=anonymous.pk).exists())
        self.assertEqual(Voter.objects.filter(conversation=conversation).count(), 1)

    def test_an_anonymous_participant_new_to_the_person_keeps_their_number(self):
        conversation = make_conversation(self.museum, self.alice)
        anonymous = do_create_anonymous_participant()
        do_vote(anonymous, statements_of(conversation)[0], 1)
        number = Voter.objects.get(participant=anonymous).number
        do_merge_participants(anonymous, participant_of(self.bob))
        self.assertEqual(Voter.objects.get(participant__user=self.bob).number, number)


class PersonalDataTests(BaseTestCase):
    def test_download_my_data_lists_my_statements_and_votes(self):
        conversation = make_conversation(self.museum, self.alice)
        do_vote(participant_of(self.bob), statements_of(conversation)[0], -1)
        do_add_statement(participant_of(self.bob), conversation, "The quay needs benches.")
        data = personal_conversation_data(self.bob)
        self.assertEqual([s["statement"] for s in data["statements"]], ["The quay needs benches."])
        self.assertEqual(
            sorted(v["vote"] for v in data["conversation_votes"]), ["agree", "disagree"]
        )
