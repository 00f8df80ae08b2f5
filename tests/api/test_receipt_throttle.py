"""
Receipt look-ups are throttled per client over a sliding window, counted in
the cache: a burst across the turn of a period is still refused, a client who
waited gets through again, and another client is not held back.
"""

import pytest

from consultation.api.throttles import CountingRateThrottle

pytestmark = pytest.mark.django_db

URL = "/api/v1/receipts/AAAA-BBBB-CCCC/"  # no such code: 404 until throttled


@pytest.fixture
def clock(monkeypatch):
    now = [60_000.0 * 60]  # the start of a period of a minute

    monkeypatch.setattr(CountingRateThrottle, "timer", staticmethod(lambda: now[0]))
    return now


def _codes(client, n: int, **extra) -> list[int]:  # noqa: ANN001
    return [client.get(URL, **extra).status_code for _ in range(n)]


def test_thirty_look_ups_a_minute_then_429(anon, clock):
    assert _codes(anon, 30) == [404] * 30
    refused = anon.get(URL)
    assert (refused.status_code, refused.json()["code"]) == (429, "throttled")
    assert int(refused["Retry-After"]) == 60


def test_a_burst_across_the_turn_of_a_minute_is_still_refused(anon, clock):
    clock[0] += 59
    assert _codes(anon, 30) == [404] * 30
    clock[0] += 2  # a new period: the last one's thirty still count
    assert _codes(anon, 1) == [429]


def test_a_client_who_waited_gets_through_again(anon, clock):
    assert _codes(anon, 30) == [404] * 30
    clock[0] += 119  # the last period now weighs 1/60
    assert _codes(anon, 29) == [404] * 29


def test_another_client_is_not_held_back(anon, clock):
    assert _codes(anon, 31)[-1] == 429
    assert _codes(anon, 1, REMOTE_ADDR="192.0.2.7") == [404]
