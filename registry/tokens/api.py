"""API: log in for a token, log out (revoke it), list and revoke one's own tokens.

    POST   /api/v1/auth/token/            {username, password} → {token, expires_at, prefix}
    DELETE /api/v1/auth/token/            revokes the token in the Authorization header
    GET    /api/v1/me/tokens/             one's own tokens (never a secret)
    GET    /api/v1/me/tokens/<id>/
    POST   /api/v1/me/tokens/<id>/revoke/
    POST   /api/v1/me/tokens/revoke-all/
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.core.throttling import ActionScopedRateThrottle
from registry.tokens import selectors, services
from registry.tokens.authentication import ApiTokenAuthentication
from registry.tokens.models import ApiToken, TokenStatus

USER_AGENT_NAME_MAX = 100


class LoginSerializer(serializers.Serializer):
    """The body DRF's obtain_auth_token took, with its messages, so clients need no change."""

    username = serializers.CharField(write_only=True)
    password = serializers.CharField(write_only=True, trim_whitespace=False,
                                     style={"input_type": "password"})

    def validate(self, attrs):
        user = authenticate(request=self.context["request"], username=attrs["username"],
                            password=attrs["password"])
        if user is None:  # also an inactive account: ModelBackend refuses it
            raise serializers.ValidationError(_("Unable to log in with provided credentials."),
                                              code="authorization")
        return {"user": user}


IssuedTokenSerializer = inline_serializer("IssuedToken", {
    "token": serializers.CharField(help_text=gettext_lazy("The secret: shown once, never stored.")),
    "expires_at": serializers.DateTimeField(),
    "prefix": serializers.CharField(),
})


def _name_from(request) -> str:
    return request.headers.get("User-Agent", "").strip()[:USER_AGENT_NAME_MAX] or "API"


class LoginTokenView(APIView):
    """POST {username, password} → a new token each time; DELETE → revoke the token used.

    The log-in is limited like the log-in form (scope "login"). POST reads no credentials,
    so a client holding an expired or revoked token can still log in with it still attached.
    """

    throttle_scope = "login"

    def _is_log_in(self) -> bool:
        # self.request is Django's request here (APIView.setup ran, initialize_request not);
        # it is None when drf-spectacular builds the schema.
        return getattr(self.request, "method", None) == "POST"

    def get_authenticators(self):
        return [] if self._is_log_in() else [ApiTokenAuthentication()]

    def get_permissions(self):
        # DELETE authenticates by token only: without one (a session is not one) it is a 401.
        return [] if self._is_log_in() else [IsAuthenticated()]

    def get_throttles(self):
        return [ActionScopedRateThrottle()] if self._is_log_in() else []

    @extend_schema(request=LoginSerializer, responses={200: IssuedTokenSerializer},
                   auth=[])
    def post(self, request):
        serializer = LoginSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, secret = services.api_token_create(user=serializer.validated_data["user"],
                                                  name=_name_from(request))
        return Response({"token": secret, "expires_at": token.expires_at,
                         "prefix": token.prefix})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        services.api_token_revoke(token=request.auth, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at",
                  "revoked_at", "status"]
        read_only_fields = fields

    def get_status(self, token) -> TokenStatus:
        return token.status()


RevokedAllSerializer = inline_serializer("RevokedAll", {"revoked": serializers.IntegerField()})


class ApiTokenViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in person's own tokens. Anyone else's token id is 404."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular, no one signed in
            return ApiToken.objects.none()
        return selectors.api_tokens_of(self.request.user)

    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = services.api_token_revoke(token=self.get_object(), actor=request.user)
        return Response(self.get_serializer(token).data)

    @extend_schema(request=None, responses={200: RevokedAllSerializer})
    @action(detail=False, methods=["post"], url_path="revoke-all")
    def revoke_all(self, request):
        count = services.api_tokens_revoke_all(user=request.user, actor=request.user)
        return Response({"revoked": count})
