"""The one-time link that proves a visitor owns an email address, for every kind.

A kind declares one `EmailLinkPurpose` per flow (supporting an idea, taking part in a
conversation): the salt that keeps its links apart from every other purpose's, the
bucket of its rate limits, the page the link opens, and the email's subject and
template. `send_email_link()` counts the attempt, signs the address (and the ids the
flow needs) and enqueues the email; `read_email_link()` gives them back from the
link, or refuses a link that is forged, expired or meant for another purpose.

The page the link opens confirms on a click (a POST), never on the visit, so mail
scanners that open links act for no one; `do_verify_participant_email()` then records
the address.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from sammen.core.errors import ActionRefused
from sammen.core.ratelimit import allow, client_ip
from sammen.core.tasks import send_email

LINK_MAX_AGE = 3 * 24 * 3600
LINKS_PER_IP_PER_HOUR = 10
LINKS_PER_ADDRESS_PER_HOUR = 3
EMAIL_MAX_LENGTH = 254
# The key of the address in a signed link; the flow's own ids sit beside it.
EMAIL_KEY = "e"


@dataclass(frozen=True)
class EmailLinkPurpose:
    """One flow that sends a one-time link: what keeps it apart and what its email says.

    `bucket` names the rate limits, `<bucket>-from:<network>` and `<bucket>-to:<email>`,
    one pair per kind and purpose. `url_name` is the page the link opens; its last
    argument is the token. `payload_keys` are the ids the link carries beside the
    address (say the idea's, "i"), each a whole number.
    """

    salt: str
    bucket: str
    url_name: str
    subject: str | Promise
    template: str
    payload_keys: tuple[str, ...] = ()
    max_age: int = LINK_MAX_AGE
    per_ip_per_hour: int = LINKS_PER_IP_PER_HOUR
    per_address_per_hour: int = LINKS_PER_ADDRESS_PER_HOUR


@dataclass(frozen=True)
class OpenedLink:
    """What a valid link says: the address it was sent to, and the ids of its flow."""

    email: str
    payload: dict[str, int] = field(default_factory=dict)


def send_email_link(
    request: HttpRequest,
    purpose: EmailLinkPurpose,
    email: str,
    *,
    url_args: tuple[object, ...] = (),
    payload: Mapping[str, int] | None = None,
    context: Mapping[str, Any] | None = None,
) -> str:
    """Email `email` the one-time link of `purpose`; return the address it went to.

    Count one link from the visitor's network and one to the address first: past
    either limit, refuse with a message for the email field and send nothing. The
    address is lowercased; the template gets `context` and the absolute `link`, and is
    rendered in the request's language.
    """
    ids = dict(payload or {})
    if sorted(ids) != sorted(purpose.payload_keys):
        raise ValueError(f"{purpose.url_name} links carry {purpose.payload_keys}, not {ids}")
    email = normalised_email(email)
    if not allow(
        f"{purpose.bucket}-from:{client_ip(request)}", purpose.per_ip_per_hour, 3600
    ) or not allow(f"{purpose.bucket}-to:{email}", purpose.per_address_per_hour, 3600):
        raise ActionRefused(
            _("We sent several links already. Check your inbox, or try later."), field="email"
        )
    token = signing.dumps({EMAIL_KEY: email, **ids}, salt=purpose.salt)
    link = request.build_absolute_uri(reverse(purpose.url_name, args=[*url_args, token]))
    send_email.enqueue(
        str(purpose.subject),
        render_to_string(purpose.template, {**(context or {}), "link": link}, request=request),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    return email


def read_email_link(purpose: EmailLinkPurpose, token: str) -> OpenedLink:
    """Return the address and ids a link of `purpose` carries.

    Refuse, with one message for all, a token that is forged, expired, signed for
    another purpose, or does not hold what this purpose's links hold.
    """
    try:
        data = signing.loads(token, salt=purpose.salt, max_age=purpose.max_age)
    except (signing.BadSignature, ValueError, TypeError):
        raise invalid_link() from None
    if not isinstance(data, dict) or set(data) != {EMAIL_KEY, *purpose.payload_keys}:
        raise invalid_link()
    email = data[EMAIL_KEY]
    ids = {key: data[key] for key in purpose.payload_keys}
    if not isinstance(email, str) or not all(is_id(value) for value in ids.values()):
        raise invalid_link()
    try:
        email = normalised_email(email)
    except ActionRefused:
        raise invalid_link() from None
    return OpenedLink(email=email, payload=ids)


def normalised_email(email: str) -> str:
    """Return the address lowercased, or refuse one that is not an address (or too long to
    keep: `ParticipantEmail.email` holds 254 characters)."""
    email = email.strip().lower()
    validator = EmailValidator()
    try:
        validator(email)
    except ValidationError:
        pass
    else:
        if len(email) <= EMAIL_MAX_LENGTH:
            return email
    # Django's own words, in Django's catalogues
    raise ActionRefused(str(validator.message), field="email")


def is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def invalid_link() -> ActionRefused:
    return ActionRefused(_("This link is not valid or has expired. Ask for a new one."))
