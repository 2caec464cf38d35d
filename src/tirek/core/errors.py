"""Domain errors: raised by services, turned into a readable message by views and the API.

Messages are translatable and never carry personal data.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

# The one answer for "does not exist" and "exists but is not yours", in pages and the API alike:
# a different wording for either would tell a prober which IDs exist.
NOT_FOUND_MESSAGE = gettext_lazy("Not found, or you do not have access to it.")


class DomainError(Exception):
    """A rule of the domain refused the action. ``message`` is safe to show to the user."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str | Promise, *, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code


class NotFound(DomainError):
    """The object does not exist *for this user*: existence is never revealed.

    ``object_type``/``object_id`` name what was asked for (a code and an id, never personal
    data), so that the error handlers can record the refused attempt (``audit.refusal_record``).
    """

    status_code = 404
    code = "not_found"

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        object_type: str = "",
        object_id: object = "",
    ) -> None:
        super().__init__(NOT_FOUND_MESSAGE if message is None else message, code=code)
        self.object_type = object_type
        self.object_id = object_id


class Forbidden(DomainError):
    """The user may see the object but not do this to it."""

    status_code = 403
    code = "forbidden"


class InvalidState(DomainError):
    """The object is not in a state that allows the action (e.g. accepting a withdrawn referral)."""

    status_code = 409
    code = "invalid_state"


class ConcurrentUpdate(DomainError):
    """Someone changed the object since the user loaded it."""

    status_code = 409
    code = "concurrent_update"
