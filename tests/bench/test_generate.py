"""The benchmark's generator writes what the app would have written."""

import pytest
from django.db.models import Count, Sum
from django.db.models.functions import Length

from consultation import search
from consultation.models import Comment, CommentCount, Contributor, DecisionRecord


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_generator_copies_comments_with_their_words_counts_and_history():
    from bench.generate import generate
    from consultation.demo.seed import check_invariants

    assert generate(300, log=lambda *a: None) == 300
    comments = Comment.objects.order_by("-pk")[:300]
    assert Comment.objects.count() >= 300
    assert Contributor.objects.count() == Comment.objects.count()
    for comment in comments:
        assert 30 <= len(comment.text) <= 300 or comment.status == "duplicate"
        assert comment.search_text == search.search_words(comment.text)
    assert not check_invariants()
    decided = Comment.objects.exclude(status="pending")
    assert (
        DecisionRecord.objects.filter(comment__in=decided)
        .values("comment")
        .distinct()
        .count()
        == decided.count()
    )
    kept = CommentCount.objects.aggregate(n=Sum("delta"))["n"]
    assert kept == Comment.objects.count()
    assert Comment.objects.aggregate(m=Count("pk", filter=None))["m"] == kept
    assert Comment.objects.annotate(n=Length("text")).filter(n__lt=1).count() == 0
