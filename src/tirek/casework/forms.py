"""Forms for notes and tasks. They parse and display; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.accounts.actor import Actor
from tirek.casework.models import CaseAttachment
from tirek.casework.services import MAX_NOTE, MAX_TITLE, task_owners
from tirek.core.forms import DateInput


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


class AttachmentForm(forms.Form):
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


def owner_choices(actor: Actor) -> list[tuple[str, str]]:
    return [(str(u.pk), u.display_name) for u in task_owners(actor)]


class TaskForm(forms.Form):
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
