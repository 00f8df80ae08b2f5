"""Who may see and do what on the consultation side, per role (DESIGN §2)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from consultation import access, services
from consultation.models import Decision
from npc.core import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "clerk_a", "clerk_b", "staff", "administrator"]


@pytest.fixture
def outsider(db):
    """Signed in, but with no role."""
    return UserFactory(username="outsider")


@pytest.fixture
def comments(consultation_a, consultation_b, staff):
    a = services.enter_comment(by=staff, consultation=consultation_a, text="甲点意见")
    b = services.enter_comment(by=staff, consultation=consultation_b, text="乙点意见")
    return a, b


def user(request, name):
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


# What each role sees: comment/consultation/point at A, at B.
EXPECTED_SCOPE = {
    "anonymous": (False, False),
    "outsider": (False, False),
    "clerk_a": (True, False),
    "clerk_b": (False, True),
    "staff": (True, True),
    "administrator": (True, True),
}


@pytest.mark.parametrize("who", ROLES)
def test_each_role_sees_exactly_its_points_records(
    request, who, comments, point_a, point_b
):
    u = user(request, who)
    sees_a, sees_b = EXPECTED_SCOPE[who]
    a, b = comments
    assert set(access.visible_comments(u)) == {
        c for c, s in ((a, sees_a), (b, sees_b)) if s
    }
    assert set(access.visible_consultations(u)) == {
        c.consultation for c, s in ((a, sees_a), (b, sees_b)) if s
    }
    assert set(access.points_for(u)) == {
        p for p, s in ((point_a, sees_a), (point_b, sees_b)) if s
    }
    assert access.can_see_personal_data(u, a) is sees_a
    assert access.can_see_personal_data(u, b) is sees_b
    assert access.can_record_consultation(u, point_a) is sees_a
    assert access.can_record_consultation(u, point_b) is sees_b
    assert access.can_edit_consultation(u, a.consultation) is sees_a
    assert access.can_enter_comment(u, b.consultation) is sees_b
    assert access.can_record_feedback(u, [a]) is sees_a
    assert access.can_record_feedback(u, [a, b]) is (sees_a and sees_b)
    assert access.has_consultation_access(u) is (sees_a or sees_b)


@pytest.mark.parametrize("who", ROLES)
def test_only_staff_decide_and_record_consultations_at_no_point(request, who):
    u = user(request, who)
    is_staff = who in ("staff", "administrator")
    assert access.can_decide(u) is is_staff
    assert access.can_record_consultation(u, None) is is_staff


@pytest.mark.parametrize(
    ("who", "pending", "decided"),
    [
        ("anonymous", False, False),
        ("outsider", False, False),
        ("clerk_a", True, False),
        ("clerk_b", False, False),
        ("staff", True, True),
        ("administrator", True, True),
    ],
)
def test_a_clerk_edits_their_comments_only_while_pending(
    request, comments, staff, who, pending, decided
):
    a, _ = comments
    u = user(request, who)
    assert access.can_edit_comment(u, a) is pending
    a = services.decide_comment(
        explanation="已在修改稿中吸收。", comment=a, status=Decision.ADOPTED, by=staff
    )
    assert access.can_edit_comment(u, a) is decided


def test_a_clerk_of_two_points_sees_both(comments, point_b, clerk_a):
    point_b.clerks.add(clerk_a)
    access.forget_points(clerk_a)
    assert access.visible_comments(clerk_a).count() == 2


def test_a_clerk_without_the_role_sees_nothing_of_their_old_point(
    point_a, consultation_a
):
    former = UserFactory(username="former")
    point_a.clerks.add(former)  # still listed, but no longer in the clerk group
    assert not access.visible_consultations(former).exists()
    assert not access.can_record_consultation(former, point_a)


def test_point_checks_cost_one_query_per_user(
    comments, clerk_a, django_assert_num_queries
):
    a, b = comments
    fresh = UserFactory(username="clerk")  # same user, nothing cached yet
    with django_assert_num_queries(2):  # groups, then points
        for _ in range(50):
            access.can_see_personal_data(fresh, a)
            access.can_edit_comment(fresh, b)
    assert roles.is_clerk(fresh)
