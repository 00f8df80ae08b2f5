"""A new bill from the plan to the statute book through the API alone."""

import pytest

from legislation.models import Bill, BillEvent, Stage, Vote
from tests.conftest import DRAFT_TEXT

pytestmark = pytest.mark.django_db


class Api:
    """A staff client that checks every answer's status."""

    def __init__(self, client) -> None:  # noqa: ANN001
        self.client = client

    def __call__(self, method: str, path: str, expect: int, data=None, **headers):  # noqa: ANN001, ANN204
        response = getattr(self.client, method)(
            f"/api/v1/{path}", data, format="json", **headers
        )
        assert response.status_code == expect, (path, response.content)
        return response

    def bill(self, slug: str) -> dict:
        return self("get", f"bills/{slug}/", 200).json()

    def move(self, slug: str, expect: int = 201, **data) -> dict:
        etag = self("get", f"bills/{slug}/", 200)["ETag"]
        return self(
            "post", f"bills/{slug}/transitions/", expect, data, HTTP_IF_MATCH=etag
        ).json()


def _meeting(api: Api, number: int, date: str) -> int:
    payload = {"term": 15, "number": number, "date": date, "members": 45}
    return api("post", "meetings/", 201, payload).json()["id"]


def _through_readings(api: Api, slug: str, first: int) -> None:
    """Plan → drafting → submitted → two readings, with a draft and a revision."""
    api.move(slug, to="drafting", on="2024-02-01")
    api(
        "post",
        f"bills/{slug}/versions/",
        201,
        {
            "text": DRAFT_TEXT,
            "title": "草案",
            "kind": "draft",
            "date": "2024-03-01",
            "is_published": True,
        },
    )
    api.move(slug, to="submitted", on="2024-03-05")
    api.move(slug, to="first_reading", meeting=first, version=1)
    api(
        "post",
        f"bills/{slug}/versions/",
        201,
        {
            "text": DRAFT_TEXT.replace("保障人身", "保障公众人身"),
            "title": "草案修改稿",
            "kind": "revised",
            "date": "2024-05-20",
            "is_published": True,
        },
    )


def test_a_bill_goes_from_planned_to_in_force_through_the_api(staff_api, clients, anon):
    api = Api(staff_api)
    m1 = _meeting(api, 18, "2024-04-25")
    m2 = _meeting(api, 19, "2024-06-27")
    slug = api(
        "post",
        "bills/",
        201,
        {"title": "长治市城市绿化条例", "plan_year": 2024, "is_published": True},
    ).json()["slug"]
    twin = api(
        "post",
        "bills/",
        201,
        {"title": "长治市养犬管理条例", "plan_year": 2024, "is_published": True},
    ).json()["slug"]

    # A stage the lifecycle does not allow yet is refused, and nothing is written.
    refused = api.move(slug, expect=409, to="promulgated", on="2024-01-10")
    assert refused["code"] == "transition_not_allowed"

    _through_readings(api, slug, m1)
    _through_readings(api, twin, m1)

    # Two people read the bill; the first edit wins, the stale one is refused.
    etag = api("get", f"bills/{slug}/", 200)["ETag"]
    api(
        "patch",
        f"bills/{slug}/",
        200,
        {"summary": "规范城市绿化建设与管理。"},
        HTTP_IF_MATCH=etag,
    )
    stale = api(
        "patch",
        f"bills/{slug}/",
        412,
        {"summary": "被覆盖的简介"},
        HTTP_IF_MATCH=etag,
    ).json()
    assert stale["code"] == "precondition_failed"
    assert Bill.objects.get(slug=slug).summary == "规范城市绿化建设与管理。"
    # …and so is a stage move sent with the stale ETag.
    api(
        "post",
        f"bills/{slug}/transitions/",
        412,
        {"to": "second_reading", "meeting": m2, "version": 2},
        HTTP_IF_MATCH=etag,
    )
    assert Bill.objects.get(slug=slug).stage == Stage.FIRST_READING

    api.move(slug, to="second_reading", meeting=m2, version=2)
    api.move(twin, to="second_reading", meeting=m2, version=2)
    # Two readings planned: the next step is the vote, and only the vote.
    assert api.bill(slug)["next_stages"] == [
        "passed",
        "rejected",
        "withdrawn",
        "terminated",
    ]
    assert api.move(slug, expect=409, to="passed", on="2024-06-27")["code"] == (
        "transition_not_allowed"
    )

    # More votes than members is refused outright.
    too_many = api(
        "post",
        f"bills/{slug}/votes/",
        409,
        {"meeting": m2, "yes": 30, "no": 10, "abstain": 6},
    ).json()
    assert too_many["code"] == "transition_not_allowed"
    assert not Vote.objects.exists()

    # 22 yes of 45 members is not a majority of ALL members: the twin is rejected…
    vote = api(
        "post",
        f"bills/{twin}/votes/",
        201,
        {"meeting": m2, "yes": 22, "no": 3, "abstain": 20},
    ).json()
    assert (vote["carried"], vote["members"], vote["not_voting"]) == (False, 45, 0)
    assert api.bill(twin)["stage"] == "rejected"
    assert api.bill(twin)["next_stages"] == []
    assert api.move(twin, expect=409, to="approval_requested", on="2024-07-01")[
        "code"
    ] == ("transition_not_allowed")

    # …while 23 yes pass the bill.
    vote = api(
        "post",
        f"bills/{slug}/votes/",
        201,
        {"meeting": m2, "yes": 23, "no": 2, "abstain": 20, "version": 2},
    ).json()
    assert vote["carried"] is True
    assert api.bill(slug)["stage"] == "passed"

    api.move(slug, to="approval_requested", on="2024-07-05")
    api.move(slug, to="approved", on="2024-09-26")
    missing = api.move(slug, expect=409, to="promulgated", on="2024-10-08")
    assert missing["code"] == "transition_not_allowed"
    api.move(
        slug,
        to="promulgated",
        on="2024-10-08",
        announcement_number="第5号",
        effective_on="2025-01-01",
    )
    early = api.move(slug, expect=409, to="in_force", on="2024-12-31")
    assert early["code"] == "transition_not_allowed"
    api.move(slug, to="in_force", on="2025-01-01")

    bill = Bill.objects.get(slug=slug)
    assert (bill.stage, bill.announcement_number) == ("in_force", "第5号")
    stages = list(
        BillEvent.objects.filter(bill=bill)
        .exclude(to_stage="")
        .values_list("to_stage", flat=True)
    )
    assert stages == [
        "planned",
        "drafting",
        "submitted",
        "first_reading",
        "second_reading",
        "passed",
        "approval_requested",
        "approved",
        "promulgated",
        "in_force",
    ]
    # Everyone reads the whole story, the public included.
    timeline = anon.get(f"/api/v1/bills/{slug}/events/", {"page_size": 100}).json()
    assert timeline["results"][-1]["to_stage"] == "in_force"
    assert anon.get(f"/api/v1/bills/{slug}/votes/").json()["results"][0]["yes"] == 23
    # No one but staff could have done any of it.
    for role in ("anonymous", "clerk_a", "clerk_b"):
        response = clients[role].post(
            f"/api/v1/bills/{twin}/transitions/",
            {"to": "withdrawn", "on": "2025-01-02", "note": "x"},
            format="json",
        )
        assert response.status_code in (401, 403)
