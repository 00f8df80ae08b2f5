"""The articles a text search found (legislation.search), as the API shows them."""

from __future__ import annotations

from rest_framework import serializers


class ArticleMatchSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The article's label, e.g. 第三十三条.")
    anchor = serializers.CharField(
        help_text="The article's fragment on its page, e.g. article-33."
    )
    version = serializers.IntegerField(
        allow_null=True,
        help_text="For a bill: the number of the version the article is in "
        "(the latest published one holding the words). For a regulation: null, "
        "the article is in the text in force on the day asked.",
    )
    excerpt = serializers.CharField(
        help_text="The part of the text around the first word found (plain text)."
    )
    highlighted = serializers.CharField(
        help_text="The same excerpt as HTML: the text escaped, each word found "
        "in <mark>."
    )
