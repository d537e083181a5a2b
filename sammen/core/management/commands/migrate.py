"""Django's migrate, creating the SQLite database for Sammen's user only."""

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrateCommand

from sammen.core.files import private_files, secure_var_dir


class Command(DjangoMigrateCommand):
    # sammen.core comes first in INSTALLED_APPS, so this command stands in for Django's.
    def handle(self, *args: Any, **options: Any) -> None:
        with private_files():  # a new database and its -wal and -shm files: 0600
            super().handle(*args, **options)
        secure_var_dir()
