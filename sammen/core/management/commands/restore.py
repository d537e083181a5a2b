"""Restore a backup made by `sammen backup`: the database and the uploaded images."""

import shutil
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from sammen.core.files import private_files, secure_var_dir

from .backup import ARCHIVE_DATABASE_NAME, ARCHIVE_MEDIA_NAME, copy_sqlite_database, sqlite_path


class Command(BaseCommand):
    help = "Replace the database and uploaded images with those in a backup archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="A .tar.gz written by `sammen backup`.")

    def handle(self, *args: Any, **options: Any) -> None:
        database = sqlite_path()
        archive_path = Path(options["archive"])
        if not archive_path.is_file():
            raise CommandError(f"No such backup: {archive_path}")
        with private_files(), tempfile.TemporaryDirectory() as workdir:
            try:
                with tarfile.open(archive_path, "r:gz") as archive:
                    archive.extractall(workdir, filter="data")
            except (tarfile.TarError, OSError) as error:
                raise CommandError(f"{archive_path} is not a Sammen backup: {error}") from None
            copy = Path(workdir) / ARCHIVE_DATABASE_NAME
            if not copy.is_file():
                raise CommandError(f"{archive_path} holds no {ARCHIVE_DATABASE_NAME}.")
            connections.close_all()
            # Copy page by page into the live file, under SQLite's own locking, so a
            # running server sees either the old or the restored database.
            copy_sqlite_database(copy, database)
            media_copy = Path(workdir) / ARCHIVE_MEDIA_NAME
            media = Path(settings.MEDIA_ROOT)
            if media_copy.is_dir():
                shutil.rmtree(media, ignore_errors=True)
                shutil.copytree(media_copy, media)
        # The archive's own modes do not count: the restored files are private too.
        secure_var_dir()
        self.stdout.write(self.style.SUCCESS(f"Restored {archive_path}"))
