"""
What public pages are kept under, and the published bill they show.

A public page or public API read is kept whole for anonymous readers
(:mod:`npc.core.responsecache`) and is made of parts kept on their own
(:mod:`npc.core.parts`, the ``{% part %}`` tag), each under the versions of what
it shows. This module names those versions for the public views:

- a bill's own pages (the bill, its comments, its comparison) under the bills'
  version, that bill's counts version and today (:func:`bill_versions`), so a
  comment on one bill makes no other bill's page render again; the parts of the
  bill page under the bill's own version, its counts, or its settled version
  (its consultations and the decisions on its comments, which comments
  arriving leave as they are) (:class:`BillKeys`);
- the city-wide pages (home, /stats/) under the bills' version and the current
  period of NPC_PUBLIC_STATS_SECONDS
  (:func:`consultation.selectors.city_versions`): their figures are
  counted at most that often, however many comments arrive
  (:func:`npc.core.parts.city_figure`);
- each comment of the comments page's list under what it shows, with the
  duplicates folded under it (:func:`comment_items`), and the newest page of
  the list, and the bill's outcome figures, with the comments that arrived
  since they were made (:func:`newest_comments`, :func:`outcome_statuses`);
- a bill page and its comments page as a shell: the page kept but for what
  comments arriving change, which is drawn at each request (:func:`holed`,
  :class:`KeptShell`).

All versions live in the cache: a kept page is answered without a query.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from consultation import arrivals, counters
from consultation import selectors as consultations
from legislation import selectors as bills
from legislation import services as legislation_services
from legislation.models import Bill, DraftVersion
from npc.core import cache as cache_reads
from npc.core import replica, snapshots
from npc.core.parts import city_figure, each, part, put, read_along
from npc.core.responsecache import is_shared

from .forms import comment_filters, comment_params, int_param
from .templatetags.page_parts import part_key

T = TypeVar("T")


def published_bill(slug: str) -> Bill:
    return get_object_or_404(bills.public_bill_list(), slug=slug)


def _bill_and_versions(slug: str) -> tuple[Bill, list[DraftVersion]]:
    """
    The published bill ``slug`` and its published versions, oldest first, in one
    query: the versions with their bill (two for a bill with none published).
    Their source text is left out: pages show the parsed structure.
    """
    versions = list(
        DraftVersion.objects.published()
        .filter(bill__slug=slug)
        .select_related("bill")
        .defer("source_text")
        .order_by("number")
    )
    if not versions:
        return published_bill(slug), []
    bill = versions[0].bill
    for version in versions:
        version.bill = bill
    return bill, versions


@dataclass(frozen=True)
class BillKeys:
    """A published bill, its published versions and what its pages are kept under."""

    bill: Bill
    versions: list[DraftVersion]
    bills_version: object  # every legislation change moves it
    counts_version: str  # this bill's comments and consultations
    today: str

    def of_bill(self) -> tuple:
        """The version of what the bill itself shows (status, timeline)."""
        return (self.bills_version, self.bill.version, self.today)

    def of_counts(self) -> tuple:
        """The version of its consultations, comments and their figures."""
        return (self.bills_version, self.counts_version, self.today)

    def of_settled(self) -> tuple:
        """
        The version of its consultations and of the decisions on its comments:
        that of the counts, but left where it is by comments arriving
        (:func:`consultation.counters.settled_version`). One read of the cache.
        """
        return (self.bills_version, counters.settled_version(self.bill.pk), self.today)


def _bill_part(slug: str) -> tuple:
    return ("public-bill", slug)


def consultations_part(bill_id: int) -> tuple:
    """What a bill page's consultations are kept under (its settled version)."""
    return ("public-bill-consultations", bill_id)


def submissions_part(bill_id: int) -> tuple:
    """What the count of a bill's comments submitted online is kept under."""
    return ("public-bill-submissions", bill_id)


def submissions(keys: BillKeys) -> Callable[[], dict[str, int]]:
    """
    The count of the bill's comments submitted online, by moderation state,
    as the bill page and its comments page show it: they wait for moderation
    and move no version, so the count is kept with the settled things, for
    NPC_PUBLIC_CACHE_SECONDS. Returns a callable, read when called.
    """
    return functools.partial(
        part,
        submissions_part(keys.bill.pk),
        lambda: consultations.public_submissions(bill=keys.bill),
        version=keys.of_settled(),
        fresh_for=settings.NPC_PUBLIC_CACHE_SECONDS or None,
    )


def shell_part(bill_id: int, asked: int | None) -> tuple:
    """
    What a bill page but its figures is kept under: in each language, for the
    version asked for (None: the latest; a new one moves the bills' version).
    """
    return ("public-bill-shell", bill_id, get_language(), asked)


def comments_shell_part(bill_id: int, filters: str) -> tuple:
    """
    What a bill's comments page but its list, outcome counts and figures is
    kept under: in each language, for the filters chosen (``filters``, the
    query string but the page's place in the list).
    """
    return ("public-comments-shell", bill_id, get_language(), filters)


@dataclass(frozen=True)
class Shell:
    """
    What a page is kept as but for its holes (:func:`holed`): the part
    ``key`` it is kept under, the ``version`` of what it shows, and for each
    hole the callable that draws it.
    """

    key: tuple
    version: object
    holes: dict[str, Callable[[], str]]


def holed(
    request: HttpRequest, template_name: str, context: dict[str, Any], shell: Shell
) -> HttpResponse:
    """
    The page ``template_name`` for a reader who may share it, made of a kept
    shell and its holes: the shell is the page drawn with ``holes`` in the
    context (each name a marker that the template writes where that part
    goes), kept as the part ``shell.key`` under ``shell.version`` and for
    NPC_PUBLIC_CACHE_SECONDS; each hole is drawn at every request. So
    comments arriving draw again what they change, and not the page around
    it. A marker is a comment of HTML, which no text the page shows can spell
    (the templates escape it).
    """
    markers = {name: mark_safe(f"<!-- hole:{name} -->") for name in shell.holes}  # noqa: S308
    page = part(
        shell.key,
        lambda: render_to_string(template_name, {**context, "holes": markers}, request),
        version=shell.version,
        fresh_for=settings.NPC_PUBLIC_CACHE_SECONDS,
    )
    for name, draw in shell.holes.items():
        page = page.replace(markers[name], draw(), 1)
    return HttpResponse(page)


class KeptShell:
    """
    A bill's public page that, for a reader who may share it, is kept as a
    shell with holes where what changes most often goes, and has them drawn
    at each request (:func:`holed`): :meth:`shell` names them, or
    returns None for a page rendered whole. A signed-in reader's page (its
    header names them) is rendered whole, as any other page.
    """

    def shell(self, context: dict[str, Any], keys: BillKeys) -> Shell | None:
        raise NotImplementedError

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> Any:
        request = self.request
        if settings.NPC_PUBLIC_CACHE_SECONDS and is_shared(request):
            shell = self.shell(context, bill_keys(request, self.kwargs["slug"]))
            if shell is not None:
                return holed(request, self.template_name, context, shell)
        return super().render_to_response(context, **kwargs)


def bill_keys(request: HttpRequest, slug: str) -> BillKeys:
    """
    Return the published bill ``slug`` with its versions and the versions its
    pages are kept under, once per request. The bill and its versions are kept
    under the bills' version (a part: no query while no bill changed).
    """
    found = getattr(request, "_public_bill_keys", None)
    if found is not None and found.bill.slug == slug:
        return found
    # The versions the whole page was looked up under, if it was: the same
    # ones for its parts, and two round trips to the cache fewer.
    read = getattr(request, "_public_bill_versions", (None, None))
    if read[0] == slug:
        bills_version, counts_version, today = read[1]
    else:
        bills_version = cache.get(legislation_services.BILLS_VERSION_KEY, 0)
        counts_version = today = None
    bill, versions = part(
        _bill_part(slug),
        lambda: _bill_and_versions(slug),
        version=bills_version,
    )
    keys = BillKeys(
        bill=bill,
        versions=versions,
        bills_version=bills_version,
        counts_version=counts_version or counters.version(bill.pk),
        today=today or timezone.localdate().isoformat(),
    )
    request._public_bill_keys = keys
    return keys


def bill_versions(request: HttpRequest, *args: Any, slug: str, **kwargs: Any) -> tuple:
    """
    Return the versions a bill's own pages are kept under
    (:func:`consultation.selectors.bill_public_versions`): from the cache alone
    once the slug's bill is known; else the bill is read (404 if not published)
    and kept as a part, which the view then finds in hand. The kept bill is
    read with them (:func:`npc.core.parts.read_along`).
    """
    return _bill_versions(request, slug)


def bill_page_versions(
    request: HttpRequest, *args: Any, slug: str, **kwargs: Any
) -> tuple:
    """
    :func:`bill_versions`, with the bill page's parts read along with the
    bill's versions: a page made again after a comment reads the cache for
    them in the round trips it makes anyway, not one each.
    """
    asked = int_param(request, "version")
    return _bill_versions(
        request,
        slug,
        lambda pk: [
            consultations_part(pk),
            submissions_part(pk),
            outcome_statuses_part(pk),
            shell_part(pk, asked),
            # The {% part %} blocks of public/_bill_figures.html (a name
            # changed there costs a round trip, which the page-parts tests
            # count).
            part_key("bill-figures", pk, slug),
            part_key("bill-comment-changes", pk, slug),
        ],
        arrivals.read_along_keys,
    )


def bill_comments_versions(
    request: HttpRequest, *args: Any, slug: str, **kwargs: Any
) -> tuple:
    """
    :func:`bill_versions`, with the kept figures of the comments page and the
    page around its list (:func:`comments_shell_part`) read along.
    """
    filters = comment_filters(comment_params(request)).urlencode()
    return _bill_versions(
        request,
        slug,
        lambda pk: [
            submissions_part(pk),
            outcome_statuses_part(pk),
            *consultations.outcomes_parts(pk),
            comments_shell_part(pk, filters),
            newest_part(pk),
        ],
        arrivals.read_along_keys,
    )


def _bill_versions(
    request: HttpRequest,
    slug: str,
    parts_of: Callable[[int], Iterable[Iterable[object]]] = lambda pk: (),
    counters_of: Callable[[int], Iterable[str]] = lambda pk: (),
) -> tuple:
    read_along([_bill_part(slug)])

    def known(pk: int) -> None:
        read_along(parts_of(pk))
        cache_reads.read_along(counters_of(pk))

    found = consultations.bill_public_versions(
        slug, lambda: bill_keys(request, slug).bill.pk, known_pk=known
    )
    request._public_bill_versions = (slug, found)
    return found


def headline(year: int) -> dict[str, Any]:
    return city_figure("headline", lambda: consultations.headline_numbers(year), year)


# What the comments page reads of each comment listed: what its kept item is
# kept under, beside its id and date.
ITEM_COLUMNS = arrivals.COLUMNS


def newest_part(bill_id: int) -> tuple:
    """
    What the newest page of a bill's comments, unfiltered, is kept under, in
    each language (its comments' items are drawn in it).
    """
    return ("public-comments-newest", bill_id, get_language())


def newest_comments(
    keys: BillKeys, listed: Callable[[], list[Any]], *, limit: int
) -> list[Any]:
    """
    The newest ``limit`` comments of the bill's public list, unfiltered,
    newest first, as ``listed()`` lists them (records of ``pk``,
    ``arrivals.LISTED_BY`` and :data:`ITEM_COLUMNS`), each with its item
    drawn (:func:`comment_items`, folded): kept under the bill's settled
    version with the number of its last arrival, and the comments numbered
    since taken in (:func:`_taken_in`), only theirs drawn. So a comment
    arriving, which a list kept under the counts would have every next reader
    list again, costs the next reader one round trip, no query until more
    arrived at once than a reader takes in, and none of the items it kept.

    Listed at each request when public pages are not kept
    (NPC_PUBLIC_CACHE_SECONDS, which bounds how long it is kept), and when
    read from the replica (:func:`_takes_in`).
    """
    if not _takes_in():
        return listed()

    def drawn(rows: list[Any]) -> list[Any]:
        comment_items(keys, rows, fold=True)
        return rows

    def take_in(rows: list[Any], taken: list[arrivals.Arrival]) -> list[Any]:
        there = {row.pk for row in rows}
        rows = rows + [a.row for a in taken if a.row.pk not in there]
        rows.sort(
            key=lambda row: (getattr(row, arrivals.LISTED_BY), row.pk), reverse=True
        )
        return drawn(rows[:limit])

    # As fresh as the listing it came from: NPC_PUBLIC_CACHE_SECONDS bounds
    # how long an arrival that was never numbered can be missing.
    return _taken_in(
        keys,
        newest_part(keys.bill.pk),
        lambda: drawn(listed()),
        take_in,
        fresh_for=settings.NPC_PUBLIC_CACHE_SECONDS,
    )


def outcome_statuses_part(bill_id: int) -> tuple:
    """What the sums of a bill's comments by outcome are kept under."""
    return ("public-outcome-statuses", bill_id)


def outcome_statuses(keys: BillKeys) -> dict[str, int]:
    """
    The bill's public comments by outcome (the statuses its pages' figures
    show: :func:`consultation.selectors.outcome_tally`), kept under the bill's
    settled version with the number of its last arrival, and the comments
    numbered since taken in (:func:`_taken_in`): each counted under the
    status it was entered with, unless the sum saw it already (it committed
    while the sum was read: :mod:`npc.core.snapshots`). So a comment arriving costs the bill's
    pages no query for their figures. Summed again after a decision,
    moderation or any change that moves the settled version, and
    NPC_COUNTS_CACHE_SECONDS after the last sum (what comments submitted
    online and waiting for moderation add, which is not numbered, shows
    within that).

    Where arrivals are not taken in (:func:`_takes_in`, and on a database
    that cannot tell which writes a sum saw), summed at each call: the pages
    that show them are kept under the bill's counts version.
    """
    bill = keys.bill
    seconds = settings.NPC_COUNTS_CACHE_SECONDS
    if not (_takes_in() and snapshots.supported() and seconds):
        return consultations.outcome_tally(bill=bill).statuses

    def take_in(
        tally: consultations.Tally, taken: list[arrivals.Arrival]
    ) -> consultations.Tally:
        seen = tally.snapshot
        new = [a for a in taken if not seen.saw(a.transaction)]
        if not new:
            return tally
        statuses = dict(tally.statuses)
        for arrival in new:
            statuses[arrival.status] = statuses.get(arrival.status, 0) + 1
        return consultations.Tally(statuses, seen)

    return _taken_in(
        keys,
        outcome_statuses_part(bill.pk),
        lambda: consultations.outcome_tally(bill=bill),
        take_in,
        fresh_for=seconds,
        # A sum that cannot tell which comments it counted is not kept.
        keep=lambda tally: tally.snapshot is not None,
    ).statuses


def _takes_in() -> bool:
    """
    Whether kept parts take in the comments arriving (:func:`_taken_in`): not
    when public pages are not kept (NPC_PUBLIC_CACHE_SECONDS), nor when read
    from the replica (arrivals are numbered as they commit on the primary,
    which the replica may not have replayed), nor with a cache that cannot
    number them (:func:`consultation.arrivals.numbered`).
    """
    return bool(
        settings.NPC_PUBLIC_CACHE_SECONDS
        and not replica.key_part()
        and arrivals.numbered()
    )


def _taken_in(
    keys: BillKeys,
    key: tuple,
    make: Callable[[], T],
    take_in: Callable[[T, list[arrivals.Arrival]], T],
    *,
    fresh_for: float,
    keep: Callable[[T], bool] = lambda value: True,
) -> T:
    """
    ``make()``, kept as the part ``key`` under the bill's settled version
    (which every change but a comment arriving moves on) with the number of
    the bill's last arrival it was made at (:mod:`consultation.arrivals`);
    a copy made at an earlier number is brought up to date with
    ``take_in(copy, arrivals since)`` and kept again for the next reader, as
    fresh as when it was made (``fresh_for`` seconds after). Made again when
    what arrived since cannot be told (:func:`consultation.arrivals.since`).
    ``keep(value)``: whether what ``make()`` returned may be kept.
    """
    bill_id = keys.bill.pk
    now = arrivals.number(bill_id)
    if now is None:  # never counted, or lost: counted from here on
        now = arrivals.started(bill_id)
    version = keys.of_settled()
    taken: list[arrivals.Arrival] = []

    def usable(kept: tuple[int | None, float, Any]) -> bool:
        found = arrivals.since(bill_id, kept[0], now)
        taken[:] = found or ()
        return found is not None

    made_at_number, made_at, value = part(
        key,
        lambda: (now, time.time(), make()),
        version=version,
        fresh_for=fresh_for,
        stale_for=0,
        usable=usable,
        keep=lambda made: keep(made[2]),
    )
    if made_at_number == now:
        return value
    value = take_in(value, taken)
    put(key, (now, made_at, value), version=version, made_at=made_at)
    return value


def comment_items(keys: BillKeys, rows: list[Any], *, fold: bool) -> None:
    """
    Give each listed comment its item of the list (``row.item``:
    public/_comment_item.html drawn for it), with, if ``fold``, the comments
    that repeat it folded under it.

    ``rows`` are records of the comments' ``pk`` and :data:`ITEM_COLUMNS`
    (:func:`npc.core.paging.records`). An item is kept under those (the
    comment's revision, moved by every edit and decision, and its last change)
    and the bill's settled version: what else it shows (the decision on the
    comment a duplicate repeats, where a comment was taken up, its point's
    name, the reason recorded at the vote) and which comments repeat it, since
    only a decision makes a comment a duplicate (comments arrive undecided),
    and decisions, moderation and any edit of a duplicate move that version.
    Comments arriving leave it as it is. A page of comments is listed again
    after every comment that arrives, and most of what it shows has not
    changed: the items are read in one round trip, and only those not kept
    are loaded (one query for the duplicates, one for the comments to draw and
    two for where the adopted ones went) and drawn. Rows that have their item
    already (kept with the newest page: :func:`newest_comments`) are left as
    they are.
    """
    bill, settled, language = keys.bill, keys.of_settled(), get_language()
    rows = [row for row in rows if getattr(row, "item", None) is None]
    if not rows:
        return

    def make(indexes: list[int]) -> list[str]:
        ids = [rows[i].pk for i in indexes]
        repeats = (
            consultations.public_duplicates(bill=bill, of=ids, columns=())
            if fold
            else {}
        )
        # The comments and the duplicates found: loaded and placed at once.
        comments = consultations.public_comments_by_id(
            ids + [r.pk for pk in ids for r in repeats.get(pk, [])]
        )
        consultations.give_places(comments.values(), public=True)
        return [
            render_to_string(
                "public/_comment_item.html",
                {
                    "comment": comments[pk],
                    "bill": bill,
                    "words": "",
                    "folded": [
                        comments[r.pk] for r in repeats.get(pk, []) if r.pk in comments
                    ],
                },
            )
            if pk in comments
            else ""  # gone since it was listed: nothing to draw
            for pk in ids
        ]

    kept = each(
        [
            ("public-comment", language, r.pk, r.revision, r.updated_at, settled, fold)
            for r in rows
        ],
        make,
        fresh_for=settings.NPC_PUBLIC_CACHE_SECONDS or None,
    )
    for row, item in zip(rows, kept, strict=True):
        row.item = mark_safe(item)  # noqa: S308 (drawn by the template, escaped)
