"""The live events' vocabulary: what actions announce, written and read in one place."""

import json

from django.test import SimpleTestCase

from ..events import EVERYTHING, Changes, Event, EventKind, Message

EVERY_KIND_OF_EVENT = [
    Event.polls(),
    Event.questions(),
    Event.stage(),
    Event.leaderboard(),
    Event.audience(),
    Event.results(7),
    Event.every_result(),
    Event.mine(12),
]


class EventTests(SimpleTestCase):
    def test_every_event_reads_back_as_itself(self):
        for event in EVERY_KIND_OF_EVENT:
            with self.subTest(event=str(event)):
                self.assertEqual(Event.parse(str(event)), event)

    def test_events_keep_the_names_the_wire_has_always_used(self):
        self.assertEqual(
            [str(event) for event in EVERY_KIND_OF_EVENT],
            [
                "polls",
                "questions",
                "stage",
                "leaderboard",
                "audience",
                "results:7",
                "results:*",
                "mine:12",
            ],
        )

    def test_items_that_name_no_event_read_as_none(self):
        bad: list[object] = [
            None,
            7,
            ["polls"],
            {"kind": "polls"},
            "",
            "poll",
            "POLLS",
            "polls:3",
            "stage:*",
            "results",
            "results:",
            "results:seven",
            "results:-1",
            "results: 7",
            "results:7 ",
            "results:٣",  # an Arabic-Indic three: int() would take it
            "results:3_0",
            "results:7:8",
            "mine",
            "mine:",
            "mine:*",
            "mine:1e3",
        ]
        for item in bad:
            with self.subTest(item=item):
                self.assertIsNone(Event.parse(item))

    def test_an_event_about_one_thing_needs_it_and_the_others_take_none(self):
        with self.assertRaises(ValueError):
            Event(EventKind.MINE)
        with self.assertRaises(ValueError):
            Event(EventKind.POLLS, 3)


class MessageTests(SimpleTestCase):
    def test_a_message_reads_back_as_itself(self):
        message = Message.of(*EVERY_KIND_OF_EVENT, reaction="heart")
        self.assertEqual(Message.from_wire(message.to_wire()), message)
        self.assertEqual(Message.from_wire(Message.of().to_wire()), Message.of())

    def test_a_good_message_without_a_reaction_reads_back_without_a_warning(self):
        for message in [Message.of(Event.polls()), Message.of(), Message.of(*EVERY_KIND_OF_EVENT)]:
            with self.assertNoLogs("sammen.live.events", "WARNING"):
                self.assertEqual(Message.from_wire(message.to_wire()), message)

    def test_the_wire_format_is_unchanged(self):
        wire = Message.of(Event.results(7), Event.polls(), reaction="heart").to_wire()
        self.assertEqual(json.loads(wire), {"items": ["polls", "results:7"], "reaction": "heart"})
        self.assertEqual(json.loads(Message.of(Event.stage()).to_wire()), {"items": ["stage"]})

    def test_bad_items_and_reactions_are_left_out_and_the_rest_kept(self):
        wire = json.dumps(
            {"items": ["polls", "nonsense", 7, None, "results:x", "mine:3"], "reaction": "boo"}
        )
        with self.assertLogs("sammen.live.events", "WARNING"):
            message = Message.from_wire(wire)
        self.assertEqual(message, Message.of(Event.polls(), Event.mine(3)))

    def test_a_message_with_items_of_the_wrong_shape_still_reads(self):
        with self.assertLogs("sammen.live.events", "WARNING"):
            self.assertEqual(Message.from_wire('{"items": "polls"}'), Message.of(Event.polls()))
            self.assertEqual(Message.from_wire('{"reaction": ["heart"]}'), Message.of())
        self.assertEqual(Message.from_wire(b'{"items": ["stage"]}'), Message.of(Event.stage()))

    def test_what_is_not_a_message_at_all_is_refused_with_a_value_error(self):
        not_messages: list[str | bytes] = ["", "not json", "[]", '"polls"', "null", b"\xff"]
        for data in not_messages:
            with self.subTest(data=data), self.assertRaises(ValueError):
                Message.from_wire(data)


class ChangesTests(SimpleTestCase):
    def test_changes_say_which_regions_and_which_polls_and_people_changed(self):
        changes = Changes.of([Event.questions(), Event.results(7), Event.mine(3)])
        self.assertTrue(changes.touches(EventKind.QUESTIONS))
        self.assertTrue(changes.touches(EventKind.POLLS, EventKind.QUESTIONS))
        self.assertFalse(changes.touches(EventKind.POLLS, EventKind.STAGE))
        self.assertTrue(changes.any_results)
        self.assertTrue(changes.wants_results(7))
        self.assertFalse(changes.wants_results(8))
        self.assertEqual(changes.attendees, {3})

    def test_every_result_asks_for_the_results_of_every_poll(self):
        changes = Changes.of([Event.every_result()])
        self.assertTrue(changes.wants_results(7))
        self.assertTrue(changes.wants_results(8))

    def test_the_whole_state_touches_every_region_but_no_one_results(self):
        changes = Changes.of(EVERYTHING)
        for kind in ("polls", "questions", "stage", "leaderboard", "audience"):
            self.assertTrue(changes.touches(EventKind(kind)))
        self.assertFalse(changes.any_results)
        self.assertEqual(changes.attendees, frozenset())
