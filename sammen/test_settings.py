"""Settings for the test suite: the real settings, with fast hashing and tasks run at once."""

import os

os.environ.setdefault("SAMMEN_TESTING", "1")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from sammen.settings import *  # noqa: F403
from sammen.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "sammen.activities.tests.sample_kind"]
# Argon2 is what production uses (tested in core); tests hash thousands of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: tests then meet SQLite as it runs in production (WAL, the busy
    # timeout, one writer at a time), which concurrency tests rely on.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }
