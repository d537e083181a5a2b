"""The deeds of discussion, registered in apps.py; any kind with comments credits them."""

from django.utils.translation import gettext_lazy as _

from sammen.recognition.registry import Deed

COMMENTED = Deed("commented", _("commented"), points=2)
COMMENT_HELPFUL = Deed("comment_helpful", _("wrote a comment marked helpful"), points=5)
