"""`manage.py import_polis`: a Pol.is export in, a conversation out, or nothing at all."""

import io
import shutil
import zipfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from sammen.activities.models import Activity
from sammen.audit.models import AuditEntry
from sammen.testing import BaseTestCase

from .. import polis
from ..models import Statement, StatementState, StoredMap, Vote, Voter

DATA = Path(__file__).parent / "data" / "polis"
LONDON = DATA / "london.youth.policing"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_polis", *args, stdout=out)
    return out.getvalue()


class ImportTests(BaseTestCase):
    def test_it_imports_statements_participants_and_votes_with_their_pol_is_ids(self):
        output = run(str(LONDON), "--space", self.museum.slug, "--title", "Youth and policing")
        self.assertIn("Imported “Youth and policing”", output)
        source = polis.read_conversation(LONDON)
        activity = Activity.objects.get(space=self.museum, title="Youth and policing")
        conversation = activity.conversation
        self.assertTrue(activity.is_draft)
        self.assertEqual(
            set(
                Statement.objects.filter(conversation=conversation).values_list("number", flat=True)
            ),
            set(source.comments),
        )
        hidden = set(
            conversation.statements.filter(state=StatementState.HIDDEN).values_list(
                "number", flat=True
            )
        )
        self.assertEqual(
            hidden, {c.statement_id for c in source.comments.values() if c.moderated == -1}
        )
        self.assertEqual(
            Vote.objects.filter(conversation=conversation).count(), source.votes.vote_count
        )
        self.assertEqual(
            set(Voter.objects.filter(conversation=conversation).values_list("number", flat=True)),
            set(source.votes.participant_ids.tolist())
            | {c.author_id for c in source.comments.values() if c.author_id is not None},
        )
        self.assertTrue(StoredMap.objects.filter(conversation=conversation).exists())
        entry = AuditEntry.objects.get(action="conversation.imported")
        self.assertEqual(entry.actor, self.alice)
        self.assertEqual(entry.details["votes"], source.votes.vote_count)

    def test_votes_keep_the_time_they_were_cast_in_pol_is(self):
        from datetime import UTC, datetime

        run(str(LONDON), "--space", self.museum.slug, "--title", "Youth and policing")
        vote = Vote.objects.get(statement__number=1, participant__conversation_voters__number=1)
        self.assertEqual(vote.updated_at, datetime.fromtimestamp(1658933760.180, tz=UTC))
        voter = Voter.objects.get(number=1)
        self.assertLessEqual(voter.joined_at, vote.updated_at)
        self.assertEqual(voter.joined_at.year, 2022)

    def test_its_pol_is_export_gives_back_the_same_votes(self):
        run(str(LONDON), "--space", self.museum.slug, "--title", "Youth and policing")
        activity = Activity.objects.get(title="Youth and policing")
        self.login(self.alice)
        response = self.client.get(
            reverse("conversations:export_polis", args=[self.museum.slug, activity.slug])
        )
        folder = Path(self.enterContext(self.temporary_folder()))
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            archive.extractall(folder)
        again = polis.read_conversation(folder)
        original = polis.read_conversation(LONDON)
        self.assertEqual(
            sorted(zip(*(a.tolist() for a in again.votes.triplets()), strict=True)),
            sorted(zip(*(a.tolist() for a in original.votes.triplets()), strict=True)),
        )
        # Each vote keeps its time, to the millisecond, through the import and the export.
        self.assertEqual(again.vote_times, original.vote_times)
        self.assertEqual(
            {k: (c.body, c.moderated) for k, c in again.comments.items()},
            {k: (" ".join(c.body.split()), c.moderated) for k, c in original.comments.items()},
        )

    def temporary_folder(self):
        import tempfile

        return tempfile.TemporaryDirectory()

    def broken_copy(self, name: str, change) -> Path:
        folder = Path(self.enterContext(self.temporary_folder())) / "export"
        shutil.copytree(LONDON, folder)
        path = folder / name
        path.write_text(change(path.read_text()))
        return folder

    def assert_refused(self, folder: Path, *expected: str) -> None:
        before = (Activity.objects.count(), Statement.objects.count(), Vote.objects.count())
        with self.assertRaises(CommandError) as refused:
            run(str(folder), "--space", self.museum.slug)
        for part in expected:
            self.assertIn(part, str(refused.exception))
        self.assertIn("nothing was", str(refused.exception))
        self.assertEqual(
            (Activity.objects.count(), Statement.objects.count(), Vote.objects.count()), before
        )

    def test_a_malformed_vote_names_the_file_line_and_column_and_imports_nothing(self):
        def break_third_vote(text: str) -> str:
            lines = text.splitlines()
            lines[3] = lines[3].rsplit(",", 1)[0] + ",yes"
            return "\n".join(lines) + "\n"

        folder = self.broken_copy("votes.csv", break_third_vote)
        self.assert_refused(folder, "votes.csv", "line 4", "column 'vote'", "yes")

    def test_the_problem_is_told_in_the_language_of_the_command(self):
        def break_third_vote(text: str) -> str:
            lines = text.splitlines()
            lines[3] = lines[3].rsplit(",", 1)[0] + ",yes"
            return "\n".join(lines) + "\n"

        folder = self.broken_copy("votes.csv", break_third_vote)
        expected = {
            "nl": "votes.csv, regel 4, kolom 'vote': verwacht -1, 0 of 1, maar kreeg 'yes'",
            "da": "votes.csv, linje 4, kolonne 'vote': forventede -1, 0 eller 1, men fik 'yes'",
            "sv": "votes.csv, rad 4, kolumn 'vote': väntade -1, 0 eller 1, men fick 'yes'",
        }
        for language, message in expected.items():
            with self.subTest(language=language), translation.override(language):
                self.assertIn(message, self.refusal(folder))
        with translation.override("nl"):
            refusal = self.refusal(DATA / "no-such-folder")
        self.assertIn("no-such-folder: die map bestaat niet", refusal)
        self.assertIn("dus er is niets geïmporteerd", refusal)
        self.assertFalse(Activity.objects.exists())

    def refusal(self, folder: Path) -> str:
        with self.assertRaises(CommandError) as refused:
            run(str(folder), "--space", self.museum.slug)
        return str(refused.exception)

    def test_a_malformed_comment_names_its_file_and_line(self):
        def break_moderation(text: str) -> str:
            lines = text.splitlines()
            cells = lines[2].split(",")
            cells[6] = "maybe"
            lines[2] = ",".join(cells)
            return "\n".join(lines) + "\n"

        folder = self.broken_copy("comments.csv", break_moderation)
        self.assert_refused(folder, "comments.csv", "line 3", "column 'moderated'")

    def test_votes_on_comments_that_do_not_exist_import_nothing(self):
        def drop_first_comment(text: str) -> str:
            lines = text.splitlines()
            return "\n".join([lines[0], *lines[2:]]) + "\n"

        folder = self.broken_copy("comments.csv", drop_first_comment)
        self.assert_refused(folder, "comments.csv does not have")

    def test_a_comment_too_long_for_sammen_imports_nothing(self):
        def lengthen(text: str) -> str:
            lines = text.splitlines()
            lines[1] = lines[1] + " " + "very " * 250
            return "\n".join(lines) + "\n"

        folder = self.broken_copy("comments.csv", lengthen)
        self.assert_refused(folder, "longer than 1000 characters")

    def test_a_missing_folder_or_votes_file_is_a_clear_error(self):
        self.assert_refused(DATA / "no-such-folder", "no such folder")
        folder = Path(self.enterContext(self.temporary_folder()))
        shutil.copy(LONDON / "comments.csv", folder / "comments.csv")
        self.assert_refused(folder, "no votes.csv")

    def test_an_unknown_space_or_importer_is_refused(self):
        with self.assertRaises(CommandError):
            run(str(LONDON), "--space", "no-such-space")
        with self.assertRaises(CommandError):
            run(str(LONDON), "--space", self.museum.slug, "--by", "bob@example.org")
        self.assertFalse(Activity.objects.filter(kind="conversation").exists())
        run(str(LONDON), "--space", self.museum.slug, "--by", "maja@example.org")
        self.assertEqual(AuditEntry.objects.get(action="conversation.imported").actor, self.maja)
