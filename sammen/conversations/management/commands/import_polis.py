"""Import a Pol.is open-data export as a new conversation in a space."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.core.errors import ActionRefused
from sammen.spaces.models import Membership, Role, Space

from ...actions import do_recompute_opinion_map
from ...importing import do_import_polis
from ...polis import PolisFormatError, read_conversation


class Command(BaseCommand):
    help = (
        "Import a Pol.is open-data folder (comments.csv, votes.csv or participants-votes.csv, "
        "summary.csv) as a new draft conversation in a space, and compute its opinion map. "
        "A malformed file imports nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="The folder of the Pol.is export.")
        parser.add_argument("--space", required=True, help="The web address (slug) of the space.")
        parser.add_argument("--title", default="", help="The title (default: the Pol.is topic).")
        parser.add_argument(
            "--by",
            default="",
            help="Email of the owner or moderator who imports (default: the space's first owner).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        space = Space.objects.filter(slug=options["space"]).first()
        if space is None:
            raise CommandError(_("There is no space “%(slug)s”.") % {"slug": options["space"]})
        actor = self.actor(space, options["by"])
        try:
            data = read_conversation(options["directory"])
        except PolisFormatError as error:
            raise CommandError(
                _("The Pol.is export cannot be read, so nothing was imported: %(problem)s")
                % {"problem": error.describe(_)}
            ) from None
        try:
            conversation = do_import_polis(actor, space, data, title=options["title"])
        except ActionRefused as refusal:
            raise CommandError(
                _("The Pol.is export cannot be imported, so nothing was: %(problem)s")
                % {"problem": refusal.message}
            ) from None
        stored = do_recompute_opinion_map(conversation)
        activity = conversation.activity
        if options["verbosity"] > 0:
            self.stdout.write(
                _(
                    "Imported “%(title)s”: %(statements)s statements, %(participants)s "
                    "participants, %(votes)s votes, %(groups)s opinion groups. It is a draft "
                    "at %(url)s: write its brief before you open it."
                )
                % {
                    "title": activity.title,
                    "statements": conversation.statements.count(),
                    "participants": conversation.voters.count(),
                    "votes": conversation.votes.count(),
                    "groups": len(stored.summary.get("groups", [])) if stored else 0,
                    "url": activity.get_absolute_url(),
                }
            )

    def actor(self, space: Space, email: str) -> User:
        organisers = Membership.objects.filter(
            space=space, role__in=[Role.OWNER, Role.MODERATOR]
        ).select_related("user")
        if email:
            membership = organisers.filter(user__email__iexact=email).first()
            if membership is None:
                raise CommandError(
                    _("%(email)s is not an owner or moderator of this space.") % {"email": email}
                )
            return membership.user
        owner = organisers.filter(role=Role.OWNER).order_by("pk").first()
        if owner is None:
            raise CommandError(_("The space has no owner to import in the name of."))
        return owner.user
