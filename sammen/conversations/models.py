from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Participant
from sammen.activities.models import Activity

STATEMENT_MAX_LENGTH = 140
# Statements imported from Pol.is may be longer: Pol.is allowed more than 140 characters.
STORED_STATEMENT_MAX_LENGTH = 1000
DESCRIPTION_MAX_LENGTH = 3000
HIDDEN_REASON_MAX_LENGTH = 200


class Participation(models.TextChoices):
    ANYONE = "anyone", _("Anyone, without an account")
    VERIFIED_EMAIL = "verified_email", _("Anyone with a verified email address")
    ACCOUNT = "account", _("Only people signed in with an account")


class Moderation(models.TextChoices):
    BEFORE = "before", _("Approve each new statement before others see it")
    AFTER = "after", _("Show new statements at once, and hide them afterwards if needed")


class Conversation(models.Model):
    """A conversation: participants vote on short statements and add their own."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="conversation"
    )
    description = models.TextField(_("what you ask"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    participation = models.CharField(
        _("who may take part"),
        max_length=20,
        choices=Participation.choices,
        default=Participation.ANYONE,
    )
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.BEFORE
    )
    participants_add_statements = models.BooleanField(
        _("participants may add statements"), default=True
    )
    report_public = models.BooleanField(_("the report is public"), default=False)
    # When organisers last changed which statements count (moderation, meta): the map
    # is out of date when this, or a vote, is newer than what it was computed from.
    statements_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=Q(participation__in=Participation.values),
                name="conversation_participation_valid",
            ),
            models.CheckConstraint(
                condition=Q(moderation__in=Moderation.values),
                name="conversation_moderation_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.activity)

    @property
    def accepts_votes(self) -> bool:
        return self.activity.is_open

    @property
    def accepts_statements(self) -> bool:
        return self.activity.is_open and self.participants_add_statements


class StatementState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    SHOWN = "shown", _("Shown")
    HIDDEN = "hidden", _("Hidden")


class Statement(models.Model):
    """One short statement to agree or disagree with: a seed, or a participant's own."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    # Numbered within the conversation, like Pol.is's comment ids (kept on import).
    number = models.PositiveIntegerField()
    text = models.CharField(_("statement"), max_length=STORED_STATEMENT_MAX_LENGTH)
    author = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
    )
    is_seed = models.BooleanField(_("seed statement"), default=False)
    is_meta = models.BooleanField(
        _("about the process"),
        default=False,
        help_text=_("Meta statements are voted on but left out of the opinion groups."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=StatementState.choices, default=StatementState.SHOWN
    )
    # Pol.is's weight for showing it next, written by each recompute of the map;
    # None until the first recompute after the statement arrived.
    priority = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    hidden_reason = models.CharField(max_length=HIDDEN_REASON_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="statement_number_once"
            ),
            models.CheckConstraint(
                condition=Q(state__in=StatementState.values), name="statement_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["conversation", "state"], name="statement_by_state")]

    def __str__(self) -> str:
        return self.text

    @property
    def is_shown(self) -> bool:
        return self.state == StatementState.SHOWN

    @property
    def is_pending(self) -> bool:
        return self.state == StatementState.PENDING

    @property
    def is_hidden(self) -> bool:
        return self.state == StatementState.HIDDEN


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass")


class Vote(models.Model):
    """One participant's latest vote on one statement. Voting again changes it."""

    # The statement's conversation, kept here so a map loads all its votes from one index.
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="conversation_votes"
    )
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["statement", "participant"], name="vote_once"),
            models.CheckConstraint(
                condition=Q(value__in=VoteValue.values), name="vote_value_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["conversation", "updated_at"], name="vote_latest"),
            models.Index(fields=["participant", "conversation"], name="vote_by_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.statement_id}: {self.value}"


class Voter(models.Model):
    """A participant's place in one conversation: their number there, and when they came."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="voters")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="conversation_voters"
    )
    # Numbered within the conversation, like Pol.is's participant ids (kept on import),
    # so exports never show who someone is.
    number = models.PositiveIntegerField()
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "participant"], name="voter_once_per_conversation"
            ),
            models.UniqueConstraint(fields=["conversation", "number"], name="voter_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.number}"


STORED_MAP_FORMAT = 1


class StoredMap(models.Model):
    """The latest opinion map of a conversation, as the background recompute left it.

    `summary` holds what every page shows (groups, representative and consensus
    statements, participation per day), small whatever the number of people;
    `figures` the votes per statement and group, which only the report reads;
    `state` the analysis's MapState for the next warm start;
    `placement` a slim MapState that places one participant in a request; and
    `participants` every participant's position and group (NumPy .npz, no pickle).
    """

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, primary_key=True, related_name="stored_map"
    )
    format = models.PositiveSmallIntegerField(default=STORED_MAP_FORMAT)
    revision = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()
    inputs_until = models.DateTimeField(null=True, blank=True)
    ready = models.BooleanField(default=False)
    reason = models.CharField(max_length=200, blank=True)
    participant_count = models.PositiveIntegerField(default=0)
    grouped_count = models.PositiveIntegerField(default=0)
    vote_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    summary = models.JSONField(default=dict)
    figures = models.JSONField(default=dict)
    state = models.BinaryField(blank=True, default=b"")
    placement = models.BinaryField(blank=True, default=b"")
    participants = models.BinaryField(blank=True, default=b"")

    class Meta:
        verbose_name = _("opinion map")
        verbose_name_plural = _("opinion maps")

    def __str__(self) -> str:
        return f"Map of {self.conversation_id} (revision {self.revision})"
