from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sammen.demo.data import DEMO_PASSWORD, PEOPLE, load_demo
from sammen.demo.models import DemoAccount


class Command(BaseCommand):
    help = "Load the demo spaces and accounts (run `make demo` to start over)."

    def handle(self, *args: Any, **options: Any) -> None:
        if DemoAccount.objects.exists():
            raise CommandError("The demo data is already loaded. `make demo` starts over.")
        load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in with:"))
        for person in PEOPLE:
            if person.listed:
                self.stdout.write(f"  {person.email}  (password: {DEMO_PASSWORD})")
