"""Background work of live sessions: closing a timed quiz question when its time is up."""

from django.utils import timezone
from django_tasks import task


@task()
def close_poll_at_time_limit(poll_id: int) -> None:
    """Close the poll if its time limit has passed; the server's clock decides.

    A worker whose clock runs a little behind finds the poll not yet due: it asks again
    at the deadline rather than leave the poll open.
    """
    from .actions import do_close_poll_at_time_limit, schedule_poll_close
    from .models import Poll

    if do_close_poll_at_time_limit(poll_id):
        return
    poll = Poll.objects.filter(pk=poll_id).first()
    deadline = poll.deadline if poll is not None else None
    if deadline is not None and deadline > timezone.now():
        schedule_poll_close(poll_id, deadline)
