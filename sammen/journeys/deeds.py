"""What a journey rewards, registered in apps.py. Outcomes weigh far more than activity."""

from django.utils.translation import gettext_lazy as _

from sammen.recognition.registry import Deed

JOURNEY_RATED = Deed("journey_rated", _("rated a journey"), points=2)
TOUCHPOINT_ADDED = Deed(
    "touchpoint_added", _("had a missing touchpoint added to a journey"), points=10
)

JOURNEY_DEEDS = [JOURNEY_RATED, TOUCHPOINT_ADDED]
