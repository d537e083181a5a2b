"""Back up the SQLite database and the uploaded images into one archive, while serving."""

import sqlite3
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from sammen.core.files import private_files, private_folder, secure_var_dir

ARCHIVE_DATABASE_NAME = "sammen.sqlite3"
ARCHIVE_MEDIA_NAME = "media"


def sqlite_path() -> Path:
    if connection.vendor != "sqlite":
        raise CommandError(
            "backup and restore handle SQLite. For PostgreSQL use pg_dump and "
            "pg_restore, as docs/deploy.md shows."
        )
    return Path(settings.DATABASES["default"]["NAME"])


def copy_sqlite_database(source_path: Path, target_path: Path) -> None:
    """Copy one SQLite database over another with SQLite's online backup.

    The copy is a consistent snapshot even while other connections write.
    """
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


class Command(BaseCommand):
    help = "Write var/backups/sammen-<time>.tar.gz with the database and uploaded images."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="Path of the archive to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        database = sqlite_path()
        secure_var_dir()
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        if options["output"]:
            target = Path(options["output"])
            target.parent.mkdir(parents=True, exist_ok=True)
        else:
            target = private_folder(settings.VAR_DIR / "backups") / f"sammen-{stamp}.tar.gz"
        # The archive holds sessions, password hashes and TOTP secrets: 0600.
        with private_files(), tempfile.TemporaryDirectory() as workdir:
            copy = Path(workdir) / ARCHIVE_DATABASE_NAME
            # SQLite's online backup copies a consistent snapshot while others write.
            copy_sqlite_database(database, copy)
            with tarfile.open(target, "w:gz") as archive:
                archive.add(copy, arcname=ARCHIVE_DATABASE_NAME)
                media = Path(settings.MEDIA_ROOT)
                if media.is_dir():
                    archive.add(media, arcname=ARCHIVE_MEDIA_NAME)
        self.stdout.write(str(target))
