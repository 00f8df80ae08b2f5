"""
Akoma Ntoso 3.0 (OASIS LegalDocML) export of a version or a text in force.

A draft version is a ``bill`` document, a text in force an ``act``. The body
keeps the structure: parts (编, ``part``; 分编, ``subpart``), chapters,
sections, articles; each article's paragraphs (``paragraph``), items
(``point``) and tables. Identifiers follow the Akoma Ntoso naming convention
for ``eId`` (``chp_2__art_12``, ``art_12_1`` for 第十二条之一 …), and each
article's ``wId`` is its lineage — the same across a bill's drafts (the bill's
article lineage) and across a regulation's texts in force (the regulation's) —
so a reader can follow an article through versions whatever its number.
The schema the tests validate against is in ``akn_schema/`` (see NOTICE.md).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from .models import Article, DraftVersion, RegulationText

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


def _article_id(article: Article) -> str:
    number = f"art_{article.number}"
    return f"{number}_{article.suffix}" if article.suffix else number


def _article(parent: etree._Element, article: Article, lineage: str) -> None:
    eid = _article_id(article)
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
    root: etree._Element, version: DraftVersion, lineages: dict[int, str]
) -> None:
    body = _el(root, "body")
    articles = list(
        version.articles.select_related(
            "chapter__part__parent", "section"
        ).prefetch_related("paragraphs__items")
    )
    containers: dict[tuple[str, int], etree._Element] = {}

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
        _article(parent, article, lineages[article.pk])


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


def version_document(version: DraftVersion) -> bytes:
    """A draft version of a bill as an Akoma Ntoso ``bill`` document."""
    bill = version.bill
    root, document = _document("bill", "draft", version)
    _meta(
        document,
        work=f"/akn/{COUNTRY}/bill/{bill.plan_year}/{bill.slug}",
        work_date=version.date,
        expression_date=version.date,
        date_name=f"version-{version.number}",
    )
    lineages = {
        pk: f"lineage_{lineage}"
        for pk, lineage in version.articles.values_list("pk", "lineage_id")
    }
    return _finish(root, document, version, lineages)


def text_in_force_document(text: RegulationText) -> bytes:
    """A text in force of a regulation as an Akoma Ntoso ``act`` document."""
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
    lineages = {
        pk: f"lineage_{lineage}"
        for pk, lineage in text.text_articles.values_list("article_id", "lineage_id")
    }
    return _finish(root, document, text.version, lineages)


def validate(document: bytes) -> None:
    """Raise lxml's DocumentInvalid if ``document`` breaks the Akoma Ntoso schema."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    schema.assertValid(etree.fromstring(document))
