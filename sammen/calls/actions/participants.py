"""When an anonymous participant turns out to be a person with an account, their part in
open calls moves to that person (registered with accounts' participant mergers)."""

from django.db.models import Count

from sammen.accounts.models import Participant

from ..caching import list_changed
from ..models import CoAuthor, Idea, Support, trending_score


def do_merge_call_participants(source: Participant, target: Participant) -> None:
    """Move an anonymous participant's supports and ideas to the person's participant."""
    already = set(Support.objects.filter(participant=target).values_list("idea_id", flat=True))
    touched = set(Support.objects.filter(participant=source).values_list("idea_id", flat=True))
    Support.objects.filter(participant=source).exclude(idea_id__in=already).update(
        participant=target
    )
    Support.objects.filter(participant=source).delete()
    authored = set(Idea.objects.filter(author=source).values_list("call_id", flat=True))
    Idea.objects.filter(author=source).update(author=target)
    CoAuthor.objects.filter(participant=source).exclude(
        idea__in=CoAuthor.objects.filter(participant=target).values("idea")
    ).update(participant=target)
    for idea in Idea.objects.filter(pk__in=touched).annotate(counted=Count("supports")):
        idea.support_count = idea.counted
        idea.trending = trending_score(idea.counted, idea.created_at)
        idea.save(update_fields=["support_count", "trending"])
    supported = set(Idea.objects.filter(pk__in=touched).values_list("call_id", flat=True))
    for call_id in authored | supported:
        list_changed(call_id)
