"""Keep what Sammen writes to disk for the user it runs as.

The SQLite database (and its -wal and -shm files), backups, the file cache, emails
written to var/mail and uploaded images hold sessions, password hashes, TOTP
secrets, sign-in links and pictures of hidden ideas: files are 0600 and folders
0700. var/ itself is 0711, so nginx, running as another user, can still reach
var/static (docs/deploy.md) without listing var/ or reading anything else in it.
"""

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

PRIVATE_UMASK = 0o077
FILE_MODE = 0o600
FOLDER_MODE = 0o700
VAR_DIR_MODE = 0o711

logger = logging.getLogger(__name__)


def keep_new_files_private() -> None:
    """Make every file and folder this process creates from now on 0600 or 0700."""
    os.umask(PRIVATE_UMASK)


@contextmanager
def private_files() -> Iterator[None]:
    """Create files 0600 and folders 0700 inside the block, then restore the umask."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def set_mode(path: Path, mode: int) -> None:
    """Change a mode; warn, rather than stop the server, on a file another user owns."""
    if path.is_symlink():
        return
    try:
        path.chmod(mode)
    except PermissionError:
        logger.warning("Cannot make %s private (mode %o): it belongs to another user.", path, mode)


def make_private(path: Path) -> None:
    """Make a file 0600, or a folder 0700 with everything in it 0600 or 0700.

    Symbolic links are left alone, and so is what does not exist.
    """
    if path.is_symlink() or not path.exists():
        return
    if not path.is_dir():
        set_mode(path, FILE_MODE)
        return
    set_mode(path, FOLDER_MODE)
    for root, folders, files in os.walk(path):
        for name in folders:
            set_mode(Path(root) / name, FOLDER_MODE)
        for name in files:
            set_mode(Path(root) / name, FILE_MODE)


def private_folder(path: Path) -> Path:
    """Return `path` as a folder that exists and is 0700."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    set_mode(path, FOLDER_MODE)
    return path


def sqlite_files() -> list[Path]:
    """Return the files of the SQLite database in use (none for PostgreSQL or memory)."""
    database = settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if database["ENGINE"] != "django.db.backends.sqlite3" or name in {"", ":memory:"}:
        return []
    if name.startswith("file:"):
        return []
    return [Path(name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]


def cache_folder() -> Path | None:
    from django.core.cache import caches
    from django.core.cache.backends.filebased import FileBasedCache

    cache = caches["default"]
    if not isinstance(cache, FileBasedCache):
        return None
    return Path(settings.CACHES["default"]["LOCATION"])


def secure_var_dir() -> None:
    """Give var/ and every private file Sammen keeps the modes above.

    Also mends installations that wrote them world-readable before.
    """
    var = Path(settings.VAR_DIR)
    var.mkdir(parents=True, exist_ok=True)
    set_mode(var, VAR_DIR_MODE)
    for path in sqlite_files():
        make_private(path)
    make_private(var / "secret_key")
    make_private(var / "backups")
    make_private(var / "mail")  # emails written to files when no SMTP server is set
    make_private(Path(settings.MEDIA_ROOT))
    cache = cache_folder()
    if cache is not None:
        make_private(cache)
