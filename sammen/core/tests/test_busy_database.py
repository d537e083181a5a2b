"""A database too busy to take a request answers "very busy, try again" (503), not a 500."""

import sqlite3

from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.utils import translation

from sammen.core.middleware import BusyDatabaseMiddleware, is_busy_database


class PoolTimeout(Exception):
    """Stands for psycopg_pool.PoolTimeout, which the check knows by name."""


def raised_from(cause: Exception) -> OperationalError:
    try:
        raise OperationalError(str(cause)) from cause
    except OperationalError as error:
        return error


class BusyDatabaseTests(SimpleTestCase):
    def setUp(self) -> None:
        self.middleware = BusyDatabaseMiddleware(lambda request: HttpResponse())
        self.request = RequestFactory().get("/live/ABCDEF/")

    def test_no_pooled_connection_in_time_is_a_503_that_says_try_again(self):
        error = raised_from(PoolTimeout("couldn't get a connection after 10.00 sec"))
        response = self.middleware.process_exception(self.request, error)
        assert response is not None
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "5")
        self.assertContains(response, "Very busy right now", status_code=503)

    def test_a_locked_sqlite_database_is_a_503_too(self):
        error = raised_from(sqlite3.OperationalError("database is locked"))
        self.assertTrue(is_busy_database(error))

    def test_other_database_errors_stay_errors(self):
        for error in (
            raised_from(sqlite3.OperationalError("no such table: live_poll")),
            OperationalError("connection refused"),
            ValueError("database is locked"),
        ):
            with self.subTest(error=str(error)):
                self.assertIsNone(self.middleware.process_exception(self.request, error))

    @override_settings(LANGUAGE_CODE="en")
    def test_it_is_said_in_the_visitors_language(self):
        error = raised_from(PoolTimeout("timeout"))
        for language in ("nl", "da", "sv"):
            with translation.override(language), self.subTest(language=language):
                self.request.LANGUAGE_CODE = language
                response = self.middleware.process_exception(self.request, error)
                assert response is not None
                self.assertNotIn("Very busy right now", response.content.decode())
                self.assertIn(f'lang="{language}"', response.content.decode())
