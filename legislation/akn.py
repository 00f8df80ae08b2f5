"""
Akoma Ntoso 3.0 (OASIS LegalDocML) export of a version or a text in force.

A draft version is a ``bill`` document, a text in force an ``act``. The body
keeps the structure: parts (编, ``part``; 分编, ``subpart``), chapters,
sections, articles; each article's paragraphs (``paragraph``), items
(``point``) and tables. Identifiers follow the Akoma Ntoso naming convention
for ``eId`` (``chp_2``, ``art_12``, ``art_12_1`` for 第十二条之一,
``art_12__para_2__point_3`` …).

An article's ``eId`` follows its lineage, not its current number: it is the
same in every version of a bill (the bill's article lineage) and in every text
in force of a regulation (the regulation's), so a link to ``#art_12`` keeps
pointing at the same article after a later draft renumbers it to 第十四条. It
is taken from the number the lineage had when it first appeared (``art_12``;
``art_12_1`` for an inserted 第十二条之一). Two lineages can claim the same
number — article 3 of the first draft became article 4 when the second draft
inserted a new article 3 — and the older one keeps it: the newer gets the
version it first appeared in (``art_3_v2``; ``art_3_t2`` for the second text in
force), and a counter after that if the same version numbered two articles alike.
Because the whole bill's (or regulation's) lineages are numbered at once, in the
order they first appeared, a later version never changes an earlier article's
identifier, and no two articles of any one document share one. Articles are not
prefixed by their chapter (the naming convention allows it for units numbered
across the document): moving an article to another chapter keeps its ``eId``.
Paragraphs and points take their ``eId`` from their article's. The ``wId`` is
the lineage's database key (``lineage_41``), for software that wants a plain key.
The schema the tests validate against is in ``akn_schema/`` (see NOTICE.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from .models import Article, DraftVersion, RegulationText, TextArticle

NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
SCHEMA = Path(__file__).parent / "akn_schema" / "akomantoso30.xsd"
COUNTRY = "cn"
AUTHOR = "npcsc"
_N = f"{{{NAMESPACE}}}"


def _el(parent: etree._Element | None, tag: str, text: str | None = None, **attrs: str):  # noqa: ANN202
    attributes = {k.rstrip("_"): v for k, v in attrs.items()}
    element = (
        etree.Element(_N + tag, attributes, nsmap={None: NAMESPACE})
        if parent is None
        else etree.SubElement(parent, _N + tag, attributes)
    )
    if text is not None:
        element.text = text
    return element


def _p(parent: etree._Element, text: str) -> None:
    _el(parent, "p", text)


def _content(parent: etree._Element, text: str) -> None:
    """Text, or a ``| a | b |`` table, as the ``content`` of a hierarchy element."""
    content = _el(parent, "content")
    if text.startswith("|"):
        table = _el(content, "table", eId=f"{parent.get('eId')}__table_1")
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue
            row = _el(table, "tr")
            for cell in cells:
                _p(_el(row, "td"), cell)
        return
    for line in text.splitlines() or [""]:
        _p(content, line)


def _number_id(number: int, suffix: int) -> str:
    return f"art_{number}_{suffix}" if suffix else f"art_{number}"


def _assign(rows: Iterable[tuple[int, int, int, int]], mark: str) -> dict[int, str]:
    """
    Give each lineage of ``rows`` its article ``eId``.

    ``rows`` are (lineage, number, suffix, birth) for every article of every
    document of one work, in the order the documents came (``birth`` is the
    version's number, or the text in force's place in the regulation's order),
    then by position. The first number a lineage had is its identifier unless
    an older lineage holds it; then ``_<mark><birth>``, then a counter.
    """
    ids: dict[int, str] = {}
    taken: set[str] = set()
    for lineage, number, suffix, birth in rows:
        if lineage in ids:
            continue
        base = _number_id(number, suffix)
        eid = base
        if eid in taken:
            eid = f"{base}_{mark}{birth}"
            counter = 2
            while eid in taken:
                eid = f"{base}_{mark}{birth}_{counter}"
                counter += 1
        ids[lineage] = eid
        taken.add(eid)
    return ids


def bill_article_ids(bill_id: int) -> dict[int, str]:
    """
    Map each article lineage of the bill ``bill_id`` to its ``eId``. One query.

    Every version counts, published or not: an identifier must not change the
    day an earlier draft is published.
    """
    rows = (
        Article.objects.filter(version__bill_id=bill_id)
        .order_by("version__number", "position")
        .values_list("lineage_id", "number", "suffix", "version__number")
    )
    return _assign(rows.iterator(chunk_size=2000), "v")


def regulation_article_ids(regulation_id: int) -> dict[int, str]:
    """
    Map each article lineage (:class:`LawArticle`) of the regulation
    ``regulation_id`` to its ``eId``: its texts in force in the order they took
    effect. One query.
    """
    rows = (
        TextArticle.objects.filter(text__regulation_id=regulation_id)
        .order_by("text__effective_on", "article__position")
        .values_list(
            "lineage_id",
            "article__number",
            "article__suffix",
            "text__effective_on",
        )
    )
    places: dict[dt.date, int] = {}
    ordered = (
        (lineage, number, suffix, places.setdefault(day, len(places) + 1))
        for lineage, number, suffix, day in rows.iterator(chunk_size=2000)
    )
    return _assign(ordered, "t")


def _article(parent: etree._Element, article: Article, eid: str, lineage: str) -> None:
    element = _el(parent, "article", eId=eid, wId=lineage)
    _el(element, "num", article.label)
    if article.heading:
        _el(element, "heading", article.heading)
    paragraphs = list(article.paragraphs.all())
    if not paragraphs:
        _content(element, article.text)
        return
    for position, paragraph in enumerate(paragraphs, start=1):
        pid = f"{eid}__para_{position}"
        node = _el(element, "paragraph", eId=pid)
        items = list(paragraph.items.all())
        if not items:
            _content(node, paragraph.text)
            continue
        if paragraph.text:
            _p(_el(node, "intro"), paragraph.text)
        for item in items:
            point = _el(node, "point", eId=f"{pid}__point_{item.number}")
            _el(point, "num", f"（{_chinese(item.number)}）")
            _content(point, item.text)


def _chinese(number: int) -> str:
    from .numerals import int_to_chinese

    return int_to_chinese(number)


def _body(
    root: etree._Element,
    version: DraftVersion,
    lineages: dict[int, tuple[str, str]],
) -> None:
    body = _el(root, "body")
    articles = list(
        version.articles.select_related(
            "chapter__part__parent", "section"
        ).prefetch_related("paragraphs__items")
    )
    containers: dict[tuple[str, int], etree._Element] = {}
    used: set[str] = set()

    def container(
        kind: str, obj, parent: etree._Element, prefix: str
    ) -> etree._Element:  # noqa: ANN001
        key = (kind, obj.pk)
        if key not in containers:
            tag = {
                "part": "part",
                "subpart": "subpart",
                "chapter": "chapter",
                "section": "section",
            }[kind]
            short = {
                "part": "part",
                "subpart": "subpart",
                "chapter": "chp",
                "section": "sec",
            }[kind]
            eid = f"{prefix}{short}_{obj.number}"
            element = _el(parent, tag, eId=eid)
            _el(element, "num", obj.label)
            _el(element, "heading", obj.title or obj.label)
            containers[key] = element
        return containers[key]

    for article in articles:
        parent = body
        prefix = ""
        chapter = article.chapter
        if chapter is not None:
            if chapter.part is not None:
                top = chapter.part.parent or chapter.part
                parent = container("part", top, parent, prefix)
                prefix = parent.get("eId") + "__"
                if chapter.part.parent is not None:
                    parent = container("subpart", chapter.part, parent, prefix)
                    prefix = parent.get("eId") + "__"
            parent = container("chapter", chapter, parent, prefix)
            prefix = parent.get("eId") + "__"
        if article.section is not None:
            parent = container("section", article.section, parent, prefix)
        eid, wid = lineages[article.pk]
        if eid in used:
            # Two articles of one document in one lineage: the data allows it
            # (a hand alignment), the schema's readers expect unique ids.
            counter = 2
            while f"{eid}_x{counter}" in used:
                counter += 1
            eid = f"{eid}_x{counter}"
        used.add(eid)
        _article(parent, article, eid, wid)


def _meta(
    root: etree._Element,
    *,
    work: str,
    work_date: dt.date,
    expression_date: dt.date,
    date_name: str,
) -> None:
    meta = _el(root, "meta")
    identification = _el(meta, "identification", source=f"#{AUTHOR}")
    expression = f"{work}/zho@{expression_date.isoformat()}"
    for level, this, uri, date, name in (
        ("FRBRWork", f"{work}/!main", work, work_date, "enactment"),
        (
            "FRBRExpression",
            f"{expression}/!main",
            expression,
            expression_date,
            date_name,
        ),
        (
            "FRBRManifestation",
            f"{expression}/!main.xml",
            f"{expression}.akn",
            expression_date,
            date_name,
        ),
    ):
        frbr = _el(identification, level)
        _el(frbr, "FRBRthis", value=this)
        _el(frbr, "FRBRuri", value=uri)
        _el(frbr, "FRBRdate", date=date.isoformat(), name=name)
        _el(frbr, "FRBRauthor", href=f"#{AUTHOR}")
        if level == "FRBRWork":
            _el(frbr, "FRBRcountry", value=COUNTRY)
        if level == "FRBRExpression":
            _el(frbr, "FRBRlanguage", language="zho")
    references = _el(meta, "references", source=f"#{AUTHOR}")
    _el(
        references,
        "TLCOrganization",
        eId=AUTHOR,
        href="/ontology/organization/cn/npcsc.city",
        showAs="人民代表大会常务委员会",
    )


def _document(kind: str, name: str, version: DraftVersion) -> tuple:  # noqa: ANN001
    root = _el(None, "akomaNtoso")
    document = _el(root, kind, name=name)
    return root, document


def _finish(
    root: etree._Element, document: etree._Element, version: DraftVersion, lineages
) -> bytes:  # noqa: ANN001
    preface = _el(document, "preface")
    _el(_el(preface, "p"), "docTitle", version.title)
    if version.preamble:
        preamble = _el(document, "preamble")
        for line in version.preamble.splitlines():
            _p(preamble, line)
    _body(document, version, lineages)
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def version_document(
    version: DraftVersion, article_ids: dict[int, str] | None = None
) -> bytes:
    """
    A draft version of a bill as an Akoma Ntoso ``bill`` document.

    ``article_ids`` is :func:`bill_article_ids` of its bill, for a caller that
    exports several versions of one bill (read once otherwise).
    """
    bill = version.bill
    root, document = _document("bill", "draft", version)
    _meta(
        document,
        work=f"/akn/{COUNTRY}/bill/{bill.plan_year}/{bill.slug}",
        work_date=version.date,
        expression_date=version.date,
        date_name=f"version-{version.number}",
    )
    if article_ids is None:
        article_ids = bill_article_ids(bill.pk)
    lineages = {
        pk: (article_ids[lineage], f"lineage_{lineage}")
        for pk, lineage in version.articles.values_list("pk", "lineage_id")
    }
    return _finish(root, document, version, lineages)


def text_in_force_document(
    text: RegulationText, article_ids: dict[int, str] | None = None
) -> bytes:
    """
    A text in force of a regulation as an Akoma Ntoso ``act`` document.

    ``article_ids`` is :func:`regulation_article_ids` of its regulation, for a
    caller that exports several texts of one regulation.
    """
    regulation = text.regulation
    first = regulation.texts.order_by("effective_on").first()
    made = first.promulgated_on or first.effective_on
    root, document = _document("act", "regulation", text.version)
    _meta(
        document,
        work=f"/akn/{COUNTRY}/act/{made.year}/{regulation.slug}",
        work_date=made,
        expression_date=text.effective_on,
        date_name="effective",
    )
    if article_ids is None:
        article_ids = regulation_article_ids(regulation.pk)
    lineages = {
        pk: (article_ids[lineage], f"lineage_{lineage}")
        for pk, lineage in text.text_articles.values_list("article_id", "lineage_id")
    }
    return _finish(root, document, text.version, lineages)


def validate(document: bytes) -> None:
    """Raise lxml's DocumentInvalid if ``document`` breaks the Akoma Ntoso schema."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    schema.assertValid(etree.fromstring(document))
