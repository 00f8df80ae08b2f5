"""Whole public responses kept in the cache (npc.core.responsecache)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import translation

from consultation import counters
from npc.core import cache as resilient
from npc.core import parts
from npc.core.responsecache import cache_public
from tests.tasks.processes import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept(settings):
    settings.NPC_PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


class Counting:
    """A view that says how many times it ran, with the version it is given."""

    def __init__(self, status: int = 200, cookie: bool = False) -> None:
        self.calls = 0
        self.status = status
        self.cookie = cookie
        self.version = 1

    def __call__(self, request, slug):
        self.calls += 1
        response = HttpResponse(
            f"{slug} call {self.calls}", status=self.status, content_type="text/x-test"
        )
        response["ETag"] = f'"{self.calls}"'
        if self.cookie:
            response.set_cookie("csrftoken", "x")
        return response


def _view(counting: Counting):
    return cache_public(lambda request, slug: (counting.version,))(counting)


def _get(path="/bills/a/?page=2", **extra):
    request = RequestFactory().get(path, **extra)
    request.user = AnonymousUser()
    return request


def test_an_anonymous_reader_gets_the_kept_response_with_its_headers():
    counting = Counting()
    view = _view(counting)
    first = view(_get(), slug="a")
    second = view(_get(), slug="a")
    assert counting.calls == 1
    assert second.content == first.content == b"a call 1"
    assert second["Content-Type"] == "text/x-test"
    assert second["ETag"] == '"1"'


def test_a_moved_version_shows_at_once():
    counting = Counting()
    view = _view(counting)
    view(_get(), slug="a")
    counting.version = 2
    assert view(_get(), slug="a").content == b"a call 2"


def test_path_query_language_and_format_each_have_their_own_response():
    counting = Counting()
    view = _view(counting)
    view(_get(), slug="a")
    view(_get("/bills/a/?page=3"), slug="a")
    view(_get(HTTP_ACCEPT="application/json"), slug="a")
    with translation.override("en"):
        view(_get(), slug="a")
    assert counting.calls == 4


def test_signed_in_readers_and_api_clients_are_never_served_or_kept(
    django_user_model,
):
    counting = Counting()
    view = _view(counting)
    signed_in = _get()
    signed_in.user = django_user_model.objects.create_user("staffer")
    view(signed_in, slug="a")
    view(_get(HTTP_AUTHORIZATION="Token abc"), slug="a")
    view(_get(), slug="a")
    view(_get(), slug="a")
    assert counting.calls == 3


@pytest.mark.parametrize(
    "counting", [Counting(status=404), Counting(cookie=True)], ids=["404", "cookie"]
)
def test_errors_and_responses_setting_cookies_are_not_kept(counting):
    view = _view(counting)
    view(_get(), slug="a")
    view(_get(), slug="a")
    assert counting.calls == 2


def test_writes_are_never_kept():
    counting = Counting()
    view = _view(counting)
    for _ in range(2):
        request = RequestFactory().post("/bills/a/")
        request.user = AnonymousUser()
        view(request, slug="a")
    assert counting.calls == 2


def test_nothing_is_kept_when_the_setting_is_zero(settings):
    settings.NPC_PUBLIC_CACHE_SECONDS = 0
    counting = Counting()
    view = _view(counting)
    view(_get(), slug="a")
    view(_get(), slug="a")
    assert counting.calls == 2


class CountingReads:
    """The cache, counting each key the version reads ask it for."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.asked: list[str] = []

    def get_many(self, keys):
        self.asked += keys
        return self.inner.get_many(keys)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_a_kept_read_reads_each_version_once_and_again_once_moved(monkeypatch):
    """
    A page and its parts put the same versions in their keys: within one kept
    read each is read from the cache once, and read again once moved on.
    """
    reads = CountingReads(resilient.cache)
    monkeypatch.setattr(resilient, "cache", reads)
    seen = []

    def page(request, slug):
        seen.append(counters.version(7))
        seen.append(counters.settled_version(7))
        counters.move_versions([7])  # a change within the read
        seen.append(counters.version(7))
        return HttpResponse(f"{slug} {seen}")

    view = cache_public(lambda request, slug: (counters.version(7),))(page)
    view(_get(), slug="a")
    counts = reads.asked.count("comment-counts:version:7")
    assert counts == 2  # once, then once more after it moved
    assert reads.asked.count("comment-counts:settled:7") == 1
    assert seen[0] != seen[2]
    # Outside a kept read, each call asks the cache.
    counters.version(7)
    counters.version(7)
    assert reads.asked.count("comment-counts:version:7") == counts + 2


def test_keys_read_along_come_with_the_versions_and_are_handed_over_once(monkeypatch):
    """
    Within a kept read, keys named to be read along are read in the round trip
    of the next versions read; each is handed over once (a miss too), then read
    from the cache again; a version moved on is read again. Outside a kept read
    nothing is read along.
    """
    cache.set("slot:a", "kept a")
    reads = CountingReads(resilient.cache)
    monkeypatch.setattr(resilient, "cache", reads)
    with resilient.read_once():
        resilient.read_along(["slot:a", "slot:b"])
        counters.version(7)
        assert reads.asked.count("slot:a") == 1  # with the versions
        assert resilient.take("slot:a") == (True, "kept a")
        assert resilient.take("slot:b") == (False, None)  # read, and missing
        assert resilient.take("slot:a") is None  # handed over once
        assert resilient.take("slot:c") is None  # never named
        # Named after the last versions read: read when first taken.
        resilient.read_along(["slot:a"])
        assert resilient.take("slot:a") == (True, "kept a")
        assert reads.asked.count("slot:a") == 2
    resilient.read_along(["slot:a"])
    assert resilient.take("slot:a") is None


def test_a_part_read_along_is_taken_once_and_its_epoch_still_checked(settings):
    """
    A part's slot read along with the page's versions serves the part without
    reading it again; a copy made before the cache came back is still a miss.
    """
    settings.NPC_PUBLIC_PARTS_SECONDS = 3600
    made = []

    def compute():
        made.append(1)
        return f"made {len(made)}"

    assert parts.part(("p", 1), compute, version=1) == "made 1"
    with resilient.read_once():
        parts.read_along([("p", 1)])
        assert parts.part(("p", 1), compute, version=1) == "made 1"
    assert len(made) == 1
    resilient.move_on(parts.EPOCH_KEY)  # the cache came back after an outage
    with resilient.read_once():
        parts.read_along([("p", 1)])
        assert parts.part(("p", 1), compute, version=1) == "made 2"


@pytest.fixture
def redis_cache(tmp_path):
    """The cache on a Redis server of the test's own."""
    server = RedisServer(tmp_path)
    server.start()
    caches = {
        "default": {
            "BACKEND": "npc.core.cache.ResilientRedisCache",
            "LOCATION": server.url(),
        }
    }
    try:
        with override_settings(CACHES=caches):
            yield
    finally:
        server.stop()


@pytest.mark.redis
def test_versions_move_on_in_one_round_trip_on_redis(redis_cache):
    """
    On Redis, several versions move on with one pipelined INCR (a missing one
    starts at 1) and read back as the numbers they are.
    """
    cache.set("version:a", 41, None)
    sent = []
    client = cache._cache.get_client(write=True)
    real = type(client).pipeline

    def pipeline(self, *args, **kwargs):
        sent.append(args or kwargs)
        return real(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(client), "pipeline", pipeline)
        resilient.move_on("version:a", "version:b")
    assert len(sent) == 1
    assert cache.get_many(["version:a", "version:b"]) == {
        "version:a": 42,
        "version:b": 1,
    }


def test_what_a_read_keeps_is_written_when_it_ends_and_handed_to_it_meanwhile(settings):
    """
    Parts made in a read of a page are kept when the read ends, with the
    read's other writes; until then the read itself is handed what it made:
    a part asked for twice is made once, and a reader holding the lock of a
    part it made does not wait on its own lock.
    """
    settings.NPC_PUBLIC_PARTS_SECONDS = 3600
    settings.NPC_PUBLIC_REBUILD_SECONDS = 10  # a lock held while a part is made
    made = []

    def compute():
        made.append(1)
        return f"made {len(made)}"

    with resilient.read_once():
        assert parts.part(("p", 2), compute, version=1) == "made 1"
        assert cache.get(parts._key(("p", 2))) is None  # not written yet
        assert parts.part(("p", 2), compute, version=1) == "made 1"
        assert len(made) == 1
    assert cache.get(parts._key(("p", 2)))[1] == "made 1"
    assert cache.get(parts._LOCK_PREFIX + parts._key(("p", 2))) is None  # released
    assert parts.part(("p", 2), compute, version=1) == "made 1"
    assert len(made) == 1


@pytest.mark.redis
def test_a_reads_writes_go_in_one_round_trip_in_order_on_redis(redis_cache):
    """
    On Redis, what a read writes goes in one pipelined round trip when it
    ends: each value with its own expiry, a lock released after the copy
    it guards is kept.
    """
    cache.add("lock:a", 1, 60)
    sent = []
    client = cache._cache.get_client(write=True)
    real = type(client).pipeline

    def pipeline(self, *args, **kwargs):
        pipe = real(self, *args, **kwargs)
        execute = pipe.execute

        def sending(*a, **kw):
            sent.append([(c[0][0], c[0][1][-6:]) for c in pipe.command_stack])
            return execute(*a, **kw)

        pipe.execute = sending
        return pipe

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(client), "pipeline", pipeline)
        with resilient.read_once():
            resilient.write("slot:a", ("a",), 100)
            resilient.write("slot:b", ("b",), None)
            resilient.write("slot:a", ("a", 2), 100)  # the last one kept
            resilient.release("lock:a")
            assert resilient.written("slot:a") == ("a", 2)
            assert resilient.written("lock:a") is None
            assert sent == []
    assert sent == [[("SET", "slot:b"), ("SET", "slot:a"), ("DEL", "lock:a")]]
    assert cache.get_many(["slot:a", "slot:b", "lock:a"]) == {
        "slot:a": ("a", 2),
        "slot:b": ("b",),
    }
    raw = cache._cache.get_client()
    assert 90 < raw.ttl(cache.make_and_validate_key("slot:a")) <= 100
    assert raw.ttl(cache.make_and_validate_key("slot:b")) == -1  # kept


@pytest.mark.redis
def test_what_is_read_along_is_made_an_object_only_when_taken_on_redis(
    redis_cache, monkeypatch
):
    """
    A page kept whole reads, with its versions, the parts it would be made
    of: on Redis they are unpickled only if the page takes them, and then as
    they were kept.
    """
    cache.set("version:p", 3, None)
    cache.set("slot:big", ("made", "x" * 50_000), 60)
    cache.set("slot:small", ("made", 1), 60)
    loaded = []
    backend = type(caches["default"])
    real = backend.loads

    def loads(self, data):
        value = real(self, data)
        loaded.append(value)
        return value

    monkeypatch.setattr(backend, "loads", loads)
    with resilient.read_once():
        resilient.read_along(["slot:big", "slot:small", "slot:none"])
        assert resilient.versions(["version:p"]) == {"version:p": 3}
        assert loaded == [3]  # the version alone
        assert resilient.take("slot:small") == (True, ("made", 1))
        assert resilient.take("slot:none") == (False, None)
        assert loaded == [3, ("made", 1)]  # the big slot never unpickled
