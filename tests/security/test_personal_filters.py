"""
A contributor's kind is personal data: as a filter it selects only among the
comments whose makers the reader may know.
"""

import pytest

from consultation import services
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputies(staff, consultation_a, consultation_b):
    def enter(consultation, text):  # noqa: ANN001, ANN202
        return services.enter_comment(
            by=staff,
            consultation=consultation,
            text=text,
            contributor_name="某代表",
            contributor_kind="deputy",
        )

    return enter(consultation_a, "甲点代表的意见。"), enter(
        consultation_b, "乙点代表的意见。"
    )


def _ids(response) -> set[int]:  # noqa: ANN001
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_a_clerk_filters_by_kind_among_their_own_points_comments_only(
    clerk_a, deputies
):
    at_a, at_b = deputies
    found = _ids(client_for(clerk_a).get("/api/v1/comments/", {"kind": "deputy"}))
    assert found == {at_a.pk}
    # Filtering another point by kind tells nothing about its contributors.
    other = client_for(clerk_a).get(
        "/api/v1/comments/", {"kind": "deputy", "point": at_b.point_id}
    )
    assert _ids(other) == set()


def test_staff_filter_every_comment_by_kind(staff, deputies):
    found = _ids(client_for(staff).get("/api/v1/comments/", {"kind": "deputy"}))
    assert found == {c.pk for c in deputies}
