"""Every kind's spreadsheet download is written by one function, formulas neutralised."""

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from unittest.mock import patch

from django.test import SimpleTestCase

from sammen.core.exports import csv_download, csv_text, dated_filename, json_download


class CsvTests(SimpleTestCase):
    def test_cells_that_start_like_a_formula_are_kept_as_text(self):
        rows = [{"a": "=HYPERLINK(1)", "b": "+1", "c": "-2", "d": "@x", "e": "\tt", "f": "\rr"}]
        text = csv_text(rows, list(rows[0]))
        _header, body = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        self.assertEqual(body, ["'=HYPERLINK(1)", "'+1", "'-2", "'@x", "'\tt", "'\rr"])

    def test_numbers_and_plain_text_are_left_alone(self):
        text = csv_text([{"n": -3, "t": "hello, world"}], ["n", "t"])
        self.assertEqual(text, '\ufeffn,t\r\n-3,"hello, world"\r\n')

    def test_a_download_names_its_file_and_leaves_out_keys_without_a_column(self):
        response = csv_download([{"a": 1, "secret": "x"}], ["a"], "ideas-2026-12-02.csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="ideas-2026-12-02.csv"'
        )
        self.assertEqual(response.content.decode(), "\ufeffa\r\n1\r\n")

    def test_an_empty_export_still_has_its_header(self):
        self.assertEqual(csv_text([], ["id", "title"]), "\ufeffid,title\r\n")

    def test_a_json_download_is_readable_utf8_with_dates_and_decimals_as_text(self):
        payload = {"title": "Æblekage på havnen", "when": date(2026, 12, 2), "n": Decimal("1.5")}
        response = json_download(payload, "report-2026-12-02.json")
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="report-2026-12-02.json"'
        )
        self.assertIn("Æblekage på havnen", response.content.decode())
        self.assertEqual(
            json.loads(response.content),
            {"title": "Æblekage på havnen", "when": "2026-12-02", "n": "1.5"},
        )

    def test_a_dated_filename_names_the_slug_the_content_and_today(self):
        with patch("sammen.core.exports.timezone.now") as now:
            now.return_value = datetime(2026, 12, 2, 23, 0, tzinfo=UTC)
            self.assertEqual(
                dated_filename("harbour", "ideas", "csv"), "harbour-ideas-2026-12-02.csv"
            )
