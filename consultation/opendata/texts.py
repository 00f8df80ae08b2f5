"""
The texts in bulk: every published version of every published bill and every
text in force, one document at a time into a zip archive (memory holds one
document, not the archive).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from typing import IO

from legislation import akn
from legislation.models import DraftVersion, RegulationText
from legislation.plaintext import plain_text

# (path inside the archive, the document as AKN, the document as text)
Document = tuple[str, Callable[[], bytes], Callable[[], bytes]]


def documents() -> Iterator[Document]:
    """
    Every public document, bills first (by slug, then version), then texts in
    force (by regulation, then day). Each bill's and regulation's article
    identifiers are read once for all its documents.
    """
    versions = (
        DraftVersion.objects.published()
        .select_related("bill")
        .order_by("bill__slug", "number")
    )
    ids: dict[int, dict[int, str]] = {}
    for version in versions.iterator(chunk_size=200):
        if version.bill_id not in ids:
            ids.clear()  # one bill at a time: the map of the last one only
            ids[version.bill_id] = akn.bill_article_ids(version.bill_id)
        path = f"bills/{version.bill.slug}/version-{version.number}"
        yield (
            path,
            lambda v=version, i=ids[version.bill_id]: akn.version_document(v, i),
            lambda v=version: plain_text(v).encode("utf-8"),
        )
    texts = RegulationText.objects.select_related("regulation", "version").order_by(
        "regulation__slug", "effective_on"
    )
    law_ids: dict[int, dict[int, str]] = {}
    for text in texts.iterator(chunk_size=200):
        if text.regulation_id not in law_ids:
            law_ids.clear()
            law_ids[text.regulation_id] = akn.regulation_article_ids(text.regulation_id)
        path = f"laws/{text.regulation.slug}/{text.effective_on.isoformat()}"
        yield (
            path,
            lambda t=text, i=law_ids[text.regulation_id]: akn.text_in_force_document(
                t, i
            ),
            lambda t=text: plain_text(t.version).encode("utf-8"),
        )


def write_archives(akn_file: IO[bytes], text_file: IO[bytes]) -> int:
    """
    Write every public document into both archives, one entry at a time;
    return how many documents each holds.
    """
    count = 0
    with (
        zipfile.ZipFile(akn_file, "w", zipfile.ZIP_DEFLATED) as akn_zip,
        zipfile.ZipFile(text_file, "w", zipfile.ZIP_DEFLATED) as text_zip,
    ):
        for path, as_akn, as_text in documents():
            akn_zip.writestr(f"{path}.akn.xml", as_akn())
            text_zip.writestr(f"{path}.txt", as_text())
            count += 1
    return count
