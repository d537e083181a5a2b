"""The operator's commands, run as a person would run them: in their own processes."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .test_security import ROOT, clean_env, run_sammen

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


def wait_for(url: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                return str(response.read().decode())
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "sammen", "serve", "--demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def stop_server(server: subprocess.Popen[str]) -> str:
    """Send Ctrl-C to the whole process group, as a terminal does."""
    os.killpg(server.pid, signal.SIGINT)
    output, _ = server.communicate(timeout=30)
    return output


def test_serve_prepares_an_empty_database_serves_and_runs_tasks(tmp_path: Path):
    env = clean_env(str(tmp_path / "var"))
    port = free_port()
    server = start_server(env, port)
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
    finally:
        output = stop_server(server)
    assert server.returncode is not None
    assert "Subject: Hi" in output  # the worker beside the server sent it to the console

    users_before = run_sammen("shell", "-v", "0", "-c", LIST_USERS, env=env).stdout
    second = start_server(env, port)
    try:
        wait_for(f"http://127.0.0.1:{port}/")
    finally:
        stop_server(second)
    assert run_sammen("shell", "-v", "0", "-c", LIST_USERS, env=env).stdout == users_before
