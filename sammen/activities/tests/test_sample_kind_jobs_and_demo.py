"""A kind's daily jobs and demo part run from its own registration: no shared app names it.

The sample kind (installed only in tests) registers both in its AppConfig.ready(), from
its own modules; nothing in core or demo knows it exists.
"""

from unittest import mock

from django.core.management import call_command
from django.test import TestCase

from sammen.core import schedule
from sammen.core.schedule import daily_jobs, register_daily_job, run_daily_jobs
from sammen.demo.parts import demo_parts
from sammen.testing import BaseTestCase

from .sample_kind import daily_jobs as sample_jobs
from .sample_kind import demo as sample_demo


class SampleDailyJobTests(BaseTestCase):
    def setUp(self) -> None:
        sample_jobs.MORNINGS.clear()

    def test_the_sample_kinds_job_is_registered_from_its_own_app(self):
        self.assertIn(("sample: count the morning", sample_jobs.count_the_morning), daily_jobs())

    def test_the_daily_run_runs_the_sample_kinds_job(self):
        run_daily_jobs.call()
        self.assertEqual(sample_jobs.MORNINGS, ["counted"])

    def test_a_failing_job_is_logged_and_the_others_still_run(self):
        def fail() -> None:
            raise RuntimeError("boom")

        with mock.patch.dict(schedule._daily_jobs, clear=True):
            register_daily_job("failing", fail)
            register_daily_job("sample: count the morning", sample_jobs.count_the_morning)
            with self.assertLogs("sammen.core.schedule", "ERROR") as logs:
                run_daily_jobs.call()
        self.assertIn("'failing'", logs.output[0])
        self.assertEqual(sample_jobs.MORNINGS, ["counted"])
        self.assertNotIn("failing", dict(daily_jobs()))


class SampleDemoPartTests(TestCase):
    def setUp(self) -> None:
        sample_demo.GIVEN.clear()

    def test_the_sample_kinds_part_runs_last_with_the_demos_people_and_spaces(self):
        # The test settings install the sample kind's app after every real kind.
        self.assertEqual([name for name, _build in demo_parts()][-1], "sample")
        call_command("load_demo", verbosity=0)
        [demo] = sample_demo.GIVEN
        self.assertEqual(
            {key: space.slug for key, space in demo.spaces.items()},
            {"museum": "stadsmuseum-zuiderlicht", "festival": "northern-lights-festival"},
        )
        self.assertEqual(demo.owner.email, "owner@demo.example")
        self.assertEqual(demo.moderator.email, "moderator@demo.example")
        self.assertEqual(demo.user("member").email, "member@demo.example")
