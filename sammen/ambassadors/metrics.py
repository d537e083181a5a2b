"""The figures a success measure of any activity can be counted by, from ambassadors' links."""

from django.utils.translation import gettext as _

from sammen.activities.models import Activity

from .queries import figures_of_activity


def ambassador_metrics(activity: Activity) -> dict[str, tuple[str, float]]:
    figures = figures_of_activity(activity)
    return {
        "ambassador_people": (_("People who came through an ambassador"), figures.people),
        "ambassador_sign_ups": (_("Sign-ups through ambassadors"), figures.sign_ups),
        "ambassador_contributions": (
            _("Contributions through ambassadors"),
            figures.contributions,
        ),
    }
