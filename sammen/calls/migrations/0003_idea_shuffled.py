# The random order (queries.shuffled_ids) reads its pages from this index: with 100,000
# ideas, hashing and sorting every idea of the call took 50 ms a page (docs/benchmarks.md).

import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("calls", "0002_idea_list_and_search_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="idea",
            index=models.Index(
                models.F("call"),
                models.ExpressionWrapper(
                    django.db.models.expressions.CombinedExpression(
                        django.db.models.expressions.CombinedExpression(
                            models.F("id"), "*", models.Value(48271)
                        ),
                        "%%",
                        models.Value(2147483647),
                    ),
                    output_field=models.BigIntegerField(),
                ),
                name="idea_shuffled",
            ),
        ),
    ]
