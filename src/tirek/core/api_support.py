"""What every API router shares: authentication, the error format, paging and schema bases.

Errors always come back as JSON ``{"detail": <message in the request's language>, "code": ...}``,
plus ``errors`` for invalid input; a request is never answered with a 500 because its input was bad.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar
from uuid import UUID

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, InterfaceError, OperationalError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf
from pydantic import ConfigDict, field_validator

from tirek.accounts.actor import Actor
from tirek.accounts.mfa.policy import session_passed_second_factor
from tirek.accounts.services import api_token_authenticate
from tirek.core.audit import refusal_record
from tirek.core.errors import NOT_FOUND_MESSAGE, DomainError, Forbidden, NotFound
from tirek.core.middleware import too_large_response
from tirek.core.unavailable import database_unavailable_response

logger = logging.getLogger(__name__)

T = TypeVar("T")

MAX_PAGE = 200


# --- Authentication -------------------------------------------------------------------------


class NotAuthenticated(DomainError):
    """No valid credentials: no token, or a token that is unknown, revoked or expired."""

    status_code = 401
    code = "not_authenticated"


class TokenAuth(HttpBearer):
    """``Authorization: Bearer tirek_...``: a personal API token, bound to one membership."""

    def __call__(self, request: HttpRequest) -> Actor | None:
        if "Authorization" not in request.headers:
            return None  # no credentials offered: session authentication may try
        # A request that offers credentials is served by them or refused: an empty, malformed
        # or repeated header never falls back to the session.
        scheme, _sep, secret = request.headers["Authorization"].strip().partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret or " " in secret or "," in secret:
            raise NotAuthenticated(_("Send your API token as: Authorization: Bearer <token>."))
        return self.authenticate(request, secret)

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        actor = api_token_authenticate(token)
        if actor is None:
            raise NotAuthenticated(_("The API token is not valid, has expired or was revoked."))
        request.actor = actor  # type: ignore[attr-defined]
        return actor


class SessionActorAuth(SessionAuth):
    """The web session (for the browsable docs); unsafe methods must carry the CSRF token."""

    def __call__(self, request: HttpRequest) -> Actor | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise Forbidden(_("The CSRF check failed. Reload the page and try again."), code="csrf")
        return self.authenticate(request, None)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        if not session_passed_second_factor(request.user):
            raise Forbidden(
                _("Confirm your sign-in with your second factor first."), code="mfa_required"
            )
        actor: Actor | None = getattr(request, "actor", None)
        if actor is None:
            raise Forbidden(
                _("Your account is not a member of any agency. Ask your agency administrator."),
                code="no_membership",
            )
        return actor


API_AUTH = [TokenAuth(), SessionActorAuth()]


def actor_of(request: HttpRequest) -> Actor:
    """The acting user of an authenticated API request."""
    actor = request.auth  # type: ignore[attr-defined]
    assert isinstance(actor, Actor)  # noqa: S101 - every route is authenticated
    return actor


# --- Errors ---------------------------------------------------------------------------------


def _error(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, code: str, **extra: Any
) -> HttpResponse:
    response = api.create_response(
        request, {"detail": detail, "code": code, **extra}, status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="tirek"'
    return response


def _validation_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def _ninja_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's errors without the submitted input (it may be personal data, or huge)."""
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


def exception_handlers_install(api: NinjaAPI) -> None:
    """Turn domain errors, validation errors and ninja's own errors into the API's error format."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        if isinstance(exc, NotFound):
            refusal_record(actor=getattr(request, "auth", None), error=exc, via="api")
        return _error(api, request, exc.status_code, str(exc.message), exc.code)

    @api.exception_handler(DjangoValidationError)
    def invalid_data(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return _error(
            api,
            request,
            400,
            _("Some of the data is not valid. See the messages for each field."),
            "invalid",
            errors=_validation_errors(exc),
        )

    @api.exception_handler(NinjaValidationError)
    def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return _error(
            api,
            request,
            422,
            _("The request is not valid. See the errors for the fields concerned."),
            "invalid_request",
            errors=_ninja_errors(exc.errors),
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _error(
            api,
            request,
            401,
            _("Sign in, or send a personal API token: Authorization: Bearer <token>."),
            "not_authenticated",
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            detail, code = _("The request body could not be read (send JSON)."), "bad_request"
        else:
            detail, code = str(exc), "error"
        return _error(api, request, exc.status_code, detail, code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, str(NOT_FOUND_MESSAGE), "not_found")

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # A body without a declared length, found too large while it was read.
        return too_large_response(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The database is down or unreachable: a passing condition, nothing was saved.
        logger.warning("API: database unavailable (%s)", type(exc).__name__)
        return database_unavailable_response(request)

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        # A safety net: schemas bound every value, so this means a bound is missing somewhere.
        logger.warning("API input reached the database out of range (%s)", type(exc).__name__)
        return _error(
            api, request, 400, _("Some of the data is too long or out of range."), "invalid"
        )


@contextmanager
def field_names(mapping: Mapping[str, str]) -> Iterator[None]:
    """Rename the fields of a service's ValidationError to the names the API client sent."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed: dict[str, list[str]] = {}
        for field, messages in exc.message_dict.items():
            renamed.setdefault(mapping.get(field, field), []).extend(messages)
        raise DjangoValidationError(renamed) from None


def aliases(schema: type[Schema], *, prefix: str = "") -> dict[str, str]:
    """Python field name -> JSON name (the HTCDS alias where there is one), with a path prefix."""
    return {name: prefix + (field.alias or name) for name, field in schema.model_fields.items()}


# --- Schemas and paging ---------------------------------------------------------------------


class InSchema(Schema):
    """Input: HTCDS names in JSON; unknown fields are refused (a typo never passes silently)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        """PostgreSQL cannot store NUL characters; refuse them here instead of failing later."""
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("text must not contain NUL characters")
        return value


class OutSchema(Schema):
    """Output: built from Python names, rendered with the HTCDS aliases."""

    model_config = ConfigDict(from_attributes=True, validate_by_name=True, validate_by_alias=True)


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_PAGE, description="How many items (at most 200).")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many items to skip.")


def page_of(
    queryset: QuerySet[Any], params: PageParams, convert: Callable[[Any], T]
) -> dict[str, Any]:
    """One page of a queryset: ``{"count", "limit", "offset", "items"}``."""
    return page_of_rows(queryset, params, lambda rows: [convert(row) for row in rows])


def page_of_rows(
    queryset: QuerySet[Any],
    params: PageParams,
    convert: Callable[[list[Any]], list[T]],
) -> dict[str, Any]:
    """One page of a queryset, its rows converted all at once (so that access can be decided,
    and reads recorded, with a fixed number of queries per page)."""
    items = list(queryset[params.offset : params.offset + params.limit])
    return {
        "count": queryset.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": convert(items),
    }


class AgencyRef(OutSchema):
    id: UUID
    name: str = Field(alias="org_Name")
    label: str = Field("", description="The agency's name in the request's language.")


class ServiceTypeRef(OutSchema):
    id: int
    code: str
    label: str
