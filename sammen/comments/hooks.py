"""Where owners of threads (an idea, later others) learn that their discussion changed."""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Comment, Thread

# Called inside the transaction after a comment appears, changes visibility or goes.
thread_changed: list[Callable[["Thread"], None]] = []

# Called on commit after a new comment or reply, to tell people about it.
comment_added: list[Callable[["Comment"], None]] = []
