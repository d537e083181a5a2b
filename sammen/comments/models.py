from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Participant

COMMENT_MAX_LENGTH = 2000


class Thread(models.Model):
    """The discussion under something people can comment on, such as an idea.

    Its owner (the idea's author) may mark comments as helpful.
    """

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="threads")
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, related_name="threads"
    )
    owner = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")

    def __str__(self) -> str:
        return f"Thread {self.pk}"


class Comment(models.Model):
    """A comment, or a reply to one. Replies go one level deep."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    hidden_reason = models.CharField(max_length=200, blank=True)
    helpful_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="comment_not_its_own_parent"
            ),
        ]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None
