"""
``{% part "name" key… version=… fresh=… %}…{% endpart %}``: a block of a public
page kept on its own (:func:`npc.core.parts.part`).

The block is kept under its name, the language and the ``key`` values, and
made again only when ``version`` moves on, or, with ``fresh``, that many seconds
after it was made. A block with a version and no ``fresh`` is made again at the
latest after NPC_PUBLIC_CACHE_SECONDS, as whole kept pages are: a change that
moves no version (a liaison point renamed; a version moved in another
process's memory when no shared cache is configured) shows within that time. What it shows is therefore read only when it is made: a
view passes it as lazy values (callables, which the template calls), so that a
kept block costs no query.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.base import FilterExpression, NodeList, token_kwargs
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from npc.core.parts import Prefetched, part, prefetch

register = template.Library()
_PREFETCHED = "page_parts.prefetched"


def part_key(name: str, *key: object) -> list:
    """What ``{% part name key… %}`` is kept under, in the current language."""
    return ["page-part", name, get_language(), *key]


class PartNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        name: FilterExpression,
        key: list[FilterExpression],
        options: dict[str, FilterExpression],
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.key = key
        self.options = options

    def key_parts(self, context: template.Context) -> list:
        return part_key(
            self.name.resolve(context), *(value.resolve(context) for value in self.key)
        )

    def render(self, context: template.Context) -> str:
        key = self.key_parts(context)
        version = self.options.get("version")
        fresh = self.options.get("fresh")
        if fresh:
            fresh_for = float(fresh.resolve(context))
        elif version:
            fresh_for = settings.NPC_PUBLIC_CACHE_SECONDS or None
        else:
            fresh_for = None  # what it shows never changes (a version's text)
        return mark_safe(
            part(
                key,
                lambda: str(self.nodelist.render(context)),
                version=version.resolve(context) if version else None,
                fresh_for=fresh_for,
                prefetched=_prefetched(context),
            )
        )


def _prefetched(context: template.Context) -> Prefetched | None:
    """
    The slots of every part of the page being rendered, read in one round trip
    when its first part is rendered: a page of seven parts asks the cache once,
    not seven times. A part whose key cannot be known yet (inside a loop) is
    simply not among them, and is read on its own.
    """
    render = context.render_context
    if _PREFETCHED not in render:
        root = context.template
        if root is None:
            nodes = []
        else:  # a template's parts are found once (templates are kept loaded)
            nodes = getattr(root, "_page_parts", None)
            if nodes is None:
                nodes = root._page_parts = root.nodelist.get_nodes_by_type(PartNode)
        render[_PREFETCHED] = prefetch(node.key_parts(context) for node in nodes)
    return render[_PREFETCHED]


@register.tag("part")
def do_part(parser: template.base.Parser, token: template.base.Token) -> PartNode:
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("'part' takes a name")
    name, key = parser.compile_filter(bits[0]), []
    rest = bits[1:]
    while rest and "=" not in rest[0]:
        key.append(parser.compile_filter(rest.pop(0)))
    options = token_kwargs(rest, parser)
    if rest or set(options) - {"version", "fresh"}:
        raise template.TemplateSyntaxError(
            "'part' takes a name, key values, then version= and fresh= only"
        )
    nodelist = parser.parse(("endpart",))
    parser.delete_first_token()
    return PartNode(nodelist, name, key, options)
