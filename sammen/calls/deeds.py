"""What an open call rewards, registered in apps.py. Outcomes weigh far more than activity."""

from django.utils.translation import gettext_lazy as _

from sammen.recognition.registry import Deed

IDEA_SUBMITTED = Deed("idea_submitted", _("submitted an idea"), points=5)
SUPPORTED = Deed("supported", _("supported an idea"), points=1)
IDEA_REVIEWED = Deed("idea_reviewed", _("had an idea reach review"), points=25)
IDEA_SELECTED = Deed("idea_selected", _("had an idea selected"), points=100)
IDEA_DONE = Deed("idea_done", _("had an idea built"), points=250)

CALL_DEEDS = [IDEA_SUBMITTED, SUPPORTED, IDEA_REVIEWED, IDEA_SELECTED, IDEA_DONE]
