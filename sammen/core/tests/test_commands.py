"""The operator's commands, run as a person would run them: in their own processes."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from .test_security import ROOT, clean_env, run_sammen

# Processes of their own on SQLite in a temporary folder: the same on every database.
pytestmark = pytest.mark.own_sqlite

LIST_USERS = (
    "from sammen.accounts.models import User; "
    "print(','.join(sorted(User.objects.values_list('email', flat=True))))"
)


def create_user(email: str, env: dict[str, str]) -> None:
    result = run_sammen(
        "shell",
        "-v",
        "0",
        "-c",
        "from sammen.accounts.actions import do_create_account; "
        f"do_create_account('{email}', 'a long password', 'Someone')",
        env=env,
    )
    assert result.returncode == 0, result.stderr


def test_a_backup_restores_the_data_as_it_was(tmp_path: Path):
    env = clean_env(str(tmp_path / "var"))
    assert run_sammen("migrate", "-v0", env=env).returncode == 0
    create_user("kept@example.org", env)
    media = tmp_path / "var" / "media" / "avatars"
    media.mkdir(parents=True)
    (media / "kept.webp").write_bytes(b"kept")

    backup = run_sammen("backup", env=env)
    assert backup.returncode == 0, backup.stderr
    archive = Path(backup.stdout.strip())
    assert archive.is_file()

    create_user("later@example.org", env)
    (media / "kept.webp").unlink()
    assert run_sammen("shell", "-v", "0", "-c", LIST_USERS, env=env).stdout.strip() == (
        "kept@example.org,later@example.org"
    )

    restore = run_sammen("restore", str(archive), env=env)
    assert restore.returncode == 0, restore.stderr
    assert (
        run_sammen("shell", "-v", "0", "-c", LIST_USERS, env=env).stdout.strip()
        == "kept@example.org"
    )
    assert (media / "kept.webp").read_bytes() == b"kept"


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path):
    env = clean_env(str(tmp_path / "var"))
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_text("not an archive")
    result = run_sammen("restore", str(bogus), env=env)
    assert result.returncode != 0
    assert "not a Sammen backup" in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float = 180) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                return str(response.read().decode())
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds} s")


class Terminal:
    """`sammen serve --demo` in its own process, with the lines it printed so far."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "sammen", "serve", "--demo", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def stop(self) -> None:
        """Send Ctrl-C to the whole process group, as a terminal does."""
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=30)
        self.reader.join(5)


def test_serve_prepares_an_empty_database_serves_and_runs_tasks(tmp_path: Path):
    env = clean_env(str(tmp_path / "var"))
    port = free_port()
    server = Terminal(env, port)
    try:
        page = wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        assert "owner@demo.example" in page
        assert "Stadsmuseum Zuiderlicht" in wait_for(f"http://127.0.0.1:{port}/spaces/")
        enqueue = run_sammen(
            "shell",
            "-v",
            "0",
            "-c",
            "from sammen.core.tasks import send_email; "
            "print(send_email.enqueue(subject='Hi', body='Hello', from_email='a@example.org', "
            "to=['b@example.org']).id)",
            env=env,
        )
        task_id = enqueue.stdout.strip()
        status = ""
        for _attempt in range(60):
            status = run_sammen(
                "shell",
                "-v",
                "0",
                "-c",
                "from django_tasks_db.models import DBTaskResult; "
                f"print(DBTaskResult.objects.get(id='{task_id}').status)",
                env=env,
            ).stdout.strip()
            if status == "SUCCESSFUL":
                break
            time.sleep(0.5)
        assert status == "SUCCESSFUL"
        time.sleep(1)  # anything the server and the worker would still print
        on_screen = list(server.lines)
    finally:
        server.stop()
    assert server.process.returncode is not None
    # The address and the demo accounts are the last lines, after the pages and the task.
    assert on_screen[-1].endswith(f"Sammen is at http://127.0.0.1:{port}/  (Ctrl-C stops it)")
    assert on_screen[-5] == "Sign in with a demo account (password: sammen-demo):"
    assert on_screen[-4].startswith("  owner@demo.example  ")
    assert (
        on_screen[-6]
        == f"Emails are written to files in {tmp_path}/var/mail/ (no SMTP server is set)."
    )
    assert len(on_screen) < 15, on_screen  # no emails, requests or tasks on the screen
    # The email went to a file that only Sammen's user can read, in a folder likewise.
    mail = tmp_path / "var" / "mail"
    assert (mail.stat().st_mode & 0o777) == 0o700
    sent = [path for path in mail.iterdir() if "Subject: Hi" in path.read_text()]
    assert len(sent) == 1
    assert (sent[0].stat().st_mode & 0o777) == 0o600

    users_before = run_sammen("shell", "-v", "0", "-c", LIST_USERS, env=env).stdout
    second = Terminal(env, port)
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        time.sleep(1)
        on_screen = list(second.lines)
    finally:
        second.stop()
    # Started again, it shows the demo accounts again, without loading anything.
    assert on_screen[-1].endswith("(Ctrl-C stops it)")
    assert "  member@demo.example     Member of both spaces: takes part" in on_screen
    assert not any(line.startswith("The database is empty") for line in on_screen)
    assert run_sammen("shell", "-v", "0", "-c", LIST_USERS, env=env).stdout == users_before
