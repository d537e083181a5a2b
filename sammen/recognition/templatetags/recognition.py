from typing import Any

from django import template
from django.template.context import Context
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from sammen.accounts.models import Participant
from sammen.activities.models import Activity
from sammen.spaces.models import Space

from ..permissions import has_public_profile
from ..queries import rewards_offered_for, thanked_lately
from ..registry import ProfileSection

register = template.Library()


@register.simple_tag
def person_link(participant: Participant | None) -> SafeString:
    """Render the name others see, linked to the person's profile when they have one."""
    if participant is None:
        return SafeString("")
    if not has_public_profile(participant):
        return conditional_escape(participant.public_name)
    url = reverse("recognition:profile", args=[participant.public_id])
    return format_html('<a href="{}">{}</a>', url, participant.public_name)


@register.inclusion_tag("recognition/_thanked_lately.html")
def thanked_lately_in(space: Space) -> dict[str, Any]:
    return {"badges": thanked_lately(space), "space": space}


@register.inclusion_tag("recognition/_rewards_offered.html")
def rewards_offered(activity: Activity) -> dict[str, Any]:
    """Show participants what the organiser gives for this activity and for the whole space."""
    return {"rewards": rewards_offered_for(activity), "space": activity.space}


@register.simple_tag(takes_context=True)
def profile_section(context: Context, section: ProfileSection) -> SafeString:
    """Render a kind's part of a profile within the page's context, plus what it brought."""
    assert context.template is not None
    fragment = context.template.engine.get_template(section.template)
    with context.push(**section.context):
        return fragment.render(context)
