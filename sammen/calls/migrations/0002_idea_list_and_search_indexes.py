# Indexes found missing by bench/calls.py (docs/benchmarks.md): with 100,000 ideas, the
# paginator's count and the random order read the whole table, and a search computed the
# text vector of every idea, twice per page (seconds per request).

from django.db import migrations, models

# The languages' text search configurations (sammen.calls.queries.SEARCH_CONFIG). The
# expression is the one queries.search() builds, so PostgreSQL uses the index for it.
SEARCH_CONFIGS = ["english", "dutch", "danish", "swedish"]
SEARCH_VECTOR = (
    "(setweight(to_tsvector('{config}'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('{config}'::regconfig, COALESCE(body, '')), 'B'))"
)


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite searches with LIKE, without an index
    for config in SEARCH_CONFIGS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS idea_search_{config} ON calls_idea"
            f" USING gin ({SEARCH_VECTOR.format(config=config)})"
        )


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in SEARCH_CONFIGS:
        schema_editor.execute(f"DROP INDEX IF EXISTS idea_search_{config}")


class Migration(migrations.Migration):

    dependencies = [
        ("calls", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="idea",
            index=models.Index(
                condition=models.Q(("hidden_at__isnull", True), models.Q(("status", "archived"), _negated=True)),
                fields=["call", "id"],
                name="idea_listed",
            ),
        ),
        migrations.RunPython(create_search_indexes, drop_search_indexes, elidable=False),
    ]
