"""Helpers shared by the web forms of every app."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def service_errors_apply(error: ValidationError, *forms_: forms.Form) -> None:
    """Put a service's ``ValidationError`` on the forms that show the fields it names.

    A key that no form shows becomes an error at the top of the first form, so that no message
    is ever lost.
    """
    messages = (
        error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    )
    for key, texts in messages.items():
        target = next((f for f in forms_ if key in f.fields), None)
        for text in texts:
            if target is not None:
                target.add_error(key, text)
            elif forms_:
                forms_[0].add_error(None, text)


class DateInput(forms.DateInput):
    """A native date picker (ISO format, as browsers send it)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
