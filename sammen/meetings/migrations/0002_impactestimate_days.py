"""An impact estimate says which follow-up round it was given in.

Estimates given before this field existed were written by the attendee's latest
answered follow-up (each answer replaces the estimate), so they take that round.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def days_of_the_latest_answer(apps, schema_editor):
    FollowUp = apps.get_model("meetings", "FollowUp")
    ImpactEstimate = apps.get_model("meetings", "ImpactEstimate")
    latest = (
        FollowUp.objects.filter(registration=OuterRef("registration"), answered_at__isnull=False)
        .order_by("-days")
        .values("days")[:1]
    )
    ImpactEstimate.objects.filter(days__isnull=True).update(days=Subquery(latest))
    # An estimate without any answered follow-up cannot be written by Sammen; keep it, as
    # from no round.
    ImpactEstimate.objects.filter(days__isnull=True).update(days=0)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="impactestimate",
            name="days",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunPython(days_of_the_latest_answer, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="impactestimate",
            name="days",
            field=models.PositiveSmallIntegerField(),
        ),
    ]
