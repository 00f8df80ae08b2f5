"""Open data in bulk: the list of the nightly files (``consultation.opendata``)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ...opendata.files import describe, read_manifest


class OpenDataFileSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="e.g. comments.csv")
    url = serializers.URLField(help_text="Where to download it.")
    size = serializers.IntegerField(help_text="Bytes.")
    sha256 = serializers.CharField(help_text="SHA-256 of the file, hex.")
    generated_at = serializers.DateTimeField()
    media_type = serializers.CharField()
    records = serializers.IntegerField(
        help_text="Documents in an archive, comments in a comment file."
    )


class OpenDataFilesSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField(
        allow_null=True, help_text="When the files were built; null before the first."
    )
    files = OpenDataFileSerializer(many=True)


class OpenDataFilesView(APIView):
    """The open-data files of the last nightly build, with size, date and checksum."""

    permission_classes: list = []

    @extend_schema(
        operation_id="open_data_files",
        summary="Open data: the bulk files",
        description="The files rebuilt every night: akn.zip (every published "
        "version and text in force as Akoma Ntoso 3.0), text.zip (the same as "
        "plain text), comments.csv and comments.jsonl (every public comment with "
        "its decision, reason and where it was taken up; no personal data). Each "
        "with its download URL, size in bytes, SHA-256 and the time it was built.",
        responses={200: OpenDataFilesSerializer},
    )
    def get(self, request: Request) -> Response:
        data = describe(read_manifest())
        for entry in data["files"]:
            entry["url"] = request.build_absolute_uri(
                reverse("public:open-data-file", kwargs={"name": entry["name"]})
            )
        return Response(OpenDataFilesSerializer(data).data)
