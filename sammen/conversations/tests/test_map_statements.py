"""Statements placed on the opinion map: where they go, and the report's switch for them."""

import math
import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.testing import BaseTestCase, participant_of
from sammen.testing.conversations import SEEDS, make_conversation, statements_of, vote_in_camps

from .. import maps
from ..actions import (
    do_add_statement,
    do_hide_statement,
    do_recompute_opinion_map,
    do_seed_statements,
    do_set_report_public,
    do_set_statement_meta,
)
from ..charts import (
    LABEL_RADIUS,
    MAP_HEIGHT,
    MAP_WIDTH,
    STATEMENT_MARGIN,
    STATEMENT_RADIUS,
    opinion_map_chart,
    spread,
)
from ..models import StoredMap
from ..queries import MAX_MAP_STATEMENTS
from .test_charts import SUMMARY

HTMX = {"HX-Request": "true"}


def inside_the_picture(x: float, y: float) -> bool:
    return (
        STATEMENT_MARGIN - 0.1 <= x <= MAP_WIDTH - STATEMENT_MARGIN + 0.1
        and STATEMENT_MARGIN - 0.1 <= y <= MAP_HEIGHT - STATEMENT_MARGIN + 0.1
    )


def test_each_statement_points_from_the_centre_along_its_loadings():
    statements = [(1, "Right", 0.5, 0.0), (2, "Up", 0.0, 0.25), (3, "Down left", -0.2, -0.2)]
    chart = opinion_map_chart(SUMMARY, statements=statements)
    assert chart is not None
    centre = opinion_map_chart(SUMMARY, statements=[(9, "Still", 0.0, 0.0)])
    assert centre is not None
    middle_x, middle_y = centre.statements[0].x, centre.statements[0].y
    right, up, down_left = chart.statements
    assert right.x > middle_x
    assert right.y == middle_y
    assert up.y < middle_y
    assert up.x == middle_x
    assert down_left.x < middle_x
    assert down_left.y > middle_y
    # One scale for all: a loading twice as long is drawn twice as far out.
    assert abs((right.x - middle_x) / (middle_y - up.y) - 2) < 0.02
    assert [marker.text for marker in chart.statements] == ["Right", "Up", "Down left"]


def test_the_statement_that_reaches_farthest_touches_the_edge_and_none_leaves_the_map():
    statements = [(n, f"S{n}", (-1) ** n * n / 10, n / 20 - 0.3) for n in range(1, 12)]
    chart = opinion_map_chart(SUMMARY, statements=statements)
    assert chart is not None
    assert all(inside_the_picture(marker.x, marker.y) for marker in chart.statements)
    touching = [
        marker
        for marker in chart.statements
        if min(
            marker.x - STATEMENT_MARGIN,
            MAP_WIDTH - STATEMENT_MARGIN - marker.x,
            marker.y - STATEMENT_MARGIN,
            MAP_HEIGHT - STATEMENT_MARGIN - marker.y,
        )
        < 0.2
    ]
    assert touching


def test_statements_nobody_moves_along_sit_in_the_centre_and_the_map_is_unchanged_without():
    centre = opinion_map_chart(SUMMARY, statements=[(9, "Still", 0.0, 0.0)])
    chart = opinion_map_chart(SUMMARY, statements=[(1, "Flat", 0.0, 0.0), (2, "Flat", 0.0, 0.0)])
    assert chart is not None
    assert centre is not None
    # Both in the centre, side by side, so each number can be read.
    first, second = chart.statements
    assert math.dist((first.x, first.y), (second.x, second.y)) >= 2 * STATEMENT_RADIUS
    middle = ((first.x + second.x) / 2, (first.y + second.y) / 2)
    assert math.dist(middle, (centre.statements[0].x, centre.statements[0].y)) < 0.2
    plain = opinion_map_chart(SUMMARY)
    assert plain is not None
    assert plain.statements == []


BOUNDS = (
    STATEMENT_MARGIN,
    STATEMENT_MARGIN,
    MAP_WIDTH - STATEMENT_MARGIN,
    MAP_HEIGHT - STATEMENT_MARGIN,
)


def test_crowded_statements_are_spread_until_every_number_can_be_read():
    crowd = [(300 + n % 3, 190 + n % 4) for n in range(30)] + [(25.0, 25.0)] * 5
    labels = [(300.0, 190.0), (60.0, 45.0)]
    places = spread(crowd, avoid=labels, bounds=BOUNDS)
    assert places == spread(crowd, avoid=labels, bounds=BOUNDS)  # the same each time
    for i, first in enumerate(places):
        assert inside_the_picture(*first)
        for second in places[i + 1 :]:
            assert math.dist(first, second) >= 2 * STATEMENT_RADIUS
        for label in labels:
            assert math.dist(first, label) >= STATEMENT_RADIUS + LABEL_RADIUS


def test_statements_clear_of_each_other_stay_exactly_where_their_loadings_put_them():
    apart = [(100.0, 100.0), (200.0, 100.0), (150.0, 300.0)]
    assert spread(apart, avoid=[(400.0, 50.0)], bounds=BOUNDS) == apart
    assert spread([], avoid=[], bounds=BOUNDS) == []


def test_a_statement_on_a_groups_letter_moves_off_it():
    chart = opinion_map_chart(SUMMARY)
    assert chart is not None
    label = chart.groups[0]
    moved = spread(
        [(label.label_x, label.label_y + 1)], avoid=[(label.label_x, label.label_y)], bounds=BOUNDS
    )
    assert math.dist(moved[0], (label.label_x, label.label_y)) >= STATEMENT_RADIUS + LABEL_RADIUS


class StatementLoadingsTests(BaseTestCase):
    def test_a_statement_points_towards_the_group_that_agrees_with_it(self):
        conversation = make_conversation(self.museum, self.alice)
        people = vote_in_camps(conversation, people=12)
        stored = do_recompute_opinion_map(conversation)
        assert stored is not None
        loadings = maps.statement_loadings(stored)
        statements = statements_of(conversation)
        self.assertEqual(set(loadings), {statement.pk for statement in statements})
        centres = {group["id"]: group["centre"] for group in stored.summary["groups"]}
        participants = maps.read_participants(stored)
        assert participants is not None
        first_camp = participants.group_of()[people[0].pk]
        second_camp = participants.group_of()[people[-1].pk]
        assert first_camp is not None
        assert second_camp is not None
        towards_first = [
            centres[first_camp][axis] - centres[second_camp][axis] for axis in range(2)
        ]
        for position, statement in enumerate(statements):
            x, y = loadings[statement.pk]
            along = x * towards_first[0] + y * towards_first[1]
            # The first camp agrees with the first half of the statements.
            with self.subTest(statement=statement.number):
                if position < len(statements) // 2:
                    self.assertGreater(along, 0)
                else:
                    self.assertLess(along, 0)

    def test_a_conversation_without_a_map_has_no_loadings(self):
        self.assertEqual(maps.statement_loadings(None), {})


class ReportStatementsTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.conversation = make_conversation(self.museum, self.alice)
        vote_in_camps(self.conversation, people=12)
        do_recompute_opinion_map(self.conversation)
        activity = self.conversation.activity
        self.report = reverse("conversations:report", args=[self.museum.slug, activity.slug])

    def markers(self, html: str) -> list[str]:
        return re.findall(r'<text class="map-statement__number"[^>]*>(\d+)</text>', html)

    def test_the_map_shows_no_statements_until_asked_and_offers_to_show_them(self):
        self.login(self.alice)
        response = self.client.get(self.report)
        self.assertEqual(self.markers(response.content.decode()), [])
        self.assertContains(response, "Show the statements on the map")
        self.assertContains(response, f'href="{self.report}?statements=on#map-title"')
        self.assertContains(response, 'role="img" aria-labelledby="opinion-map-caption"')

    def test_asked_for_the_map_marks_each_statement_by_number_named_and_listed_beside(self):
        self.login(self.alice)
        response = self.client.get(self.report, {"statements": "on"})
        html = response.content.decode()
        numbers = [str(statement.number) for statement in statements_of(self.conversation)]
        self.assertEqual(self.markers(html), numbers)
        for statement in statements_of(self.conversation):
            self.assertContains(response, f"{statement.number}. {statement.text}</title>")
            self.assertContains(response, f'id="map-statement-{statement.number}"')
        self.assertContains(response, 'role="group" aria-labelledby="opinion-map-caption"')
        self.assertContains(response, "Statements on the map")
        self.assertContains(response, "Take the statements off the map")
        self.assertContains(response, "Each numbered disc is a statement")
        self.assertNotContains(response, "that weigh most on it")

    def test_with_htmx_the_switch_swaps_the_map_section_only(self):
        self.login(self.alice)
        response = self.client.get(self.report, {"statements": "on"}, headers=HTMX)
        html = response.content.decode()
        self.assertTrue(html.lstrip().startswith('<section id="opinion-map-section"'))
        self.assertNotIn("<html", html)
        self.assertNotIn("Participation over time", html)
        self.assertEqual(len(self.markers(html)), len(SEEDS))
        self.assertIn("HX-Request", response["Vary"])
        off = self.client.get(self.report, headers=HTMX).content.decode()
        self.assertEqual(self.markers(off), [])
        self.assertIn("Show the statements on the map", off)

    def test_an_unknown_switch_value_shows_the_plain_map(self):
        self.login(self.alice)
        for value in ["yes", "", "1" * 500, "<script>"]:
            with self.subTest(value=value):
                response = self.client.get(self.report, {"statements": value})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self.markers(response.content.decode()), [])

    def test_hidden_waiting_and_meta_statements_are_not_placed(self):
        first, second, *_rest = statements_of(self.conversation)
        do_hide_statement(self.alice, first, "Off topic")
        do_set_statement_meta(self.alice, second, True)
        waiting = do_add_statement(participant_of(self.bob), self.conversation, "Boats need docks")
        # The map is older than the moderation (it recomputes after the commit): it
        # still counts the hidden and the meta statement, the page places neither.
        loadings = maps.statement_loadings(StoredMap.objects.get(pk=self.conversation.pk))
        self.assertLessEqual({first.pk, second.pk}, set(loadings))
        self.login(self.alice)
        html = self.client.get(self.report, {"statements": "on"}).content.decode()
        placed = self.markers(html)
        self.assertNotIn(str(first.number), placed)
        self.assertNotIn(str(second.number), placed)
        self.assertNotIn(str(waiting.number), placed)
        self.assertEqual(len(placed), len(SEEDS) - 2)

    def test_the_public_report_places_statements_for_everyone_who_may_read_it(self):
        do_set_report_public(self.alice, self.conversation, True)
        self.login(None)
        response = self.client.get(self.report, {"statements": "on"})
        self.assertEqual(len(self.markers(response.content.decode())), len(SEEDS))

    def test_a_private_report_places_nothing_for_people_outside_the_organisers(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(self.report, {"statements": "on"}).status_code, 403)
        htmx = self.client.get(self.report, {"statements": "on"}, headers=HTMX)
        self.assertEqual(htmx.status_code, 403)

    def test_a_big_conversation_marks_the_statements_that_weigh_most_and_says_so(self):
        extra = MAX_MAP_STATEMENTS + 5 - len(SEEDS)
        do_seed_statements(
            self.alice, self.conversation, [f"Harbour idea number {n}." for n in range(extra)]
        )
        vote_in_camps(self.conversation, people=6)
        do_recompute_opinion_map(self.conversation)
        self.login(self.alice)
        response = self.client.get(self.report, {"statements": "on"})
        self.assertEqual(len(self.markers(response.content.decode())), MAX_MAP_STATEMENTS)
        self.assertContains(
            response,
            f"The map marks the {MAX_MAP_STATEMENTS} statements, of {MAX_MAP_STATEMENTS + 5}, "
            "that weigh most on it.",
        )

    def test_the_statements_cost_no_query_however_many_there_are(self):
        self.login(self.alice)

        def count(**params: str) -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.report, params).status_code, 200)
            return len(queries.captured_queries)

        few = count(statements="on")
        self.assertEqual(few, count())
        do_seed_statements(
            self.alice, self.conversation, [f"More about the quay, part {n}." for n in range(20)]
        )
        vote_in_camps(self.conversation, people=10)
        do_recompute_opinion_map(self.conversation)
        self.assertEqual(count(statements="on"), few)
