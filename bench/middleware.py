"""
Bench only: a request carrying ``X-Bench-Miss: <bill id>`` first moves that
bill's counts version on, as a comment arriving would, so that it misses the
kept page and its figures (and nothing else), and numbers an arrival on it
(one the list does not show), so that the newest page of its comments takes
in what arrived, as after a comment (consultation.arrivals): the
every-request-a-miss rows. Installed by bench.settings_live, never by the
project's settings.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from consultation import arrivals, counters


class MissEveryRequest:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bill = request.headers.get("X-Bench-Miss", "")
        if bill.isdigit():
            counters.move_versions([int(bill)])
            arrivals.arrived_unlisted(int(bill))
        return self.get_response(request)
