"""The database task worker, telling only what goes wrong: `sammen serve --demo` runs it.

`db_worker` logs every task it starts and finishes, which buries the address and the
demo accounts `make run` prints under a page of lines in a minute.
"""

import logging

from django_tasks_db.compat import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker


class Command(DatabaseWorker):
    help = "Run background tasks like db_worker, logging only warnings and failures."

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity <= 1:
            for name in (TASKS_LOGGER, "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.WARNING)
