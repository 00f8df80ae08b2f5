"""The language switch's links: the page's own address in the other language."""

from django import template

from npc.public.middleware import LANGUAGE_PARAMETER, language_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url_for(context: template.Context, language: str) -> str:
    """Return the address of the current page in ``language`` (see the middleware)."""
    request = context.get("request")
    if request is None:  # rendered outside a request: the switch's query only
        return f"?{LANGUAGE_PARAMETER}={language}"
    return language_url(request, language)
