"""Regulations and their texts in force, as the API shows them."""

from __future__ import annotations

from rest_framework import serializers

from .search import ArticleMatchSerializer


class LawQuerySerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        help_text="The day whose text in force is wanted; today if left out.",
    )


class LawListQuerySerializer(LawQuerySerializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Words (space-separated, at most five, all required) to find "
        "in the title or the text in force on `on`.",
    )


class TextInForceSerializer(serializers.Serializer):
    effective_on = serializers.DateField()
    promulgated_on = serializers.DateField(allow_null=True)
    kind = serializers.CharField(help_text="new, amendment (修正), revision (修订)")
    announcement_number = serializers.CharField()
    title = serializers.CharField(source="version.title")
    bill = serializers.SerializerMethodField()

    def get_bill(self, text) -> str | None:  # noqa: ANN001
        bill = text.bill
        return bill.slug if bill is not None and bill.is_published else None


class LawSerializer(serializers.Serializer):
    slug = serializers.CharField(source="regulation.slug")
    title = serializers.CharField(source="regulation.title")
    status = serializers.CharField(
        help_text="in_force, amended (in force, changed since), repealed or not_yet"
    )
    year = serializers.IntegerField()
    repealed_on = serializers.DateField(
        source="regulation.repealed_on", allow_null=True
    )
    texts = TextInForceSerializer(many=True)


class LawListSerializer(LawSerializer):
    """A regulation in the list, with the articles a search (``q``) found in it."""

    matches = ArticleMatchSerializer(
        many=True,
        help_text="With `q`: the articles of the text in force holding the most "
        "of the words, three at most; empty otherwise.",
    )


class ArticleHistorySerializer(serializers.Serializer):
    effective_on = serializers.DateField(source="text.effective_on")
    label = serializers.CharField(source="article.label")
    text = serializers.CharField(source="article.text")


class LawArticleSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="article.number")
    suffix = serializers.IntegerField(source="article.suffix")
    label = serializers.CharField(source="article.label")
    heading = serializers.CharField(source="article.heading")
    text = serializers.CharField(source="article.text")
    history = ArticleHistorySerializer(many=True)


class LawDetailSerializer(LawSerializer):
    on = serializers.DateField()
    text = TextInForceSerializer(
        allow_null=True, help_text="The text in force on `on`."
    )
    articles = LawArticleSerializer(many=True)
