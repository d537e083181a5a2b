"""Emails kept in files when no SMTP server is set (`make run` on a laptop)."""

import os
from typing import Any

from django.conf import settings
from django.core.mail.backends import filebased


class PrivateFileEmailBackend(filebased.EmailBackend):
    """Write emails to files in EMAIL_FILE_PATH that only Sammen's user may read.

    They hold sign-in, verification and password-reset links, so the folder is 0700
    and each file 0600 whatever the umask.
    """

    def __init__(self, *args: Any, file_path: str | None = None, **kwargs: Any) -> None:
        os.makedirs(file_path or settings.EMAIL_FILE_PATH, mode=0o700, exist_ok=True)
        super().__init__(*args, file_path=file_path, **kwargs)

    def open(self) -> bool:
        if self.stream is None:
            descriptor = os.open(
                self._get_filename(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600
            )
            self.stream = os.fdopen(descriptor, "ab")
            return True
        return False
