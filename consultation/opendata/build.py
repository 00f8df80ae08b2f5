"""Build every open-data file and publish them together (see the package's doc)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.storage import Storage
from django.utils import timezone, translation

from . import comments, texts
from .files import Manifest, Writer

logger = logging.getLogger(__name__)

# The files of a build, in the order the page lists them.
AKN = "akn.zip"
TEXT = "text.zip"
COMMENTS_CSV = "comments.csv"
COMMENTS_JSONL = "comments.jsonl"
NAMES = (AKN, TEXT, COMMENTS_CSV, COMMENTS_JSONL)


def build_open_data(*, storage: Storage | None = None) -> Manifest:
    """
    Write the texts' archives and the comments' files into a new folder of
    the storage, then switch the manifest to them and remove old builds.

    Labels (decisions, channels) are in the site's first language. A failure
    leaves the last complete build listed, and nothing half-written in sight.
    """
    started = timezone.now()
    generated_at = timezone.localtime(started).isoformat(timespec="seconds")
    writer = Writer(started.strftime("%Y%m%dT%H%M%S%fZ"), storage)
    with translation.override(settings.LANGUAGE_CODE):
        with (
            writer.open(
                AKN, media_type="application/zip", generated_at=generated_at
            ) as (akn_file, akn_count),
            writer.open(
                TEXT, media_type="application/zip", generated_at=generated_at
            ) as (text_file, text_count),
        ):
            akn_count[0] = text_count[0] = texts.write_archives(akn_file, text_file)
        with (
            writer.open(
                COMMENTS_CSV,
                media_type="text/csv; charset=utf-8",
                generated_at=generated_at,
            ) as (csv_file, csv_count),
            writer.open(
                COMMENTS_JSONL,
                media_type="application/jsonl; charset=utf-8",
                generated_at=generated_at,
            ) as (jsonl_file, jsonl_count),
        ):
            csv_count[0] = jsonl_count[0] = comments.write(csv_file, jsonl_file)
    writer.entries.sort(key=lambda entry: NAMES.index(entry.name))
    manifest = writer.publish(generated_at)
    logger.info(
        "open data built: %s",
        ", ".join(
            f"{f.name} {f.size} bytes, {f.records} records" for f in manifest.files
        ),
    )
    return manifest
