"""The daily job: count every space that has activities again, one task per space."""

from sammen.activities.models import Activity

from .tasks import count_space


def count_all_spaces() -> int:
    """Enqueue a count of every space with an activity; return how many."""
    space_ids = sorted(set(Activity.objects.values_list("space_id", flat=True)))
    for space_id in space_ids:
        count_space.enqueue(space_id)
    return len(space_ids)
