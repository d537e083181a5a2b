"""Numbers from requests: one reading for all of them."""

from django.test import SimpleTestCase
from django.urls import Resolver404, resolve, reverse

from sammen.core.http import MAX_ID, parse_id, parse_ids, parse_int


class ParseIntTests(SimpleTestCase):
    def test_it_reads_ascii_digits_within_the_range(self):
        self.assertEqual(parse_int("42"), 42)
        self.assertEqual(parse_int("007"), 7)
        self.assertEqual(parse_int("0"), 0)
        self.assertEqual(parse_int("-3", low=-5, high=5), -3)
        self.assertEqual(parse_int(str(MAX_ID)), MAX_ID)
        self.assertEqual(parse_int(12), 12)

    def test_it_refuses_what_int_would_read_or_crash_on(self):
        for value in [
            "²",
            "٣",
            "３",
            "𝟑",
            " 1",
            "1 ",
            "+1",
            "1_0",
            "1.0",
            "1e3",
            "0x10",
            "",
            " ",
            "-1",
            "9" * 10_000,
            str(2**63),
            str(2**64),
            None,
            True,
            ["1"],
            1.0,
        ]:
            with self.subTest(value=str(value)[:20]):
                self.assertIsNone(parse_int(value))

    def test_it_keeps_to_the_range(self):
        self.assertIsNone(parse_int("6", high=5))
        self.assertIsNone(parse_int("-6", low=-5, high=5))
        self.assertIsNone(parse_int("--5", low=-5, high=5))
        self.assertIsNone(parse_int("0", low=1))
        self.assertIsNone(parse_int(MAX_ID + 1))

    def test_ids_start_at_one(self):
        self.assertIsNone(parse_id("0"))
        self.assertEqual(parse_id("1"), 1)

    def test_a_list_of_ids_is_all_ids_or_nothing(self):
        self.assertEqual(parse_ids(["3", "1", "3"], limit=5), [3, 1])
        self.assertIsNone(parse_ids(["3", "²"], limit=5))
        self.assertIsNone(parse_ids(["1", "2", "3"], limit=2))
        self.assertEqual(parse_ids([], limit=2), [])


class IdPathTests(SimpleTestCase):
    def test_a_path_id_is_what_parse_id_takes(self):
        self.assertEqual(resolve("/notifications/12/").kwargs["notification_id"], 12)
        for value in ["0", "00", str(10**18), str(2**64), "9" * 5000, "٣", "-1"]:
            with self.subTest(value=value[:20]), self.assertRaises(Resolver404):
                resolve(f"/notifications/{value}/")
        self.assertEqual(reverse("notifications:open", args=[MAX_ID]), f"/notifications/{MAX_ID}/")
