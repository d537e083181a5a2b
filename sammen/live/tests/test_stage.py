"""The big screen: labels that say what happened to a question, reactions that need no font."""

from django.contrib.staticfiles import finders
from django.core.cache import cache

from sammen.testing import BaseTestCase
from sammen.testing.live import join_anonymously, make_session

from .. import snapshots
from ..actions import Moderate, do_ask_question, do_moderate_questions, do_show_on_screen
from ..events import Event
from ..hub import Variant
from ..models import ReactionKind, Screen
from ..queries import shown_questions


class StageLabelTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.session = make_session(self.museum, self.alice)
        self.session.reactions_enabled = True
        pia = join_anonymously(self.session, "Pia")
        self.open = do_ask_question(pia, "Is the ferry running late?")
        self.pinned = do_ask_question(pia, "Will the lighthouse open at night?")
        self.answered = do_ask_question(pia, "Can children climb the tower?")
        do_moderate_questions(self.alice, self.session, [self.pinned], Moderate.PIN)
        do_moderate_questions(self.alice, self.session, [self.answered], Moderate.ANSWERED)
        do_show_on_screen(self.session, Screen.QUESTIONS)
        activity = self.session.activity
        self.present = f"/s/{activity.space.slug}/a/{activity.slug}/live/present/"

    def test_pinned_and_answered_questions_carry_a_label_in_words_on_the_big_screen(self):
        self.login(self.alice)
        page = self.client.get(self.present)
        self.assertContains(page, '<span class="stage-label stage-label--pinned">Pinned</span>')
        self.assertContains(page, '<span class="stage-label stage-label--answered">Answered</span>')
        self.assertContains(page, 'class="stage-label ', count=2)

    def test_the_labels_reach_the_big_screen_through_the_stream_in_its_language(self):
        variant = Variant("presenter", "nl")
        rendered = snapshots.render(self.session.pk, {Event.questions()}, {variant}, {})
        stage = rendered.shared[variant]["stage"]
        self.assertIn('stage-label--pinned">Vastgezet<', stage)
        self.assertIn('stage-label--answered">Beantwoord<', stage)

    def test_an_answered_question_comes_after_the_open_ones_on_every_database(self):
        """PostgreSQL sorts empty dates last, SQLite first: the order must not depend on it."""
        for sort in ("top", "newest"):
            order = [question.text for question in shown_questions(self.session, sort)]
            self.assertEqual(order[0], self.pinned.text, sort)
            self.assertEqual(order[-1], self.answered.text, sort)


class ReactionImageTests(BaseTestCase):
    def test_each_reaction_ships_as_an_svg_image(self):
        for kind in ReactionKind.values:
            path = finders.find(f"live/reactions/{kind}.svg")
            self.assertIsNotNone(path, kind)
            with open(str(path), encoding="utf-8") as svg:
                self.assertTrue(svg.read().startswith("<svg"), kind)

    def test_the_phone_buttons_and_the_big_screen_use_the_images(self):
        cache.clear()
        session = make_session(self.museum, self.alice)
        session.reactions_enabled = True
        session.save(update_fields=["reactions_enabled"])
        self.client.post(f"/live/{session.code}/join/", {"name": "Pia"})
        room = self.client.get(f"/live/{session.code}/")
        for kind in ReactionKind.values:
            self.assertContains(room, f'src="/static/live/reactions/{kind}.svg"')
        self.assertNotContains(room, "👏")
        self.login(self.alice)
        activity = session.activity
        present = self.client.get(f"/s/{activity.space.slug}/a/{activity.slug}/live/present/")
        for kind in ReactionKind.values:
            self.assertContains(present, f'<template data-reaction="{kind}">')
        self.assertContains(present, 'src="/static/live/reactions/heart.svg"')
