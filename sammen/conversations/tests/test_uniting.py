"""What unites the groups: a majority in every group, with enough votes in each (issue 9).

The report, its JSON and CSV exports name a statement as uniting only when a majority
of every group agrees (or disagrees) with it and each group voted on it at least
UNITING_MIN_VOTES times; with too few votes they say so instead.
"""

import csv
import io
import json

from django.urls import reverse

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.testing import BaseTestCase
from sammen.testing.conversations import (
    TWO_CAMP_SEEDS,
    make_conversation,
    statements_of,
    vote_in_two_opposing_camps,
)

from .. import maps
from ..actions import do_recompute_opinion_map, do_vote
from ..analysis import UNITING_MIN_VOTES, VoteTable, analyse

SPLIT = [TWO_CAMP_SEEDS[n - 1] for n in (1, 2, 3, 4, 5, 6, 8)]
EVERYONE_AGREES = TWO_CAMP_SEEDS[6]
EVERYONE_DISAGREES = TWO_CAMP_SEEDS[8]
ONE_VOTE = TWO_CAMP_SEEDS[9]
SEEDS_5 = TWO_CAMP_SEEDS[4]


def url(conversation, name: str) -> str:
    activity = conversation.activity
    return reverse(f"conversations:{name}", args=[activity.space.slug, activity.slug])


def uniting_section(html: str) -> str:
    """Return the report's "What unites the groups" section."""
    start = html.index('id="uniting-title"')
    return html[start : html.index('id="divisive-title"', start)]


class TwoOpposingCampsTests(BaseTestCase):
    def setUp(self) -> None:
        self.conversation = make_conversation(self.museum, self.alice, seeds=TWO_CAMP_SEEDS)
        vote_in_two_opposing_camps(self.conversation)
        do_recompute_opinion_map(self.conversation)
        self.login(self.alice)

    def test_the_report_names_only_what_a_majority_of_every_group_shares(self):
        response = self.client.get(url(self.conversation, "report"))
        view = response.context["view"]
        self.assertEqual([g.size for g in view.groups], [6, 3])
        section = uniting_section(response.content.decode())
        self.assertIn(EVERYONE_AGREES, section)
        self.assertIn(EVERYONE_DISAGREES, section)
        self.assertIn("100% agree in every group", section)
        self.assertIn("100% disagree in every group", section)
        for text in [*SPLIT, ONE_VOTE]:
            self.assertNotIn(text, section)
        self.assertNotIn("Broad agreement among everyone", section)
        self.assertIn("1 statement has too few votes from some group to tell either way.", section)
        self.assertEqual(
            [item.statement.text for item in view.uniting], [EVERYONE_AGREES, EVERYONE_DISAGREES]
        )

    def test_no_statement_both_unites_and_divides_the_groups(self):
        view = self.client.get(url(self.conversation, "report")).context["view"]
        uniting = {item.statement.pk for item in view.uniting}
        divisive = {item.statement.pk for item in view.divisive}
        self.assertTrue(divisive)
        self.assertFalse(uniting & divisive)

    def test_the_json_report_follows_the_same_rule_and_says_what_was_too_few(self):
        data = json.loads(self.client.get(url(self.conversation, "export_json")).content)
        consensus = data["map"]["consensus"]
        self.assertEqual([item["number"] for item in consensus["agree"]], [7])
        self.assertEqual([item["number"] for item in consensus["disagree"]], [9])
        self.assertEqual(consensus["agree"][0]["percent"], 100)
        self.assertEqual(consensus["verdict"], "found")
        self.assertEqual(consensus["min_votes_per_group"], UNITING_MIN_VOTES)
        self.assertEqual(consensus["statements_with_enough_votes"], 9)
        self.assertEqual(consensus["statements_with_too_few_votes"], 1)
        self.assertEqual(
            [(item["number"], item["direction"]) for item in data["map"]["uniting"]],
            [(7, "agree"), (9, "disagree")],
        )

    def test_the_csv_marks_consensus_only_where_every_group_agrees(self):
        response = self.client.get(url(self.conversation, "export_csv"))
        rows = list(csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
        marked = {int(row["number"]): row["consensus"] for row in rows if row["consensus"]}
        self.assertEqual(marked, {7: "agree", 9: "disagree"})


class UnequalMajoritiesTests(BaseTestCase):
    def test_the_report_claims_no_more_than_the_least_convinced_group_says(self):
        # Two camps of ten split on the first four statements; on the fifth all of the
        # first camp and seven of the second agree.
        conversation = make_conversation(self.museum, self.alice, seeds=TWO_CAMP_SEEDS[:5])
        people = [do_create_anonymous_participant() for _person in range(20)]
        for statement in statements_of(conversation):
            for index, person in enumerate(people):
                if statement.number == 5:
                    value = 1 if index < 17 else -1
                else:
                    value = 1 if (index < 10) == (statement.number % 2 == 0) else -1
                do_vote(person, statement, value)
        do_recompute_opinion_map(conversation)
        self.login(self.alice)
        response = self.client.get(url(conversation, "report"))
        section = uniting_section(response.content.decode())
        self.assertIn(
            f'At least 70% agree in every group</span> <span lang="en">{SEEDS_5}', section
        )
        self.assertNotIn(response.context["view"].uniting[0], response.context["view"].divisive)


class TooFewVotesTests(BaseTestCase):
    def test_with_too_few_votes_from_a_group_the_report_says_so_instead_of_a_claim(self):
        # Two camps of two: no group can cast three votes on a statement.
        conversation = make_conversation(self.museum, self.alice, seeds=TWO_CAMP_SEEDS)
        people = [do_create_anonymous_participant() for _person in range(4)]
        for statement in statements_of(conversation):
            for index, person in enumerate(people):
                side = 1 if (index < 2) == (statement.number % 2 == 0) else -1
                do_vote(person, statement, 1 if statement.number == 7 else side)
        do_recompute_opinion_map(conversation)
        self.login(self.alice)
        response = self.client.get(url(conversation, "report"))
        self.assertTrue(response.context["view"].ready)
        section = uniting_section(response.content.decode())
        self.assertIn(
            "Too few votes to say what unites the groups: no statement has enough votes "
            "from every group yet.",
            section,
        )
        self.assertNotIn(EVERYONE_AGREES, section)
        self.assertContains(response, "Too few votes yet to say what divides the groups.")
        self.assertNotContains(response, "No statement divides the groups sharply.")
        data = json.loads(self.client.get(url(conversation, "export_json")).content)
        self.assertEqual(data["map"]["consensus"]["verdict"], "too_few_votes")
        self.assertEqual(data["map"]["uniting"], [])

    def test_when_every_statement_splits_the_groups_the_report_says_nothing_unites_them(self):
        conversation = make_conversation(self.museum, self.alice, seeds=TWO_CAMP_SEEDS[:8])
        people = [do_create_anonymous_participant() for _person in range(8)]
        for statement in statements_of(conversation):
            for index, person in enumerate(people):
                side = 1 if (index < 4) == (statement.number % 2 == 0) else -1
                do_vote(person, statement, side)
        do_recompute_opinion_map(conversation)
        self.login(self.alice)
        section = uniting_section(self.client.get(url(conversation, "report")).content.decode())
        self.assertIn("No statement unites the groups yet", section)


def test_a_statement_every_group_agrees_with_unequally_unites_rather_than_divides():
    # Two camps of ten split on statements 1-4 and all agree with 5-7; on 8 all of the
    # first camp and seven of the second agree: 30 points apart, yet a clear majority
    # of each.
    rows = [
        (person, statement, 1 if (person <= 10) == (statement % 2 == 0) else -1)
        for person in range(1, 21)
        for statement in range(1, 5)
    ]
    rows += [(person, statement, 1) for person in range(1, 21) for statement in range(5, 8)]
    rows += [(person, 8, 1 if person <= 17 else -1) for person in range(1, 21)]
    participants, statements, votes = zip(*rows, strict=True)
    opinion_map = analyse(VoteTable.from_votes(participants, statements, votes))
    assert sorted(group.size for group in opinion_map.groups) == [10, 10]
    assert opinion_map.consensus.statement_ids == [5, 6, 7, 8]
    divisive = [item["statement"] for item in maps.divisive_statements(opinion_map)]
    assert 8 not in divisive
    assert divisive
