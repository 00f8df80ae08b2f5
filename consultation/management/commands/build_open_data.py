"""Rebuild the open-data files now, as the nightly task does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from consultation.opendata.build import build_open_data


class Command(BaseCommand):
    help = (
        "Write every published version, text in force and public comment as the "
        "open-data files (Akoma Ntoso and text archives, CSV and JSON Lines) and "
        "publish their manifest."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = build_open_data()
        for entry in manifest.files:
            self.stdout.write(
                f"{entry.name}\t{entry.size} bytes\t{entry.records} records\t"
                f"sha256 {entry.sha256}"
            )
