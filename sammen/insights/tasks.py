from django_tasks import task

from sammen.spaces.models import Space

from .rollup import do_count_space


@task()
def count_space(space_id: int) -> None:
    """Count one space's contributions into its rollups (the task worker runs it)."""
    space = Space.objects.filter(pk=space_id).first()
    if space is not None:
        do_count_space(space)
