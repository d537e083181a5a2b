"""The sample kind's daily job, registered the way any kind registers one."""

from sammen.core.schedule import register_daily_job

# What the job did, for the tests to read (this kind only exists in tests).
MORNINGS: list[str] = []


def count_the_morning() -> None:
    MORNINGS.append("counted")


def register_daily_jobs() -> None:
    register_daily_job("sample: count the morning", count_the_morning)
