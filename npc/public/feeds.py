"""
Atom feeds of bills' public events: one for all bills, one per bill.

Only public events of published bills; the arrival of an unpublished draft and
internal bookkeeping never appear (see ``legislation.selectors.public_events``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from legislation import selectors
from legislation.models import Bill, BillEvent
from npc.public.templatetags.public_site import event_heading

FEED_LENGTH = 50


class AllEventsFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("%(city)s地方立法进程动态") % {"city": settings.NPC_CITY_NAME}

    def subtitle(self) -> str:
        return _("法规案的审议、表决、批准、公布、施行和征求意见等进程事项。")

    def link(self) -> str:
        return reverse("public:bill-list")

    def items(self) -> list[BillEvent]:
        return list(selectors.public_events(limit=FEED_LENGTH))

    def item_title(self, item: BillEvent) -> str:
        return f"{item.bill.title}：{event_heading(item)}"

    def item_description(self, item: BillEvent) -> str:
        parts = [date_format(item.on)]
        if item.meeting:
            parts.append(item.meeting.short_name)
        if item.note:
            parts.append(item.note)
        return " · ".join(parts)

    def item_link(self, item: BillEvent) -> str:
        return f"{reverse('public:bill-detail', kwargs={'slug': item.bill.slug})}#event-{item.pk}"

    def item_guid(self, item: BillEvent) -> str:
        return f"{settings.SITE_URL.rstrip('/')}/events/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: BillEvent) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(item.on, dt.time(9)))

    def item_updateddate(self, item: BillEvent) -> dt.datetime:
        return item.recorded_at


class BillEventsFeed(AllEventsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Bill:
        return get_object_or_404(selectors.public_bill_list(), slug=slug)

    def title(self, obj: Bill) -> str:  # type: ignore[override]
        return _("%(title)s：进程动态") % {"title": obj.title}

    def link(self, obj: Bill) -> str:  # type: ignore[override]
        return reverse("public:bill-detail", kwargs={"slug": obj.slug})

    def items(self, obj: Bill) -> list[BillEvent]:  # type: ignore[override]
        events = list(selectors.public_events(bill=obj, limit=FEED_LENGTH))
        for event in events:
            event.bill = obj
        return events
