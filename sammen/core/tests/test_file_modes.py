"""What Sammen writes to disk is its own user's: files 0600 in 0700 folders.

The database holds sessions, password hashes and TOTP secrets, and backups hold the
database. Each command runs in its own process with the usual umask (022), as an
operator would run it.
"""

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings

from .test_commands import free_port, wait_for
from .test_security import ROOT, clean_env, run_sammen

# Processes of their own on SQLite in a temporary folder: the same on every database.
pytestmark = pytest.mark.own_sqlite


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def database_files(var: Path) -> list[Path]:
    files = [var / name for name in ["sammen.sqlite3", "sammen.sqlite3-wal", "sammen.sqlite3-shm"]]
    assert files[0].is_file()
    return [path for path in files if path.exists()]


def assert_private(var: Path) -> None:
    assert mode(var) == 0o711, oct(mode(var))
    for path in [*database_files(var), var / "secret_key"]:
        assert mode(path) == 0o600, (path, oct(mode(path)))
    for folder in ["backups", "media", "cache", "mail"]:
        for root, folders, files in os.walk(var / folder):
            assert mode(Path(root)) == 0o700, (root, oct(mode(Path(root))))
            for name in files:
                assert mode(Path(root) / name) == 0o600, (root, name)
            del folders  # os.walk visits them as roots


def make_world_readable(var: Path) -> None:
    """Do what Sammen did before: 0644 files in 0755 folders."""
    for root, folders, files in os.walk(var):
        Path(root).chmod(0o755)
        for name in files:
            (Path(root) / name).chmod(0o644)
        del folders


def test_migrate_creates_a_private_database_and_mends_an_older_installation(tmp_path: Path):
    old_umask = os.umask(0o022)
    try:
        var = tmp_path / "var"
        env = clean_env(str(var))
        assert run_sammen("migrate", "-v0", env=env).returncode == 0
        assert_private(var)
    finally:
        os.umask(old_umask)
    (var / "media" / "avatars").mkdir(parents=True)
    (var / "media" / "avatars" / "a.webp").write_bytes(b"a")
    (var / "backups").mkdir()
    (var / "backups" / "sammen-old.tar.gz").write_bytes(b"old")
    make_world_readable(var)
    assert run_sammen("migrate", "-v0", env=env).returncode == 0
    assert_private(var)


def test_backups_and_what_they_restore_are_private(tmp_path: Path):
    old_umask = os.umask(0o022)
    try:
        var = tmp_path / "var"
        env = clean_env(str(var))
        assert run_sammen("migrate", "-v0", env=env).returncode == 0
        media = var / "media" / "avatars"
        media.mkdir(parents=True)
        (media / "kept.webp").write_bytes(b"kept")
        make_world_readable(var)

        backup = run_sammen("backup", env=env)
        assert backup.returncode == 0, backup.stderr
        archive = Path(backup.stdout.strip())
        assert archive.parent == var / "backups"
        assert mode(archive) == 0o600
        assert mode(archive.parent) == 0o700
        assert_private(var)

        elsewhere = tmp_path / "offsite" / "copy.tar.gz"
        assert run_sammen("backup", "--output", str(elsewhere), env=env).returncode == 0
        assert mode(elsewhere) == 0o600

        make_world_readable(var)
        restore = run_sammen("restore", str(archive), env=env)
        assert restore.returncode == 0, restore.stderr
        assert (media / "kept.webp").read_bytes() == b"kept"
        assert_private(var)
    finally:
        os.umask(old_umask)


def test_a_running_server_keeps_its_files_private(tmp_path: Path):
    var = tmp_path / "var"
    env = clean_env(str(var))
    assert run_sammen("migrate", "-v0", env=env).returncode == 0
    make_world_readable(var)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "sammen", "serve", "--no-setup", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")  # it has used the database
        assert_private(var)
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C to the server and its workers
        server.communicate(timeout=30)
    assert server.returncode is not None


def test_uploaded_images_are_written_private(tmp_path: Path):
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        name = default_storage.save("ideas/2026/photo.webp", ContentFile(b"webp"))
        path = tmp_path / "media" / name
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700
        assert mode(path.parent.parent) == 0o700


def test_a_file_another_user_owns_is_reported_not_fatal(tmp_path: Path, caplog):
    from unittest.mock import patch

    from sammen.core.files import make_private

    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "theirs.webp").write_bytes(b"x")
    with patch.object(Path, "chmod", side_effect=PermissionError):
        make_private(tmp_path / "media")
    assert "belongs to another user" in caplog.text
