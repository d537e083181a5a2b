"""The map as CSV: read line by line, refused whole with the line named, written back."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.testing import BaseTestCase
from sammen.testing.journeys import make_journey, touchpoints_of

from ..actions.importing import do_import_map
from ..importing import MAX_IMPORT_BYTES, decode_upload, parse_map_csv
from ..models import MAX_TOUCHPOINTS, Stage, Touchpoint

HEADER = "stage,touchpoint,description,channel,performer,monthly_volume,risk\n"
GOOD = (
    HEADER
    + "Arrival,The welcome at the desk,The first word,in_person,staff,4000,high\n"
    + "Arrival,Cloakroom,,In person,Staff,,\n"
    + 'The visit,The audio guide,,APP,Automated,"1,200",Low\n'
)


def rows(count: int, stage: str = "Arrival") -> str:
    return "".join(f"{stage},Touchpoint {number}\n" for number in range(count))


class ParseTests(BaseTestCase):
    def test_it_reads_stages_in_order_with_their_touchpoints_keys_and_labels(self):
        stages = parse_map_csv(GOOD)
        self.assertEqual([stage.name for stage in stages], ["Arrival", "The visit"])
        welcome, cloakroom = (data for _line, data in stages[0].touchpoints)
        self.assertEqual(
            (welcome.name, welcome.channel, welcome.performer, welcome.monthly_volume),
            ("The welcome at the desk", "in_person", "staff", 4000),
        )
        self.assertEqual((welcome.risk, welcome.description), ("high", "The first word"))
        self.assertEqual(
            (cloakroom.channel, cloakroom.risk, cloakroom.monthly_volume),
            ("in_person", "low", None),
        )
        ((line, guide),) = stages[1].touchpoints
        self.assertEqual(
            (line, guide.channel, guide.performer, guide.monthly_volume),
            (4, "app", "automated", 1200),
        )

    def test_only_stage_and_touchpoint_are_needed_in_any_order_with_any_separator(self):
        for text in (
            "Touchpoint;Stage\nTicket;Before\n",
            "\ufefftouchpoint\tstage\nTicket\tBefore\n",
            "stage,touchpoint,\r\nBefore,Ticket,\r\n\r\n",
            "STAGE, Touchpoint \nBefore,Ticket\n",
        ):
            with self.subTest(text=text):
                (stage,) = parse_map_csv(text)
                self.assertEqual((stage.name, stage.touchpoints[0][1].name), ("Before", "Ticket"))

    def test_lines_of_one_stage_go_together_and_blank_lines_are_skipped(self):
        text = "stage,touchpoint\nA,One\n\nB,Two\na,Three\n"
        stages = parse_map_csv(text)
        self.assertEqual([stage.name for stage in stages], ["A", "B"])
        self.assertEqual([data.name for _line, data in stages[0].touchpoints], ["One", "Three"])

    def test_a_bad_file_is_refused_with_the_line_named(self):
        cases = {
            "Line 1: Unknown column “colour”": "stage,touchpoint,colour\nA,B,red\n",
            "Line 1: The column “stage” appears twice": "stage,touchpoint,stage\nA,B,C\n",
            "Line 1: The first line names the columns": "stage,description\nA,B\n",
            "Line 3: Give the touchpoint a name": "stage,touchpoint\nA,B\nA,\n",
            "Line 2: Give the stage a name": "stage,touchpoint\n ,B\n",
            "Line 2: Keep the name under 120": f"stage,touchpoint\nA,{'x' * 121}\n",
            "Line 2: Keep the name under 80": f"stage,touchpoint\n{'x' * 81},B\n",
            "Line 2: Keep the description under 500": f"{HEADER}A,B,{'x' * 501}\n",
            "Line 2: “fax” is not one of the choices": f"{HEADER}A,B,,fax,,,\n",
            "Line 2: “robot” is not one of the choices": f"{HEADER}A,B,,,robot,,\n",
            "Line 2: “extreme” is not one of the choices": f"{HEADER}A,B,,,,,extreme\n",
            "Line 2: Give the times a month as a whole number": f"{HEADER}A,B,,,,12.5,\n",
            "Line 3: Give the times a month as a whole": f"{HEADER}A,B,,,,1,\nA,C,,,,-1,\n",
            "Line 2: Give the times a month as a whole number ": f"{HEADER}A,B,,,,9999999999,\n",
            "Line 2: This line has more cells": "stage,touchpoint\nA,B,C\n",
            "Line 2: Remove the invisible control characters": "stage,touchpoint\nA,B\x07\n",
            "Line 2: This is not CSV we can read": 'stage,touchpoint\nA,"B\n',
            f"Line {MAX_TOUCHPOINTS + 2}: A journey holds at most": "stage,touchpoint\n"
            + rows(MAX_TOUCHPOINTS + 1),
            "Line 22: A journey holds at most 20 stages": "stage,touchpoint\n"
            + "".join(f"S{number},T\n" for number in range(21)),
            "The file is empty": " \n\n",
            "The file has no touchpoints": "stage,touchpoint\n\n",
            "The file is too large": "x" * (MAX_IMPORT_BYTES + 1),
        }
        for message, text in cases.items():
            with self.subTest(message=message), self.assertRaisesMessage(ActionRefused, message):
                parse_map_csv(text)

    def test_a_file_that_is_not_utf8_text_is_refused(self):
        cases = {
            "not UTF-8": "stage,touchpoint\nArrivée,Caf\xe9\n".encode("latin-1"),
            "a spreadsheet file": b"PK\x03\x04\x14\x00\x06\x00",
            "too large": b"x" * (MAX_IMPORT_BYTES + 1),
        }
        for message, data in cases.items():
            with self.subTest(message=message), self.assertRaisesMessage(ActionRefused, message):
                decode_upload(data)
        self.assertEqual(decode_upload("\ufeffstage".encode()), "stage")


class ImportActionTests(BaseTestCase):
    def setUp(self):
        self.journey = make_journey(
            self.museum, self.alice, open_it=False, stages=[("Arrival", [])]
        )

    def test_it_adds_new_stages_and_puts_touchpoints_of_a_known_stage_after_its_own(self):
        do_import_map(self.alice, self.journey, "stage,touchpoint\nArrival,First\n")
        count = do_import_map(self.alice, self.journey, GOOD)
        self.assertEqual(count, 3)
        self.assertEqual(
            list(Stage.objects.values_list("name", flat=True)), ["Arrival", "The visit"]
        )
        self.assertEqual(
            [tp.name for tp in touchpoints_of(self.journey)],
            ["First", "The welcome at the desk", "Cloakroom", "The audio guide"],
        )
        self.assertEqual(
            list(
                Touchpoint.objects.filter(stage__name="Arrival")
                .order_by("position")
                .values_list("position", flat=True)
            ),
            [0, 1, 2],
        )
        self.assertEqual(AuditEntry.objects.filter(action="journey.imported").count(), 2)

    def test_the_limits_count_what_the_map_has_already_and_nothing_is_imported(self):
        do_import_map(self.alice, self.journey, "stage,touchpoint\n" + rows(MAX_TOUCHPOINTS - 1))
        with self.assertRaisesMessage(ActionRefused, "Line 3: A journey holds at most 80"):
            do_import_map(self.alice, self.journey, "stage,touchpoint\nB,One\nB,Two\n")
        self.assertEqual(Touchpoint.objects.count(), MAX_TOUCHPOINTS - 1)
        self.assertFalse(Stage.objects.filter(name="B").exists())

    def test_a_bad_line_at_the_end_imports_nothing(self):
        with self.assertRaisesMessage(ActionRefused, "Line 5: “huge”"):
            do_import_map(self.alice, self.journey, GOOD + "Leaving,Shop,,,,,huge\n")
        self.assertEqual(Touchpoint.objects.count(), 0)
        self.assertEqual(Stage.objects.count(), 1)


class ImportFuzzTests(HypothesisTestCase, BaseTestCase):
    def setUp(self):
        self.journey = make_journey(
            self.museum,
            self.alice,
            open_it=False,
            stages=[("Arrival", [("Desk", "in_person", "staff", "low")])],
        )

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        text=st.one_of(
            st.text(max_size=400),
            st.lists(
                st.lists(
                    st.one_of(
                        st.sampled_from(
                            [
                                "stage",
                                "touchpoint",
                                "risk",
                                "channel",
                                "web",
                                "High",
                                "12",
                                "-3",
                                '"',
                                "",
                            ]
                        ),
                        st.text(max_size=30),
                    ),
                    max_size=8,
                ),
                max_size=12,
            ).map(lambda lines: "\n".join(",".join(cells) for cells in lines)),
        )
    )
    def test_any_text_imports_whole_or_is_refused_with_a_message_and_imports_nothing(self, text):
        journey = self.journey
        before = list(
            Touchpoint.objects.filter(journey=journey).values_list("pk", "name", "stage__name")
        )
        stages_before = Stage.objects.filter(journey=journey).count()
        try:
            count = do_import_map(self.alice, journey, text)
        except ActionRefused as refusal:
            self.assertTrue(refusal.message)
            after = list(
                Touchpoint.objects.filter(journey=journey).values_list("pk", "name", "stage__name")
            )
            self.assertEqual(after, before)
            self.assertEqual(Stage.objects.filter(journey=journey).count(), stages_before)
        else:
            self.assertEqual(
                Touchpoint.objects.filter(journey=journey).count(), len(before) + count
            )


def url(journey, name: str) -> str:
    return reverse(f"journeys:{name}", args=[journey.activity.space.slug, journey.activity.slug])


class ImportViewTests(BaseTestCase):
    def setUp(self):
        self.journey = make_journey(self.museum, self.alice, open_it=False, stages=[])
        self.client.force_login(self.alice)

    def test_the_page_explains_the_columns(self):
        response = self.client.get(url(self.journey, "import_map"))
        self.assertContains(response, "monthly_volume")
        self.assertContains(response, 'enctype="multipart/form-data"')

    def test_pasted_lines_and_an_uploaded_file_are_imported(self):
        response = self.client.post(url(self.journey, "import_map"), {"text": GOOD})
        self.assertRedirects(response, url(self.journey, "map"))
        self.assertEqual(Touchpoint.objects.count(), 3)
        upload = SimpleUploadedFile(
            "map.csv", b"\xef\xbb\xbfstage,touchpoint\nLeaving,Shop\n", "text/csv"
        )
        response = self.client.post(url(self.journey, "import_map"), {"file": upload}, follow=True)
        self.assertContains(response, "1 touchpoint is imported.")
        self.assertEqual(Touchpoint.objects.count(), 4)

    def test_a_bad_file_says_why_and_imports_nothing(self):
        cases = [
            ({"text": GOOD + "Leaving,,,,,,\n"}, "Line 5: Give the touchpoint a name."),
            (
                {
                    "file": SimpleUploadedFile(
                        "m.csv", "stage,touchpoint\nCafé,Å\n".encode("utf-16")
                    )
                },
                "not UTF-8",
            ),
            ({"file": SimpleUploadedFile("m.xlsx", b"PK\x03\x04rest")}, "spreadsheet file"),
            ({"file": SimpleUploadedFile("m.csv", b"x" * (MAX_IMPORT_BYTES + 1))}, "too large"),
            ({"text": ""}, "Choose a CSV file, or paste its lines."),
        ]
        for data, message in cases:
            with self.subTest(message=message):
                response = self.client.post(url(self.journey, "import_map"), data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertFalse(Touchpoint.objects.exists())
        self.assertFalse(Stage.objects.exists())

    def test_the_download_has_the_import_columns_and_imports_back_the_same(self):
        self.client.post(url(self.journey, "import_map"), {"text": GOOD})
        response = self.client.get(url(self.journey, "export_map"))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("-map-", response["Content-Disposition"])
        text = response.content.decode()
        table = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
        self.assertEqual(table[2]["monthly_volume"], "1200")
        self.assertEqual(table[1]["channel"], "in_person")
        other = make_journey(self.museum, self.alice, "Another", open_it=False, stages=[])
        do_import_map(self.alice, other, text)
        self.assertEqual(
            [
                (tp.stage.name, tp.name, tp.channel, tp.monthly_volume)
                for tp in touchpoints_of(other)
            ],
            [
                (tp.stage.name, tp.name, tp.channel, tp.monthly_volume)
                for tp in touchpoints_of(self.journey)
            ],
        )

    def test_only_organisers_import_and_download(self):
        self.client.force_login(self.bob)
        # A draft is the organisers' alone; an open journey is the members' to rate only.
        self.assertEqual(self.client.get(url(self.journey, "import_map")).status_code, 404)
        journey = make_journey(self.museum, self.alice, "Open")
        before = Touchpoint.objects.count()
        self.assertEqual(self.client.get(url(journey, "import_map")).status_code, 403)
        self.assertEqual(
            self.client.post(url(journey, "import_map"), {"text": GOOD}).status_code, 403
        )
        self.assertEqual(self.client.get(url(journey, "export_map")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(url(journey, "export_map")).status_code, 302)
        self.assertEqual(Touchpoint.objects.count(), before)
