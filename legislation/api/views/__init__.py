"""
The legislation API: bills and their timeline, stages, versions, comparison,
votes; meetings.

Each view parses the request with an input serializer, calls a service (writes)
or a selector (reads) and renders the result with an output serializer. The rules
are the services'; refusals surface as ``DomainError``s, which the API's error
handler renders as ``{"code", "detail"}`` with their HTTP status.
"""

from .bills import BillViewSet
from .laws import LawViewSet
from .meetings import MeetingViewSet

__all__ = ["BillViewSet", "LawViewSet", "MeetingViewSet"]
