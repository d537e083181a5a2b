from typing import Any

from django.core.management.base import BaseCommand

from sammen.demo.data import DEMO_PASSWORD
from sammen.demo.models import DemoAccount


class Command(BaseCommand):
    help = "List the demo accounts to sign in with, while the demo data is loaded."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = list(DemoAccount.objects.select_related("user"))
        if not accounts:
            return
        self.stdout.write(f"Sign in with a demo account (password: {DEMO_PASSWORD}):")
        width = max(len(account.user.email) for account in accounts)
        for account in accounts:
            self.stdout.write(f"  {account.user.email:<{width}}  {account.role_description}")
