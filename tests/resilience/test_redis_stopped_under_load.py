"""
Redis stopped under load, with the real processes: the web command of
docker-compose.yml (gunicorn, gthread, gunicorn.conf.py) on the test database,
with its cache and broker on a Redis of this test's own. A few clients read
public pages, API lists and a receipt, and a clerk's program enters comments by
the API, while Redis is stopped (SIGTERM) and started again on the same port,
its data kept (append-only file, as in docker-compose.yml).

The clerk's program pauses around each end of the outage (a comment entered
then would move the versions on by itself). Throughout: every read answers 200
and every comment entered answers 201 and is saved once; /healthz answers 503 naming the cache and the broker while Redis is
down and 200 again soon after it is back; a comment entered during the outage
shows on a public page kept before it (the versions moved on). The same POST
sent twice with one Idempotency-Key meanwhile saves one comment.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import pytest

from consultation import services as consultation_services
from consultation.models import Channel, Comment
from legislation import services as legislation_services
from npc.accounts.services import issue_token
from npc.core import cache as resilient
from tests.conftest import DRAFT_TEXT
from tests.factories import BillFactory
from tests.tasks import processes
from tests.tasks.processes import RedisServer, free_port, wait_for

from .load import Load, health, request, start_web, wait_for_requests

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

# Longer than npc.core.cache.RETRY_AFTER_SECONDS (5 s).
OUTAGE_SECONDS = 6.5
WRITER_TEXT = "负载测试录入的意见，第{n}条：建议明确测试单位的培训责任。"


@pytest.fixture
def redis_server(tmp_path):
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def second_bill(staff, point_a):
    """Another published bill, with a consultation of its own at point A."""
    bill = BillFactory(title="长治市第二测试条例", slug="second-regulation")
    draft = legislation_services.add_draft_version(
        bill=bill,
        text=DRAFT_TEXT,
        title="长治市第二测试条例（草案）",
        kind="draft",
        on=dt.date(2024, 1, 22),
        by=staff,
        is_published=True,
    )
    consultation = consultation_services.record_consultation(
        by=staff,
        bill=bill,
        version=draft,
        channel=Channel.LIAISON_POINT,
        point=point_a,
        title="第二条例意见征询会",
        held_on=dt.date(2024, 9, 11),
        participants=9,
    )
    return bill, consultation


def _healthz_down(port: int) -> dict | None:
    answer = health(port)
    if answer.status != 503:
        return None
    body = answer.json()
    checks = body["checks"]
    if checks["cache"]["ok"] or checks["broker"]["ok"]:
        return None
    return body


def test_redis_stopped_under_load(
    tmp_path, redis_server, bill, consultation_a, clerk_a, staff, second_bill
):
    other_bill, other_consultation = second_bill
    receipt = consultation_services.enter_comment(
        by=staff, consultation=consultation_a, text="建议明确测试单位的检查频次。"
    ).receipt_code
    _, token = issue_token(user=clerk_a)
    auth = {"Authorization": f"Token {token}"}
    comments_before = Comment.objects.count()

    port = free_port()
    web = start_web(
        tmp_path,
        port,
        DATABASE_URL=processes.database_url(),
        CACHE_URL=redis_server.url(1, scheme="rediscache"),
        CELERY_BROKER_URL=redis_server.url(0),
    )
    clerk_during: Load | None = None
    try:
        wait_for(
            lambda: health(port).status == 200,
            timeout=20,
            what="/healthz to answer 200",
            every=0.1,
        )
        pages = [
            "/",
            "/bills/",
            f"/bills/{bill.slug}/",
            f"/bills/{bill.slug}/comments/",
            f"/bills/{other_bill.slug}/comments/",
        ]
        reads = ["/api/v1/bills/", "/api/v1/comments/", f"/api/v1/receipts/{receipt}/"]
        # Kept (in Redis, which keeps them across its restart) before the outage.
        for path in pages + reads:
            answer = request(port, "GET", path)
            assert answer.status == 200, answer

        def reader(paths: list[str], kind: str):  # noqa: ANN202
            return lambda n: request(port, "GET", paths[n % len(paths)], kind=kind)

        def writer(first: int):  # noqa: ANN202
            return lambda n: request(
                port,
                "POST",
                "/api/v1/comments/",
                kind="entry",
                data={
                    "consultation": consultation_a.pk,
                    "text": WRITER_TEXT.format(n=first + n),
                },
                headers=auth,
            )

        readers = Load(
            {
                "public-1": reader(pages, "page"),
                "public-2": reader(pages[::-1], "page"),
                "api": reader(reads, "api"),
            },
            seconds=45,
            pause=0.02,
        )
        # The clerk enters comments before, during and after the outage, with a
        # pause around each end of it: a comment entered just before Redis stops
        # or just after it is back would move the versions on by itself, and
        # hide a page kept before that the outage would leave stale.
        clerk = Load({"clerk": writer(0)}, seconds=30, pause=0.02)
        clerk_during = Load({"clerk": writer(10_000)}, seconds=30, pause=0.02)
        clerk_after = Load({"clerk": writer(20_000)}, seconds=10, pause=0.02)
        marker = f"缓存中断期间录入的意见（{uuid.uuid4().hex[:8]}）。"
        with readers.running():
            with clerk.running():
                wait_for_requests(clerk, 20, timeout=15)
            # The other bill's page, kept under the versions of now.
            kept = request(port, "GET", f"/bills/{other_bill.slug}/comments/")
            assert kept.status == 200, kept
            wait_for_requests(readers, 20, timeout=15)

            # Redis stops (SIGTERM: it writes its file and exits).
            redis_server.stop()
            down_at = time.monotonic()
            down_body = wait_for(
                lambda: _healthz_down(port),
                timeout=10,
                what="/healthz to report the cache and the broker down",
                every=0.1,
            )
            seen_down = time.monotonic() - down_at
            clerk_during.start()

            # Hand entry on the other bill, whose page was kept before.
            entered = request(
                port,
                "POST",
                "/api/v1/comments/",
                data={"consultation": other_consultation.pk, "text": marker},
                headers=auth,
            )
            assert entered.status == 201, entered

            # A client retrying: the same POST twice with one key, in turn and
            # at once (the second of a simultaneous pair may be told 409).
            idem = _same_post_twice(port, auth, other_consultation.pk)

            # Down for longer than a web process leaves the cache alone after an
            # error, so that each tries it again (and fails) during the outage.
            wait_for_requests(clerk_during, 20, timeout=20)
            time.sleep(max(0.0, down_at + OUTAGE_SECONDS - time.monotonic()))
            clerk_during.stop()
            assert _healthz_down(port), "Redis came back by itself?"

            # Redis starts again on the same port, with its data.
            redis_server.start()
            up_at = time.monotonic()
            wait_for(
                lambda: health(port).status == 200,
                timeout=15,
                what="/healthz to answer 200 again",
                every=0.05,
            )
            recovered = time.monotonic() - up_at
            outage = up_at - down_at

            # Nothing stale: the page kept before the outage shows the comment
            # entered since, whichever process and thread answers, also once
            # each has gone back to its cache.
            watched_until = time.monotonic() + resilient.RETRY_AFTER_SECONDS + 2
            checks = 0
            while time.monotonic() < watched_until:
                after = request(port, "GET", f"/bills/{other_bill.slug}/comments/")
                assert after.status == 200, after
                assert marker in after.text(), "a page kept before was served"
                checks += 1
                time.sleep(0.1)

            # Hand entry goes on after the outage.
            with clerk_after.running():
                wait_for_requests(clerk_after, 20, timeout=15)
        answers = [
            *readers.snapshot(),
            *clerk.snapshot(),
            *clerk_during.snapshot(),
            *clerk_after.snapshot(),
        ]
    finally:
        if clerk_during is not None:
            clerk_during.stop()
        web.stop(timeout=20)

    reads_answered = [a for a in answers if a.kind in ("page", "api")]
    entries = [a for a in answers if a.kind == "entry"]
    during = [a for a in answers if down_at <= a.started <= up_at]
    not_ok = [str(a) for a in reads_answered if a.status != 200]
    assert not not_ok, not_ok[:5]
    assert not [str(a) for a in entries if a.status != 201][:5]
    assert {a.kind for a in during} == {"page", "api", "entry"}, "no load in the outage"
    assert all(a.status in (200, 201) for a in during)

    # Every 201 is a saved comment, once: no row lost, none twice.
    texts = [a.sent["text"] for a in entries]
    saved = Comment.objects.filter(text__in=texts)
    assert saved.count() == len(texts)
    assert saved.values("text").distinct().count() == len(texts)
    assert Comment.objects.filter(text=marker).count() == 1
    assert Comment.objects.filter(text__in=idem["texts"]).count() == 2
    written = len(texts) + 1 + 2
    assert Comment.objects.count() == comments_before + written

    assert down_body["status"] == "unavailable"
    assert "cache" in down_body["detail"] and "broker" in down_body["detail"]
    assert down_body["checks"]["database"]["ok"] is True
    assert recovered < 10
    print(
        f"\nRedis stopped under load: {len(answers)} requests "
        f"({len(during)} during the {outage:.1f} s outage, "
        f"{sum(1 for a in during if a.kind == 'entry')} of them entries), "
        f"all answered 200/201; /healthz 503 {seen_down:.2f} s after the stop; "
        f"back to 200 {recovered:.2f} s after Redis started again; "
        f"{written} comments written, 0 lost, 0 twice; "
        f"same key twice: {idem['statuses']}; the page kept before showed the "
        f"comment entered in the outage {checks} times out of {checks}"
    )


def _same_post_twice(port: int, auth: dict, consultation: int) -> dict:
    """One key sent twice in turn, another sent twice at once: two comments."""
    texts = [f"重试的意见（{uuid.uuid4().hex[:8]}）。" for _ in range(2)]
    in_turn_key, at_once_key = (str(uuid.uuid4()) for _ in range(2))

    def post(text: str, key: str):  # noqa: ANN202
        return request(
            port,
            "POST",
            "/api/v1/comments/",
            data={"consultation": consultation, "text": text},
            headers={**auth, "Idempotency-Key": key},
        )

    first = post(texts[0], in_turn_key)
    again = post(texts[0], in_turn_key)
    assert (first.status, again.status) == (201, 201), (first, again)
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()

    pair: list = [None, None]

    def send(i: int) -> None:
        pair[i] = post(texts[1], at_once_key)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)
    statuses = sorted(answer.status for answer in pair)
    assert statuses in ([201, 201], [201, 409]), pair
    # The one told to wait, sent again, gets the first answer.
    retried = post(texts[1], at_once_key)
    assert retried.status == 201 and retried.headers["idempotent-replayed"] == "true"
    return {"texts": texts, "statuses": [first.status, again.status, *statuses]}
