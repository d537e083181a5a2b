"""A minimal activity kind, installed only in tests, that proves the Activity base works."""

from django.apps import AppConfig


class SampleKindConfig(AppConfig):
    name = "sammen.activities.tests.sample_kind"
    label = "sample_kind"

    def ready(self) -> None:
        from sammen.activities.kinds import ActivityKind, register_kind
        from sammen.activities.selfcheck import Format, Question

        from . import recognition, reportables

        register_kind(
            ActivityKind(
                key="sample",
                label="Sample kind",
                description="A kind that only exists in tests.",
                template="sample_kind/_body.html",
                context=lambda request, activity, access: {"sample_greeting": "Hello from sample"},
                opening_blockers=lambda activity: (
                    ["The sample title must not say BLOCK."] if "BLOCK" in activity.title else []
                ),
                selfcheck=Format(
                    Question("sample_need", "Do you need a sample?"),
                    "a sample",
                    "A sample fits: it shows a kind brings its own format.",
                    unneeded="A sample costs time. Your answers say you need none.",
                ),
                brief_warnings=lambda activity: (
                    ["The sample title says WARN: look at it."] if "WARN" in activity.title else []
                ),
            )
        )

        from .daily_jobs import register_daily_jobs

        register_daily_jobs()

        from .demo import register_demo

        register_demo()

        recognition.register()
        reportables.connect()
