"""When an anonymous participant turns out to be a person with an account, their part in
live sessions moves to that person (registered with accounts' participant mergers)."""

from sammen.accounts.models import Participant

from ..models import Attendee, Question, Reaction, Response, Upvote


def do_merge_live_participants(source: Participant, target: Participant) -> None:
    """Move an anonymous participant's sessions to the person's participant.

    Where both attended the same session, the questions and reactions move to the
    person's attendee, and votes and answers move unless the person already gave one.
    """
    for attendee in Attendee.objects.filter(participant=source):
        existing = Attendee.objects.filter(session=attendee.session_id, participant=target).first()
        if existing is None:
            Attendee.objects.filter(pk=attendee.pk).update(participant=target)
            continue
        Question.objects.filter(author=attendee).update(author=existing)
        Reaction.objects.filter(attendee=attendee).update(attendee=existing)
        Upvote.objects.filter(attendee=attendee).exclude(
            question__in=Upvote.objects.filter(attendee=existing).values("question")
        ).update(attendee=existing)
        Response.objects.filter(attendee=attendee).exclude(
            poll__in=Response.objects.filter(attendee=existing).values("poll")
        ).update(attendee=existing)
        attendee.delete()
