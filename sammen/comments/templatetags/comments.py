from django import template

from sammen.comments.permissions import DiscussionAccess

register = template.Library()


@register.simple_tag
def discussion_url(discussion: DiscussionAccess, name: str, comment_id: int) -> str:
    """Return where one of a comment's actions goes: "edit", "delete", "helpful", "report"."""
    return discussion.urls.for_comment(name, comment_id)
