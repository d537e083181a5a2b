"""Serve Sammen: prepare the database, then run the web server and the task worker together."""

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from sammen.core.files import keep_new_files_private, secure_var_dir


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
        if not options["no_setup"]:
            self.prepare(load_demo=options["demo"])
        # What the server and the task worker write (database, cache, uploads, demo
        # emails) is for Sammen's user only; older installations are mended too.
        secure_var_dir()
        keep_new_files_private()
        # Links in emails sent by the task worker point here unless SITE_URL says otherwise.
        os.environ.setdefault("SITE_URL", f"http://{options['host']}:{options['port']}")
        commands = [
            [
                sys.executable,
                "-m",
                "uvicorn",
                "sammen.asgi:application",
                "--host",
                options["host"],
                "--port",
                str(options["port"]),
                "--workers",
                str(options["workers"]),
                "--no-server-header",
                "--proxy-headers",
            ]
        ]
        if not options["no_task_worker"]:
            commands.append([sys.executable, "-m", "sammen", "db_worker", "--interval", "0.5"])
        self.stdout.write(
            self.style.SUCCESS(f"Sammen is at http://{options['host']}:{options['port']}/")
            + "  (Ctrl-C stops it)"
        )
        sys.exit(self.supervise(commands))

    def prepare(self, *, load_demo: bool) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("schedule_jobs", verbosity=0)
        if not settings.DEBUG:
            # Before the umask below: nginx, as another user, may serve var/static.
            call_command("collectstatic", interactive=False, verbosity=0)
        keep_new_files_private()
        if load_demo and not get_user_model().objects.exists():
            self.stdout.write("The database is empty: loading the demo data.")
            call_command("load_demo", verbosity=1)

    def supervise(self, commands: list[list[str]]) -> int:
        """Run the commands until one ends or we are told to stop; then stop them all."""
        processes = [subprocess.Popen(command, env=os.environ) for command in commands]  # noqa: S603
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for process in processes:
                code = process.poll()
                if code is not None:
                    exit_code = code
                    stopping = True
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
