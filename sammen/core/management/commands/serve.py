"""Serve Sammen: prepare the database, then run the web server and the task worker together."""

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from sammen.core.files import keep_new_files_private, secure_var_dir

# Seconds a web worker may take to answer uvicorn's health check before it is restarted.
WORKER_HEALTHCHECK_SECONDS = 30


class Command(BaseCommand):
    help = "Migrate, load the demo data into an empty database, and serve with a task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="ASGI worker processes.")
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="Do not start a task worker (when workers run elsewhere).",
        )
        parser.add_argument(
            "--no-setup",
            action="store_true",
            help="Skip migrate, schedule_jobs, collectstatic and the demo data.",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Load the demo data when the database is empty (what `make run` does).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port, quiet = options["host"], options["port"], options["demo"]
        if not options["no_setup"]:
            self.prepare(load_demo=options["demo"])
        # What the server and the task worker write (database, cache, uploads, demo
        # emails) is for Sammen's user only; older installations are mended too.
        secure_var_dir()
        keep_new_files_private()
        # Links in emails sent by the task worker point here unless SITE_URL says otherwise.
        os.environ.setdefault("SITE_URL", f"http://{host}:{port}")
        server = [
            sys.executable,
            "-m",
            "uvicorn",
            "sammen.asgi:application",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(options["workers"]),
            "--no-server-header",
            "--proxy-headers",
            # With several workers, uvicorn's parent restarts one that does not answer its
            # health check in time (5 s by default). A worker busy with a crowd (a question
            # storm on two cores) missed it and was killed with every stream it held, which
            # sent them all back at once: restart only one that is truly stuck.
            "--timeout-worker-healthcheck",
            str(WORKER_HEALTHCHECK_SECONDS),
        ]
        # `make run` keeps the terminal for the address and the demo accounts: no line
        # per request or per task, only warnings and errors.
        if quiet:
            server += ["--log-level", "warning"]
        commands = [server]
        if not options["no_task_worker"]:
            worker = "task_worker" if quiet else "db_worker"
            commands.append([sys.executable, "-m", "sammen", worker, "--interval", "0.5"])
        stopping = self.stop_on_signals()
        processes = [subprocess.Popen(command, env=os.environ) for command in commands]  # noqa: S603
        if self.wait_until_listening(host, port, processes, stopping):
            self.stdout.write(self.welcome(host, port))
        sys.exit(self.supervise(processes, stopping))

    def prepare(self, *, load_demo: bool) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("schedule_jobs", verbosity=0)
        if not settings.DEBUG:
            # Before the umask below: nginx, as another user, may serve var/static.
            call_command("collectstatic", interactive=False, verbosity=0)
        keep_new_files_private()
        if load_demo and not get_user_model().objects.exists():
            self.stdout.write("The database is empty: loading the demo data (a minute or so).")
            call_command("load_demo", verbosity=0, stdout=io.StringIO())  # welcome() lists them

    def welcome(self, host: str, port: int) -> str:
        """Return what is printed once the server listens: the last lines on the screen."""
        lines = [""]
        if settings.EMAIL_BACKEND == "sammen.core.mail.PrivateFileEmailBackend":
            folder = os.path.relpath(settings.EMAIL_FILE_PATH)
            if folder.startswith(".."):
                folder = settings.EMAIL_FILE_PATH
            lines.append(f"Emails are written to files in {folder}/ (no SMTP server is set).")
        accounts = io.StringIO()
        call_command("demo_accounts", stdout=accounts)
        lines += accounts.getvalue().splitlines()
        lines.append(
            self.style.SUCCESS(f"Sammen is at http://{host}:{port}/") + "  (Ctrl-C stops it)"
        )
        return "\n".join(lines)

    def stop_on_signals(self) -> threading.Event:
        """Return an event that SIGINT and SIGTERM set."""
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        return stopping

    def wait_until_listening(
        self,
        host: str,
        port: int,
        processes: list[subprocess.Popen[bytes]],
        stopping: threading.Event,
        timeout: float = 60,
    ) -> bool:
        """Wait until the web server takes connections; False if it ended or we must stop."""
        # A server listening on every address is reached on the loopback one.
        everywhere = {"0.0.0.0": "127.0.0.1", "::": "::1", "[::]": "::1"}  # noqa: S104
        probe = everywhere.get(host, host.strip("[]"))
        deadline = time.monotonic() + timeout
        while not stopping.is_set() and time.monotonic() < deadline:
            if any(process.poll() is not None for process in processes):
                return False
            try:
                with socket.create_connection((probe, port), timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.1)
        return False

    def supervise(self, processes: list[subprocess.Popen[bytes]], stopping: threading.Event) -> int:
        """Run the processes until one ends or we are told to stop; then stop them all."""
        exit_code = 0
        while not stopping.is_set():
            for process in processes:
                code = process.poll()
                if code is not None:
                    exit_code = code
                    stopping.set()
            time.sleep(0.2)
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        return exit_code
