"""No lost or double-counted support, with many people supporting at the same moment."""

import threading

from django.db import close_old_connections, connection
from django.test import TransactionTestCase

from sammen.accounts.actions import do_create_account
from sammen.accounts.models import Participant
from sammen.calls.actions import do_edit_idea, do_support_idea
from sammen.calls.models import Idea, IdeaImage, Support
from sammen.calls.tests.test_idea_image_uploads import picture
from sammen.core.errors import ActionRefused
from sammen.testing import in_parallel, make_space, participant_of
from sammen.testing.calls import make_call, make_idea

SUPPORTERS = 50


class ConcurrentSupportTests(TransactionTestCase):
    def test_fifty_people_supporting_at_once_are_each_counted_exactly_once(self):
        owner = do_create_account("owner@example.org", "x" * 12, "Owner")
        space = make_space(owner, "Busy Museum")
        call = make_call(space, owner, supporters="anyone")
        idea = make_idea(call, owner)
        people = [
            participant_of(do_create_account(f"p{n}@example.org", "x" * 12, f"P{n}"))
            for n in range(SUPPORTERS)
        ]
        start = threading.Barrier(SUPPORTERS)
        errors: list[BaseException] = []

        def support(participant: Participant) -> None:
            try:
                start.wait()
                # Every person presses twice, as impatient people do.
                do_support_idea(participant, idea)
                do_support_idea(participant, idea)
            except BaseException as error:  # reported below, in the test's own thread
                errors.append(error)
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=support, args=(person,)) for person in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])
        idea.refresh_from_db()
        stored = Support.objects.filter(idea=idea).count()
        self.assertEqual(stored, SUPPORTERS)
        self.assertEqual(idea.support_count, stored)
        self.assertEqual(
            Idea.objects.get(pk=idea.pk).support_count,
            Support.objects.filter(idea=idea).values("participant").distinct().count(),
        )


class ConcurrentImageTests(TransactionTestCase):
    def test_saves_at_once_never_give_an_idea_more_than_three_images(self):
        owner = do_create_account("owner@example.org", "x" * 12, "Owner")
        call = make_call(make_space(owner, "Busy Museum"), owner)
        idea = make_idea(call, owner, images=[picture("a.png"), picture("b.png")])
        author = participant_of(owner)

        def add_one(number: int) -> bool:
            try:
                do_edit_idea(
                    author,
                    idea,
                    title="Lighthouse",
                    body="Text",
                    new_images=[picture(f"{number}.png")],
                )
            except ActionRefused:
                return False
            return True

        saved = in_parallel(4, add_one)
        self.assertEqual(saved.count(True), 1)
        positions = list(IdeaImage.objects.filter(idea=idea).values_list("position", flat=True))
        self.assertEqual(sorted(positions), [0, 1, 2])
