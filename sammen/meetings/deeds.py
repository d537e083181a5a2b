"""What a meeting rewards, registered in apps.py: coming, and weeks later saying what one
applied, without which the meeting's return cannot be measured."""

from django.utils.translation import gettext_lazy as _

from sammen.recognition.registry import Deed

MEETING_ATTENDED = Deed("meeting_attended", _("came to a meeting"), points=3)
FOLLOW_UP_ANSWERED = Deed(
    "meeting_follow_up_answered", _("said what they applied after a meeting"), points=5
)

MEETING_DEEDS = [MEETING_ATTENDED, FOLLOW_UP_ANSWERED]
