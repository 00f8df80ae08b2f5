"""The API's token endpoints: get a token, revoke it, list yours, revoke them all."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from npc.core.errors import ErrorSerializer

from . import services
from .models import ApiToken


class LockedOut(exceptions.Throttled):
    default_code = "locked_out"
    default_detail = _("密码多次输入错误，该账户暂停从您的网络登录，请稍后再试。")


class WrongCredentials(exceptions.AuthenticationFailed):
    default_code = "invalid_credentials"
    default_detail = _("用户名或密码不正确。")


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created_at", "expires_at", "last_used_at"]


class TokenView(APIView):
    """Get an API token for a username and password, or revoke the one you use."""

    throttle_scope = "auth"

    def get_permissions(self) -> list:
        if self.request.method == "DELETE":
            return [IsAuthenticated()]
        return [AllowAny()]

    def get_throttles(self) -> list:
        # Guessing passwords is what the throttle is for; revoking is not.
        return [] if self.request.method == "DELETE" else super().get_throttles()

    @extend_schema(
        summary="Get an API token",
        description="Send it as `Authorization: Token <token>`. Each call issues a "
        "new token, shown only this once; it expires (`expires_at`), and a "
        "password change revokes it. Failed attempts are counted per account "
        "and client address: past the limit that pair waits out a cool-off (429).",
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer(
                "Token",
                {
                    "token": serializers.CharField(),
                    "expires_at": serializers.DateTimeField(),
                },
            ),
            400: OpenApiResponse(ErrorSerializer, description="A field is missing."),
            401: OpenApiResponse(ErrorSerializer, description="Wrong credentials."),
            429: OpenApiResponse(ErrorSerializer, description="Too many attempts."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = AuthTokenSerializer(
            data=request.data, context={"request": request}
        )
        valid = serializer.is_valid()
        # The login protection marks the request when the pair is locked out.
        if getattr(request, "axes_locked_out", False):
            raise LockedOut()
        if not valid:
            codes = serializer.errors.get("non_field_errors", [])
            if any(getattr(error, "code", "") == "authorization" for error in codes):
                # Well-formed credentials that do not match: not a bad request.
                raise WrongCredentials()
            raise exceptions.ValidationError(serializer.errors)
        token, key = services.issue_token(user=serializer.validated_data["user"])
        return Response({"token": key, "expires_at": token.expires_at})

    @extend_schema(
        summary="Revoke the token of this request", request=None, responses={204: None}
    )
    def delete(self, request: Request) -> Response:
        if isinstance(request.auth, ApiToken):
            services.revoke_token(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    """Your API tokens (never their keys), and "sign out everywhere"."""

    permission_classes = [IsAuthenticated]
    pagination_class = None

    @extend_schema(
        summary="List your API tokens", responses={200: ApiTokenSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        tokens = ApiToken.objects.filter(user=request.user).live()
        return Response(ApiTokenSerializer(tokens, many=True).data)

    @extend_schema(
        summary="Revoke all your API tokens (sign out everywhere)",
        request=None,
        responses={204: None},
    )
    def delete(self, request: Request) -> Response:
        services.revoke_all_tokens(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
