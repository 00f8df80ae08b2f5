"""
The REST API (namespace ``api``): one router under /api/v1/, token endpoints,
the OpenAPI schema at /api/schema/ and its interactive docs at /api/docs/.

The docs page loads Swagger UI from this app's own static files (the sidecar
package) and its start-up script from a second request, so it runs under the
site's content security policy with no exception: no CDN, no inline script.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from consultation.api import views as consultation
from legislation.api import views as legislation
from npc.accounts import api as accounts

router = DefaultRouter()
# The bills, with what the consultation side adds to them (the comments behind
# a comparison's rows, the documents staff hand over).
router.register("bills", consultation.BillViewSet, basename="bill")
router.register(
    r"bills/(?P<slug>[^/.]+)/comment-groups",
    consultation.CommentGroupViewSet,
    basename="comment-group",
)
router.register("meetings", legislation.MeetingViewSet, basename="meeting")
router.register("laws", legislation.LawViewSet, basename="law")
router.register(
    "liaison-points", consultation.LiaisonPointViewSet, basename="liaison-point"
)
router.register(
    "consultations", consultation.ConsultationViewSet, basename="consultation"
)
router.register("comments", consultation.CommentViewSet, basename="comment")
router.register("imports", consultation.ImportViewSet, basename="import")
router.register("feedback", consultation.FeedbackViewSet, basename="feedback")
router.register(
    "document-jobs", consultation.DocumentJobViewSet, basename="document-job"
)


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, every asset served by this app (CSP: script-src 'self')."""

    template_name = "npc/api_docs.html"


@csrf_exempt  # writes nothing; must not answer a stray POST with an HTML 403
def not_found(request: HttpRequest) -> JsonResponse:
    """Answer any other path under /api/ in the API's own error format."""
    return JsonResponse(
        {"code": "not_found", "detail": _("未找到。")},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )


app_name = "api"

urlpatterns = [
    path("v1/auth/token/", accounts.TokenView.as_view(), name="token"),
    path("v1/auth/tokens/", accounts.TokenListView.as_view(), name="tokens"),
    path(
        "v1/receipts/<str:code>/",
        consultation.ReceiptView.as_view(),
        name="receipt",
    ),
    path("v1/stats/", consultation.StatsView.as_view(), name="stats"),
    path(
        "v1/bills/<str:slug>/public-comments/",
        consultation.PublicCommentView.as_view(),
        name="bill-public-comments",
    ),
    path(
        "v1/open-data/",
        consultation.OpenDataFilesView.as_view(),
        name="open-data",
    ),
    path(
        "v1/open-data/bills.json",
        consultation.OpenDataJSONView.as_view(),
        name="open-data-json",
    ),
    path(
        "v1/open-data/bills.csv",
        consultation.OpenDataCSVView.as_view(),
        name="open-data-csv",
    ),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"", not_found),
]


# --- the OpenAPI description -------------------------------------------------

_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_GENERIC = {
    "400": "The request is malformed: see errors.",
    "401": "No valid credentials (a wrong or revoked token).",
    "403": "Your role may not do this.",
    "404": "No such record, or not visible to you.",
    "415": "Send JSON (or a form, or multipart for files).",
}


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """
    Document the errors every operation may answer, with the shared error body.

    Any request may carry a bad token (401) or lack a role (403); a path with a
    parameter may name nothing (404); any query or body may be malformed (400);
    a body may come in a type the API does not read (415). Operation-specific
    errors (409, 412, 429) are declared on the operation itself.
    """
    for route, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = ["401", "403"]
            if "{" in route or method != "get" or operation.get("parameters"):
                codes += ["400", "404"]
            if "requestBody" in operation:
                codes.append("415")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(
                    code, {"description": _GENERIC[code], "content": _ERROR}
                )
            if "x-etag" in operation:
                _add_etag(operation)
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "slug":
                    # Slugs may be Chinese; a JSON Schema pattern's \w is ASCII.
                    parameter["schema"].pop("pattern", None)
                    parameter["description"] = "The bill's slug (may be Chinese)."
    return result


def _add_etag(operation: dict[str, Any]) -> None:
    """Document the ETag header of an operation marked ``x-etag`` (see ETAG)."""
    header = {
        "description": f"The {operation['x-etag']} of the record, for If-Match.",
        "schema": {"type": "string"},
    }
    for code, response in operation["responses"].items():
        if code.startswith("2"):
            response.setdefault("headers", {})["ETag"] = header
