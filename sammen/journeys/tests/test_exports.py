"""The journey's exports: touchpoints and ratings as CSV, figures as JSON, the curve as
SVG, the map as Mermaid; none of them names a participant."""

import csv
import io
import json
import xml.etree.ElementTree as ET

from django.core.cache import cache
from django.urls import reverse

from sammen.journeys.actions import do_answer_closing_questions, do_decide, do_rate
from sammen.journeys.exports import mermaid_journey, mermaid_score, mermaid_text
from sammen.journeys.models import Journey, Segment, Touchpoint
from sammen.journeys.queries.figures import journey_figures
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.journeys import make_journey, rate_all, touchpoints_of

STAGES = [
    ("Before: online", [("Tickets: buying", "web", "automated", "medium")]),
    (
        "Arrival",
        [
            ("The desk\nand queue", "in_person", "staff", "high"),
            ("Lockers", "in_person", "self_service", "low"),
        ],
    ),
]


class ExportTests(BaseTestCase):
    journey: Journey
    touchpoints: list[Touchpoint]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.journey = make_journey(
            cls.museum,
            cls.alice,
            "Visit: the museum",
            stages=STAGES,
            segment_question="First visit?",
            segments=["Yes", "No"],
        )
        cls.touchpoints = touchpoints_of(cls.journey)
        yes = Segment.objects.get(journey=cls.journey, label="Yes")
        for _ in range(11):
            person = rate_all(cls.journey, [7, 2, None])
            do_answer_closing_questions(cls.journey, person, segment_id=yes.pk, recommendation=None)
        bob = participant_of(cls.bob)
        do_rate(
            cls.journey,
            bob,
            cls.touchpoints[1],
            score=1,
            words=["annoyed", "ignored"],
            preference="person",
            comment="=HYPERLINK(evil) Bob Builder was here",
        )
        do_decide(cls.alice, cls.touchpoints[1], "keep_person", "A person stays at the desk.")
        cls.journey.refresh_from_db()

    def setUp(self) -> None:
        cache.clear()
        self.login(self.alice)

    def url(self, name: str) -> str:
        return reverse(f"journeys:{name}", args=[self.museum.slug, self.journey.activity.slug])

    def test_the_touchpoints_csv_holds_the_figures_and_the_decision(self):
        response = self.client.get(self.url("export_touchpoints"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("touchpoints", response["Content-Disposition"])
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0]["touchpoint"], "Tickets: buying")
        desk = rows[1]
        self.assertEqual(desk["ratings"], "12")
        self.assertEqual(desk["score_1"], "1")
        self.assertEqual(desk["score_2"], "11")
        self.assertAlmostEqual(float(desk["mean"]), 23 / 12, places=4)
        self.assertEqual(desk["decision"], "keep_person")
        self.assertEqual(desk["decision_text"], "A person stays at the desk.")
        self.assertEqual(desk["prefer_person"], "1")
        self.assertEqual(rows[2]["skipped"], "11")

    def test_the_ratings_csv_names_nobody(self):
        response = self.client.get(self.url("export_ratings"))
        text = response.content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        self.assertEqual(len(rows), 11 * 3 + 1)  # Bob rated only the desk
        self.assertEqual(
            list(rows[0]),
            [
                "wave",
                "respondent",
                "stage",
                "touchpoint",
                "score",
                "skipped",
                "words",
                "preference",
                "segment",
            ],
        )
        self.assertNotIn("Bob", text)
        self.assertNotIn("HYPERLINK", text)
        self.assertNotIn(str(participant_of(self.bob).public_id), text)
        bob_row = next(row for row in rows if row["words"])
        self.assertEqual(bob_row["words"], "annoyed ignored")
        self.assertEqual(bob_row["preference"], "person")
        self.assertEqual(bob_row["segment"], "")
        self.assertEqual({row["segment"] for row in rows if row is not bob_row}, {"Yes"})
        skipped = [row for row in rows if row["skipped"] == "1"]
        self.assertEqual(len(skipped), 11)
        self.assertTrue(all(row["score"] == "" for row in skipped))
        # Each person keeps one number, the same on all their rows, from 1 to 12.
        self.assertEqual({row["respondent"] for row in rows}, {str(n) for n in range(1, 13)})

    def test_the_json_holds_the_moments_and_advice_in_words(self):
        response = self.client.get(self.url("export_json"))
        payload = json.loads(response.content)
        self.assertEqual(payload["journey"], "Visit: the museum")
        desk = payload["touchpoints"][1]
        self.assertEqual(desk["counts"], [1, 11, 0, 0, 0, 0, 0])
        self.assertEqual(desk["words"], {"annoyed": 1, "ignored": 1})
        self.assertEqual(desk["advice"]["choice"], "keep_person")
        self.assertTrue(desk["advice"]["reasons"][0]["text"])
        self.assertEqual(desk["decision"]["text"], "A person stays at the desk.")
        reasons = {moment["reason"] for moment in desk["moments"]}
        self.assertIn("sharpest_drop", reasons)
        self.assertNotIn("Bob", response.content.decode())

    def test_the_curve_downloads_as_an_svg_file_with_its_styles(self):
        response = self.client.get(self.url("export_curve"))
        self.assertEqual(response["Content-Type"], "image/svg+xml; charset=utf-8")
        root = ET.fromstring(response.content)  # noqa: S314 (our own file, in a test)
        self.assertEqual(root.tag, "{http://www.w3.org/2000/svg}svg")
        found = root.find("{http://www.w3.org/2000/svg}style")
        assert found is not None
        assert found.text is not None
        style = found.text
        self.assertIn("--color-accent", style)
        self.assertIn(".curve__line", style)
        self.assertNotIn("tabindex", response.content.decode())

    def test_the_mermaid_journey_has_a_section_per_stage_and_escaped_names(self):
        response = self.client.get(self.url("export_mermaid"))
        text = response.content.decode()
        lines = text.splitlines()
        self.assertEqual(lines[0], "journey")
        self.assertEqual(lines[1], "    title Visit∶ the museum")
        self.assertIn("    section Before∶ online", lines)
        self.assertIn("      Tickets∶ buying: 5: Customer, Automated", lines)
        self.assertIn("      The desk and queue: 2: Customer, Staff", lines)
        self.assertIn("      %% Lockers: no ratings yet", lines)

    def test_members_may_not_export(self):
        self.login(self.bob)
        for name in (
            "export_touchpoints",
            "export_ratings",
            "export_json",
            "export_curve",
            "export_mermaid",
        ):
            with self.subTest(name):
                self.assertEqual(self.client.get(self.url(name)).status_code, 403)


def test_mermaid_scores_map_the_scale_to_one_to_five():
    assert [mermaid_score(score, 7) for score in (1, 2.5, 4, 5.5, 7)] == [1, 2, 3, 4, 5]
    assert [mermaid_score(score, 5) for score in (1, 2, 3, 4, 5)] == [1, 2, 3, 4, 5]


def test_mermaid_text_keeps_a_line_whole():
    assert mermaid_text("A: b\nc; d #1 %%") == "A∶ b c, d ♯1 %"


def test_an_empty_journey_is_a_mermaid_journey_still(db):
    from sammen.testing import make_space, make_user

    owner = make_user("Olga")
    journey = make_journey(make_space(owner, "Harbour"), owner)
    text = mermaid_journey(journey_figures(journey))
    assert text.startswith("journey\n    title A museum visit\n    section Before\n")
