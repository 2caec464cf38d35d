"""Forms for notes, documents and tasks. They parse and display; the rules they check in
``clean()`` are the services' own pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.accounts.actor import Actor
from tirek.casework.models import CaseAttachment
from tirek.casework.services import (
    MAX_NOTE,
    MAX_TITLE,
    attachment_validate,
    max_attachment_bytes,
    task_owners,
    task_validate,
)
from tirek.core.forms import DateInput, RulesForm


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )
    private = forms.BooleanField(
        label=_("Only my agency may read it"),
        required=False,
        help_text=_("A private note stays with your agency even when the case is shared."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)


class AttachmentForm(RulesForm):
    kind = forms.ChoiceField(label=_("What document"), choices=CaseAttachment.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG. It is stored encrypted; every download is recorded."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    private = forms.BooleanField(label=_("Only my agency may read it"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "attachment_%s")
        super().__init__(*args, **kwargs)

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        upload = data.get("file")
        content = None
        if upload is not None:
            content = upload.read(max_attachment_bytes() + 1)
            upload.seek(0)
        return attachment_validate(**self.typed(data, "kind"), content=content)


def owner_choices(actor: Actor) -> list[tuple[str, str]]:
    return [(str(u.pk), u.display_name) for u in task_owners(actor)]


class TaskForm(RulesForm):
    title = forms.CharField(label=_("What to do"), max_length=MAX_TITLE)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    owner = forms.ChoiceField(label=_("Who does it"))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        actor: Actor,
        owners: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        """``owners``: the choices of who does it, when already read (several forms, one
        query)."""
        kwargs.setdefault("auto_id", "task_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = owners if owners is not None else owner_choices(actor)
        field.initial = str(actor.user.pk)

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        return task_validate(**self.typed(data, "title", "due_on"), today=timezone.localdate())
