import csv
import io
import json
import zipfile

from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.accounts.models import Participant
from sammen.accounts.participants import COOKIE_NAME
from sammen.activities.actions import do_close_activity
from sammen.spaces.actions import do_block_member
from sammen.testing import BaseTestCase, one_rate_window, participant_of
from sammen.testing.conversations import (
    SEEDS,
    SETTINGS,
    make_conversation,
    statements_of,
    vote_in_camps,
)

from ..actions import (
    do_add_statement,
    do_hide_statement,
    do_recompute_opinion_map,
    do_update_conversation,
    do_vote,
)
from ..models import Statement, StatementState, StoredMap, Vote

HTMX = {"HX-Request": "true"}


def url(conversation, name: str, *args) -> str:
    activity = conversation.activity
    return reverse(f"conversations:{name}", args=[activity.space.slug, activity.slug, *args])


class VotingPageTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.conversation = make_conversation(self.museum, self.alice)
        self.page = self.conversation.activity.get_absolute_url()

    def vote(self, statement_id, value, **extra):
        return self.client.post(
            url(self.conversation, "vote"), {"statement": statement_id, "value": value}, **extra
        )

    def current_statement(self, response) -> Statement:
        return response.context["part"].card.statement

    def test_an_anonymous_visitor_sees_the_question_a_statement_and_three_buttons(self):
        response = self.client.get(self.page)
        self.assertContains(response, "What should the harbour become")
        self.assertContains(response, 'id="current-statement"')
        for label in ["Agree", "Disagree", "Pass or unsure"]:
            self.assertContains(response, label)
        self.assertContains(response, 'data-vote-key="a"')
        self.assertContains(response, "conversation.js")
        self.assertIn(response.context["part"].card.statement.text, SEEDS)

    def test_the_same_visitor_sees_the_same_statement_until_they_vote(self):
        first = self.current_statement(self.client.get(self.page))
        self.assertEqual(self.current_statement(self.client.get(self.page)), first)

    def test_voting_without_an_account_remembers_the_visitor_and_shows_the_next_statement(self):
        first = self.current_statement(self.client.get(self.page))
        response = self.vote(first.pk, 1, headers=HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertIn(COOKIE_NAME, response.cookies)
        self.assertContains(response, "Saved: you agree.")
        self.assertContains(response, 'id="your-place"')
        self.assertContains(response, 'hx-swap-oob="true"')
        self.assertNotContains(response, "<html")
        following = self.current_statement(response)
        self.assertNotEqual(following.pk, first.pk)
        vote = Vote.objects.get()
        self.assertEqual((vote.statement_id, vote.value), (first.pk, 1))
        self.assertEqual(self.current_statement(self.client.get(self.page)), following)

    def test_without_javascript_a_vote_redirects_back_to_the_card(self):
        first = statements_of(self.conversation)[0]
        response = self.vote(first.pk, -1)
        self.assertRedirects(response, f"{self.page}#take-part")
        self.assertEqual(Vote.objects.get().value, -1)

    def test_no_statement_is_shown_twice_and_the_end_is_said(self):
        seen: list[int] = []
        response = self.client.get(self.page)
        for _round in SEEDS:
            statement = self.current_statement(response)
            self.assertNotIn(statement.pk, seen)
            seen.append(statement.pk)
            response = self.vote(statement.pk, 0, headers=HTMX)
        self.assertIsNone(self.current_statement(response))
        self.assertContains(response, "You have voted on every statement")
        self.assertContains(self.client.get(self.page), "You have voted on every statement")

    def test_voting_again_changes_the_vote_and_never_counts_it_twice(self):
        first = statements_of(self.conversation)[0]
        self.vote(first.pk, 1)
        self.vote(first.pk, -1)
        self.assertEqual(list(Vote.objects.values_list("value", flat=True)), [-1])

    def test_bad_votes_are_refused_with_a_message_and_change_nothing(self):
        other = statements_of(make_conversation(self.museum, self.alice, "Other talk"))[0]
        hidden = statements_of(self.conversation)[1]
        do_hide_statement(self.alice, hidden)
        waiting = do_add_statement(
            participant_of(self.bob), self.conversation, "The quay needs benches."
        )
        cases = [
            ({"statement": 999999, "value": 1}, "no longer in the conversation"),
            ({"statement": other.pk, "value": 1}, "no longer in the conversation"),
            ({"statement": hidden.pk, "value": 1}, "no longer in the conversation"),
            ({"statement": waiting.pk, "value": 1}, "no longer in the conversation"),
            ({"statement": hidden.pk + 1, "value": 7}, "Choose agree, disagree or pass"),
            ({"statement": "x", "value": 1}, "Choose agree, disagree or pass"),
            ({}, "Choose agree, disagree or pass"),
        ]
        before = Vote.objects.count()
        for data, message in cases:
            with self.subTest(data=data):
                response = self.client.post(url(self.conversation, "vote"), data, headers=HTMX)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
                self.assertContains(response, 'role="alert"')
        self.assertEqual(Vote.objects.count(), before)
        self.assertNotIn(COOKIE_NAME, self.client.cookies)

    def test_a_refused_vote_without_javascript_says_why_after_the_redirect(self):
        response = self.client.post(
            url(self.conversation, "vote"), {"statement": 999999, "value": 1}, follow=True
        )
        self.assertContains(response, "That statement is no longer in the conversation.")

    def test_a_closed_conversation_takes_no_votes_and_says_so(self):
        first = statements_of(self.conversation)[0]
        do_close_activity(self.alice, self.conversation.activity)
        self.assertContains(self.client.get(self.page), "This conversation is closed")
        response = self.vote(first.pk, 1, headers=HTMX)
        self.assertContains(response, "This conversation is closed")
        self.assertFalse(Vote.objects.exists())

    def test_a_flood_of_votes_is_slowed_down(self):
        statements = statements_of(self.conversation)
        self.login(self.bob)
        with one_rate_window():
            responses = [
                self.vote(statements[n % len(statements)].pk, 1, headers=HTMX) for n in range(45)
            ]
        self.assertContains(responses[-1], "a lot of votes in a short time")
        self.assertEqual(Vote.objects.filter(participant__user=self.bob).count(), len(statements))

    def test_too_many_new_anonymous_participants_from_one_network_are_refused(self):
        first = statements_of(self.conversation)[0]
        for _n in range(60):
            self.client.cookies.pop(COOKIE_NAME, None)
            self.vote(first.pk, 1, headers=HTMX)
        self.client.cookies.pop(COOKIE_NAME, None)
        response = self.vote(first.pk, 1, headers=HTMX)
        self.assertContains(response, "Too many new visitors from your network")
        self.assertEqual(Vote.objects.count(), 60)

    def test_a_blocked_member_cannot_vote(self):
        do_block_member(self.alice, self.museum, self.bob, "Spam")
        self.login(self.bob)
        response = self.vote(statements_of(self.conversation)[0].pk, 1, headers=HTMX)
        self.assertContains(response, "blocked you")
        self.assertFalse(Vote.objects.exists())


class WhoMayTakePartTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()

    def test_an_account_conversation_asks_visitors_to_sign_in(self):
        conversation = make_conversation(self.museum, self.alice, participation="account")
        page = self.client.get(conversation.activity.get_absolute_url())
        self.assertContains(page, "Sign in to take part")
        self.assertNotContains(page, 'id="current-statement"')
        response = self.client.post(
            url(conversation, "vote"), {"statement": statements_of(conversation)[0].pk, "value": 1}
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Vote.objects.exists())
        self.login(self.charlie)
        self.client.post(
            url(conversation, "vote"), {"statement": statements_of(conversation)[0].pk, "value": 1}
        )
        self.assertEqual(Vote.objects.get().participant, participant_of(self.charlie))

    def test_a_verified_email_conversation_takes_votes_after_the_emailed_link(self):
        conversation = make_conversation(self.museum, self.alice, participation="verified_email")
        first = statements_of(conversation)[0]
        self.assertContains(
            self.client.get(conversation.activity.get_absolute_url()),
            "Confirm your email address",
        )
        self.client.post(url(conversation, "vote"), {"statement": first.pk, "value": 1})
        self.assertFalse(Vote.objects.exists())
        self.client.post(url(conversation, "verify_email"), {"email": "Visitor@Example.org"})
        self.assertEqual(len(mail.outbox), 1)
        link = next(line for line in mail.outbox[0].body.splitlines() if "/email/" in line)
        path = link.split("testserver", 1)[1].strip()
        self.assertContains(self.client.get(path), "visitor@example.org")
        self.assertFalse(Vote.objects.exists())  # opening the link alone confirms nothing
        response = self.client.post(path)
        self.assertIn(COOKIE_NAME, response.cookies)
        self.client.post(url(conversation, "vote"), {"statement": first.pk, "value": 1})
        self.assertEqual(
            Vote.objects.get().participant.verified_emails.get().email, "visitor@example.org"
        )

    def test_a_forged_email_link_is_refused(self):
        conversation = make_conversation(self.museum, self.alice, participation="verified_email")
        response = self.client.post(url(conversation, "confirm_email", "forged"), follow=True)
        self.assertContains(response, "This link is not valid or has expired")

    def test_signed_in_people_need_no_email_link(self):
        conversation = make_conversation(self.museum, self.alice, participation="verified_email")
        self.login(self.bob)
        self.assertContains(
            self.client.get(conversation.activity.get_absolute_url()), 'id="current-statement"'
        )


class AddStatementTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.conversation = make_conversation(self.museum, self.alice)

    def test_a_visitor_adds_a_statement_that_waits_for_approval(self):
        self.assertContains(self.client.get(url(self.conversation, "add_statement")), "140")
        response = self.client.post(
            url(self.conversation, "add_statement"), {"text": "The quay needs benches."}
        )
        self.assertIn(COOKIE_NAME, response.cookies)
        statement = Statement.objects.get(text="The quay needs benches.")
        self.assertEqual(statement.state, StatementState.PENDING)
        page = self.client.get(self.conversation.activity.get_absolute_url())
        self.assertContains(page, "once the organisers have read it")

    def test_a_visitor_whose_statement_is_refused_leaves_no_participant_behind(self):
        before = Participant.objects.count()
        response = self.client.post(
            url(self.conversation, "add_statement"),
            {"text": "The harbour should stay a working harbour.", "confirm_new": "1"},
        )
        self.assertContains(response, "in the conversation already")
        self.assertNotIn(COOKIE_NAME, response.cookies)
        self.assertEqual(Participant.objects.count(), before)

    def test_near_duplicates_are_shown_while_typing_and_must_be_confirmed(self):
        similar = self.client.get(
            url(self.conversation, "similar"),
            {"text": "the old warehouses should become homes!"},
            headers=HTMX,
        )
        self.assertContains(similar, "Old warehouses should become homes.")
        self.assertNotContains(similar, "<html")
        text = "Old warehouses should all become homes"
        response = self.client.post(url(self.conversation, "add_statement"), {"text": text})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Old warehouses should become homes.")
        self.assertContains(response, "tick the box")
        self.assertFalse(Statement.objects.filter(text=text).exists())
        self.client.post(url(self.conversation, "add_statement"), {"text": text, "different": "on"})
        self.assertTrue(Statement.objects.filter(text=text).exists())

    def test_a_flood_of_similarity_checks_gets_no_answer(self):
        with one_rate_window():
            for _n in range(60):
                self.client.get(url(self.conversation, "similar"), {"text": SEEDS[1]}, headers=HTMX)
            response = self.client.get(
                url(self.conversation, "similar"), {"text": SEEDS[1]}, headers=HTMX
            )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "much like yours")

    def test_unrelated_text_shows_no_similar_statements(self):
        response = self.client.get(
            url(self.conversation, "similar"), {"text": "Bicycles need parking"}, headers=HTMX
        )
        self.assertNotContains(response, "much like yours")

    def test_empty_oversized_and_exact_duplicate_statements_are_refused(self):
        for text, message in [
            ("", "Write your statement first."),
            ("x" * 141, "this one has 141"),
            (SEEDS[0], "in the conversation already"),
        ]:
            with self.subTest(text=text):
                response = self.client.post(
                    url(self.conversation, "add_statement"), {"text": text, "different": "on"}
                )
                self.assertContains(response, message)
        self.assertEqual(self.conversation.statements.count(), len(SEEDS))
        self.assertNotIn(COOKIE_NAME, self.client.cookies)

    def test_no_statements_when_the_organisers_say_no(self):
        do_update_conversation(
            self.alice, self.conversation, **{**SETTINGS, "participants_add_statements": False}
        )
        self.assertNotContains(
            self.client.get(self.conversation.activity.get_absolute_url()),
            "Add your own statement",
        )
        response = self.client.post(
            url(self.conversation, "add_statement"), {"text": "The quay needs benches."}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.conversation.statements.count(), len(SEEDS))


class WhereYouStandTests(BaseTestCase):
    def test_after_enough_votes_a_participant_sees_the_map_and_their_group(self):
        conversation = make_conversation(self.museum, self.alice)
        vote_in_camps(conversation, people=12)
        do_recompute_opinion_map(conversation)
        self.login(self.bob)
        page = self.client.get(conversation.activity.get_absolute_url())
        self.assertContains(page, "Vote on 7 more statements to see where you stand")
        for position, statement in enumerate(statements_of(conversation)):
            do_vote(participant_of(self.bob), statement, 1 if position < 4 else -1)
        page = self.client.get(conversation.activity.get_absolute_url())
        self.assertContains(page, "You are in group")
        self.assertContains(page, "map-you")
        self.assertContains(page, "What sets group")


class OrganiserPageTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.conversation = make_conversation(self.museum, self.alice)
        self.login(self.maja)

    def test_the_settings_are_saved(self):
        response = self.client.post(
            url(self.conversation, "settings"),
            {**SETTINGS, "participation": "account", "moderation": "after"},
        )
        self.assertRedirects(response, url(self.conversation, "settings"))
        self.conversation.refresh_from_db()
        self.assertEqual(self.conversation.participation, "account")
        self.assertEqual(self.conversation.moderation, "after")

    def test_seed_statements_are_added_one_per_line(self):
        response = self.client.post(
            url(self.conversation, "statements"),
            {"texts": "Bicycles need parking.\n\nThe quay needs benches.\n"},
        )
        self.assertRedirects(response, url(self.conversation, "statements"))
        self.assertEqual(self.conversation.statements.count(), len(SEEDS) + 2)

    def test_a_bad_seed_line_adds_nothing_and_says_which(self):
        response = self.client.post(
            url(self.conversation, "statements"), {"texts": f"Bicycles need parking.\n{SEEDS[2]}"}
        )
        self.assertContains(response, "is in the conversation already")
        self.assertEqual(self.conversation.statements.count(), len(SEEDS))

    def test_statements_are_approved_and_hidden_in_place(self):
        waiting = do_add_statement(
            participant_of(self.bob), self.conversation, "The quay needs benches."
        )
        page = self.client.get(url(self.conversation, "statements"), {"show": "pending"})
        self.assertContains(page, "The quay needs benches.")
        self.assertNotContains(page, SEEDS[0])
        response = self.client.post(
            url(self.conversation, "moderate", waiting.pk), {"step": "approve"}, headers=HTMX
        )
        self.assertContains(response, f'id="statement-{waiting.pk}"')
        self.assertNotContains(response, "<html")
        waiting.refresh_from_db()
        self.assertTrue(waiting.is_shown)
        response = self.client.post(
            url(self.conversation, "moderate", waiting.pk),
            {"step": "hide", "reason": "Said already"},
        )
        self.assertEqual(response.status_code, 302)
        waiting.refresh_from_db()
        self.assertEqual(waiting.hidden_reason, "Said already")

    def test_an_unknown_step_or_a_statement_of_another_conversation_is_refused(self):
        statement = statements_of(self.conversation)[0]
        response = self.client.post(
            url(self.conversation, "moderate", statement.pk), {"step": "delete"}, headers=HTMX
        )
        self.assertContains(response, "Choose what to do")
        other = statements_of(make_conversation(self.museum, self.alice, "Other talk"))[0]
        response = self.client.post(
            url(self.conversation, "moderate", other.pk), {"step": "hide"}, headers=HTMX
        )
        self.assertEqual(response.status_code, 404)
        other.refresh_from_db()
        self.assertTrue(other.is_shown)


class ReportTests(BaseTestCase):
    def setUp(self) -> None:
        self.conversation = make_conversation(self.museum, self.alice)
        vote_in_camps(self.conversation, people=12, passes=True)
        do_recompute_opinion_map(self.conversation)

    def test_organisers_see_groups_what_unites_and_divides_and_participation(self):
        self.login(self.alice)
        response = self.client.get(url(self.conversation, "report"))
        self.assertContains(response, "The opinion map")
        self.assertContains(response, "Group A")
        self.assertContains(response, "Group B")
        self.assertContains(response, "What unites the groups")
        self.assertContains(response, "What divides them")
        self.assertContains(response, "Participation over time")
        self.assertContains(response, "map-point")
        self.assertEqual(len(response.context["view"].groups), 2)
        self.assertTrue(response.context["view"].divisive)
        timeline = response.context["report"].timeline
        self.assertEqual(sum(day["votes"] for day in timeline), 12 * len(SEEDS))
        self.assertEqual(sum(day["participants"] for day in timeline), 12)

    def test_the_report_is_for_organisers_until_they_make_it_public(self):
        report = url(self.conversation, "report")
        self.login(self.bob)
        self.assertEqual(self.client.get(report).status_code, 403)
        self.login(self.alice)
        self.client.post(url(self.conversation, "report_visibility"), {"public": "1"})
        self.login(self.bob)
        self.assertEqual(self.client.get(report).status_code, 200)
        self.login(None)
        self.assertEqual(self.client.get(report).status_code, 200)

    def test_hidden_statements_stay_out_of_the_public_report_and_exports(self):
        hidden = statements_of(self.conversation)[0]
        do_hide_statement(self.alice, hidden, "Off topic")
        self.login(self.alice)
        self.client.post(url(self.conversation, "report_visibility"), {"public": "1"})
        self.assertContains(self.client.get(url(self.conversation, "report")), hidden.text)
        self.login(None)
        self.assertNotContains(self.client.get(url(self.conversation, "report")), hidden.text)
        self.assertNotIn(
            hidden.text, self.client.get(url(self.conversation, "export_csv")).content.decode()
        )
        archive = zipfile.ZipFile(
            io.BytesIO(self.client.get(url(self.conversation, "export_polis")).content)
        )
        self.assertNotIn(hidden.text, archive.read("comments.csv").decode())

    def test_the_csv_has_a_row_per_statement_with_its_votes_per_group(self):
        self.login(self.alice)
        response = self.client.get(url(self.conversation, "export_csv"))
        self.assertIn("attachment", response["Content-Disposition"])
        rows = list(csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
        self.assertEqual(len(rows), len(SEEDS))
        self.assertIn("group_A_agree", rows[0])
        first = rows[0]
        self.assertEqual(int(first["agree"]) + int(first["disagree"]) + int(first["pass"]), 12)

    def test_the_json_report_has_figures_groups_and_statements(self):
        self.login(self.alice)
        data = json.loads(self.client.get(url(self.conversation, "export_json")).content)
        self.assertEqual(data["figures"]["participants"], 12)
        self.assertEqual(len(data["map"]["groups"]), 2)
        self.assertEqual(len(data["statements"]), len(SEEDS))

    def test_the_pol_is_export_has_its_four_files_with_group_ids(self):
        self.login(self.alice)
        response = self.client.get(url(self.conversation, "export_polis"))
        self.assertEqual(response["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        self.assertLessEqual(
            {"comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"},
            set(archive.namelist()),
        )
        rows = list(csv.DictReader(io.StringIO(archive.read("participants-votes.csv").decode())))
        self.assertEqual(len(rows), 12)
        self.assertEqual({row["group-id"] for row in rows}, {"0", "1"})
        self.assertNotIn("@", archive.read("votes.csv").decode())

    def test_nobody_outside_the_organisers_exports_a_private_report(self):
        self.login(self.bob)
        for name in ["export_csv", "export_json", "export_polis"]:
            self.assertEqual(self.client.get(url(self.conversation, name)).status_code, 403)

    def test_asking_for_a_new_map_recomputes_it_in_the_background(self):
        self.login(self.alice)
        response = self.client.post(url(self.conversation, "recompute"))
        self.assertRedirects(response, url(self.conversation, "report"))
        self.assertEqual(StoredMap.objects.get(pk=self.conversation.pk).revision, 2)


class EmptyReportTests(BaseTestCase):
    def test_a_report_before_anyone_votes_says_the_groups_come_later(self):
        conversation = make_conversation(self.museum, self.alice)
        self.login(self.alice)
        response = self.client.get(url(conversation, "report"))
        self.assertContains(response, "The opinion groups appear once enough people have voted")
        self.assertContains(response, "Nobody has taken part yet.")
        for name in ["export_csv", "export_json", "export_polis"]:
            self.assertEqual(self.client.get(url(conversation, name)).status_code, 200)


class AnonymousAfterVotingTests(BaseTestCase):
    def test_a_participant_who_votes_then_signs_up_keeps_their_votes(self):
        conversation = make_conversation(self.museum, self.alice)
        anonymous = do_create_anonymous_participant()
        do_vote(anonymous, statements_of(conversation)[0], 1)
        from sammen.accounts.actions import do_merge_participants

        do_merge_participants(anonymous, participant_of(self.charlie))
        self.assertEqual(Vote.objects.get().participant, participant_of(self.charlie))
