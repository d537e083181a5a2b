from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Send one email. Rendered in the request (in the reader's language), sent here."""
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
