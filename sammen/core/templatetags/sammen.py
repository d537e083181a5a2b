from django import template
from django.utils.safestring import SafeString

from sammen.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render text people wrote in Sammen's safe Markdown subset."""
    return render_markdown(text or "")
