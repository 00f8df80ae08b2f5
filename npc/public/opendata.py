"""
The open-data downloads: the page listing the nightly files with their size,
date and checksum, and the files themselves (see ``consultation.opendata``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from consultation.opendata.build import AKN, COMMENTS_CSV, COMMENTS_JSONL, TEXT
from consultation.opendata.files import read_manifest

# What each file holds, for the page.
DESCRIPTIONS = {
    AKN: _(
        "全部公开的法规草案文本和现行法规文本，Akoma Ntoso 3.0 XML 格式（zip 压缩包）"
    ),
    TEXT: _("全部公开的法规草案文本和现行法规文本，纯文本格式（zip 压缩包）"),
    COMMENTS_CSV: _("全部公开的意见建议及其处理结果、理由和采纳去向，CSV 格式"),
    COMMENTS_JSONL: _(
        "全部公开的意见建议及其处理结果、理由和采纳去向，JSON Lines 格式"
    ),
}


class OpenDataView(TemplateView):
    """The open-data files of the last nightly build."""

    template_name = "public/open_data.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        manifest = read_manifest()
        files = []
        for entry in manifest.files if manifest else []:
            files.append(
                {
                    "entry": entry,
                    "description": DESCRIPTIONS.get(entry.name, ""),
                    "generated_at": dt.datetime.fromisoformat(entry.generated_at),
                }
            )
        context.update(
            section="open-data",
            api_url=reverse("api:open-data"),
            files=files,
            generated_at=dt.datetime.fromisoformat(manifest.generated_at)
            if manifest
            else None,
        )
        return context


def open_data_file(request: HttpRequest, name: str) -> FileResponse:
    """
    One file of the last build, found through the manifest: the file a reader
    gets is always complete and the one the page lists (its SHA-256 is the ETag).
    """
    manifest = read_manifest()
    entry = manifest.entry(name) if manifest else None
    if entry is None:
        raise Http404("no such file")
    try:
        handle = default_storage.open(entry.path, "rb")
    except FileNotFoundError as error:  # replaced between the two reads
        raise Http404("no such file") from error
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=entry.media_type
    )
    response["Content-Length"] = str(entry.size)
    response["ETag"] = f'"{entry.sha256}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
