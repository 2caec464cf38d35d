"""Helpers shared by the web forms of every app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _


def service_errors_apply(
    error: ValidationError, *forms_: forms.Form, only_new: bool = False
) -> None:
    """Put a service's ``ValidationError`` on the forms that show the fields it names.

    A key that no form shows becomes an error at the top of the first form, so that no message
    is ever lost. ``only_new`` leaves a field that already has an error of its form alone (the
    service saw it empty, having not been able to read it).
    """
    messages = (
        error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    )
    for key, texts in messages.items():
        target = next((f for f in forms_ if key in f.fields), None)
        if only_new and target is not None and key in target.errors:
            continue
        for text in texts:
            if target is not None:
                target.add_error(key, text)
            elif forms_:
                forms_[0].add_error(None, text)


class RulesForm(forms.Form):
    """A form that checks its business rules in ``clean()``: ``rules`` calls the same pure
    validation function as the service, so a failed form shows the errors of its fields and of
    the rules at once. A field that has an error of its own keeps just that one (the rule saw
    it empty, having not been able to read it)."""

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        return {}

    def typed(self, data: Mapping[str, Any], *names: str) -> dict[str, Any]:
        """The named fields as far as they could be read; one that could not gives its empty
        value ("", [] or None), whose rule then stays quiet or repeats the field's own error."""
        return {
            name: data[name] if name in data else self.fields[name].to_python(None)
            for name in names
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        service_errors_apply(ValidationError(self.rules(data)), self, only_new=True)
        return self.cleaned_data


class DateInput(forms.DateInput):
    """A date typed day first, ``12.04.1998``, in every language (``tirek.core.formats``).

    Not the browser's date picker: it shows the browser's own order (04/12/1998 on an English
    browser), which a page cannot change, and a birth date is quicker typed than scrolled to.
    ISO ``1998-04-12`` is accepted too.
    """

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults: dict[str, Any] = {
            "inputmode": "decimal",
            "autocomplete": "off",
            "spellcheck": "false",
            "maxlength": "10",
            "size": "10",
            "placeholder": _("dd.mm.yyyy"),
            "title": _("Day, month and year, e.g. 25.03.1990"),
        }
        super().__init__(attrs=defaults | (attrs or {}))
