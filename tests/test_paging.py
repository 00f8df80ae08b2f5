"""The keyset pager that the public and the staff lists share."""

import pytest
from django.http import QueryDict

from consultation.models import Comment, LiaisonPoint
from npc.core.paging import dated_keyset_page, keyset_page
from tests.factories import LiaisonPointFactory
from tests.public.conftest import add_comments, build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def ids():
    """Seven rows, their ids newest first."""
    LiaisonPointFactory.create_batch(7)
    return list(LiaisonPoint.objects.order_by("-pk").values_list("pk", flat=True))


def _page(query: str, size: int = 3):
    page = keyset_page(LiaisonPoint.objects.all(), QueryDict(query), size=size)
    return [row.pk for row in page.rows], page.newer, page.older


def test_pages_go_older_with_after_and_newer_with_before(ids):
    first = _page("")
    assert first == (ids[:3], None, ids[2])
    second = _page(f"after={first[2]}")
    assert second == (ids[3:6], ids[3], ids[5])
    last = _page(f"after={second[2]}")
    assert last == (ids[6:], ids[6], None)
    assert _page(f"before={second[1]}") == (ids[:3], None, ids[2])


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", "²", "２", "9" * 40])
def test_a_value_that_is_not_an_id_gives_the_first_page(ids, value):
    assert _page(f"after={value}") == _page("")
    assert _page(f"before={value}") == _page("")


def test_one_query_a_page(ids, django_assert_num_queries):
    with django_assert_num_queries(1):
        keyset_page(LiaisonPoint.objects.all(), QueryDict(f"after={ids[2]}"), size=3)


@pytest.mark.django_db
def test_a_dated_page_loaded_by_id_or_read_as_keys_is_the_page_of_one_query(
    bill, draft, staff, point_a, django_assert_num_queries
):
    """
    The two-step page (its keys, then its rows by id) and the page of keys
    alone (a few columns) have the same rows, in the same order, and the
    same cursors as the one-query page, both ways.
    """
    site = build_site(bill=bill, draft=draft, staff=staff, point_a=point_a)
    add_comments(site["meeting_at_a"], 45, start=100)
    comments = Comment.objects.filter(bill=site["bill"])

    def pages(params):
        one = dated_keyset_page(comments, params, size=10, field="submitted_on")
        with django_assert_num_queries(2):
            two = dated_keyset_page(
                comments, params, size=10, field="submitted_on",
                load=lambda ids: Comment.objects.in_bulk(ids),
            )  # fmt: skip
        assert [c.pk for c in two.rows] == [c.pk for c in one.rows]
        assert (two.newer, two.older) == (one.newer, one.older)
        with django_assert_num_queries(1):
            keys = dated_keyset_page(
                comments, params, size=10, field="submitted_on",
                columns=("revision",),
            )  # fmt: skip
        assert [(c.pk, c.revision) for c in keys.rows] == [
            (c.pk, c.revision) for c in one.rows
        ]
        assert (keys.newer, keys.older) == (one.newer, one.older)
        return one

    first = pages(QueryDict())
    second = pages(QueryDict(f"after={first.older}"))
    assert pages(QueryDict(f"before={second.newer}")).older == first.older


def test_a_dated_page_takes_load_or_columns_not_both():
    with pytest.raises(TypeError):
        dated_keyset_page(
            Comment.objects.none(), QueryDict(), size=10, field="submitted_on",
            load=dict, columns=("revision",),
        )  # fmt: skip
