"""Web forms for screening: the indicator form, the status decision and the catalogue edits.

Forms only parse and check the shape of input; the rules (which list, the decision rule, who may
do what) stay in ``rules``, ``services`` and ``policy``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.cases.choices import TraffickingStatus
from tirek.screening.models import (
    DimensionChoices,
    Indicator,
    ListKeyChoices,
    ObservedIndicator,
    ScopeChoices,
    StrengthChoices,
)
from tirek.screening.rules import ExploitationScope
from tirek.screening.services import (
    MAX_NOTE,
    IndicatorChange,
    ListChange,
    Observation,
    ScreeningInput,
)

SOURCE_CHOICES = [("", _("Source: not recorded")), *ObservedIndicator.Source.choices]
NOT_ON_LIST = ("", _("not on this list"))


def tick_name(code: str) -> str:
    return f"tick_{code}"


def note_name(code: str) -> str:
    return f"note_{code}"


def source_name(code: str) -> str:
    return f"source_{code}"


class ScreeningForm(forms.Form):
    """Who is screened, for which exploitation, and the indicators observed (one tick, note and
    source per indicator of the catalogue version)."""

    catalogue = forms.UUIDField(widget=forms.HiddenInput)
    age_at_exploitation = forms.IntegerField(
        label=_("Age at the time of exploitation"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Leave empty if not known for sure."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    has_signs_of_childhood = forms.BooleanField(
        label=_("Age unknown, but there are signs of childhood"),
        required=False,
        help_text=_("With no known age, any sign of childhood means the child lists are used."),
    )
    scope = forms.ChoiceField(
        label=_("Suspected exploitation"),
        choices=ScopeChoices.choices,
        initial=ExploitationScope.LABOUR.value,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, indicators: Sequence[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            code = indicator.code
            self.fields[tick_name(code)] = forms.BooleanField(required=False)
            self.fields[note_name(code)] = forms.CharField(
                label=_("Evidence"),
                required=False,
                max_length=MAX_NOTE,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[source_name(code)] = forms.ChoiceField(
                label=_("Source"), required=False, choices=SOURCE_CHOICES
            )

    def value_of(self, name: str) -> Any:
        """A field's value, also for an unbound or invalid form (for the live result)."""
        if self.is_bound and hasattr(self, "cleaned_data") and name in self.cleaned_data:
            return self.cleaned_data[name]
        field = self.fields[name]
        if not self.is_bound:
            return self.initial.get(name, field.initial)
        try:
            return field.clean(field.widget.value_from_datadict(self.data, self.files, name))
        except forms.ValidationError:
            return None

    def ticked_codes(self) -> list[str]:
        return [i.code for i in self.indicators if self.value_of(tick_name(i.code))]

    def age_value(self) -> int | None:
        value = self.value_of("age_at_exploitation")
        return value if isinstance(value, int) else None

    def scope_value(self) -> ExploitationScope:
        value = self.value_of("scope")
        return (
            ExploitationScope(value) if value in ScopeChoices.values else ExploitationScope.LABOUR
        )

    def to_input(self) -> ScreeningInput:
        data = self.cleaned_data
        return ScreeningInput(
            scope=data["scope"],
            age_at_exploitation=data["age_at_exploitation"],
            has_signs_of_childhood=data["has_signs_of_childhood"],
            observations=[
                Observation(
                    code=code,
                    source=data[source_name(code)] or "",
                    note=data[note_name(code)] or "",
                )
                for code in self.ticked_codes()
            ],
        )


class StatusDecisionForm(forms.Form):
    """A trafficking-status decision (HTCDS ``vic_TraffickingStatus``) citing a screening."""

    status = forms.ChoiceField(label=_("Trafficking status"), choices=TraffickingStatus.choices)
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the decision rests on, besides this screening."),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _strength_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, choices=[NOT_ON_LIST, *StrengthChoices.choices]
    )


class IndicatorRevisionForm(forms.Form):
    """Change one indicator (labels, strengths) or add a new one, as a new catalogue version."""

    base = forms.UUIDField(widget=forms.HiddenInput)
    code = forms.CharField(label=_("Code"), max_length=16)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=DimensionChoices.choices)
    label_en = forms.CharField(label=_("Label (English)"), max_length=300)
    label_ru = forms.CharField(label=_("Label (Russian)"), max_length=300)
    label_kk = forms.CharField(label=_("Label (Kazakh)"), max_length=300)
    strength_adult_labour = _strength_field(ListKeyChoices.ADULT_LABOUR.label)
    strength_child_labour = _strength_field(ListKeyChoices.CHILD_LABOUR.label)
    strength_adult_sexual = _strength_field(ListKeyChoices.ADULT_SEXUAL.label)
    strength_child_sexual = _strength_field(ListKeyChoices.CHILD_SEXUAL.label)
    change_note = forms.CharField(
        label=_("What changed and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    STRENGTH_FIELDS = (
        "strength_adult_labour",
        "strength_child_labour",
        "strength_adult_sexual",
        "strength_child_sexual",
    )

    @classmethod
    def initial_from(cls, indicator: Indicator) -> dict[str, Any]:
        return {
            "code": indicator.code,
            "dimension": indicator.dimension,
            "label_en": indicator.label_en,
            "label_ru": indicator.label_ru,
            "label_kk": indicator.label_kk,
            **{name: getattr(indicator, name) for name in cls.STRENGTH_FIELDS},
        }

    def to_change(self) -> IndicatorChange:
        data = self.cleaned_data
        return IndicatorChange(
            code=data["code"].strip(),
            dimension=data["dimension"],
            label_en=data["label_en"],
            label_ru=data["label_ru"],
            label_kk=data["label_kk"],
            strengths={
                name.removeprefix("strength_"): data[name] or "" for name in self.STRENGTH_FIELDS
            },
        )


class ListRevisionForm(forms.Form):
    """Mark a list checked (or not) against its source, as a new catalogue version."""

    base = forms.UUIDField(widget=forms.HiddenInput)
    key = forms.ChoiceField(label=_("List"), choices=ListKeyChoices.choices)
    is_verified = forms.BooleanField(label=_("Checked against the source"), required=False)
    verification_note = forms.CharField(
        label=_("Verification note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    change_note = forms.CharField(
        label=_("What changed and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def to_change(self) -> ListChange:
        data = self.cleaned_data
        return ListChange(
            key=data["key"],
            is_verified=data["is_verified"],
            verification_note=data["verification_note"],
        )
